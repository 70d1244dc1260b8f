package org.tcpip4j.ipv6.internal.nd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.tcpip4j.ipv6.internal.nd.NdBench.HEX;
import static org.tcpip4j.ipv6.internal.nd.NdBench.NONE;
import static org.tcpip4j.ipv6.internal.nd.NdBench.OUR_IP;
import static org.tcpip4j.ipv6.internal.nd.NdBench.OUR_LL;
import static org.tcpip4j.ipv6.internal.nd.NdBench.PEER_IP;
import static org.tcpip4j.ipv6.internal.nd.NdBench.PEER_LL;
import static org.tcpip4j.ipv6.internal.nd.NdBench.PEER_MAC;
import static org.tcpip4j.ipv6.internal.nd.NdBench.ROUTER_LL;
import static org.tcpip4j.ipv6.internal.nd.NdBench.bytes;

import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tcpip4j.netif.Ipv6Address;

/** The wire forms of RFC 4861 4 and RFC 3810 5, and every validity check of 6.1, 7.1 and 8.1. */
class NdMessageTest {

    private static final Ipv6Address SOLICITED = OUR_IP.solicitedNode();
    private static final Ipv6Address PREFIX = Ipv6Address.parse("2001:2:0:1::");

    private static NdParseResult parse(byte[] b, Ipv6Address src, Ipv6Address dst, int hopLimit) {
        ByteBuffer buf = ByteBuffer.allocate(b.length + 3).position(3);
        buf.put(b).position(3);
        return NdMessage.parse(buf, src, dst, hopLimit);
    }

    private static void roundTrip(NdMessage m, Ipv6Address src, Ipv6Address dst, int hopLimit) {
        byte[] b = bytes(m);
        assertEquals(m.length(), b.length);
        assertEquals(m, parse(b, src, dst, hopLimit));
    }

    @Test
    void everyMessageParsesBackToItself() {
        roundTrip(new NdMessage.RouterSolicitation(PEER_MAC.bits()), PEER_LL, Ipv6Address.ALL_ROUTERS, 255);
        roundTrip(new NdMessage.RouterSolicitation(NONE), Ipv6Address.ANY, Ipv6Address.ALL_ROUTERS, 255);
        roundTrip(new NdMessage.RouterAdvertisement(64, true, false, 1800, 30_000, 1000, PEER_MAC.bits(), 1400,
            List.of(new NdMessage.PrefixInformation(PREFIX, 64, true, true, 86400, 14400),
                new NdMessage.PrefixInformation(Ipv6Address.parse("2001:2:0:2::"), 48, false, true,
                    NdMessage.INFINITE, NdMessage.INFINITE))), ROUTER_LL, Ipv6Address.ALL_NODES, 255);
        roundTrip(new NdMessage.NeighborSolicitation(OUR_IP, PEER_MAC.bits(), NONE), PEER_IP, SOLICITED, 255);
        roundTrip(new NdMessage.NeighborSolicitation(OUR_IP, NONE, 0x1234_5678_9abcL), Ipv6Address.ANY, SOLICITED,
            255);
        roundTrip(new NdMessage.NeighborAdvertisement(true, true, false, PEER_IP, PEER_MAC.bits()), PEER_IP, OUR_IP,
            255);
        roundTrip(new NdMessage.NeighborAdvertisement(false, false, true, PEER_IP, NONE), PEER_IP,
            Ipv6Address.ALL_NODES, 255);
        roundTrip(new NdMessage.Redirect(PEER_LL, NdBench.OFF_LINK, PEER_MAC.bits(), 48), ROUTER_LL, OUR_IP, 255);
        roundTrip(new NdMessage.Redirect(PEER_IP, PEER_IP, NONE, 0), ROUTER_LL, OUR_IP, 255);
        roundTrip(new NdMessage.MldQuery(1, 10_000, Ipv6Address.ANY), ROUTER_LL, Ipv6Address.ALL_NODES, 1);
        roundTrip(new NdMessage.MldQuery(2, 10_000, Ipv6Address.ANY), ROUTER_LL, Ipv6Address.ALL_NODES, 1);
        roundTrip(new NdMessage.MldQuery(2, 0x1000L << 10, Ipv6Address.ANY), ROUTER_LL, Ipv6Address.ALL_NODES, 1);
    }

