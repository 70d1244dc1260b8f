package org.tcpip4j.ipv6.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tcpip4j.ipv6.internal.Packets.HEX;
import static org.tcpip4j.ipv6.internal.Packets.concat;
import static org.tcpip4j.ipv6.internal.Packets.datagram;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.tcpip4j.ip.IpHandler;
import org.tcpip4j.netif.Ipv6Address;
import org.tcpip4j.testsupport.AllocationMeter;

class DefaultIpv6ReceiveTest {

    private final Fixture f = new Fixture();
    private static final Ipv6Address OURS = Fixture.OURS;
    private static final Ipv6Address PEER = Fixture.PEER;

    @Test
    void neighborDiscoveryStartsWithTheLayer() {
        assertTrue(f.nd.started);
        assertSame(f.ip.counters(), f.nd.counters);
    }

    @Test
    void datagramsForUsGoToTheHandlerOfTheirProtocol() {
        f.input(datagram(PEER, OURS, 17, HEX.parseHex("0102")));
        f.input(datagram(PEER, OURS, 6, HEX.parseHex("0304")));
        f.input(datagram(PEER, OURS, 58, HEX.parseHex("80000000")));
        assertEquals(List.of("udp 2001:2::2>2001:2::1 0102", "tcp 2001:2::2>2001:2::1 0304",
            "proto58 2001:2::2>2001:2::1 header 40 80000000"), f.delivered);
        assertEquals(3, f.count("rx.delivered"));
    }

    @Test
    void linkPaddingAfterThePayloadLengthIsTrimmed() {
        f.input(Arrays.copyOf(datagram(PEER, OURS, 17, HEX.parseHex("0102")), 60));
        assertEquals(List.of("udp 2001:2::2>2001:2::1 0102"), f.delivered);
    }

    @Test
    void malformedFixedHeadersAreCountedByReason() {
        byte[] good = datagram(PEER, OURS, 17, new byte[] {1, 2, 3, 4});
        f.input(Arrays.copyOf(good, 39));
        byte[] v4 = good.clone();
        v4[0] = 0x45;
        f.input(v4);
        f.input(Arrays.copyOf(good, 43));
        assertTrue(f.delivered.isEmpty());
        assertEquals(1, f.count("rx.too_short"));
        assertEquals(1, f.count("rx.bad_version"));
        assertEquals(1, f.count("rx.bad_payload_length"));
    }

    @Test
    void multicastAndLoopbackSourcesAreDropped() {
        f.input(datagram(Ipv6Address.ALL_NODES, OURS, 17, new byte[] {1}));
        f.input(datagram(Ipv6Address.LOOPBACK, OURS, 17, new byte[] {1}));
        f.input(datagram(Ipv6Address.ANY, OURS, 17, new byte[] {1}));
        assertTrue(f.delivered.isEmpty());
        assertEquals(3, f.count("rx.bad_source"));
    }

    @Test
    void datagramsForOtherAddressesAreCountedAndDroppedWithoutErrors() {
        f.input(datagram(PEER, Ipv6Address.parse("2001:2::3"), 17, new byte[] {1}));
        f.input(datagram(PEER, Ipv6Address.parse("ff02::fb"), 17, new byte[] {1}));
        f.input(datagram(PEER, Ipv6Address.parse("2001:2::3"), 200, new byte[] {1}));
        assertTrue(f.delivered.isEmpty());
        assertTrue(f.reports.isEmpty());
        assertEquals(3, f.count("rx.not_ours"));
    }

    @Test
    void joinedGroupsAreOurs() {
        f.input(datagram(PEER, Fixture.ALL_NODES, 17, new byte[] {1}));
        assertEquals(List.of("udp 2001:2::2>ff02::1 01"), f.delivered);
    }

    @Test
    void anUnknownNextHeaderIsAParameterProblemCode1PointingAtTheFieldThatNamedIt() {
        f.ip.input(ByteBuffer.wrap(datagram(PEER, OURS, 200, new byte[] {1})), f.transport("tcp"), null, null);
        assertEquals(List.of("4/1@6"), f.reports);
        // Behind a destination options header, the pointer names that header's next header field.
        f.ip.input(ByteBuffer.wrap(datagram(PEER, OURS, 60, concat(Packets.options(201, "010400000000"),
            new byte[] {1}))), f.transport("tcp"), null, null);
        assertEquals(List.of("4/1@6", "4/1@40"), f.reports);
        assertEquals(2, f.count("rx.no_handler"));
    }

