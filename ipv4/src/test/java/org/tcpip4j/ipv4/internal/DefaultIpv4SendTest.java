package org.tcpip4j.ipv4.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tcpip4j.ipv4.internal.Datagrams.HEX;
import static org.tcpip4j.ipv4.internal.Datagrams.pattern;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.tcpip4j.ip.IpError;
import org.tcpip4j.ipv4.Ipv4Config;
import org.tcpip4j.ipv4.Ipv4Provider;
import org.tcpip4j.ipv4.internal.wire.Ipv4Header;
import org.tcpip4j.ipv4.internal.wire.Ipv4Packet;
import org.tcpip4j.netif.InternetChecksum;
import org.tcpip4j.netif.Ipv4Address;
import org.tcpip4j.netif.Ipv4Cidr;
import org.tcpip4j.netif.MacAddress;
import org.tcpip4j.netif.PacketWriter;
import org.tcpip4j.netif.Result;
import org.tcpip4j.netif.loop.Secrets;
import org.tcpip4j.netif.loop.StackContext;
import org.tcpip4j.netif.loop.VirtualTimeEventLoop;
import org.tcpip4j.testsupport.AllocationMeter;

class DefaultIpv4SendTest {

    private static final Ipv4Address OURS = Ipv4Address.parse("198.18.0.1");
    private static final Ipv4Address PEER = Ipv4Address.parse("198.18.0.2");
    private static final Ipv4Address PEER2 = Ipv4Address.parse("198.18.0.3");
    private static final Ipv4Address GATEWAY = Ipv4Address.parse("198.18.0.254");
    /** Off-link: outside OURS/24 and the second subnet below, inside 198.18.0.0/15. */
    private static final Ipv4Address FAR = Ipv4Address.parse("198.19.0.9");
    private static final MacAddress OUR_MAC = MacAddress.parse("02:00:00:00:00:01");
    private static final MacAddress PEER_MAC = MacAddress.parse("02:00:00:00:00:02");
    private static final MacAddress GATEWAY_MAC = MacAddress.parse("02:00:00:00:00:fe");
    /** The first identification of UDP to PEER from a layer whose context is seeded with 1. */
    private static final int FIRST_ID = firstId(1, PEER, 17);

    private static int firstId(long seed, Ipv4Address dst, int protocol) {
        return new Identifications(Secrets.deterministic(seed)).next(OURS.bits(), dst.bits(), protocol);
    }

    private final VirtualTimeEventLoop loop = new VirtualTimeEventLoop();
    private final CapturingEthernet ethernet = new CapturingEthernet(OUR_MAC, 1500);
    private final ScriptedArp arp = new ScriptedArp();
    private final DefaultIpv4 ip = layer(Ipv4Config.of(new Ipv4Cidr(OURS, 24), GATEWAY));

    private DefaultIpv4 layer(Ipv4Config config) {
        return new DefaultIpv4(ethernet, arp, config, StackContext.seeded(loop, 1, "test"));
    }

    private static PacketWriter bytes(byte[] payload) {
        return (buf, off, max) -> {
            int n = Math.min(max, payload.length);
            buf.put(off, payload, 0, n);
            return n;
        };
    }

    private long count(String name) {
        return ip.counters().get(name);
    }

    private String expectedHeader(int total, int id, String flagsOffset, int ttl, int protocol, Ipv4Address dst) {
        byte[] h = HEX.parseHex(String.format("4500%04x%04x%s%02x%02x0000%s%s", total, id, flagsOffset, ttl, protocol,
                HEX.formatHex(OURS.toBytes()), HEX.formatHex(dst.toBytes())));
        ByteBuffer b = ByteBuffer.wrap(h);
        b.putShort(10, (short) InternetChecksum.compute(b, 0, 20));
        return HEX.formatHex(h);
    }

    @Test
    void aDatagramToAResolvedNeighbourIsWrittenStraightIntoTheFrame() {
        arp.resolve(PEER, PEER_MAC);
        Result<IpError> r = ip.write(PEER, 17, 4, bytes(HEX.parseHex("cafebabe")));
        assertTrue(r.isOk());
        assertEquals(1, ethernet.frames.size());
        CapturingEthernet.Frame f = ethernet.frames.get(0);
        assertEquals(PEER_MAC, f.dst());
        assertEquals(0x0800, f.etherType());
        assertEquals(expectedHeader(24, FIRST_ID, "0000", 64, 17, PEER) + "cafebabe", HEX.formatHex(f.payload()));
        assertEquals(1, count("tx.packets"));
    }

