package org.tcpip4j.udp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tcpip4j.ip.IcmpError;
import org.tcpip4j.ip.IpProtocol;
import org.tcpip4j.netif.InternetChecksum;
import org.tcpip4j.netif.IpAddress;
import org.tcpip4j.netif.Ipv4Address;
import org.tcpip4j.netif.Ipv6Address;
import org.tcpip4j.netif.loop.StackContext;
import org.tcpip4j.netif.loop.VirtualTimeEventLoop;
import org.tcpip4j.testsupport.AllocationMeter;
import org.tcpip4j.udp.Udp;
import org.tcpip4j.udp.UdpCallback;
import org.tcpip4j.udp.internal.wire.UdpPacket;

/**
 * UDP over IPv6 beside IPv4: the IPv6 pseudo-header, the mandatory checksum (RFC 8200
 * 8.1), listeners on one version or both, Packet Too Big, and no allocation per datagram.
 */
class UdpIpv6Test {

    private static final Ipv6Address OURS6 = Ipv6Address.parse("2001:2::1");
    private static final Ipv6Address PEER6 = Ipv6Address.parse("2001:2::2");
    private static final Ipv4Address OURS4 = Ipv4Address.parse("198.18.0.1");
    private static final Ipv4Address PEER4 = Ipv4Address.parse("198.18.0.2");

    private final VirtualTimeEventLoop loop = new VirtualTimeEventLoop();
    private final CapturingIp ip = new CapturingIp(OURS6);
    private final DefaultUdp udp = new DefaultUdp(ip, StackContext.seeded(loop, 1, "test"));
    private final List<String> received = new ArrayList<>();

    private UdpCallback recording(String name) {
        return (src, dst, srcPort, payload) -> received.add(name + " " + src + ":" + srcPort + ">" + dst + " "
            + payload.remaining());
    }

    /** A datagram from port 5353 to {@code port} carrying "hi", checksummed for {@code src} to {@code dst}. */
    private static ByteBuffer datagram(IpAddress src, IpAddress dst, int port) {
        ByteBuffer b = ByteBuffer.allocate(10);
        b.put(8, (byte) 'h').put(9, (byte) 'i');
        new UdpPacket().wrap(b, 0, 10).emitHeader(5353, port, 10);
        new UdpPacket().wrap(b, 0, 10).fillChecksum(CapturingIp.pseudoheader(src, dst, IpProtocol.UDP, 10));
        return b;
    }

    private void input(IpAddress src, IpAddress dst, ByteBuffer datagram) {
        udp.input(src, dst, datagram.duplicate());
        loop.runFor(0);
    }

    private long count(String name) {
        return udp.counters().get(name);
    }

    @Test
    void aDatagramOverIpv6IsCheckedAgainstTheIpv6PseudoHeaderAndDelivered() {
        udp.listen(53, recording("dns"));
        loop.runFor(0);
        input(PEER6, OURS6, datagram(PEER6, OURS6, 53));
        assertEquals(List.of("dns 2001:2::2:5353>2001:2::1 2"), received);
        // The same bytes checksummed for IPv4 addresses fail over IPv6.
        input(PEER6, OURS6, datagram(PEER4, OURS4, 53));
        assertEquals(1, count("rx.bad_checksum"));
        assertEquals(1, received.size());
    }

    @Test
    void aZeroChecksumIsDroppedOverIpv6AndAcceptedOverIpv4() {
        udp.listen(53, recording("dns"));
        loop.runFor(0);
        ByteBuffer six = datagram(PEER6, OURS6, 53).putShort(6, (short) 0);
        input(PEER6, OURS6, six);
        assertTrue(received.isEmpty(), "RFC 8200 8.1: no checksum, no delivery");
        assertEquals(1, count("rx.zero_checksum"));
        assertTrue(ip.portUnreachable.isEmpty(), "dropped before the port is looked at");
        ByteBuffer four = datagram(PEER4, OURS4, 53).putShort(6, (short) 0);
        input(PEER4, OURS4, four);
        assertEquals(List.of("dns 198.18.0.2:5353>198.18.0.1 2"), received, "RFC 768: zero is no checksum");
        assertEquals(1, count("rx.zero_checksum"));
    }

    @Test
    void aWrittenDatagramCarriesTheIpv6ChecksumAndAComputedZeroIsSentAsOnes() throws Exception {
        ByteBuffer payload = ByteBuffer.allocate(2);
        udp.write(OURS6, 4000, PEER6, 53, -1, payload).get();
        byte[] first = ip.sent.getLast().payload();
        ByteBuffer b = ByteBuffer.wrap(first);
        assertEquals(0, InternetChecksum.finish(InternetChecksum.sum(b, 0, first.length,
            CapturingIp.pseudoheader(OURS6, PEER6, IpProtocol.UDP, first.length))), "verifies over IPv6's pseudo-header");
        // Data equal to that checksum makes the sum all ones: a computed zero.
        int checksum = b.getShort(6) & 0xffff;
        ByteBuffer zeroing = ByteBuffer.allocate(2).putShort(0, (short) checksum);
        udp.write(OURS6, 4000, PEER6, 53, -1, zeroing).get();
        ByteBuffer second = ByteBuffer.wrap(ip.sent.getLast().payload());
        assertEquals(0xffff, second.getShort(6) & 0xffff, "RFC 8200 8.1: a computed zero goes out as 0xffff");
        input(OURS6, PEER6, second);
        assertEquals(0, count("rx.zero_checksum") + count("rx.bad_checksum"), "and verifies");
    }