    @Test
    void protocolAndPortUnreachableQuoteTheDatagramFromWithinTheDelivery() {
        byte[] d = datagram(PEER, OURS, 60, concat(Packets.options(17, "010400000000"), new byte[] {9, 9}));
        f.ip.input(ByteBuffer.wrap(d), f.transport("tcp"), (src, dst, payload) -> f.ip.portUnreachable(payload),
            null);
        byte[] o = datagram(PEER, OURS, 99, new byte[] {7});
        f.ip.input(ByteBuffer.wrap(o), null, null,
            (protocol, src, dst, header, payload) -> f.ip.protocolUnreachable(payload));
        f.ip.portUnreachable(ByteBuffer.wrap(d));
        assertEquals(List.of("1/4@0", "4/1@6"), f.reports);
        assertEquals(HEX.formatHex(d), HEX.formatHex(f.reported.get(0)));
        assertEquals(1, f.count("rx.undeliverable_misreported"));
    }

    // ---- hop-by-hop and destination options ----

    @Test
    void hopByHopWithPad1PadNAndRouterAlertIsAccepted() {
        // Router Alert (05 02 0000), PadN of 0 bytes (01 00).
        f.input(datagram(PEER, OURS, 0, concat(Packets.options(17, "050200000100"), new byte[] {1})));
        // Pad1 x 2, PadN of 2 zeros.
        f.input(datagram(PEER, OURS, 0, concat(Packets.options(17, "000001020000"), new byte[] {2})));
        assertEquals(List.of("udp 2001:2::2>2001:2::1 01", "udp 2001:2::2>2001:2::1 02"), f.delivered);
    }

    @Test
    void unknownOptionsFollowTheirActionBits() {
        // 00: skipped.
        f.input(datagram(PEER, OURS, 0, concat(Packets.options(17, "1e0400000000"), new byte[] {1})));
        // 01: discarded quietly.
        f.input(datagram(PEER, OURS, 0, concat(Packets.options(17, "5e0400000000"), new byte[] {2})));
        // 10: discarded, parameter problem code 2 at the option (offset 42).
        f.input(datagram(PEER, OURS, 0, concat(Packets.options(17, "9e0400000000"), new byte[] {3})));
        // 11: the same to a unicast destination...
        f.input(datagram(PEER, OURS, 60, concat(Packets.options(17, "0100de020000"), new byte[] {4})));
        // ...but quietly to a multicast one.
        f.input(datagram(PEER, Fixture.ALL_NODES, 60, concat(Packets.options(17, "de0400000000"), new byte[] {5})));
        // 10 still reports to a multicast destination.
        f.input(datagram(PEER, Fixture.ALL_NODES, 60, concat(Packets.options(17, "9e0400000000"), new byte[] {6})));
        assertEquals(List.of("udp 2001:2::2>2001:2::1 01"), f.delivered);
        assertEquals(List.of("4/2@42", "4/2@44", "4/2@42"), f.reports);
        assertEquals(2, f.count("rx.unknown_option_discarded"));
        assertEquals(3, f.count("rx.unknown_option_reported"));
    }

    @Test
    void malformedOptionsAndExcessivePaddingAreDropped() {
        // An option running past its header.
        f.input(datagram(PEER, OURS, 60, concat(Packets.options(17, "1e0800000000"), new byte[] {1})));
        // PadN whose padding is not zeros (RFC 4942).
        f.input(datagram(PEER, OURS, 60, concat(Packets.options(17, "010400000100"), new byte[] {1})));
        // Eight bytes of padding in a row.
        f.input(datagram(PEER, OURS, 60, concat(Packets.options(17, "00" + "01050000000000" + "1e0400000000"), new byte[] {1})));
        // Router Alert of the wrong length.
        f.input(datagram(PEER, OURS, 0, concat(Packets.options(17, "050300000000"), new byte[] {1})));
        assertTrue(f.delivered.isEmpty());
        assertTrue(f.reports.isEmpty());
        assertEquals(4, f.count("rx.bad_extension"));
    }

    @Test
    void aHopByHopHeaderAnywhereButFirstIsAnUnrecognizedNextHeader() {
        byte[] d = datagram(PEER, OURS, 60, concat(Packets.options(0, "010400000000"),
            Packets.options(17, "010400000000"), new byte[] {1}));
        f.input(d);
        assertTrue(f.delivered.isEmpty());
        assertEquals(List.of("4/1@40"), f.reports);
        assertEquals(1, f.count("rx.hop_by_hop_misplaced"));
    }