    @Test
    void theIdentificationCountsUpAndDfAndTtlFollowTheCaller() {
        arp.resolve(PEER, PEER_MAC);
        ip.write(PEER, 17, 1, bytes(new byte[] {9}));
        ip.write(null, PEER, 17, 7, false, 1, bytes(new byte[] {9}));
        assertEquals(expectedHeader(21, (FIRST_ID + 1) & 0xffff, "4000", 7, 17, PEER) + "09",
                HEX.formatHex(ethernet.frames.get(1).payload()));
    }

    @Test
    void identificationsAreKeyedPerDestinationAndProtocol() {
        // RFC 7739 5.3: each (source, destination, protocol) has an offset of its own and
        // hashes to a counter of its own, so what one destination sees tells nothing of another.
        arp.resolve(PEER, PEER_MAC);
        arp.resolve(PEER2, PEER_MAC);
        for (int i = 0; i < 100; i++) {
            ip.write(PEER, 17, 1, bytes(new byte[] {9}));
        }
        ip.write(PEER2, 17, 1, bytes(new byte[] {9}));
        ip.write(PEER, 6, 1, bytes(new byte[] {9}));
        assertEquals((FIRST_ID + 99) & 0xffff, id(99));
        assertEquals(firstId(1, PEER2, 17), id(100), "100 datagrams to another destination did not move it");
        assertEquals(firstId(1, PEER, 6), id(101), "nor to another protocol");
        assertNotEquals((FIRST_ID + 100) & 0xffff, id(100));
        assertNotEquals(FIRST_ID, firstId(2, PEER, 17), "the key, not the addresses alone, decides");
    }

    private int id(int frame) {
        return ((Ipv4Header) Ipv4Header.parse(ethernet.frames.get(frame).buffer())).identification();
    }

    @Test
    void theTotalLengthIsWhatThePayloadWriterActuallyWrote() {
        arp.resolve(PEER, PEER_MAC);
        ip.write(PEER, 17, 100, bytes(new byte[] {1, 2}));
        assertEquals(expectedHeader(22, FIRST_ID, "0000", 64, 17, PEER) + "0102",
                HEX.formatHex(ethernet.frames.get(0).payload()));
    }

    @Test
    void anOffLinkDestinationGoesToTheGatewaysMac() {
        arp.resolve(GATEWAY, GATEWAY_MAC);
        assertTrue(ip.write(FAR, 17, 1, bytes(new byte[] {1})).isOk());
        assertEquals(List.of(GATEWAY), arp.queried);
        assertEquals(GATEWAY_MAC, ethernet.frames.get(0).dst());
        assertEquals(FAR, Ipv4Address.read(ethernet.frames.get(0).buffer(), 16));
    }

    @Test
    void withoutAGatewayAnOffLinkDestinationHasNoRoute() {
        DefaultIpv4 noGateway = layer(Ipv4Config.of(new Ipv4Cidr(OURS, 24)));
        assertEquals(new IpError.NoRoute(FAR), noGateway.write(FAR, 17, 1, bytes(new byte[] {1})).errorOrNull());
        assertTrue(arp.queried.isEmpty());
        assertEquals(1, noGateway.counters().get("tx.no_route"));
    }

    @Test
    void broadcastsGoToTheBroadcastMacWithoutArp() {
        ip.write(Ipv4Address.BROADCAST, 17, 1, bytes(new byte[] {1}));
        ip.write(Ipv4Address.parse("198.18.0.255"), 17, 1, bytes(new byte[] {1}));
        assertTrue(arp.queried.isEmpty());
        assertEquals(MacAddress.BROADCAST, ethernet.frames.get(0).dst());
        assertEquals(MacAddress.BROADCAST, ethernet.frames.get(1).dst());
    }

    @Test
    void multicastGoesToTheMappedGroupMac() {
        ip.write(Ipv4Address.parse("239.129.2.3"), 17, 1, bytes(new byte[] {1}));
        assertEquals(MacAddress.parse("01:00:5e:01:02:03"), ethernet.frames.get(0).dst());
    }

    @Test
    void aDatagramTooBigForTheLinkIsRefusedWhenFragmentationIsNot() {
        arp.resolve(PEER, PEER_MAC);
        Result<IpError> r = ip.write(null, PEER, 17, -1, false, 1481, bytes(new byte[1481]));
        assertEquals(new IpError.WouldFragment(1501, 1500), r.errorOrNull());
        assertTrue(ip.write(null, PEER, 17, -1, false, 1480, bytes(new byte[1480])).isOk());
    }

