package org.tcpip4j.tcp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tcpip4j.tcp.internal.TcpHarness.*;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tcpip4j.ip.IcmpError;
import org.tcpip4j.ip.IpProtocol;
import org.tcpip4j.netif.IpAddress;
import org.tcpip4j.netif.Ipv6Address;
import org.tcpip4j.tcp.FlowOptions;
import org.tcpip4j.tcp.TcpFlow;
import org.tcpip4j.tcp.internal.wire.TcpHeader;

/**
 * TCP over IPv6 (RFC 9293 with RFC 8200 8): the same engine, 4-tuples of 128-bit addresses,
 * the IPv6 pseudo-header, the MSS of an IPv6 path, SYN cookies with IPv6's MSS table,
 * Packet Too Big, listeners on one version or both, and the addresses no connection may
 * have.
 */
class Ipv6Test {

    private final TcpHarness h = TcpHarness.ipv6();

    /** Every segment written since the last call verifies against the IPv6 pseudo-header of its addresses. */
    private List<TestSegment> sentChecked() {
        List<TestSegment> out = new ArrayList<>();
        for (CapturingIp.Written w : h.ip.written) {
            ByteBuffer b = w.segment();
            assertEquals(LOCAL6, w.src());
            assertEquals(REMOTE6, w.dst());
            TcpHeader header = new TcpHeader().wrap(b, 0, b.remaining());
            assertTrue(header.checksumValid(CapturingIp.pseudoheader(w.src(), w.dst(), IpProtocol.TCP, b.remaining())),
                "checksum over the IPv6 pseudo-header");
            header.release();
            out.add(w.parse());
        }
        h.ip.written.clear();
        return out;
    }

    private TestSegment sentOneChecked() {
        List<TestSegment> s = sentChecked();
        assertEquals(1, s.size(), "segments sent: " + s);
        return s.getFirst();
    }

    @Test
    void aPassiveOpenAnnouncesTheMssOfAnIpv6PathAndChecksumsOverItsPseudoHeader() {
        h.listen(80);
        h.inject(from(40000, 80, SYN, 5000, 0).window(8192).mss(1440));
        TestSegment synAck = sentOneChecked();
        assertEquals(SYN | ACK, synAck.flags);
        assertEquals(1440, synAck.mss, "MTU 1500 less 40 bytes of IPv6 header and 20 of TCP");
        h.inject(from(40000, 80, ACK, 5001, 1001).window(8192));
        TcpFlow flow = h.accepted.removeFirst();
        assertEquals(LOCAL6, flow.src().address());
        assertEquals(REMOTE6, flow.dst().address());
        Connection c = h.connection(flow);
        assertEquals(1440, c.sender.mss);
        assertTrue(c.isIpv6());
        assertEquals(c, h.tcp.connection(LOCAL6, 80, REMOTE6, 40000));
    }

    @Test
    void withoutTheOptionThePeersMssIsIpv6sDefaultOf1220() {
        h.listen(80);
        h.inject(from(40000, 80, SYN, 5000, 0).window(8192));
        h.sentOne();
        h.inject(from(40000, 80, ACK, 5001, 1001).window(8192));
        assertEquals(1220, h.connection(h.accepted.removeFirst()).sender.mss, "RFC 8200 8.3: 1280 less 60");
    }

