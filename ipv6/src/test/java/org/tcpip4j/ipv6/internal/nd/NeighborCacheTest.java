package org.tcpip4j.ipv6.internal.nd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tcpip4j.ipv6.internal.nd.NdBench.NONE;
import static org.tcpip4j.ipv6.internal.nd.NdBench.OTHER_MAC;
import static org.tcpip4j.ipv6.internal.nd.NdBench.OUR_IP;
import static org.tcpip4j.ipv6.internal.nd.NdBench.OUR_MAC;
import static org.tcpip4j.ipv6.internal.nd.NdBench.PEER_IP;
import static org.tcpip4j.ipv6.internal.nd.NdBench.PEER_MAC;
import static org.tcpip4j.ipv6.internal.nd.NdBench.SECOND;
import static org.tcpip4j.ipv6.internal.nd.NdBench.datagram;
import static org.tcpip4j.ipv6.internal.nd.NdBench.na;

import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tcpip4j.ipv6.Ipv6Neighbor.State;
import org.tcpip4j.ipv6.internal.NdOutput;
import org.tcpip4j.netif.Ipv6Address;
import org.tcpip4j.testsupport.AllocationMeter;

/** The neighbor cache's states and transitions (RFC 4861 7.2, 7.3, appendix C), driven through {@link Ndp}. */
class NeighborCacheTest {

    private NdBench bench = new NdBench(NdBench.staticConfig().withNeighborCache(4, 2));

    @BeforeEach
    void start() {
        bench.started(1);
    }

    /** Resolves PEER_IP to REACHABLE with a solicited advertisement. */
    private void resolvePeer() {
        assertEquals(NdOutput.RESOLVE, bench.ndp.linkAddress(PEER_IP));
        bench.input(PEER_IP, OUR_IP, 255, na(PEER_IP, PEER_MAC, false, true, true));
        assertEquals(State.REACHABLE, bench.state(PEER_IP));
        bench.output.sent.clear();
    }

    @Test
    void anUnknownNeighborIsSolicitedAtItsSolicitedNodeGroupAndResolvesOnASolicitedAdvertisement() {
        assertEquals(NdOutput.RESOLVE, bench.ndp.linkAddress(PEER_IP));
        assertEquals(State.INCOMPLETE, bench.state(PEER_IP));
        NdBench.Sent ns = bench.output.sent.getFirst();
        assertEquals(OUR_IP, ns.src());
        assertEquals(PEER_IP.solicitedNode(), ns.dst());
        assertEquals(0x3333_ff00_0002L, ns.dstMac());
        assertEquals(255, ns.hopLimit());
        assertEquals(new NdMessage.NeighborSolicitation(PEER_IP, OUR_MAC.bits(), NONE), ns.message());
        assertTrue(bench.ndp.hold(PEER_IP, datagram(1)));
        assertTrue(bench.ndp.hold(PEER_IP, datagram(2)));
        bench.input(PEER_IP, OUR_IP, 255, na(PEER_IP, PEER_MAC, false, true, true));
        assertEquals(State.REACHABLE, bench.state(PEER_IP));
        assertEquals(PEER_MAC.bits(), bench.ndp.linkAddress(PEER_IP));
        assertEquals(2, bench.output.transmitted.size());
        assertTrue(bench.output.transmitted.get(0).startsWith(PEER_MAC + " 60"));
        assertTrue(bench.output.transmitted.get(1).endsWith("02"));
    }

    @Test
    void anAdvertisementWithoutLinkLayerAddressLeavesAnIncompleteEntryAlone() {
        bench.ndp.linkAddress(PEER_IP);
        bench.input(PEER_IP, OUR_IP, 255, na(PEER_IP, null, false, true, true));
        assertEquals(State.INCOMPLETE, bench.state(PEER_IP));
    }

    @Test
    void anUnsolicitedAdvertisementResolvesAnIncompleteEntryToStale() {
        bench.ndp.linkAddress(PEER_IP);
        bench.input(PEER_IP, Ipv6Address.ALL_NODES, 255, na(PEER_IP, PEER_MAC, false, false, true));
        assertEquals(State.STALE, bench.state(PEER_IP));
    }