    @Test
    void aNeighborSolicitationIsWrittenAsRfc4861Draws() {
        byte[] b = bytes(new NdMessage.NeighborSolicitation(PEER_IP, 0x0200_0000_0001L, NONE));
        assertEquals("87000000" + "00000000" + "20010002000000000000000000000002" + "0101020000000001",
            HEX.formatHex(b));
        byte[] na = bytes(new NdMessage.NeighborAdvertisement(false, true, true, OUR_IP, 0x0200_0000_0001L));
        assertEquals("88000000" + "60000000" + "20010002000000000000000000000001" + "0201020000000001",
            HEX.formatHex(na));
    }

    @Test
    void theMaximumResponseCodeIsExponentialFrom32768() {
        // RFC 3810 5.1.3: 0x8000 | exp 1 | mant 0x234 = (0x1234) << (1 + 3) ms.
        byte[] q = HEX.parseHex("82000000" + "9234" + "0000" + "00000000000000000000000000000000" + "00000000");
        NdMessage.MldQuery parsed = (NdMessage.MldQuery) parse(q, ROUTER_LL, Ipv6Address.ALL_NODES, 1);
        assertEquals(0x1234L << 4, parsed.maxResponseMillis());
        assertEquals(2, parsed.version());
    }

    @Test
    void unknownOptionsAreSkippedAndTheFirstLinkLayerOptionCounts() {
        byte[] b = HEX.parseHex("87000000" + "00000000" + "20010002000000000000000000000001"
            + "2201000000000000" + "010102000000000a" + "010102000000000b");
        NdMessage.NeighborSolicitation ns = (NdMessage.NeighborSolicitation) parse(b, PEER_IP, SOLICITED, 255);
        assertEquals(0x0200_0000_000aL, ns.sourceMac());
    }

    @Test
    void aPrefixOptionOfTheWrongLengthIsSkippedAlone() {
        NdMessage.RouterAdvertisement ra = new NdMessage.RouterAdvertisement(64, false, false, 1800, 0, 0, NONE, 0,
            List.of());
        byte[] fixed = bytes(ra);
        byte[] shortPrefix = HEX.parseHex("0301400000000e10");
        byte[] b = new byte[fixed.length + shortPrefix.length];
        System.arraycopy(fixed, 0, b, 0, fixed.length);
        System.arraycopy(shortPrefix, 0, b, fixed.length, shortPrefix.length);
        assertEquals(ra, parse(b, ROUTER_LL, Ipv6Address.ALL_NODES, 255));
    }

    // ---------------------------------------------------------------- rejections

    private static void rejected(NdRejection expected, byte[] b, Ipv6Address src, Ipv6Address dst, int hopLimit) {
        assertEquals(expected, parse(b, src, dst, hopLimit));
    }

    private static byte[] ns(Ipv6Address target, long sllao) {
        return bytes(new NdMessage.NeighborSolicitation(target, sllao, NONE));
    }

    @Test
    void aHopLimitOtherThan255IsRejectedForEveryNdMessage() {
        rejected(NdRejection.HOP_LIMIT, ns(OUR_IP, PEER_MAC.bits()), PEER_IP, SOLICITED, 254);
        rejected(NdRejection.HOP_LIMIT, bytes(new NdMessage.NeighborAdvertisement(false, true, true, PEER_IP, NONE)),
            PEER_IP, OUR_IP, 254);
        rejected(NdRejection.HOP_LIMIT, bytes(new NdMessage.RouterSolicitation(NONE)), PEER_LL,
            Ipv6Address.ALL_ROUTERS, 1);
        rejected(NdRejection.HOP_LIMIT, bytes(new NdMessage.RouterAdvertisement(64, false, false, 1800, 0, 0, NONE, 0,
            List.of())), ROUTER_LL, Ipv6Address.ALL_NODES, 254);
        rejected(NdRejection.HOP_LIMIT, bytes(new NdMessage.Redirect(PEER_LL, NdBench.OFF_LINK, NONE, 0)), ROUTER_LL,
            OUR_IP, 64);
    }

