package org.tcpip4j.ipv6.internal.nd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tcpip4j.ipv6.internal.nd.NdBench.NONE;
import static org.tcpip4j.ipv6.internal.nd.NdBench.OFF_LINK;
import static org.tcpip4j.ipv6.internal.nd.NdBench.OUR_IP;
import static org.tcpip4j.ipv6.internal.nd.NdBench.OUR_LL;
import static org.tcpip4j.ipv6.internal.nd.NdBench.OUR_MAC;
import static org.tcpip4j.ipv6.internal.nd.NdBench.PEER_IP;
import static org.tcpip4j.ipv6.internal.nd.NdBench.PEER_LL;
import static org.tcpip4j.ipv6.internal.nd.NdBench.PEER_MAC;
import static org.tcpip4j.ipv6.internal.nd.NdBench.ROUTER2_LL;
import static org.tcpip4j.ipv6.internal.nd.NdBench.ROUTER_LL;
import static org.tcpip4j.ipv6.internal.nd.NdBench.ROUTER_MAC;
import static org.tcpip4j.ipv6.internal.nd.NdBench.SECOND;
import static org.tcpip4j.ipv6.internal.nd.NdBench.na;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.tcpip4j.ipv6.Ipv6Config;
import org.tcpip4j.ipv6.Ipv6Neighbor;
import org.tcpip4j.netif.Ipv6Address;
import org.tcpip4j.netif.Ipv6Cidr;

/** Router solicitation, router advertisement processing (RFC 4861 6.3) and redirects (8.3). */
class RouterTest {

    private static final Ipv6Config STATIC = Ipv6Config.of(List.of(Ipv6Cidr.parse("2001:2::1/64")), null)
        .withDadTransmits(0);

    private static NdMessage.RouterAdvertisement ra(int lifetime) {
        return new NdMessage.RouterAdvertisement(0, false, false, lifetime, 0, 0, ROUTER_MAC.bits(), 0, List.of());
    }

    private static NdMessage.RouterAdvertisement ra(int hopLimit, int lifetime, long reachable, long retrans, long mtu) {
        return new NdMessage.RouterAdvertisement(hopLimit, false, false, lifetime, reachable, retrans,
            ROUTER_MAC.bits(), mtu, List.of());
    }

    private static void advertise(NdBench b, Ipv6Address router, NdMessage.RouterAdvertisement ra) {
        b.input(router, Ipv6Address.ALL_NODES, 255, ra);
    }

    @Test
    void routersAreSolicitedThreeTimesFourSecondsApartFromUnspecifiedUntilTheLinkLocalAddressIsUsable() {
        NdBench b = new NdBench(Ipv6Config.slaacOnly().withDadTransmits(1));
        b.ndp.start();
        b.loop.runFor(30 * SECOND);
        List<NdBench.Sent> rs = b.sent(NdMessage.ROUTER_SOLICITATION);
        assertEquals(3, rs.size());
        assertTrue(rs.get(0).at() <= SECOND);
        assertEquals(4 * SECOND, rs.get(1).at() - rs.get(0).at());
        assertEquals(4 * SECOND, rs.get(2).at() - rs.get(1).at());
        for (NdBench.Sent s : rs) {
            assertEquals(Ipv6Address.ALL_ROUTERS, s.dst());
            assertEquals(0x3333_0000_0002L, s.dstMac());
            assertEquals(255, s.hopLimit());
        }
        // The first goes before DAD of the link-local address ends: from :: and without SLLAO.
        assertEquals(Ipv6Address.ANY, rs.get(0).src());
        assertEquals(new NdMessage.RouterSolicitation(NONE), rs.get(0).message());
        assertEquals(OUR_LL, rs.get(1).src());
        assertEquals(new NdMessage.RouterSolicitation(OUR_MAC.bits()), rs.get(1).message());
        assertEquals(3, b.count("tx.rs"));
    }

    @Test
    void anAdvertisementWithARouterLifetimeEndsTheSolicitations() {
        NdBench b = new NdBench(Ipv6Config.slaacOnly().withDadTransmits(0));
        b.ndp.start();
        b.loop.runFor(2 * SECOND);
        assertEquals(1, b.sent(NdMessage.ROUTER_SOLICITATION).size());
        advertise(b, ROUTER_LL, ra(1800));
        b.loop.runFor(30 * SECOND);
        assertEquals(1, b.sent(NdMessage.ROUTER_SOLICITATION).size());
    }

    @Test
    void noSolicitationsWhenNotConfigured() {
        NdBench b = new NdBench(NdBench.staticConfig());
        b.ndp.start();
        b.loop.runFor(30 * SECOND);
        assertTrue(b.sent(NdMessage.ROUTER_SOLICITATION).isEmpty());
    }