    @Test
    void resolutionFailsAfterThreeSolicitationsAndTheHeldDatagramsGoToUnresolved() {
        bench.ndp.linkAddress(PEER_IP);
        bench.ndp.hold(PEER_IP, datagram(1));
        bench.ndp.hold(PEER_IP, datagram(2));
        bench.ndp.hold(PEER_IP, datagram(3)); // past maxHeldPerNeighbor 2: datagram 1 goes
        assertEquals(1, bench.count("nd.held_dropped"));
        bench.loop.runFor(2 * SECOND + SECOND / 2);
        assertEquals(3, bench.sent(NdMessage.NEIGHBOR_SOLICITATION).size());
        assertEquals(State.INCOMPLETE, bench.state(PEER_IP));
        assertTrue(bench.output.unresolved.isEmpty());
        bench.loop.runFor(SECOND);
        assertNull(bench.state(PEER_IP));
        assertEquals(2, bench.output.unresolved.size());
        assertTrue(bench.output.unresolved.get(0).endsWith("02"));
        assertTrue(bench.output.unresolved.get(1).endsWith("03"));
        assertEquals(1, bench.count("nd.resolution_failed"));
        assertEquals(3, bench.sent(NdMessage.NEIGHBOR_SOLICITATION).size());
    }

    @Test
    void reachableBecomesStaleAfterReachableTime() {
        resolvePeer();
        long reachable = bench.ndp.reachableNanos();
        assertTrue(reachable >= 15 * SECOND && reachable <= 45 * SECOND, "ReachableTime " + reachable);
        bench.loop.runFor(reachable - 1);
        assertEquals(State.REACHABLE, bench.state(PEER_IP));
        bench.loop.runFor(1);
        assertEquals(State.STALE, bench.state(PEER_IP));
    }

    @Test
    void staleMovesToDelayOnUseAndDelayToReachableOnConfirmation() {
        resolvePeer();
        bench.loop.runFor(60 * SECOND);
        assertEquals(State.STALE, bench.state(PEER_IP));
        assertEquals(PEER_MAC.bits(), bench.ndp.linkAddress(PEER_IP));
        assertEquals(State.DELAY, bench.state(PEER_IP));
        bench.ndp.confirmReachable(PEER_IP);
        assertEquals(State.REACHABLE, bench.state(PEER_IP));
        bench.loop.runFor(6 * SECOND);
        assertEquals(State.REACHABLE, bench.state(PEER_IP));
        assertTrue(bench.output.sent.isEmpty(), "no probe: " + bench.output.sent);
    }

    @Test
    void delayMovesToProbeWithUnicastSolicitationsThenTheEntryIsDeleted() {
        resolvePeer();
        bench.loop.runFor(60 * SECOND);
        bench.ndp.linkAddress(PEER_IP);
        bench.loop.runFor(5 * SECOND);
        assertEquals(State.PROBE, bench.state(PEER_IP));
        NdBench.Sent probe = bench.output.sent.getFirst();
        assertEquals(PEER_IP, probe.dst());
        assertEquals(PEER_MAC.bits(), probe.dstMac());
        assertEquals(PEER_MAC.bits(), bench.ndp.linkAddress(PEER_IP), "PROBE still sends to the MAC known");
        bench.loop.runFor(2 * SECOND);
        assertEquals(3, bench.sent(NdMessage.NEIGHBOR_SOLICITATION).size());
        assertEquals(State.PROBE, bench.state(PEER_IP));
        bench.loop.runFor(SECOND);
        assertNull(bench.state(PEER_IP));
        assertEquals(1, bench.count("nd.unreachable"));
    }

    @Test
    void aSolicitedAdvertisementInProbeMakesTheEntryReachable() {
        resolvePeer();
        bench.loop.runFor(60 * SECOND);
        bench.ndp.linkAddress(PEER_IP);
        bench.loop.runFor(5 * SECOND);
        bench.input(PEER_IP, OUR_IP, 255, na(PEER_IP, null, false, true, false));
        assertEquals(State.REACHABLE, bench.state(PEER_IP));
        bench.loop.runFor(3 * SECOND);
        assertEquals(State.REACHABLE, bench.state(PEER_IP));
    }

