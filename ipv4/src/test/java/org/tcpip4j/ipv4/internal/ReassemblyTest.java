package org.tcpip4j.ipv4.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tcpip4j.ipv4.internal.Datagrams.datagram;
import static org.tcpip4j.ipv4.internal.Datagrams.pattern;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.tcpip4j.ip.IpHandler;
import org.tcpip4j.ipv4.Ipv4Config;
import org.tcpip4j.ipv4.internal.wire.Ipv4Packet;
import org.tcpip4j.netif.Ipv4Address;
import org.tcpip4j.netif.Ipv4Cidr;
import org.tcpip4j.netif.MacAddress;
import org.tcpip4j.netif.loop.StackContext;
import org.tcpip4j.netif.loop.VirtualTimeEventLoop;

class ReassemblyTest {

    private static final Ipv4Address A = Ipv4Address.parse("198.18.0.1");
    private static final Ipv4Address B = Ipv4Address.parse("198.18.0.2");
    private static final long SECOND = 1_000_000_000L;

    private final VirtualTimeEventLoop loop = new VirtualTimeEventLoop();
    private final List<byte[]> delivered = new ArrayList<>();
    private final IpHandler udp = (src, dst, payload) -> {
        byte[] b = new byte[payload.remaining()];
        payload.get(payload.position(), b);
        delivered.add(b);
    };

    private DefaultIpv4 receiver(int maxFragments, int maxBytes) {
        return new DefaultIpv4(new CapturingEthernet(MacAddress.parse("02:00:00:00:00:02"), 1500), new ScriptedArp(),
                new Ipv4Config(List.of(new Ipv4Cidr(B, 24)), null, 64, Duration.ofSeconds(30), maxFragments, maxBytes,
                        maxBytes, 16, Duration.ofMinutes(10)),
                StackContext.seeded(loop, 2, "b"));
    }

    private final DefaultIpv4 b = receiver(64, 1 << 20);

    /** The fragments another layer sends for {@code payload} on a link of {@code mtu}. */
    private List<byte[]> fragmentsOf(byte[] payload, int mtu, long seed) {
        return fragmentsOf(payload, mtu, seed, 17);
    }

    /** The fragments another layer sends for {@code payload} of {@code protocol}. */
    private List<byte[]> fragmentsOf(byte[] payload, int mtu, long seed, int protocol) {
        CapturingEthernet link = new CapturingEthernet(MacAddress.parse("02:00:00:00:00:01"), mtu);
        ScriptedArp arp = new ScriptedArp();
        arp.resolve(B, MacAddress.parse("02:00:00:00:00:02"));
        DefaultIpv4 a = new DefaultIpv4(link, arp, Ipv4Config.of(new Ipv4Cidr(A, 24)),
                StackContext.seeded(loop, seed, "a"));
        a.write(B, protocol, payload.length, (buf, off, max) -> {
            buf.put(off, payload, 0, max);
            return max;
        });
        return link.frames.stream().map(CapturingEthernet.Frame::payload).toList();
    }

    private void input(DefaultIpv4 ip, byte[] datagram) {
        ip.input(ByteBuffer.wrap(datagram.clone()), null, udp, null);
    }

    private long count(String name) {
        return b.counters().get(name);
    }

    @Test
    void fragmentsInOrderReassembleIntoTheOriginalPayload() {
        byte[] payload = pattern(4000, 1);
        List<byte[]> fragments = fragmentsOf(payload, 1500, 1);
        assertEquals(3, fragments.size());
        fragments.forEach(f -> input(b, f));
        assertEquals(1, delivered.size());
        assertArrayEquals(payload, delivered.get(0));
        assertEquals(0, b.incompleteDatagrams());
        assertEquals(1, count("rx.reassembled"));
    }

    @Test
    void shuffledAndDuplicatedFragmentsReassembleExactlyOnce() {
        for (long seed = 1; seed <= 25; seed++) {
            delivered.clear();
            byte[] payload = pattern(9000 + (int) seed * 37, (int) seed);
            List<byte[]> fragments = new ArrayList<>(fragmentsOf(payload, 576, seed));
            Random r = new Random(seed);
            for (int i = 0; i < 4; i++) {
                fragments.add(fragments.get(r.nextInt(fragments.size())));
            }
            Collections.shuffle(fragments, r);
            fragments.forEach(f -> input(b, f));
            assertEquals(1, delivered.size(), "seed " + seed);
            assertArrayEquals(payload, delivered.get(0), "seed " + seed);
            // A duplicate that came after completion starts a reassembly that times out.
            loop.runFor(30 * SECOND);
            assertEquals(0, b.incompleteDatagrams());
        }
        assertTrue(count("rx.reassembly.duplicates") > 0);
    }

    @Test
    void interleavedDatagramsAreReassembledApart() {
        byte[] p1 = pattern(3000, 1);
        byte[] p2 = pattern(3000, 2);
        List<byte[]> f1 = fragmentsOf(p1, 1500, 1);
        List<byte[]> f2 = fragmentsOf(p2, 1500, 2);
        for (int i = 0; i < f1.size(); i++) {
            input(b, f1.get(i));
            input(b, f2.get(f2.size() - 1 - i));
        }
        assertEquals(2, delivered.size());
        assertArrayEquals(p1, delivered.get(0));
        assertArrayEquals(p2, delivered.get(1));
    }

