package org.tcpip4j.ipv6.internal.nd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tcpip4j.ipv6.internal.nd.NdBench.NONE;
import static org.tcpip4j.ipv6.internal.nd.NdBench.OUR_IP;
import static org.tcpip4j.ipv6.internal.nd.NdBench.OUR_LL;
import static org.tcpip4j.ipv6.internal.nd.NdBench.OUR_MAC;
import static org.tcpip4j.ipv6.internal.nd.NdBench.PEER_IP;
import static org.tcpip4j.ipv6.internal.nd.NdBench.PEER_MAC;
import static org.tcpip4j.ipv6.internal.nd.NdBench.SECOND;
import static org.tcpip4j.ipv6.internal.nd.NdBench.na;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.tcpip4j.ipv6.Ipv6AddressInfo.Origin;
import org.tcpip4j.ipv6.Ipv6AddressInfo.State;
import org.tcpip4j.ipv6.Ipv6Config;
import org.tcpip4j.netif.Ipv6Address;
import org.tcpip4j.netif.Ipv6Cidr;
import org.tcpip4j.netif.MacAddress;

/** Duplicate Address Detection (RFC 4862 5.4) of the link-local and static addresses. */
class DadTest {

    private static Ipv6Config config(int transmits) {
        return Ipv6Config.of(List.of(Ipv6Cidr.parse("2001:2::1/64")), null).withRouterAdvertisements(false)
            .withDadTransmits(transmits);
    }

    private final NdBench bench = new NdBench(config(1));

    private NdBench.Sent dadProbe(Ipv6Address target) {
        return bench.sent(NdMessage.NEIGHBOR_SOLICITATION).stream()
            .filter(s -> ((NdMessage.NeighborSolicitation) s.message()).target().equals(target)).findFirst()
            .orElseThrow(() -> new AssertionError("no probe for " + target + " in " + bench.output.sent));
    }

    @Test
    void theLinkLocalAddressIsTheModifiedEui64OfTheMac() {
        assertEquals(OUR_LL, InterfaceIds.linkLocal(OUR_MAC.bits()));
        assertEquals(Ipv6Address.parse("fe80::5054:ff:fe12:3456"),
            InterfaceIds.linkLocal(MacAddress.parse("52:54:00:12:34:56").bits()));
    }

    @Test
    void addressesAreTentativeUntilOneSolicitationFromUnspecifiedGoesUnanswered() throws Exception {
        bench.ndp.start();
        assertEquals(State.TENTATIVE, bench.info(OUR_IP).state());
        assertEquals(State.TENTATIVE, bench.info(OUR_LL).state());
        assertFalse(bench.ndp.isLocal(OUR_IP));
        assertNull(bench.ndp.sourceFor(PEER_IP));
        assertTrue(bench.ndp.cidrs().isEmpty());
        assertFalse(bench.ndp.addressesReady().isDone());
        // The solicited-node groups are joined before the probe, on Ethernet too.
        assertTrue(bench.ndp.isLocal(OUR_IP.solicitedNode()));
        assertEquals(1, bench.ethernet.groups.get(new MacAddress(0x3333_ff00_0001L)));
        bench.loop.runFor(SECOND);
        NdBench.Sent probe = dadProbe(OUR_IP);
        assertEquals(Ipv6Address.ANY, probe.src());
        assertEquals(OUR_IP.solicitedNode(), probe.dst());
        assertEquals(0x3333_ff00_0001L, probe.dstMac());
        NdMessage.NeighborSolicitation ns = (NdMessage.NeighborSolicitation) probe.message();
        assertEquals(NONE, ns.sourceMac());
        assertNotEquals(NONE, ns.nonce(), "a nonce (RFC 7527)");
        assertTrue(probe.at() <= SECOND);
        bench.loop.runUntilTime(probe.at() + SECOND - 1);
        assertEquals(State.TENTATIVE, bench.info(OUR_IP).state());
        bench.loop.runUntilTime(probe.at() + SECOND);
        assertEquals(State.PREFERRED, bench.info(OUR_IP).state());
        bench.loop.runFor(SECOND);
        assertEquals(State.PREFERRED, bench.info(OUR_LL).state());
        assertTrue(bench.ndp.addressesReady().isDone());
        assertTrue(bench.ndp.isLocal(OUR_IP));
        assertEquals(List.of(Ipv6Cidr.parse("fe80::ff:fe00:1/64"), Ipv6Cidr.parse("2001:2::1/64")),
            bench.ndp.cidrs());
        assertEquals(2, bench.count("dad.probes"));
        assertEquals(0, bench.count("dad.duplicates"));
    }