    @Test
    void anAdvertisementSetsHopLimitReachableTimeRetransTimerAndMtu() {
        NdBench b = new NdBench(STATIC).started(1);
        assertEquals(64, b.ndp.hopLimit());
        assertEquals(1500, b.ndp.linkMtu());
        advertise(b, ROUTER_LL, ra(17, 1800, 10_000, 2_500, 1400));
        assertEquals(17, b.ndp.hopLimit());
        assertEquals(1400, b.ndp.linkMtu());
        assertEquals(2_500_000_000L, b.ndp.retransNanos());
        assertTrue(b.ndp.reachableNanos() >= 5 * SECOND && b.ndp.reachableNanos() <= 15 * SECOND);
        // Zeroes leave them alone; an MTU outside 1280..the device's is ignored.
        advertise(b, ROUTER_LL, ra(0, 1800, 0, 0, 1279));
        advertise(b, ROUTER_LL, ra(0, 1800, 0, 0, 9000));
        assertEquals(17, b.ndp.hopLimit());
        assertEquals(1400, b.ndp.linkMtu());
        assertEquals(2_500_000_000L, b.ndp.retransNanos());
        assertEquals(2, b.count("rx.ra_bad_mtu"));
        advertise(b, ROUTER_LL, ra(0, 1800, 0, 0, 1280));
        assertEquals(1280, b.ndp.linkMtu());
    }

    @Test
    void theRetransTimerAdvertisedPacesSolicitations() {
        NdBench b = new NdBench(STATIC).started(1);
        advertise(b, ROUTER_LL, ra(0, 1800, 0, 300, 0));
        b.ndp.linkAddress(PEER_IP);
        b.output.sent.clear();
        b.loop.runFor(300_000_000L);
        assertEquals(1, b.sent(NdMessage.NEIGHBOR_SOLICITATION).size());
    }

    @Test
    void theAdvertisingRouterBecomesTheDefaultRouterUntilItsLifetimeEnds() {
        NdBench b = new NdBench(STATIC).started(1);
        assertNull(b.ndp.nextHop(OFF_LINK));
        assertEquals(Optional.empty(), b.ndp.defaultRouter());
        advertise(b, ROUTER_LL, ra(10));
        assertEquals(ROUTER_LL, b.ndp.nextHop(OFF_LINK));
        assertEquals(Optional.of(ROUTER_LL), b.ndp.defaultRouter());
        assertEquals(PEER_IP, b.ndp.nextHop(PEER_IP), "on link: the static prefix");
        assertEquals(PEER_LL, b.ndp.nextHop(PEER_LL));
        Ipv6Neighbor n = b.neighbor(ROUTER_LL);
        assertEquals(Ipv6Neighbor.State.STALE, n.state());
        assertTrue(n.router());
        assertEquals(ROUTER_MAC, n.mac());
        b.loop.runFor(10 * SECOND);
        assertNull(b.ndp.nextHop(OFF_LINK));
    }

    @Test
    void aRouterLifetimeOf0RemovesTheRouter() {
        NdBench b = new NdBench(STATIC).started(1);
        advertise(b, ROUTER_LL, ra(1800));
        assertEquals(List.of(ROUTER_LL), b.ndp.routerList());
        advertise(b, ROUTER_LL, ra(0));
        assertEquals(List.of(), b.ndp.routerList());
        assertNull(b.ndp.nextHop(OFF_LINK));
    }

    @Test
    void aReachableRouterIsPreferredAndTheListIsBounded() {
        NdBench b = new NdBench(STATIC).started(1);
        advertise(b, ROUTER_LL, new NdMessage.RouterAdvertisement(0, false, false, 1800, 0, 0, NONE, 0, List.of()));
        advertise(b, ROUTER2_LL, ra(1800));
        assertEquals(List.of(ROUTER_LL, ROUTER2_LL), b.ndp.routerList());
        // The first router has no neighbor entry; the second is probably reachable (STALE).
        assertEquals(ROUTER2_LL, b.ndp.nextHop(OFF_LINK));
        for (int i = 0; i < 20; i++) {
            advertise(b, new Ipv6Address(0xfe80L << 48, 0x100 + i), ra(1800));
        }
        assertEquals(8, b.ndp.routerList().size());
        assertEquals(14, b.count("nd.routers_full"));
    }

    @Test
    void whenNoRouterIsReachableTheNextIsTriedAfterAResolutionFails() {
        NdBench b = new NdBench(STATIC).started(1);
        NdMessage.RouterAdvertisement noLla = new NdMessage.RouterAdvertisement(0, false, false, 1800, 0, 0, NONE, 0,
            List.of());
        advertise(b, ROUTER_LL, noLla);
        advertise(b, ROUTER2_LL, noLla);
        assertEquals(ROUTER_LL, b.ndp.nextHop(OFF_LINK));
        b.ndp.linkAddress(ROUTER_LL);
        b.loop.runFor(4 * SECOND);
        assertEquals(ROUTER2_LL, b.ndp.nextHop(OFF_LINK));
    }

    @Test
    void aConfiguredRouterIsAlwaysUsed() {
        NdBench b = new NdBench(Ipv6Config.of(List.of(Ipv6Cidr.parse("2001:2::1/64")), PEER_LL).withDadTransmits(0))
            .started(1);
        assertEquals(PEER_LL, b.ndp.nextHop(OFF_LINK));
        advertise(b, ROUTER_LL, ra(1800));
        assertEquals(PEER_LL, b.ndp.nextHop(OFF_LINK));
        assertEquals(Optional.of(PEER_LL), b.ndp.defaultRouter());
    }