    @Test
    void anUnsolicitedAdvertisementWithoutOverrideOfAnotherAddressOnlyMakesReachableStale() {
        resolvePeer();
        bench.input(PEER_IP, Ipv6Address.ALL_NODES, 255, na(PEER_IP, OTHER_MAC, false, false, false));
        assertEquals(State.STALE, bench.state(PEER_IP));
        assertEquals(PEER_MAC, bench.neighbor(PEER_IP).mac(), "not overridden");
    }

    @Test
    void anUnsolicitedAdvertisementWithOverrideReplacesTheAddressAndMakesTheEntryStale() {
        resolvePeer();
        bench.input(PEER_IP, Ipv6Address.ALL_NODES, 255, na(PEER_IP, OTHER_MAC, false, false, true));
        assertEquals(State.STALE, bench.state(PEER_IP));
        assertEquals(OTHER_MAC, bench.neighbor(PEER_IP).mac());
    }

    @Test
    void anUnsolicitedAdvertisementOfTheSameAddressChangesNothing() {
        resolvePeer();
        bench.input(PEER_IP, Ipv6Address.ALL_NODES, 255, na(PEER_IP, PEER_MAC, false, false, true));
        assertEquals(State.REACHABLE, bench.state(PEER_IP));
    }

    @Test
    void anAdvertisementForAnUnknownNeighborCreatesNothing() {
        bench.input(PEER_IP, Ipv6Address.ALL_NODES, 255, na(PEER_IP, PEER_MAC, false, false, true));
        assertTrue(bench.ndp.neighbors().isEmpty());
    }

    @Test
    void aSolicitationForUsIsAnsweredAndItsSourceIsLearnedStale() {
        bench.input(PEER_IP, OUR_IP.solicitedNode(), 255,
            new NdMessage.NeighborSolicitation(OUR_IP, PEER_MAC.bits(), NONE));
        assertEquals(State.STALE, bench.state(PEER_IP));
        assertEquals(PEER_MAC, bench.neighbor(PEER_IP).mac());
        NdBench.Sent na = bench.output.sent.getFirst();
        assertEquals(OUR_IP, na.src());
        assertEquals(PEER_IP, na.dst());
        assertEquals(PEER_MAC.bits(), na.dstMac());
        assertEquals(new NdMessage.NeighborAdvertisement(false, true, true, OUR_IP, OUR_MAC.bits()), na.message());
        // A second solicitation from another MAC updates the entry (RFC 4861 7.2.3).
        bench.input(PEER_IP, OUR_IP, 255, new NdMessage.NeighborSolicitation(OUR_IP, OTHER_MAC.bits(), NONE));
        assertEquals(OTHER_MAC, bench.neighbor(PEER_IP).mac());
        assertEquals(2, bench.count("tx.na"));
    }

    @Test
    void aSolicitationForAnotherAddressIsIgnored() {
        bench.input(PEER_IP, PEER_IP.solicitedNode(), 255,
            new NdMessage.NeighborSolicitation(Ipv6Address.parse("2001:2::77"), PEER_MAC.bits(), NONE));
        assertTrue(bench.output.sent.isEmpty());
        assertEquals(1, bench.count("rx.ns_not_for_us"));
    }

    @Test
    void aSolicitationFromUnspecifiedForOurAddressIsDefendedToAllNodes() {
        bench.input(Ipv6Address.ANY, OUR_IP.solicitedNode(), 255, new NdMessage.NeighborSolicitation(OUR_IP, NONE,
            0x42));
        NdBench.Sent na = bench.output.sent.getFirst();
        assertEquals(Ipv6Address.ALL_NODES, na.dst());
        assertEquals(new NdMessage.NeighborAdvertisement(false, false, true, OUR_IP, OUR_MAC.bits()), na.message());
    }

