package org.tcpip4j.ipv6.internal.nd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.tcpip4j.ipv6.internal.nd.NdBench.OUR_IP;
import static org.tcpip4j.ipv6.internal.nd.NdBench.OUR_LL;
import static org.tcpip4j.ipv6.internal.nd.NdBench.PEER_LL;
import static org.tcpip4j.ipv6.internal.nd.NdBench.ROUTER_LL;
import static org.tcpip4j.ipv6.internal.nd.NdBench.ROUTER_MAC;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.tcpip4j.ipv6.Ipv6AddressInfo.State;
import org.tcpip4j.ipv6.Ipv6Config;
import org.tcpip4j.netif.Ipv6Address;
import org.tcpip4j.netif.Ipv6Cidr;

/** Source address selection (RFC 6724 5, rules 1, 2, 3 and 8). */
class SourceSelectionTest {

    private static final Ipv6Address SECOND_IP = Ipv6Address.parse("2001:2:0:1::1");

    private final NdBench bench = new NdBench(Ipv6Config.of(List.of(Ipv6Cidr.parse("2001:2::1/64"),
        Ipv6Cidr.parse("2001:2:0:1::1/64")), null).withDadTransmits(0).withSlaac(true)).started(1);

    @Test
    void theSameAddressComesFirst() {
        assertEquals(SECOND_IP, bench.ndp.sourceFor(SECOND_IP));
        assertEquals(OUR_IP, bench.ndp.sourceFor(OUR_IP));
        assertEquals(OUR_LL, bench.ndp.sourceFor(OUR_LL));
    }

    @Test
    void aLinkLocalDestinationGetsTheLinkLocalSourceAndAGlobalOneAGlobalSource() {
        assertEquals(OUR_LL, bench.ndp.sourceFor(PEER_LL));
        assertEquals(OUR_LL, bench.ndp.sourceFor(Ipv6Address.ALL_NODES));
        assertEquals(OUR_IP, bench.ndp.sourceFor(Ipv6Address.parse("2001:2::99")));
        assertEquals(OUR_IP, bench.ndp.sourceFor(Ipv6Address.parse("ff0e::1")));
    }

    @Test
    void theLongestMatchingPrefixWins() {
        assertEquals(SECOND_IP, bench.ndp.sourceFor(Ipv6Address.parse("2001:2:0:1::99")));
        assertEquals(OUR_IP, bench.ndp.sourceFor(Ipv6Address.parse("2001:2:0:0:8000::1")));
    }

    @Test
    void aDeprecatedAddressIsAvoided() {
        bench.input(ROUTER_LL, Ipv6Address.ALL_NODES, 255, new NdMessage.RouterAdvertisement(0, false, false, 0, 0, 0,
            ROUTER_MAC.bits(), 0, List.of(new NdMessage.PrefixInformation(Ipv6Address.parse("2001:2:0:2::"), 64,
                true, true, 600, 0))));
        Ipv6Address deprecated = bench.slaacAddresses().getFirst().cidr().address();
        assertEquals(State.DEPRECATED, bench.info(deprecated).state());
        Ipv6Address dst = new Ipv6Address(deprecated.high(), deprecated.low() ^ 1);
        assertEquals(OUR_IP, bench.ndp.sourceFor(dst), "a preferred address with a shorter match");
        assertEquals(deprecated, bench.ndp.sourceFor(deprecated));
    }

    @Test
    void withOnlyTheLinkLocalAddressUsableItServesEveryDestinationAndWithNoneThereIsNone() {
        NdBench b = new NdBench(Ipv6Config.of(List.of(), null).withRouterAdvertisements(false).withDadTransmits(0))
            .started(1);
        assertEquals(OUR_LL, b.ndp.sourceFor(Ipv6Address.parse("2001:2::99")));
        NdBench tentative = new NdBench(Ipv6Config.of(List.of(), null).withRouterAdvertisements(false));
        tentative.ndp.start();
        assertNull(tentative.ndp.sourceFor(PEER_LL));
    }
}
