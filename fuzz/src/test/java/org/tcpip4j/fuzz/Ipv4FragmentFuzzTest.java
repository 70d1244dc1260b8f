package org.tcpip4j.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.tcpip4j.arp.ArpConfig;
import org.tcpip4j.ipv4.Ipv4Config;
import org.tcpip4j.netif.Ipv4Address;
import org.tcpip4j.netif.Ipv4Cidr;

/**
 * IPv4 reassembly (RFC 791 3.2, RFC 1122 3.3.2, RFC 5722's rule on overlaps) driven by
 * sequences of fragments the input describes: which of three sources and three
 * identifications, offset, more-fragments, length, and pauses of virtual time. Every byte
 * of a datagram is a function of its offset (the UDP header aside), so whatever the layer
 * reassembles and delivers must carry exactly those bytes. The bytes held never exceed
 * the configured budgets, and once the reassembly timeout has passed nothing is held and
 * no timer is left.
 */
class Ipv4FragmentFuzzTest {

    private static final int MAX_BYTES = 8 * 1024;
    private static final int MAX_BYTES_PER_SOURCE = 4 * 1024;
    private static final int MAX_FRAGMENTS = 8;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final int PORT = 7;
    private static final int[] SOURCES = {Ipv4Address.parse("198.18.0.10").bits(),
        Ipv4Address.parse("198.18.0.11").bits(), Ipv4Address.parse("198.18.1.12").bits()};

    @FuzzTest(maxDuration = "5s")
    void fragments(FuzzedDataProvider input) {
        Host host = new Host(Ipv4Config.of(new Ipv4Cidr(Host.IP, 24))
                .withReassembly(TIMEOUT, MAX_FRAGMENTS, MAX_BYTES, MAX_BYTES_PER_SOURCE), ArpConfig.DEFAULT);
        List<String> wrong = new ArrayList<>();
        int[] delivered = {0};
        host.stack.udp().listen(PORT, (src, dst, srcPort, payload) -> {
            delivered[0]++;
            int id = srcPort - 1000;
            for (int k = 0; payload.hasRemaining(); k++) {
                byte b = payload.get();
                if (b != patternByte(id, 8 + k)) {
                    wrong.add("datagram " + id + " from " + src + ": byte " + (8 + k) + " is " + b);
                    return;
                }
            }
        });
        int lastFragments = 0;
        for (int step = 0; step < 64 && input.remainingBytes() > 0; step++) {
            if (input.consumeInt(0, 7) == 0) {
                host.loop.runFor(Duration.ofMillis(input.consumeInt(0, 40_000)));
                continue;
            }
            int source = SOURCES[input.consumeInt(0, SOURCES.length - 1)];
            int id = input.consumeInt(0, 2);
            int offset = 8 * (input.consumeBoolean() ? input.consumeInt(0, 400) : input.consumeInt(0, 0x1fff));
            boolean more = input.consumeBoolean();
            int length = input.consumeInt(0, 1480);
            int datagramLength = 8 + input.consumeInt(0, 4000);
            byte[] payload = new byte[Math.min(length, 0xffff - 20)];
            for (int k = 0; k < payload.length; k++) {
                payload[k] = patternByte(id, offset + k);
            }
            if (offset == 0 && payload.length >= 8) {
                // The UDP header, without a checksum (RFC 768): ports name the datagram.
                Frames.putShort(payload, 0, 1000 + id);
                Frames.putShort(payload, 2, PORT);
                Frames.putShort(payload, 4, datagramLength);
                Frames.putShort(payload, 6, 0);
            }
            host.receive(Host.fromPeer(Frames.ipv4Fragment(source, Host.IP.bits(), Frames.UDP, id, offset, more,
                    payload)));
            if (!more) {
                lastFragments++;
            }
            long held = host.counter("ipv4", "rx.reassembly.held_bytes");
            assertTrue(held <= MAX_BYTES, "bytes held " + held);
            assertTrue(host.counter("ipv4", "rx.reassembly.incomplete") <= SOURCES.length * 3);
        }
        assertTrue(wrong.isEmpty(), wrong::toString);
        assertTrue(host.counter("ipv4", "rx.reassembled") <= lastFragments, "one datagram per last fragment at most");
        assertTrue(delivered[0] <= host.counter("ipv4", "rx.reassembled") + lastFragments);

        host.loop.runFor(TIMEOUT.plusSeconds(1));
        assertEquals(0, host.counter("ipv4", "rx.reassembly.held_bytes"), "nothing held after the timeout");
        assertEquals(0, host.counter("ipv4", "rx.reassembly.incomplete"));
        // Time exceeded messages, sent on timeouts, wait for ARP, which gives up.
        host.loop.runFor(Duration.ofMinutes(5));
        assertEquals(0, host.loop.pendingTimers(), "no timer left");
    }

    /** The byte at {@code offset} of datagram {@code id}. */
    static byte patternByte(int id, int offset) {
        return (byte) (offset * 7 + id * 31 + (offset >>> 8));
    }
}
