package org.tcpip4j.ipv6.internal.nd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tcpip4j.ipv6.internal.nd.NdBench.NONE;
import static org.tcpip4j.ipv6.internal.nd.NdBench.OUR_MAC;
import static org.tcpip4j.ipv6.internal.nd.NdBench.PEER_MAC;
import static org.tcpip4j.ipv6.internal.nd.NdBench.ROUTER_LL;
import static org.tcpip4j.ipv6.internal.nd.NdBench.ROUTER_MAC;
import static org.tcpip4j.ipv6.internal.nd.NdBench.SECOND;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tcpip4j.ipv6.Ipv6AddressInfo;
import org.tcpip4j.ipv6.Ipv6AddressInfo.State;
import org.tcpip4j.ipv6.Ipv6Config;
import org.tcpip4j.netif.Ipv6Address;
import org.tcpip4j.netif.Ipv6Cidr;

/** Stateless address autoconfiguration (RFC 4862 5.5.3) with RFC 7217's stable identifiers. */
class SlaacTest {

    private static final byte[] SECRET = new byte[16];
    private static final byte[] OTHER_SECRET = new byte[16];
    private static final Ipv6Address PREFIX = Ipv6Address.parse("2001:2:0:1::");

    static {
        Arrays.fill(SECRET, (byte) 7);
        Arrays.fill(OTHER_SECRET, (byte) 8);
    }

    private static Ipv6Config config(byte[] secret, int dadTransmits) {
        return Ipv6Config.slaacOnly().withStableSecret(secret).withDadTransmits(dadTransmits);
    }

    private static NdMessage.RouterAdvertisement ra(NdMessage.PrefixInformation... prefixes) {
        return new NdMessage.RouterAdvertisement(64, false, false, 1800, 0, 0, ROUTER_MAC.bits(), 0, List.of(prefixes));
    }

    private static NdMessage.PrefixInformation prefix(long valid, long preferred) {
        return new NdMessage.PrefixInformation(PREFIX, 64, true, true, valid, preferred);
    }

    private static void advertise(NdBench b, NdMessage.PrefixInformation... prefixes) {
        b.input(ROUTER_LL, Ipv6Address.ALL_NODES, 255, ra(prefixes));
    }

    private static Ipv6Address slaacAddress(NdBench b) {
        List<Ipv6AddressInfo> list = b.slaacAddresses();
        assertEquals(1, list.size(), list.toString());
        return list.getFirst().cidr().address();
    }

    @Test
    void anAdvertisedPrefixGivesAnAddressWithAStableOpaqueIdentifier() {
        NdBench b = new NdBench(config(SECRET, 0)).started(1);
        advertise(b, prefix(86400, 14400));
        Ipv6AddressInfo info = b.slaacAddresses().getFirst();
        Ipv6Address a = info.cidr().address();
        assertEquals(64, info.cidr().prefix());
        assertEquals(PREFIX.high(), a.high());
        assertEquals(InterfaceIds.stable(PREFIX.high(), OUR_MAC.bits(), 0, SECRET), a.low());
        assertNotEquals(InterfaceIds.modifiedEui64(OUR_MAC.bits()), a.low(), "not derived from the MAC alone");
        assertEquals(State.PREFERRED, info.state());
        assertEquals(14400 * SECOND, info.preferredLifetimeNanos());
        assertEquals(86400 * SECOND, info.validLifetimeNanos());
        assertTrue(b.ndp.isLocal(a));
        assertEquals(1, b.count("slaac.addresses"));
        assertTrue(b.ndp.onLinkPrefixes().contains(Ipv6Cidr.parse("2001:2:0:1::/64")));
        // The same advertisement again forms nothing new.
        advertise(b, prefix(86400, 14400));
        assertEquals(1, b.slaacAddresses().size());
    }