    @Test
    void aCodeOtherThan0IsRejected() {
        byte[] b = ns(OUR_IP, PEER_MAC.bits());
        b[1] = 1;
        rejected(NdRejection.CODE, b, PEER_IP, SOLICITED, 255);
        byte[] na = bytes(new NdMessage.NeighborAdvertisement(false, true, true, PEER_IP, NONE));
        na[1] = 1;
        rejected(NdRejection.CODE, na, PEER_IP, OUR_IP, 255);
    }

    @Test
    void messagesShorterThanTheirFixedPartAreRejected() {
        rejected(NdRejection.TOO_SHORT, java.util.Arrays.copyOf(ns(OUR_IP, NONE), 23), PEER_IP, SOLICITED, 255);
        rejected(NdRejection.TOO_SHORT, java.util.Arrays.copyOf(bytes(
            new NdMessage.NeighborAdvertisement(false, false, true, PEER_IP, NONE)), 20), PEER_IP, OUR_IP, 255);
        rejected(NdRejection.TOO_SHORT, HEX.parseHex("85000000"), PEER_LL, Ipv6Address.ALL_ROUTERS, 255);
        rejected(NdRejection.TOO_SHORT, HEX.parseHex("860000004000070800000000"), ROUTER_LL, Ipv6Address.ALL_NODES,
            255);
        rejected(NdRejection.TOO_SHORT, java.util.Arrays.copyOf(bytes(new NdMessage.Redirect(PEER_LL,
            NdBench.OFF_LINK, NONE, 0)), 39), ROUTER_LL, OUR_IP, 255);
        rejected(NdRejection.TOO_SHORT, HEX.parseHex("870000"), PEER_IP, SOLICITED, 255);
    }

    @Test
    void anOptionOfLengthZeroDropsTheWholeMessage() {
        byte[] b = HEX.parseHex("87000000" + "00000000" + "20010002000000000000000000000001" + "0100020000000002");
        rejected(NdRejection.OPTION_LENGTH, b, PEER_IP, SOLICITED, 255);
        // An unknown option of length 0 too, and one running past the end.
        rejected(NdRejection.OPTION_LENGTH, HEX.parseHex("87000000" + "00000000"
            + "20010002000000000000000000000001" + "2200000000000000"), PEER_IP, SOLICITED, 255);
        rejected(NdRejection.OPTION_LENGTH, HEX.parseHex("87000000" + "00000000"
            + "20010002000000000000000000000001" + "0102020000000002"), PEER_IP, SOLICITED, 255);
        rejected(NdRejection.OPTION_LENGTH, HEX.parseHex("87000000" + "00000000"
            + "20010002000000000000000000000001" + "01"), PEER_IP, SOLICITED, 255);
    }

    @Test
    void aLinkLayerOptionNotOfEthernetsLengthIsRejected() {
        rejected(NdRejection.LINK_LAYER_OPTION, HEX.parseHex("87000000" + "00000000"
            + "20010002000000000000000000000001" + "0102020000000002" + "0000000000000000"), PEER_IP, SOLICITED, 255);
    }

    @Test
    void aMulticastTargetIsRejected() {
        rejected(NdRejection.MULTICAST_TARGET, ns(SOLICITED, PEER_MAC.bits()), PEER_IP, SOLICITED, 255);
        rejected(NdRejection.MULTICAST_TARGET, bytes(new NdMessage.NeighborAdvertisement(false, false, true,
            Ipv6Address.ALL_NODES, NONE)), PEER_IP, OUR_IP, 255);
        rejected(NdRejection.MULTICAST_TARGET, bytes(new NdMessage.Redirect(Ipv6Address.parse("ff02::5"),
            Ipv6Address.parse("ff02::5"), NONE, 0)), ROUTER_LL, OUR_IP, 255);
    }