    @Test
    void otherProtocolsGetTheReassembledHeaderWithItsFragmentFieldsCleared() {
        byte[] payload = pattern(3000, 3);
        List<String> seen = new ArrayList<>();
        for (byte[] f : fragmentsOf(payload, 1500, 3, 1)) {
            b.input(ByteBuffer.wrap(f), null, null, (protocol, src, dst, header, p) -> {
                Ipv4Packet h = new Ipv4Packet().wrap(header, header.position(), header.remaining() + p.remaining());
                seen.add(protocol + " " + h.isFragment() + " " + h.totalLength() + " " + h.checksumValid() + " "
                        + header.remaining() + " " + p.remaining());
            });
        }
        assertEquals(List.of("1 false 3020 true 20 3000"), seen);
    }

    @Test
    void anOverlappingFragmentDiscardsTheWholeDatagram() {
        byte[] payload = pattern(24, 4);
        input(b, datagram(A, B, 17, 99, 0, true, java.util.Arrays.copyOfRange(payload, 0, 16)));
        input(b, datagram(A, B, 17, 99, 8, true, java.util.Arrays.copyOfRange(payload, 8, 16)));
        assertEquals(1, count("rx.reassembly.overlaps"));
        assertEquals(0, b.incompleteDatagrams());
        input(b, datagram(A, B, 17, 99, 16, false, java.util.Arrays.copyOfRange(payload, 16, 24)));
        assertTrue(delivered.isEmpty());
    }

    @Test
    void aLastFragmentThatDisagreesWithTheDatagramsLengthDiscardsIt() {
        input(b, datagram(A, B, 17, 5, 0, true, new byte[16]));
        input(b, datagram(A, B, 17, 5, 8, false, new byte[8]));
        assertEquals(1, count("rx.reassembly.overlaps"));
        input(b, datagram(A, B, 17, 6, 16, false, new byte[8]));
        input(b, datagram(A, B, 17, 6, 16, true, new byte[8]));
        assertEquals(1, count("rx.reassembly.duplicates"), "same range counts as a duplicate");
        input(b, datagram(A, B, 17, 6, 24, true, new byte[8]));
        assertEquals(2, count("rx.reassembly.overlaps"));
        assertTrue(delivered.isEmpty());
    }

    @Test
    void anIncompleteDatagramIsDroppedAfterTheTimeout() {
        List<byte[]> fragments = fragmentsOf(pattern(4000, 5), 1500, 5);
        input(b, fragments.get(0));
        input(b, fragments.get(1));
        loop.runFor(30 * SECOND - 1);
        assertEquals(1, b.incompleteDatagrams());
        loop.runFor(1);
        assertEquals(0, b.incompleteDatagrams());
        assertEquals(1, count("rx.reassembly.timeouts"));
        input(b, fragments.get(2));
        assertTrue(delivered.isEmpty());
        assertEquals(1, b.incompleteDatagrams());
    }

    @Test
    void theTimeoutIsCancelledWhenTheDatagramCompletes() {
        fragmentsOf(pattern(4000, 6), 1500, 6).forEach(f -> input(b, f));
        assertEquals(0, loop.pendingTimers());
    }

    @Test
    void fragmentsBeyondTheByteLimitDiscardTheirDatagram() {
        DefaultIpv4 small = receiver(64, 2400);
        List<byte[]> fragments = fragmentsOf(pattern(4000, 7), 1500, 7);
        input(small, fragments.get(0));
        input(small, fragments.get(1));
        assertEquals(0, small.incompleteDatagrams());
        assertEquals(1, small.counters().get("rx.reassembly.byte_limit"));
        byte[] fits = pattern(1990, 8);
        fragmentsOf(fits, 1500, 8).forEach(f -> input(small, f));
        assertEquals(1, delivered.size(), "the bytes of the discarded datagram were released");
    }

    @Test
    void moreFragmentsThanTheLimitDiscardTheDatagram() {
        DefaultIpv4 strict = receiver(2, 1 << 20);
        fragmentsOf(pattern(4000, 9), 1500, 9).forEach(f -> input(strict, f));
        assertTrue(delivered.isEmpty());
        assertEquals(1, strict.counters().get("rx.reassembly.too_many_fragments"));
    }

    @Test
    void malformedFragmentsAreDropped() {
        input(b, datagram(A, B, 17, 1, 0, true, new byte[12]));
        input(b, datagram(A, B, 17, 2, 0, true, new byte[0]));
        input(b, datagram(A, B, 17, 3, 65_528, false, new byte[8]));
        assertEquals(3, count("rx.reassembly.malformed"));
        assertEquals(0, b.incompleteDatagrams());
    }

    @Test
    void disconnectDropsIncompleteDatagramsAndTheirTimers() {
        input(b, fragmentsOf(pattern(4000, 10), 1500, 10).get(0));
        b.disconnect();
        assertEquals(0, b.incompleteDatagrams());
        assertEquals(0, loop.pendingTimers());
    }
}