    @Test
    void aSolicitationFromUnspecifiedForATentativeAddressMeansItIsTaken() {
        bench.ndp.start();
        bench.loop.runFor(SECOND);
        bench.input(Ipv6Address.ANY, OUR_IP.solicitedNode(), 255,
            new NdMessage.NeighborSolicitation(OUR_IP, NONE, 0x1111));
        assertEquals(State.DUPLICATE, bench.info(OUR_IP).state());
        assertEquals(1, bench.count("dad.duplicates"));
        bench.loop.runFor(3 * SECOND);
        assertEquals(State.DUPLICATE, bench.info(OUR_IP).state());
        assertTrue(bench.ndp.addressesReady().isDone(), "DAD ended, whatever it found");
        assertFalse(bench.ndp.isLocal(OUR_IP));
        // ff02::1:ff00:1 is also the link-local address's group: left once, still joined for it.
        assertTrue(bench.ndp.isLocal(OUR_IP.solicitedNode()));
        assertEquals(Mld.ROBUSTNESS, bench.sent(NdMessage.MLD_V2_REPORT).stream()
            .filter(s -> s.bytes()[8] == Mld.CHANGE_TO_EXCLUDE).count(), "one join of the shared group reported");
        assertEquals(0, bench.sent(NdMessage.MLD_V2_REPORT).stream()
            .filter(s -> s.bytes()[8] == Mld.CHANGE_TO_INCLUDE).count(), "and no leave");
        assertEquals(List.of(Ipv6Cidr.parse("fe80::ff:fe00:1/64")), bench.ndp.cidrs());
        assertTrue(bench.sent(NdMessage.NEIGHBOR_ADVERTISEMENT).isEmpty(), "a duplicate is not defended");
    }

    @Test
    void ourOwnProbeLoopedBackIsNotADuplicate() {
        bench.ndp.start();
        bench.loop.runFor(SECOND);
        NdBench.Sent probe = dadProbe(OUR_IP);
        bench.input(probe.src(), probe.dst(), 255, probe.bytes());
        assertEquals(State.TENTATIVE, bench.info(OUR_IP).state());
        assertEquals(1, bench.count("rx.dad_looped_back"));
        bench.loop.runFor(2 * SECOND);
        assertEquals(State.PREFERRED, bench.info(OUR_IP).state());
    }

    @Test
    void anAdvertisementOfATentativeAddressMeansItIsTaken() {
        bench.ndp.start();
        bench.loop.runFor(SECOND / 2);
        bench.input(PEER_IP, Ipv6Address.ALL_NODES, 255, na(OUR_IP, PEER_MAC, false, false, true));
        assertEquals(State.DUPLICATE, bench.info(OUR_IP).state());
        bench.loop.runFor(5 * SECOND);
        assertEquals(State.PREFERRED, bench.info(OUR_LL).state());
        assertEquals(State.DUPLICATE, bench.info(OUR_IP).state());
    }

    @Test
    void aResolvingSolicitationForATentativeAddressIsIgnored() {
        bench.ndp.start();
        bench.input(PEER_IP, OUR_IP.solicitedNode(), 255,
            new NdMessage.NeighborSolicitation(OUR_IP, PEER_MAC.bits(), NONE));
        assertEquals(State.TENTATIVE, bench.info(OUR_IP).state());
        assertTrue(bench.sent(NdMessage.NEIGHBOR_ADVERTISEMENT).isEmpty());
        assertTrue(bench.ndp.neighbors().isEmpty());
    }

    @Test
    void severalTransmitsGoOneRetransTimerApart() {
        NdBench b = new NdBench(config(3));
        b.ndp.start();
        b.loop.runFor(5 * SECOND);
        List<Long> times = b.sent(NdMessage.NEIGHBOR_SOLICITATION).stream()
            .filter(s -> ((NdMessage.NeighborSolicitation) s.message()).target().equals(OUR_IP))
            .map(NdBench.Sent::at).toList();
        assertEquals(3, times.size());
        assertEquals(SECOND, times.get(1) - times.get(0));
        assertEquals(SECOND, times.get(2) - times.get(1));
        assertEquals(State.PREFERRED, b.info(OUR_IP).state());
    }

    @Test
    void withNoTransmitsAddressesArePreferredAtOnce() {
        NdBench b = new NdBench(config(0));
        b.ndp.start();
        assertEquals(State.PREFERRED, b.info(OUR_IP).state());
        assertEquals(State.PREFERRED, b.info(OUR_LL).state());
        assertEquals(Origin.LINK_LOCAL, b.info(OUR_LL).origin());
        assertEquals(Origin.STATIC, b.info(OUR_IP).origin());
        assertTrue(b.ndp.addressesReady().isDone());
        b.loop.runFor(3 * SECOND);
        assertTrue(b.sent(NdMessage.NEIGHBOR_SOLICITATION).isEmpty());
    }
}
