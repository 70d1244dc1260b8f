package org.tcpip4j.ipv4.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tcpip4j.ipv4.internal.Datagrams.datagram;
import static org.tcpip4j.ipv4.internal.Datagrams.pattern;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.tcpip4j.ip.IpHandler;
import org.tcpip4j.ipv4.Ipv4Config;
import org.tcpip4j.netif.Ipv4Address;
import org.tcpip4j.netif.Ipv4Cidr;
import org.tcpip4j.netif.MacAddress;
import org.tcpip4j.netif.loop.StackContext;
import org.tcpip4j.netif.loop.VirtualTimeEventLoop;

/**
 * A flood of eight-byte fragments from many sources and identifications that never
 * complete: bytes, incomplete datagrams, datagrams per source and fragments per datagram
 * all stay within the configured bounds, and a real datagram still gets through.
 */
class TinyFragmentFloodTest {

    private static final Ipv4Address US = Ipv4Address.parse("198.18.0.2");
    private static final Ipv4Address FRIEND = Ipv4Address.parse("198.18.0.1");
    private static final long MILLI = 1_000_000L;
    private static final int MAX_BYTES = 256 * 1024;
    private static final int MAX_BYTES_PER_SOURCE = 32 * 1024;
    private static final int MAX_DATAGRAMS = 300;
    private static final int MAX_DATAGRAMS_PER_SOURCE = 20;
    private static final int MAX_FRAGMENTS = 16;

    private final VirtualTimeEventLoop loop = new VirtualTimeEventLoop();
    private final List<byte[]> delivered = new ArrayList<>();
    private final IpHandler udp = (src, dst, payload) -> {
        byte[] b = new byte[payload.remaining()];
        payload.get(payload.position(), b);
        delivered.add(b);
    };
    private final DefaultIpv4 ip = new DefaultIpv4(new CapturingEthernet(MacAddress.parse("02:00:00:00:00:02"), 1500),
            new ScriptedArp(), Ipv4Config.of(new Ipv4Cidr(US, 16))
                    .withReassembly(Duration.ofSeconds(30), MAX_FRAGMENTS, MAX_BYTES, MAX_BYTES_PER_SOURCE)
                    .withIncompleteDatagrams(MAX_DATAGRAMS, MAX_DATAGRAMS_PER_SOURCE),
            StackContext.seeded(loop, 2, "b"));

    private void input(byte[] datagram) {
        ip.input(ByteBuffer.wrap(datagram), null, udp, null);
    }

    private long count(String name) {
        return ip.counters().get(name);
    }

    @Test
    void memoryAndTheNumberOfReassembliesStayBounded() {
        SplittableRandom random = new SplittableRandom(8);
        long maxBytes = 0;
        int maxDatagrams = 0;
        for (int i = 0; i < 200_000; i++) {
            // A thousand sources, a few identifications each, fragments of eight bytes at
            // offsets that leave holes (never offset 0 and never the last): nothing completes.
            Ipv4Address source = Ipv4Address.of(198, 18, 1 + random.nextInt(4), 1 + random.nextInt(250));
            int id = random.nextInt(64);
            int offset = 8 * (1 + random.nextInt(2000));
            input(datagram(source, US, 17, id, offset, true, new byte[8]));
            if (i % 1000 == 0) {
                loop.runFor(10 * MILLI);
                maxBytes = Math.max(maxBytes, ip.reassemblyHeldBytes());
                maxDatagrams = Math.max(maxDatagrams, ip.incompleteDatagrams());
                assertTrue(ip.reassemblySources() <= MAX_DATAGRAMS);
                assertTrue(ip.largestSourceDatagrams() <= MAX_DATAGRAMS_PER_SOURCE);
                assertTrue(ip.largestDatagramFragments() <= MAX_FRAGMENTS);
            }
        }
        assertTrue(maxBytes <= MAX_BYTES, "bytes held: " + maxBytes);
        assertTrue(maxDatagrams <= MAX_DATAGRAMS, "incomplete datagrams: " + maxDatagrams);
        assertEquals(MAX_DATAGRAMS, maxDatagrams, "the bound on datagrams was reached");
        assertTrue(count("rx.reassembly.datagram_limit") > 1000);
        assertTrue(count("rx.reassembly.held_bytes_peak") <= MAX_BYTES);

        // One source with ever new identifications: its share of datagrams, no more.
        Ipv4Address greedy = Ipv4Address.parse("198.18.9.9");
        ip.disconnect();
        DefaultIpv4 fresh = new DefaultIpv4(new CapturingEthernet(MacAddress.parse("02:00:00:00:00:02"), 1500),
                new ScriptedArp(), Ipv4Config.of(new Ipv4Cidr(US, 16))
                        .withIncompleteDatagrams(MAX_DATAGRAMS, MAX_DATAGRAMS_PER_SOURCE),
                StackContext.seeded(loop, 3, "c"));
        for (int id = 0; id < 10_000; id++) {
            fresh.input(ByteBuffer.wrap(datagram(greedy, US, 17, id, 8, true, new byte[8])), null, udp, null);
        }
        assertEquals(MAX_DATAGRAMS_PER_SOURCE, fresh.incompleteDatagrams());
        assertEquals(10_000 - MAX_DATAGRAMS_PER_SOURCE, fresh.counters().get("rx.reassembly.source_datagram_limit"));

        // One datagram in ever more eight-byte pieces: at most its fragment bound.
        Ipv4Address splitter = Ipv4Address.parse("198.18.9.10");
        for (int piece = 1; piece <= 100; piece++) {
            fresh.input(ByteBuffer.wrap(datagram(splitter, US, 17, 5, 8 * piece, true, new byte[8])), null, udp, null);
            assertTrue(fresh.largestDatagramFragments() <= 64);
        }
        assertEquals(1, fresh.counters().get("rx.reassembly.too_many_fragments"));

        // Another host's fragmented datagram still reassembles there.
        byte[] payload = pattern(3000, 4);
        for (int at = 0; at < 3000; at += 1480) {
            int n = Math.min(1480, 3000 - at);
            fresh.input(ByteBuffer.wrap(datagram(FRIEND, US, 17, 77, at, at + n < 3000,
                    java.util.Arrays.copyOfRange(payload, at, at + n))), null, udp, null);
        }
        assertEquals(1, delivered.size());
        assertArrayEquals(payload, delivered.get(0));

        // Quiet: everything times out and is released.
        loop.runFor(31_000 * MILLI);
        assertEquals(0, fresh.incompleteDatagrams());
        assertEquals(0, fresh.reassemblySources());
        assertEquals(0, fresh.reassemblyHeldBytes());
    }
}