    @Test
    void theCacheIsBoundedAndEvictsAStaleEntryFirst() {
        resolvePeer();
        Ipv6Address stale = Ipv6Address.parse("2001:2::10");
        bench.input(stale, OUR_IP, 255, new NdMessage.NeighborSolicitation(OUR_IP, OTHER_MAC.bits(), NONE));
        assertEquals(State.STALE, bench.state(stale));
        bench.ndp.linkAddress(Ipv6Address.parse("2001:2::11"));
        bench.ndp.linkAddress(Ipv6Address.parse("2001:2::12"));
        assertEquals(4, bench.ndp.neighbors().size());
        bench.ndp.linkAddress(Ipv6Address.parse("2001:2::13"));
        assertEquals(4, bench.ndp.neighbors().size());
        assertNull(bench.state(stale), "the stale entry went first, though the reachable one is older");
        assertEquals(State.REACHABLE, bench.state(PEER_IP));
        assertEquals(1, bench.count("nd.cache_evictions"));
        // Then the least recently used one not INCOMPLETE, before any INCOMPLETE one.
        bench.ndp.linkAddress(Ipv6Address.parse("2001:2::14"));
        assertNull(bench.state(PEER_IP));
        bench.ndp.linkAddress(Ipv6Address.parse("2001:2::15"));
        assertNull(bench.state(Ipv6Address.parse("2001:2::11")));
        assertEquals(4, bench.ndp.neighbors().size());
    }

    @Test
    void theRouterFlagOfAnAdvertisementIsKept() {
        bench.ndp.linkAddress(PEER_IP);
        bench.input(PEER_IP, OUR_IP, 255, na(PEER_IP, PEER_MAC, true, true, true));
        assertTrue(bench.neighbor(PEER_IP).router());
        bench.input(PEER_IP, OUR_IP, 255, na(PEER_IP, PEER_MAC, false, true, true));
        assertFalse(bench.neighbor(PEER_IP).router());
    }

    @Test
    void multicastNextHopsMapTo3333AndTheLowBitsOfTheGroup() {
        assertEquals(0x3333_0000_0001L, bench.ndp.linkAddress(Ipv6Address.ALL_NODES));
        assertEquals(0x3333_ff00_0002L, bench.ndp.linkAddress(PEER_IP.solicitedNode()));
        assertEquals(0x3333_1234_5678L, bench.ndp.linkAddress(Ipv6Address.parse("ff0e::1234:5678")));
        assertTrue(bench.ndp.neighbors().isEmpty());
    }

    @Test
    void holdForANeighborNotBeingResolvedDropsAtOnce() {
        assertFalse(bench.ndp.hold(PEER_IP, datagram(1)));
        assertEquals(1, bench.count("nd.held_dropped"));
    }

    @Test
    void theOutputPathAllocatesNothingForAKnownNeighbor() {
        resolvePeer();
        Ipv6Address dst = Ipv6Address.parse("2001:2::2");
        for (int i = 0; i < 20_000; i++) {
            bench.ndp.linkAddress(bench.ndp.nextHop(dst));
            bench.ndp.isLocal(OUR_IP);
            bench.ndp.sourceFor(dst);
        }
        long before = AllocationMeter.allocatedBytes();
        org.junit.jupiter.api.Assumptions.assumeTrue(before >= 0, "the JVM does not count allocations");
        long sum = 0;
        for (int i = 0; i < 100_000; i++) {
            sum += bench.ndp.linkAddress(bench.ndp.nextHop(dst));
            sum += bench.ndp.isLocal(OUR_IP) ? 1 : 0;
            sum += bench.ndp.sourceFor(dst).low();
            sum += bench.ndp.linkAddress(Ipv6Address.ALL_NODES);
        }
        long allocated = AllocationMeter.allocatedBytes() - before;
        assertTrue(sum != 0);
        assertTrue(allocated < 100_000, "allocated " + allocated + " bytes for 100000 lookups");
        assertEquals(List.of(), bench.output.sent);
    }
}