    @Test
    void theIdentifierIsTheSameForTheSameSecretAndDiffersForAnother() {
        NdBench one = new NdBench(config(SECRET, 0), 1, OUR_MAC).started(1);
        NdBench two = new NdBench(config(SECRET, 0), 99, OUR_MAC).started(1);
        NdBench other = new NdBench(config(OTHER_SECRET, 0), 1, OUR_MAC).started(1);
        NdBench otherMac = new NdBench(config(SECRET, 0), 1, PEER_MAC).started(1);
        for (NdBench b : List.of(one, two, other, otherMac)) {
            advertise(b, prefix(86400, 14400));
        }
        assertEquals(slaacAddress(one), slaacAddress(two));
        assertNotEquals(slaacAddress(one), slaacAddress(other));
        assertNotEquals(slaacAddress(one), slaacAddress(otherMac));
        // Another prefix gives an unrelated identifier (RFC 7217 5: not the same one in every network).
        NdBench b = new NdBench(config(SECRET, 0)).started(1);
        b.input(ROUTER_LL, Ipv6Address.ALL_NODES, 255, ra(new NdMessage.PrefixInformation(
            Ipv6Address.parse("2001:2:0:2::"), 64, true, true, 86400, 14400)));
        assertNotEquals(slaacAddress(one).low(), slaacAddress(b).low());
    }

    @Test
    void withoutAConfiguredSecretOneIsDrawnFromTheStacksSecrets() {
        NdBench one = new NdBench(Ipv6Config.slaacOnly().withDadTransmits(0), 1, OUR_MAC).started(1);
        NdBench two = new NdBench(Ipv6Config.slaacOnly().withDadTransmits(0), 2, OUR_MAC).started(1);
        advertise(one, prefix(86400, 14400));
        advertise(two, prefix(86400, 14400));
        assertNotEquals(slaacAddress(one), slaacAddress(two));
    }

    @Test
    void anAddressIsDeprecatedWhenItsPreferredLifetimeEndsAndRemovedWithItsValidOne() {
        NdBench b = new NdBench(config(SECRET, 0)).started(1);
        advertise(b, prefix(20, 10));
        Ipv6Address a = slaacAddress(b);
        b.loop.runFor(10 * SECOND - 1);
        assertEquals(State.PREFERRED, b.info(a).state());
        b.loop.runFor(1);
        assertEquals(State.DEPRECATED, b.info(a).state());
        assertTrue(b.ndp.isLocal(a), "a deprecated address still receives");
        assertEquals(a, b.ndp.sourceFor(a), "and is the source of datagrams to itself");
        b.loop.runFor(10 * SECOND);
        assertTrue(b.slaacAddresses().isEmpty());
        assertTrue(!b.ndp.isLocal(a));
        assertTrue(!b.ndp.isLocal(a.solicitedNode()), "its solicited-node group is left");
        assertTrue(b.ndp.onLinkPrefixes().isEmpty(), "the on-link prefix went with its valid lifetime too");
    }

    @Test
    void aNewPreferredLifetimeMakesADeprecatedAddressPreferredAgain() {
        NdBench b = new NdBench(config(SECRET, 0)).started(1);
        advertise(b, prefix(3600, 0));
        Ipv6Address a = slaacAddress(b);
        assertEquals(State.DEPRECATED, b.info(a).state(), "preferred lifetime 0: deprecated at once");
        advertise(b, prefix(3600, 600));
        assertEquals(State.PREFERRED, b.info(a).state());
        assertEquals(600 * SECOND, b.info(a).preferredLifetimeNanos());
    }

    @Test
    void theTwoHourRuleKeepsAShortAdvertisedValidLifetimeFromCuttingTheAddress() {
        NdBench b = new NdBench(config(SECRET, 0)).started(1);
        advertise(b, prefix(3 * 3600, 3600));
        Ipv6Address a = slaacAddress(b);
        b.loop.runFor(60 * SECOND);
        // (e) 3: a short lifetime when more than two hours remain: two hours.
        advertise(b, prefix(60, 60));
        assertEquals(7200 * SECOND, b.info(a).validLifetimeNanos());
        b.loop.runFor(60 * SECOND);
        // (e) 2: two hours or less remain: the short lifetime is ignored.
        advertise(b, prefix(60, 60));
        assertEquals(7140 * SECOND, b.info(a).validLifetimeNanos());
        // (e) 1: more than two hours, or more than remains: taken.
        advertise(b, prefix(4 * 3600, 60));
        assertEquals(4 * 3600 * SECOND, b.info(a).validLifetimeNanos());
        advertise(b, prefix(NdMessage.INFINITE, NdMessage.INFINITE));
        assertEquals(Long.MAX_VALUE, b.info(a).validLifetimeNanos());
        // A valid lifetime of 0 cannot remove the address either.
        advertise(b, prefix(0, 0));
        assertEquals(7200 * SECOND, b.info(a).validLifetimeNanos());
        assertEquals(State.DEPRECATED, b.info(a).state());
    }