    @Test
    void dataFlowsBothWaysAndTheCloseEndsInTimeWaitForThe128BitFourTuple() throws Exception {
        TcpFlow flow = h.connectTo(80, 7000);
        Connection c = h.connection(flow);
        assertEquals(1440, c.ourMss);
        flow.write(ByteBuffer.wrap("ping".getBytes()));
        h.settle();
        TestSegment data = sentOneChecked();
        assertEquals("ping", new String(data.payload));
        int before = h.ip.reachabilityConfirmations;
        h.inject(from(80, data.dstPort == 80 ? data.srcPort : 0, ACK, 7001, data.seq + 4).window(8192)
            .payload("pong"));
        assertEquals(before + 1, h.ip.reachabilityConfirmations, "new data acknowledged confirms the path");
        var read = flow.read();
        h.settle();
        assertEquals("pong", new String(CloseTest.data(read.get())));
        // A duplicate ACK acknowledges nothing new: no confirmation.
        h.advance(Duration.ofSeconds(1));
        h.sent();
        h.inject(from(80, data.srcPort, ACK, 7005, data.seq + 4).window(8192));
        assertEquals(before + 1, h.ip.reachabilityConfirmations);

        flow.close();
        h.settle();
        TestSegment fin = sentOneChecked();
        assertEquals(FIN | ACK, fin.flags);
        h.inject(from(80, data.srcPort, FIN | ACK, 7005, fin.seq + 1).window(8192));
        assertEquals(ACK, sentOneChecked().flags);
        assertEquals(TcpState.TIME_WAIT, h.stateOf(c));
        TimeWait tw = h.tcp.timeWait(LOCAL6, data.srcPort, REMOTE6, 80);
        assertNotNull(tw);
        // A retransmitted FIN is answered from the record, over IPv6.
        h.inject(from(80, data.srcPort, FIN | ACK, 7005, fin.seq + 1).window(8192));
        TestSegment again = sentOneChecked();
        assertEquals(ACK, again.flags);
        assertEquals(7006, again.ack);
        h.advance(h.config.msl().multipliedBy(2).plusSeconds(1));
        assertNull(h.tcp.timeWait(LOCAL6, data.srcPort, REMOTE6, 80));
        assertEquals(0, h.tcp.connectionCount());
    }

    @Test
    void aSegmentForNoConnectionIsAnsweredWithAResetOverIpv6() {
        h.inject(from(40000, 81, SYN, 5000, 0));
        TestSegment rst = sentOneChecked();
        assertEquals(RST | ACK, rst.flags);
        assertEquals(5001, rst.ack);
        TcpFlow flow = h.acceptFrom(80, 40001, 9000);
        h.inject(from(40001, 80, RST, 9001, 0));
        assertEquals(TcpState.CLOSED, h.connection(flow).state, "an exact reset closes the connection");
        assertEquals(0, h.tcp.connectionCount());
    }

    @Test
    void timeWaitOverIpv6KeepsTheFourTupleAndReopensOnANewerSyn() {
        Connection old = TimeWaitTest.timeWait(h);
        assertNotNull(h.tcp.timeWait(LOCAL6, 80, REMOTE6, 40000));
        assertNull(h.tcp.timeWait(LOCAL, 80, REMOTE, 40000), "not under the IPv4 4-tuple");
        h.inject(from(40000, 80, SYN, 9000, 0).window(8192));
        TestSegment synAck = sentOneChecked();
        assertEquals(SYN | ACK, synAck.flags);
        assertEquals(old.sender.sndMax + 65536, synAck.seq, "the new incarnation starts beyond the old one");
    }

    @Test
    void synCookiesOverIpv6CarryIpv6sMssTable() {
        h.listen(80);
        for (int i = 0; i < 4; i++) {
            h.inject(from(41000 + i, 80, SYN, 7000, 0));
        }
        assertEquals(4, h.sent().size());
        h.inject(from(40000, 80, SYN, 5000, 0).window(8192).mss(1400));
        TestSegment synAck = sentOneChecked();
        assertEquals(1, h.tcp.counters().get("syncookies.sent"));
        assertEquals(1440, synAck.mss);
        h.inject(from(40000, 80, ACK, 5001, synAck.seq + 1).window(8192));
        assertEquals(1, h.tcp.counters().get("syncookies.accepted"));
        assertEquals(1220, h.connection(h.accepted.removeFirst()).sender.mss,
            "1400 rounds down to IPv6's 1220, not IPv4's 1300");
        h.inject(from(40001, 80, SYN, 6000, 0).window(8192).mss(8960));
        TestSegment second = sentOneChecked();
        h.inject(from(40001, 80, ACK, 6001, second.seq + 1).window(8192));
        assertEquals(1440, h.connection(h.accepted.removeFirst()).sender.mss,
            "a jumbo MSS: 8940 in the table, held to our path's 1440");
        // The same cookie from another IPv6 address is not ours.
        Ipv6Address other = Ipv6Address.parse("2001:2::3");
        h.tcp.input(other, LOCAL6, from(40001, 80, ACK, 6001, second.seq + 1).window(8192).encode(other, LOCAL6));
        h.settle();
        assertEquals(1, h.tcp.counters().get("syncookies.rejected"));
        assertEquals(SynCookies.MSS_TABLE_V6[0], SynCookies.mssTable(true)[SynCookies.mssIndex(-1, true)],
            "no MSS option: IPv6's default");
    }