    @Test
    void aLinkTooSmallForAnyFragmentRefusesWhatDoesNotFitWhole() {
        CapturingEthernet tiny = new CapturingEthernet(OUR_MAC, 27);
        DefaultIpv4 p = new DefaultIpv4(tiny, arp, Ipv4Config.of(new Ipv4Cidr(OURS, 24)),
                StackContext.seeded(loop, 1, "tiny"));
        arp.resolve(PEER, PEER_MAC);
        assertEquals(new IpError.WouldFragment(28, 27), p.write(PEER, 17, 8, bytes(new byte[8])).errorOrNull());
        assertTrue(p.write(PEER, 17, 7, bytes(new byte[7])).isOk());
    }

    @Test
    void aDatagramBeyondWhatIpCarriesIsTooLarge() {
        Result<IpError> r = ip.write(PEER, 17, 65_516, bytes(new byte[0]));
        assertEquals(new IpError.TooLarge(65_516, 65_515), r.errorOrNull());
    }

    @Test
    void invalidArgumentsAreProgrammingErrors() {
        assertThrows(IllegalArgumentException.class, () -> ip.write(null, PEER, 17, 0, true, 1, bytes(new byte[1])));
        assertThrows(IllegalArgumentException.class, () -> ip.write(null, PEER, 256, -1, true, 1, bytes(new byte[1])));
        assertThrows(IllegalArgumentException.class, () -> ip.write(PEER, 17, -1, bytes(new byte[1])));
    }

    @Test
    void aLargeDatagramIsSentAsFragmentsOfEightByteMultiples() {
        arp.resolve(PEER, PEER_MAC);
        byte[] payload = pattern(3000, 1);
        assertTrue(ip.write(PEER, 17, payload.length, bytes(payload)).isOk());
        assertEquals(3, ethernet.frames.size());
        int[] offsets = {0, 1480, 2960};
        int[] lengths = {1480, 1480, 40};
        byte[] rebuilt = new byte[3000];
        for (int i = 0; i < 3; i++) {
            Ipv4Header h = (Ipv4Header) Ipv4Header.parse(ethernet.frames.get(i).buffer());
            assertEquals(offsets[i], h.fragmentOffset());
            assertEquals(lengths[i], h.payloadLength());
            assertEquals(i < 2, h.moreFragments());
            assertEquals(FIRST_ID, h.identification());
            System.arraycopy(ethernet.frames.get(i).payload(), 20, rebuilt, offsets[i], lengths[i]);
        }
        assertArrayEquals(payload, rebuilt);
        assertEquals(3, count("tx.fragments"));
    }

    @Test
    void whileTheNextHopResolvesTheDatagramWaitsAndIsSentOnceResolved() {
        byte[] payload = pattern(10, 2);
        assertTrue(ip.write(PEER, 17, payload.length, bytes(payload)).isOk());
        assertTrue(ethernet.frames.isEmpty());
        assertEquals(1, ip.heldDatagrams());
        arp.resolve(PEER, PEER_MAC);
        assertEquals(1, ethernet.frames.size());
        assertArrayEquals(payload, Arrays.copyOfRange(ethernet.frames.get(0).payload(), 20, 30));
        assertEquals(0, ip.heldDatagrams());
    }

    @Test
    void theQueueOfAnUnresolvedHopKeepsTheLatestDatagrams() {
        int limit = arp.config().pendingPacketsPerAddress();
        for (int i = 0; i <= limit; i++) {
            ip.write(PEER, 17, 1, bytes(new byte[] {(byte) i}));
        }
        assertEquals(1, count("tx.held_overflow"));
        arp.resolve(PEER, PEER_MAC);
        assertEquals(limit, ethernet.frames.size());
        assertEquals(1, ethernet.frames.get(0).payload()[20], "the oldest was dropped");
        assertEquals(limit, ethernet.frames.get(limit - 1).payload()[20]);
    }

    @Test
    void aFailedResolutionDropsTheHeldDatagramsWithACounter() {
        ip.write(PEER, 17, 1, bytes(new byte[] {1}));
        ip.write(PEER, 17, 1, bytes(new byte[] {2}));
        arp.fail(PEER);
        assertTrue(ethernet.frames.isEmpty());
        assertEquals(2, count("tx.unresolved"));
        assertEquals(0, ip.heldDatagrams());
    }