    @Test
    void aSolicitationFromUnspecifiedMustGoToASolicitedNodeGroupWithoutLinkLayerAddress() {
        rejected(NdRejection.UNSPECIFIED_NOT_SOLICITED_NODE, ns(OUR_IP, NONE), Ipv6Address.ANY, OUR_IP, 255);
        rejected(NdRejection.UNSPECIFIED_NOT_SOLICITED_NODE, ns(OUR_IP, NONE), Ipv6Address.ANY,
            Ipv6Address.ALL_NODES, 255);
        rejected(NdRejection.UNSPECIFIED_WITH_LLAO, ns(OUR_IP, PEER_MAC.bits()), Ipv6Address.ANY, SOLICITED, 255);
        rejected(NdRejection.UNSPECIFIED_WITH_LLAO, bytes(new NdMessage.RouterSolicitation(PEER_MAC.bits())),
            Ipv6Address.ANY, Ipv6Address.ALL_ROUTERS, 255);
        assertInstanceOf(NdMessage.NeighborSolicitation.class, parse(ns(OUR_IP, NONE), Ipv6Address.ANY, SOLICITED,
            255));
    }

    @Test
    void aSolicitedAdvertisementToMulticastIsRejected() {
        rejected(NdRejection.SOLICITED_TO_MULTICAST, bytes(new NdMessage.NeighborAdvertisement(false, true, true,
            PEER_IP, NONE)), PEER_IP, Ipv6Address.ALL_NODES, 255);
    }

    @Test
    void routerAdvertisementsRedirectsAndQueriesMustComeFromLinkLocal() {
        rejected(NdRejection.SOURCE_NOT_LINK_LOCAL, bytes(new NdMessage.RouterAdvertisement(64, false, false, 1800,
            0, 0, NONE, 0, List.of())), PEER_IP, Ipv6Address.ALL_NODES, 255);
        rejected(NdRejection.SOURCE_NOT_LINK_LOCAL, bytes(new NdMessage.Redirect(PEER_LL, NdBench.OFF_LINK, NONE, 0)),
            PEER_IP, OUR_IP, 255);
        rejected(NdRejection.SOURCE_NOT_LINK_LOCAL, bytes(new NdMessage.MldQuery(2, 1000, Ipv6Address.ANY)),
            PEER_IP, Ipv6Address.ALL_NODES, 1);
    }

    @Test
    void aRedirectsTargetIsLinkLocalOrTheDestination() {
        rejected(NdRejection.REDIRECT_TARGET, bytes(new NdMessage.Redirect(PEER_IP, NdBench.OFF_LINK, NONE, 0)),
            ROUTER_LL, OUR_IP, 255);
    }

    @Test
    void mldQueriesNeedHopLimit1AndAValidLength() {
        rejected(NdRejection.MLD_HOP_LIMIT, bytes(new NdMessage.MldQuery(2, 1000, Ipv6Address.ANY)), ROUTER_LL,
            Ipv6Address.ALL_NODES, 2);
        byte[] q = java.util.Arrays.copyOf(bytes(new NdMessage.MldQuery(2, 1000, Ipv6Address.ANY)), 26);
        rejected(NdRejection.MLD_QUERY_LENGTH, q, ROUTER_LL, Ipv6Address.ALL_NODES, 1);
        rejected(NdRejection.TOO_SHORT, java.util.Arrays.copyOf(q, 20), ROUTER_LL, Ipv6Address.ALL_NODES, 1);
    }

    @Test
    void otherIcmpv6TypesAreNotNeighborDiscovery() {
        rejected(NdRejection.UNKNOWN_TYPE, HEX.parseHex("8000000000000000"), PEER_IP, OUR_IP, 64);
        rejected(NdRejection.TOO_SHORT, new byte[0], PEER_IP, OUR_IP, 255);
    }

    @Test
    void otherListenersReportsAreRecognisedAndLeftAlone() {
        assertEquals(new NdMessage.MldReport(143), parse(HEX.parseHex("8f00000000000000"), PEER_LL,
            Mld.ALL_MLDV2_ROUTERS, 1));
        assertEquals(OUR_LL, OUR_LL.withoutZone());
    }
}