    @Test
    void aListenerOnOneVersionLeavesTheOtherUnreachable() {
        udp.listen(53, 4, recording("v4"));
        udp.listen(54, 6, recording("v6"));
        loop.runFor(0);
        input(PEER6, OURS6, datagram(PEER6, OURS6, 53));
        input(PEER4, OURS4, datagram(PEER4, OURS4, 54));
        assertTrue(received.isEmpty());
        assertEquals(2, ip.portUnreachable.size(), "each refused with a port unreachable");
        assertEquals(2, count("rx.no_listener"));
        input(PEER4, OURS4, datagram(PEER4, OURS4, 53));
        input(PEER6, OURS6, datagram(PEER6, OURS6, 54));
        assertEquals(List.of("v4 198.18.0.2:5353>198.18.0.1 2", "v6 2001:2::2:5353>2001:2::1 2"), received);
        assertThrows(IllegalArgumentException.class, () -> udp.listen(55, 5, recording("x")));
    }

    @Test
    void anIpv4AndAnIpv6ListenerShareAPortAndUnlistenRemovesBoth() {
        udp.listen(53, 4, recording("v4"));
        udp.listen(53, 6, recording("v6"));
        loop.runFor(0);
        assertEquals(1, udp.listenerCount());
        input(PEER4, OURS4, datagram(PEER4, OURS4, 53));
        input(PEER6, OURS6, datagram(PEER6, OURS6, 53));
        assertEquals(List.of("v4 198.18.0.2:5353>198.18.0.1 2", "v6 2001:2::2:5353>2001:2::1 2"), received);
        udp.listen(53, Udp.ANY_VERSION, recording("both"));
        loop.runFor(0);
        input(PEER6, OURS6, datagram(PEER6, OURS6, 53));
        assertEquals("both 2001:2::2:5353>2001:2::1 2", received.getLast());
        udp.unlisten(53);
        loop.runFor(0);
        assertEquals(0, udp.listenerCount());
        input(PEER4, OURS4, datagram(PEER4, OURS4, 53));
        assertEquals(1, ip.portUnreachable.size());
    }

    @Test
    void aPacketTooBigLowersThePathMtuEvenWithFragmentationOnAndReachesTheSourcePortsCallback() {
        List<IcmpError> errors = new ArrayList<>();
        udp.onError(4000, errors::add);
        loop.runFor(0);
        IcmpError tooBig = new IcmpError(IcmpError.Kind.FRAGMENTATION_NEEDED, 2, 0, 1280,
            Ipv6Address.parse("2001:2::fe"), OURS6, PEER6, IpProtocol.UDP, (4000L << 48) | (53L << 32));
        udp.icmpError(tooBig);
        assertEquals(List.of(PEER6 + " 1280"), ip.pathMtuUpdates, "IPv6 routers never fragment (RFC 8201 4)");
        assertEquals(List.of(tooBig), errors);
        // Over IPv4, with fragmentation on, a "fragmentation needed" changes nothing (RFC 1191 4).
        udp.icmpError(new IcmpError(IcmpError.Kind.FRAGMENTATION_NEEDED, 3, 4, 1000, PEER4, OURS4, PEER4,
            IpProtocol.UDP, (4000L << 48) | (53L << 32)));
        assertEquals(1, ip.pathMtuUpdates.size());
    }

    @Test
    void receivingAndSendingOverIpv6AllocateNothingPerDatagram() {
        SinkIp sink = new SinkIp(OURS6);
        DefaultUdp steady = new DefaultUdp(sink, StackContext.seeded(loop, 2, "steady"));
        long[] delivered = new long[1];
        steady.listen(53, (src, dst, srcPort, payload) -> delivered[0]++);
        loop.runFor(0);
        ByteBuffer in = datagram(PEER6, OURS6, 53);
        new UdpPacket().wrap(in, 0, 10).fillChecksum(sink.pseudoheaderChecksum(PEER6, OURS6, IpProtocol.UDP, 10));
        ByteBuffer out = ByteBuffer.allocateDirect(512);
        for (int i = 0; i < 20_000; i++) {
            steady.input(PEER6, OURS6, in.clear());
            steady.write(OURS6, 1000, PEER6, 53, -1, out);
        }
        AllocationMeter.allocatedBytes();
        long before = AllocationMeter.allocatedBytes();
        org.junit.jupiter.api.Assumptions.assumeTrue(before >= 0, "the JVM does not count allocations");
        for (int i = 0; i < 100_000; i++) {
            steady.input(PEER6, OURS6, in.clear());
            steady.write(OURS6, 1000, PEER6, 53, -1, out);
        }
        long allocated = AllocationMeter.allocatedBytes() - before;
        assertEquals(120_000, delivered[0]);
        assertTrue(allocated < 100_000, "allocated " + allocated + " bytes for 100000 datagrams each way");
    }
}