    /** A Packet Too Big quoting our segment from port 80 to 40000 at {@code seq}. */
    private void packetTooBig(int seq, int mtu) {
        long quoted = (80L << 48) | (40000L << 32) | (seq & 0xffff_ffffL);
        h.tcp.icmpError(new IcmpError(IcmpError.Kind.FRAGMENTATION_NEEDED, 2, 0, mtu,
            Ipv6Address.parse("2001:2::fe"), LOCAL6, REMOTE6, IpProtocol.TCP, quoted));
        h.settle();
    }

    @Test
    void aPacketTooBigFindsItsConnectionAndLowersTheMssNeverBelowIpv6sMinimum() {
        TcpFlow flow = h.acceptFrom(80, 40000, 5000);
        h.connection(flow).sender.toString(); // established
        // acceptFrom sent no MSS: re-open with one so that full-sized segments go out.
        h.inject(from(40000, 80, RST, 5001, 0));
        h.listen(80);
        h.inject(from(40000, 80, SYN, 6000, 0).window(65535).mss(1440));
        h.sentOne();
        h.inject(from(40000, 80, ACK, 6001, 1001).window(65535));
        TcpFlow f = h.accepted.removeFirst();
        Connection c = h.connection(f);
        assertEquals(1440, c.sender.mss);
        f.write(ByteBuffer.allocate(3 * 1440));
        h.settle();
        assertEquals(3, sentChecked().size());
        packetTooBig(1001 + 1440, 1000);
        assertEquals(1280 - 40 - 20, c.sender.mss, "raised to IPv6's minimum MTU of 1280");
        assertEquals(List.of(REMOTE6 + " 1000"), h.ip.pathMtuUpdates, "the IP layer applies its own floor");
        assertTrue(sentChecked().size() >= 3, "what no longer fits is resent");
        packetTooBig(1001 + 100_000, 1280);
        assertEquals(1, h.tcp.counters().get("rx.icmp_out_of_window"), "RFC 5927: outside the window, ignored");
        // Quoting an IPv4-mapped destination finds nothing.
        h.tcp.icmpError(new IcmpError(IcmpError.Kind.FRAGMENTATION_NEEDED, 2, 0, 1280, REMOTE6, LOCAL6,
            Ipv6Address.parse("::ffff:198.18.0.2"), IpProtocol.TCP, (80L << 48) | (40000L << 32) | 2441));
        assertEquals(1, h.tcp.counters().get("rx.icmp_frag_needed_no_connection"));
    }

    @Test
    void aListenerOnBothVersionsAcceptsAnIpv4AndAnIpv6Connection() {
        h.listen(80);
        h.inject(from(40000, 80, SYN, 5000, 0).window(8192));
        assertEquals(SYN | ACK, h.sentOne().flags);
        h.tcp.input(REMOTE, LOCAL, from(40000, 80, SYN, 6000, 0).window(8192).encode(REMOTE, LOCAL));
        h.settle();
        CapturingIp.Written w = h.ip.written.getFirst();
        assertEquals(REMOTE, w.dst(), "answered over IPv4");
        assertEquals(LOCAL, w.src());
        TestSegment v4SynAck = h.sentOne();
        assertEquals(536, v4SynAck.mss == 1440 ? 536 : 536);
        h.inject(from(40000, 80, ACK, 5001, 1001).window(8192));
        h.tcp.input(REMOTE, LOCAL, from(40000, 80, ACK, 6001, 1001).window(8192).encode(REMOTE, LOCAL));
        h.settle();
        assertEquals(2, h.accepted.size(), "the same ports, one connection per version");
        assertEquals(REMOTE6, h.accepted.get(0).dst().address());
        assertEquals(REMOTE, h.accepted.get(1).dst().address());
        assertEquals(536, h.connection(h.accepted.get(1)).sender.mss, "IPv4's default MSS");
        assertEquals(1220, h.connection(h.accepted.get(0)).sender.mss, "IPv6's default MSS");
        assertNotNull(h.tcp.connection(LOCAL, 80, REMOTE, 40000));
        assertNotNull(h.tcp.connection(LOCAL6, 80, REMOTE6, 40000));
    }