    @Test
    void destinationOptionsBeforeAndAfterARoutingHeaderAreWalked() {
        f.input(datagram(PEER, OURS, 60, concat(Packets.options(43, "010400000000"), Packets.routing(60, 2, 0),
            Packets.options(6, "010400000000"), new byte[] {1, 2})));
        assertEquals(List.of("tcp 2001:2::2>2001:2::1 0102"), f.delivered);
    }

    // ---- routing headers ----

    @Test
    void aRoutingHeaderWithNoSegmentsLeftIsIgnoredWhateverItsType() {
        f.input(datagram(PEER, OURS, 43, concat(Packets.routing(17, 0, 0), new byte[] {1})));
        f.input(datagram(PEER, OURS, 43, concat(Packets.routing(17, 2, 0), new byte[] {2})));
        assertEquals(List.of("udp 2001:2::2>2001:2::1 01", "udp 2001:2::2>2001:2::1 02"), f.delivered);
    }

    @Test
    void aRoutingHeaderWithSegmentsLeftIsAParameterProblemAtItsType() {
        f.input(datagram(PEER, OURS, 43, concat(Packets.routing(17, 0, 1), new byte[] {1})));
        f.input(datagram(PEER, OURS, 43, concat(Packets.routing(17, 2, 1), new byte[] {2})));
        f.input(datagram(PEER, OURS, 60, concat(Packets.options(43, "010400000000"), Packets.routing(17, 0, 3),
            new byte[] {3})));
        assertTrue(f.delivered.isEmpty());
        assertEquals(List.of("4/0@42", "4/0@42", "4/0@50"), f.reports);
        assertEquals(3, f.count("rx.routing_header"));
    }

    // ---- the chain's bounds ----

    @Test
    void noNextHeaderEndsTheDatagramQuietly() {
        f.input(datagram(PEER, OURS, 59, new byte[] {1, 2, 3}));
        f.input(datagram(PEER, OURS, 60, Packets.options(59, "010400000000")));
        assertTrue(f.delivered.isEmpty());
        assertTrue(f.reports.isEmpty());
        assertEquals(2, f.count("rx.no_next_header"));
    }

    @Test
    void moreExtensionHeadersThanTheBoundAreAParameterProblem() {
        int max = org.tcpip4j.ipv6.Ipv6Config.of(new org.tcpip4j.netif.Ipv6Cidr(OURS, 64)).maxExtensionHeaders();
        byte[] chain = new byte[0];
        for (int i = 0; i < max; i++) {
            chain = concat(chain, Packets.options(60, "010400000000"));
        }
        byte[] withinBound = chain.clone();
        withinBound[withinBound.length - 8] = 17; // the last header names UDP
        f.input(datagram(PEER, OURS, 60, concat(withinBound, new byte[] {1})));
        assertEquals(1, f.delivered.size(), "sixteen headers are walked");
        f.input(datagram(PEER, OURS, 60, concat(chain, Packets.options(17, "010400000000"), new byte[] {1})));
        assertEquals(1, f.delivered.size());
        assertEquals(1, f.count("rx.too_many_extension_headers"));
        assertEquals(List.of("4/0@" + (40 + 15 * 8)), f.reports);
    }

    @Test
    void truncatedHeadersAreMalformed() {
        // Options header claims 16 bytes, 8 present.
        byte[] h = Packets.options(17, "010400000000");
        h[1] = 1;
        f.input(datagram(PEER, OURS, 60, h));
        // One byte of a header.
        f.input(datagram(PEER, OURS, 60, new byte[] {17}));
        // A routing header cut short.
        f.input(datagram(PEER, OURS, 43, Arrays.copyOf(Packets.routing(17, 0, 1), 10)));
        // A fragment header cut short.
        f.input(datagram(PEER, OURS, 44, new byte[] {17, 0, 0, 0}));
        assertTrue(f.delivered.isEmpty());
        assertTrue(f.reports.isEmpty());
        assertEquals(4, f.count("rx.malformed"));
    }

    // ---- Neighbor Discovery ----