    @Test
    void aHeldDatagramTooBigForTheLinkIsFragmentedWhenSent() {
        byte[] payload = pattern(2000, 3);
        ip.write(PEER, 17, payload.length, bytes(payload));
        arp.resolve(PEER, PEER_MAC);
        assertEquals(2, ethernet.frames.size());
    }

    @Test
    void linkErrorsAreReportedAsLinkErrors() {
        arp.resolve(PEER, PEER_MAC);
        ethernet.failing = true;
        assertInstanceOf(IpError.Link.class, ip.write(PEER, 17, 1, bytes(new byte[1])).errorOrNull());
        assertInstanceOf(IpError.Link.class, ip.write(PEER, 17, 3000, bytes(new byte[3000])).errorOrNull());
        assertEquals(2, count("tx.errors"));
    }

    @Test
    void thePseudoHeaderSumCoversAddressesProtocolAndLength() {
        long sum = ip.pseudoheaderChecksum(OURS, PEER, 17, 12);
        ByteBuffer ph = ByteBuffer.wrap(HEX.parseHex("c6120001c61200020011000c"));
        assertEquals(InternetChecksum.finish(InternetChecksum.sum(ph, 0, 12, 0)), InternetChecksum.finish(sum));
    }

    @Test
    void theSourceIsTheAddressOnTheDestinationsSubnetElseTheFirst() {
        // A second subnet of another prefix length, 198.18.128.0/17, disjoint from OURS/24 and not holding FAR.
        Ipv4Address second = Ipv4Address.parse("198.18.128.1");
        DefaultIpv4 two = layer(new Ipv4Config(List.of(new Ipv4Cidr(OURS, 24), new Ipv4Cidr(second, 17)), null, 64,
                java.time.Duration.ofSeconds(30), 64, 1 << 20));
        assertEquals(second, two.src(Ipv4Address.parse("198.18.201.9")));
        assertEquals(OURS, two.src(PEER));
        assertEquals(OURS, two.src(FAR));
        assertEquals(List.of(OURS, second), two.configuredIps());
        assertEquals(1480, two.mtu(FAR));
        assertNull(two.gateway().orElse(null));
    }

    @Test
    void aSteadyFlowToAResolvedNeighbourAllocatesNothing() {
        arp.resolve(PEER, PEER_MAC);
        arp.recording = false;
        ZeroCopyEthernet sink = new ZeroCopyEthernet(OUR_MAC);
        DefaultIpv4 steady = new DefaultIpv4(sink, arp, Ipv4Config.of(new Ipv4Cidr(OURS, 24)),
                StackContext.seeded(loop, 1, "steady"));
        PacketWriter payload = (buf, off, max) -> max;
        for (int i = 0; i < 20_000; i++) {
            steady.write(PEER, 17, 1000, payload);
        }
        AllocationMeter.allocatedBytes();
        long before = AllocationMeter.allocatedBytes();
        org.junit.jupiter.api.Assumptions.assumeTrue(before >= 0, "the JVM does not count allocations");
        for (int i = 0; i < 100_000; i++) {
            steady.write(PEER, 17, 1000, payload);
        }
        long allocated = AllocationMeter.allocatedBytes() - before;
        // One object per datagram would be 16 bytes a datagram at least; the JIT's own
        // transitions (OSR, deoptimisation) account for a constant few kilobytes.
        assertTrue(allocated < 100_000, "allocated " + allocated + " bytes for 100000 datagrams");
    }

    @Test
    void theProviderIsFoundByServiceLoaderAsDefault() {
        getClass().getModule().addUses(Ipv4Provider.class);
        Ipv4Provider p = ServiceLoader.load(Ipv4Provider.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(x -> x.name().equals("default"))
                .findFirst()
                .orElseThrow();
        assertInstanceOf(DefaultIpv4.class, p.create(ethernet, arp, Ipv4Config.of(new Ipv4Cidr(OURS, 24)),
                StackContext.seeded(loop, 1, "t")));
    }

    @Test
    void aDatagramParsedBackHasAValidChecksum() {
        arp.resolve(PEER, PEER_MAC);
        ip.write(PEER, 17, 3, bytes(new byte[] {1, 2, 3}));
        Ipv4Packet p = new Ipv4Packet().wrap(ethernet.frames.get(0).buffer(), 0, 23);
        assertNull(p.check());
        assertTrue(p.checksumValid());
    }
}