    @Test
    void aPrefixWithValidLifetime0FormsNothingAndRemovesTheOnLinkPrefix() {
        NdBench b = new NdBench(config(SECRET, 0)).started(1);
        advertise(b, prefix(0, 0));
        assertTrue(b.slaacAddresses().isEmpty());
        assertTrue(b.ndp.onLinkPrefixes().isEmpty());
        advertise(b, new NdMessage.PrefixInformation(PREFIX, 64, true, false, 600, 600));
        assertEquals(List.of(Ipv6Cidr.parse("2001:2:0:1::/64")), b.ndp.onLinkPrefixes());
        assertTrue(b.slaacAddresses().isEmpty(), "A flag clear: on-link only");
        advertise(b, new NdMessage.PrefixInformation(PREFIX, 64, true, false, 0, 0));
        assertTrue(b.ndp.onLinkPrefixes().isEmpty());
    }

    @Test
    void invalidPrefixesAreIgnored() {
        NdBench b = new NdBench(config(SECRET, 0)).started(1);
        advertise(b, new NdMessage.PrefixInformation(PREFIX, 64, false, true, 600, 700)); // preferred > valid
        advertise(b, new NdMessage.PrefixInformation(PREFIX, 48, false, true, 600, 600)); // not a /64
        advertise(b, new NdMessage.PrefixInformation(Ipv6Address.parse("fe80::"), 64, true, true, 600, 600));
        advertise(b, new NdMessage.PrefixInformation(Ipv6Address.parse("ff02::"), 64, true, true, 600, 600));
        assertTrue(b.slaacAddresses().isEmpty());
        assertTrue(b.ndp.onLinkPrefixes().isEmpty());
        assertEquals(4, b.count("slaac.prefixes_ignored"));
        assertTrue(b.ndp.addressInfo().stream().noneMatch(i -> i.cidr().address().isMulticast()),
            "no multicast address of ours");
    }

    @Test
    void withoutSlaacPrefixesAreOnLinkOnly() {
        NdBench b = new NdBench(Ipv6Config.of(List.of(), null).withDadTransmits(0)).started(1);
        advertise(b, prefix(600, 600));
        assertTrue(b.slaacAddresses().isEmpty());
        assertEquals(List.of(Ipv6Cidr.parse("2001:2:0:1::/64")), b.ndp.onLinkPrefixes());
    }

    @Test
    void aDuplicateFormsTheNextIdentifierUpToIdgenRetries() {
        NdBench b = new NdBench(config(SECRET, 1)).started(3);
        advertise(b, prefix(86400, 14400));
        for (int counter = 0; counter <= InterfaceIds.IDGEN_RETRIES; counter++) {
            Ipv6Address expected = new Ipv6Address(PREFIX.high(),
                InterfaceIds.stable(PREFIX.high(), OUR_MAC.bits(), counter, SECRET));
            Ipv6Address a = b.slaacAddresses().stream().filter(i -> i.state() == State.TENTATIVE).findFirst()
                .orElseThrow().cidr().address();
            assertEquals(expected, a, "DAD_Counter " + counter);
            b.input(Ipv6Address.ANY, a.solicitedNode(), 255, new NdMessage.NeighborSolicitation(a, NONE, 5));
        }
        List<Ipv6AddressInfo> left = b.slaacAddresses();
        assertEquals(1, left.size());
        assertEquals(State.DUPLICATE, left.getFirst().state(), "the last one stays, a duplicate");
        assertEquals(4, b.count("dad.duplicates"));
        advertise(b, prefix(86400, 14400));
        assertEquals(1, b.slaacAddresses().size(), "no new address for the prefix");
    }

    @Test
    void theNumberOfSlaacAddressesIsBounded() {
        NdBench b = new NdBench(config(SECRET, 0)).started(1);
        for (int i = 0; i < 40; i++) {
            b.input(ROUTER_LL, Ipv6Address.ALL_NODES, 255, ra(new NdMessage.PrefixInformation(
                new Ipv6Address(0x2001_0002_0000_0000L | i, 0), 64, true, true, 600, 600)));
        }
        assertEquals(16, b.slaacAddresses().size());
        assertEquals(16, b.ndp.onLinkPrefixes().size());
        assertTrue(b.count("nd.prefixes_full") > 0);
    }
}