    @Test
    void advertisementsAreIgnoredWhenNotAccepted() {
        NdBench b = new NdBench(NdBench.staticConfig()).started(1);
        advertise(b, ROUTER_LL, ra(17, 1800, 0, 0, 1400));
        assertEquals(64, b.ndp.hopLimit());
        assertEquals(1500, b.ndp.linkMtu());
        assertNull(b.ndp.nextHop(OFF_LINK));
        assertEquals(1, b.count("rx.ra_ignored"));
    }

    @Test
    void anInvalidAdvertisementIsCountedAndChangesNothing() {
        NdBench b = new NdBench(STATIC).started(1);
        b.input(PEER_IP, Ipv6Address.ALL_NODES, 255, ra(17, 1800, 0, 0, 1400));
        b.input(ROUTER_LL, Ipv6Address.ALL_NODES, 254, ra(17, 1800, 0, 0, 1400));
        assertEquals(64, b.ndp.hopLimit());
        assertNull(b.ndp.nextHop(OFF_LINK));
        assertEquals(2, b.count("rx.nd_invalid"));
        assertEquals(1, b.count(NdRejection.SOURCE_NOT_LINK_LOCAL.counterName()));
        assertEquals(1, b.count(NdRejection.HOP_LIMIT.counterName()));
    }

    @Test
    void aRouterThatAdvertisesItselfAHostLeavesTheDefaultRouterList() {
        NdBench b = new NdBench(STATIC).started(1);
        advertise(b, ROUTER_LL, ra(1800));
        b.input(ROUTER_LL, OUR_LL, 255, na(ROUTER_LL, ROUTER_MAC, false, true, true));
        assertEquals(List.of(), b.ndp.routerList());
        assertNull(b.ndp.nextHop(OFF_LINK));
    }

    // ---------------------------------------------------------------- redirects

    @Test
    void aRedirectFromTheRouterInUseSendsTheDestinationToItsTarget() {
        NdBench b = new NdBench(STATIC).started(1);
        advertise(b, ROUTER_LL, ra(1800));
        b.input(ROUTER_LL, OUR_IP, 255, new NdMessage.Redirect(ROUTER2_LL, OFF_LINK, PEER_MAC.bits(), 0));
        assertEquals(ROUTER2_LL, b.ndp.nextHop(OFF_LINK));
        Ipv6Neighbor target = b.neighbor(ROUTER2_LL);
        assertEquals(PEER_MAC, target.mac());
        assertTrue(target.router());
        assertEquals(Ipv6Neighbor.State.STALE, target.state());
        // A redirect to the destination itself says it is on link.
        Ipv6Address other = Ipv6Address.parse("2001:2:0:fe::1");
        b.input(ROUTER_LL, OUR_IP, 255, new NdMessage.Redirect(other, other, NONE, 0));
        assertEquals(other, b.ndp.nextHop(other));
        assertEquals(2, b.count("rx.redirect"));
    }

    @Test
    void aRedirectFromAnotherNodeThanTheRouterIsRejected() {
        NdBench b = new NdBench(STATIC).started(1);
        advertise(b, ROUTER_LL, ra(1800));
        b.input(PEER_LL, OUR_IP, 255, new NdMessage.Redirect(PEER_LL, OFF_LINK, PEER_MAC.bits(), 0));
        assertEquals(ROUTER_LL, b.ndp.nextHop(OFF_LINK));
        assertNull(b.neighbor(PEER_LL));
        assertEquals(1, b.count(NdRejection.REDIRECT_NOT_FROM_ROUTER.counterName()));
        assertEquals(1, b.count("rx.nd_invalid"));
    }

    @Test
    void redirectsAreIgnoredWhenNotAccepted() {
        NdBench b = new NdBench(STATIC.withRedirects(false)).started(1);
        advertise(b, ROUTER_LL, ra(1800));
        b.input(ROUTER_LL, OUR_IP, 255, new NdMessage.Redirect(ROUTER2_LL, OFF_LINK, PEER_MAC.bits(), 0));
        assertEquals(ROUTER_LL, b.ndp.nextHop(OFF_LINK));
        assertEquals(1, b.count("rx.redirect_ignored"));
    }

    @Test
    void redirectsThroughARouterGoWhenItStopsBeingOne() {
        NdBench b = new NdBench(STATIC).started(1);
        advertise(b, ROUTER_LL, ra(1800));
        advertise(b, ROUTER2_LL, ra(1800));
        b.input(ROUTER_LL, OUR_IP, 255, new NdMessage.Redirect(ROUTER2_LL, OFF_LINK, NONE, 0));
        assertEquals(ROUTER2_LL, b.ndp.nextHop(OFF_LINK));
        advertise(b, ROUTER2_LL, ra(0));
        assertEquals(ROUTER_LL, b.ndp.nextHop(OFF_LINK));
    }
}