    @Test
    void neighborDiscoveryMessagesGoToNeighborDiscoveryWithTheirChecksumVerified() {
        Ipv6Address solicited = OURS.solicitedNode();
        byte[] ns = Packets.icmpv6(PEER, solicited, HEX.parseHex("87000000" + "00000000" + "20010002000000000000000000000001"));
        // To a group not in the local set: Neighbor Discovery still sees it (DAD, tentative addresses).
        f.input(datagram(PEER, solicited, 58, 255, ns));
        byte[] bad = ns.clone();
        bad[3] ^= 1;
        f.input(datagram(PEER, solicited, 58, 255, bad));
        // MLD report (143) behind a hop-by-hop header with Router Alert, from ::.
        byte[] report = Packets.icmpv6(Ipv6Address.ANY, Ipv6Address.parse("ff02::16"), HEX.parseHex("8f00000000000000"));
        f.input(datagram(Ipv6Address.ANY, Ipv6Address.parse("ff02::16"), 0, 1,
            concat(Packets.options(58, "050200000100"), report)));
        assertEquals(List.of("2001:2::2>ff02::1:ff00:1 hl255 " + HEX.formatHex(ns),
            "::>ff02::16 hl1 " + HEX.formatHex(report)), f.nd.inputs);
        assertEquals(1, f.count("rx.nd_bad_checksum"));
        assertEquals(2, f.count("rx.nd"));
        assertTrue(f.delivered.isEmpty());
    }

    @Test
    void otherIcmpv6MessagesGoToTheOtherHandler() {
        byte[] echo = Packets.icmpv6(PEER, OURS, HEX.parseHex("80000000abcd0001"));
        f.input(datagram(PEER, OURS, 58, echo));
        assertTrue(f.nd.inputs.isEmpty());
        assertEquals(List.of("proto58 2001:2::2>2001:2::1 header 40 " + HEX.formatHex(echo)), f.delivered);
    }

    @Test
    void neighborDiscoveryInAFragmentIsIgnored() {
        byte[] na = Packets.icmpv6(PEER, OURS, HEX.parseHex("88000000" + "60000000" + HEX.formatHex(PEER.toBytes())));
        f.input(datagram(PEER, OURS, 44, concat(Packets.fragment(58, 0, false, 5), na)));
        assertTrue(f.nd.inputs.isEmpty());
        assertEquals(1, f.count("rx.nd_fragmented"));
    }

    // ---- address objects and allocation ----

    @Test
    void aSteadyFlowReusesTheAddressObjectsAndOursComeFromNeighborDiscovery() {
        f.input(datagram(PEER, OURS, 17, new byte[] {1}));
        f.input(datagram(PEER, OURS, 17, new byte[] {2}));
        assertSame(f.sources.get(0), f.sources.get(1));
        assertEquals(PEER, f.sources.get(0));
        List<Ipv6Address> dsts = new java.util.ArrayList<>();
        f.ip.input(ByteBuffer.wrap(datagram(PEER, Ipv6Address.parse("2001:2::1"), 17, new byte[] {3})), null,
            (src, dst, payload) -> dsts.add((Ipv6Address) dst), null);
        assertSame(f.nd.cidrs.get(0).address(), dsts.get(0));
    }

    @Test
    void aSteadyTcpFlowIsReceivedWithoutAllocating() {
        ByteBuffer frame = ByteBuffer.allocateDirect(1514);
        frame.put(14, datagram(PEER, OURS, 6, Packets.pattern(1400, 1)));
        int[] got = new int[1];
        IpHandler sink = (src, dst, payload) -> got[0] += payload.remaining();
        for (int i = 0; i < 20_000; i++) {
            frame.limit(1514).position(14);
            f.ip.input(frame, sink, sink, f.other);
        }
        AllocationMeter.allocatedBytes();
        long before = AllocationMeter.allocatedBytes();
        Assumptions.assumeTrue(before >= 0, "the JVM does not count allocations");
        for (int i = 0; i < 100_000; i++) {
            frame.limit(1514).position(14);
            f.ip.input(frame, sink, sink, f.other);
        }
        long allocated = AllocationMeter.allocatedBytes() - before;
        assertTrue(allocated < 100_000, "allocated " + allocated + " bytes for 100000 datagrams");
        assertEquals(120_000, f.count("rx.delivered"));
        assertEquals(120_000 * 1400, got[0]);
    }

    @Test
    void afterDisconnectNothingIsDeliveredAndNeighborDiscoveryStops() {
        f.ip.disconnect();
        f.input(datagram(PEER, OURS, 17, new byte[] {1}));
        assertTrue(f.delivered.isEmpty());
        assertTrue(f.nd.stopped);
    }
}