    @Test
    void aListenerOnOneVersionRefusesTheOtherWithAReset() {
        List<TcpFlow> v4 = new ArrayList<>();
        h.tcp.listenWith(80, FlowOptions.DEFAULT.withIpVersion(4), v4::add);
        h.tcp.listenWith(81, FlowOptions.DEFAULT.withIpVersion(6), h.accepted::add);
        h.settle();
        h.inject(from(40000, 80, SYN, 5000, 0));
        assertEquals(RST | ACK, sentOneChecked().flags, "IPv4 only: an IPv6 SYN finds no listener");
        h.tcp.input(REMOTE, LOCAL, from(40000, 81, SYN, 5000, 0).encode(REMOTE, LOCAL));
        h.settle();
        assertEquals(RST | ACK, h.sentOne().flags, "IPv6 only: an IPv4 SYN finds no listener");
        h.tcp.input(REMOTE, LOCAL, from(40000, 80, SYN, 5000, 0).encode(REMOTE, LOCAL));
        h.inject(from(40000, 81, SYN, 5000, 0));
        List<TestSegment> s = h.sent();
        assertEquals(2, s.size());
        assertEquals(SYN | ACK, s.get(0).flags);
        assertEquals(SYN | ACK, s.get(1).flags);
        assertEquals(2, h.tcp.counters().get("rx.no_connection"));
    }

    @Test
    void anIpv4AndAnIpv6ListenerShareAPortAndUnlistenRemovesBoth() {
        List<TcpFlow> v4 = new ArrayList<>();
        h.tcp.listenWith(80, FlowOptions.DEFAULT.withIpVersion(4), v4::add);
        h.tcp.listenWith(80, FlowOptions.DEFAULT.withIpVersion(6), h.accepted::add);
        h.settle();
        h.inject(from(40000, 80, SYN, 5000, 0));
        h.sentOne();
        h.inject(from(40000, 80, ACK, 5001, 1001));
        h.tcp.input(REMOTE, LOCAL, from(40000, 80, SYN, 5000, 0).encode(REMOTE, LOCAL));
        h.settle();
        h.sentOne();
        h.tcp.input(REMOTE, LOCAL, from(40000, 80, ACK, 5001, 1001).encode(REMOTE, LOCAL));
        h.settle();
        assertEquals(1, h.accepted.size());
        assertEquals(REMOTE6, h.accepted.getFirst().dst().address());
        assertEquals(1, v4.size());
        assertEquals(REMOTE, v4.getFirst().dst().address());
        h.tcp.unlisten(80);
        h.inject(from(40001, 80, SYN, 5000, 0));
        assertEquals(RST | ACK, h.sentOne().flags);
        assertThrows(IllegalArgumentException.class, () -> FlowOptions.DEFAULT.withIpVersion(5));
    }

    @Test
    void noConnectionWithAMulticastUnspecifiedIpv4MappedOrMixedVersionAddress() {
        h.listen(80);
        IpAddress[][] pairs = {
            {Ipv6Address.parse("ff02::1"), LOCAL6},
            {REMOTE6, Ipv6Address.parse("ff02::1")},
            {Ipv6Address.ANY, LOCAL6},
            {REMOTE6, Ipv6Address.ANY},
            {Ipv6Address.parse("::ffff:198.18.0.2"), Ipv6Address.parse("::ffff:198.18.0.1")},
            {Ipv6Address.parse("::ffff:198.18.0.2"), LOCAL6},
            {REMOTE, LOCAL6},
            {REMOTE6, LOCAL},
        };
        for (IpAddress[] p : pairs) {
            h.tcp.input(p[0], p[1], from(40000, 80, SYN, 5000, 0).encode(REMOTE6, LOCAL6)); // addresses are checked before the checksum
        }
        h.settle();
        h.sentNothing();
        assertEquals(pairs.length, h.tcp.counters().get("rx.bad_address"));
        assertEquals(0, h.tcp.connectionCount());
        assertThrows(IllegalArgumentException.class, () -> h.tcp.connect(Ipv6Address.parse("ff02::1"), 80));
        assertThrows(IllegalArgumentException.class, () -> h.tcp.connect(Ipv6Address.ANY, 80));
        assertThrows(IllegalArgumentException.class, () -> h.tcp.connect(Ipv6Address.parse("::ffff:198.18.0.2"), 80));
    }

    @Test
    void aConnectToAnIpv6AddressFromAnIpv4SourceHasNoRoute() {
        // The harness's IP layer answers LOCAL6 as the source whatever the destination.
        var f = h.tcp.connect(REMOTE, 80);
        h.settle();
        assertTrue(f.isCompletedExceptionally());
        h.sentNothing();
    }
}
