package org.tcpip4j.ipv6.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tcpip4j.ipv6.internal.Packets.HEX;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.tcpip4j.ethernet.EtherType;
import org.tcpip4j.ip.IpError;
import org.tcpip4j.ipv6.Ipv6Config;
import org.tcpip4j.netif.InternetChecksum;
import org.tcpip4j.netif.Ipv6Address;
import org.tcpip4j.netif.Ipv6Cidr;
import org.tcpip4j.netif.MacAddress;
import org.tcpip4j.netif.PacketWriter;
import org.tcpip4j.netif.Result;
import org.tcpip4j.netif.loop.StackContext;
import org.tcpip4j.testsupport.AllocationMeter;

class DefaultIpv6SendTest {

    private static final Ipv6Address OURS = Fixture.OURS;
    private static final Ipv6Address PEER = Fixture.PEER;
    private static final Ipv6Address FAR = Fixture.FAR;

    private final Fixture f = new Fixture();

    DefaultIpv6SendTest() {
        f.nd.macs.put(PEER, Fixture.PEER_MAC);
        f.nd.macs.put(Fixture.ROUTER, Fixture.ROUTER_MAC);
    }

    /** A payload writer of {@code data}. */
    private static PacketWriter bytes(byte[] data) {
        return (buffer, offset, max) -> {
            int n = Math.min(max, data.length);
            buffer.put(offset, data, 0, n);
            return n;
        };
    }

    /** A UDP-like payload: ports, then a pattern. */
    private static byte[] udp(int srcPort, int dstPort, int length) {
        byte[] b = Packets.pattern(length, srcPort);
        ByteBuffer.wrap(b).putShort(0, (short) srcPort).putShort(2, (short) dstPort);
        return b;
    }

    private Result<IpError> send(Ipv6Address dst, int protocol, byte[] payload, boolean fragment) {
        return f.ip.write(null, dst, protocol, -1, fragment, payload.length, bytes(payload));
    }

    private static int flowLabel(byte[] d) {
        return ByteBuffer.wrap(d).getInt(0) & 0xf_ffff;
    }

    @Test
    void aDatagramToAResolvedNeighborCarriesTheFixedHeaderAndThePayload() {
        byte[] payload = udp(1000, 53, 12);
        assertTrue(send(PEER, 17, payload, true).isOk());
        assertEquals(1, f.ethernet.frames.size());
        CapturingEthernet.Frame frame = f.ethernet.frames.get(0);
        assertEquals(new MacAddress(Fixture.PEER_MAC), frame.dst());
        assertEquals(EtherType.IPV6, frame.etherType());
        ByteBuffer d = frame.buffer();
        assertEquals(6, (d.get(0) & 0xf0) >>> 4);
        assertEquals(0, (d.getShort(0) >>> 4) & 0xff, "traffic class");
        assertNotEquals(0, flowLabel(frame.payload()));
        assertEquals(12, d.getShort(4));
        assertEquals(17, d.get(6));
        assertEquals(64, d.get(7), "Neighbor Discovery's hop limit");
        assertEquals(OURS, Ipv6Address.read(d, 8));
        assertEquals(PEER, Ipv6Address.read(d, 24));
        assertEquals(HEX.formatHex(payload), HEX.formatHex(Arrays.copyOfRange(frame.payload(), 40, 52)));
        assertEquals(1, f.count("tx.packets"));
    }

    @Test
    void theHopLimitAndSourceGivenAreUsed() {
        f.ip.write(Ipv6Address.parse("2001:2::77"), PEER, 17, 9, true, 4, bytes(new byte[4]));
        ByteBuffer d = f.ethernet.frames.get(0).buffer();
        assertEquals(9, d.get(7));
        assertEquals(Ipv6Address.parse("2001:2::77"), Ipv6Address.read(d, 8));
    }

    @Test
    void theFlowLabelIsStablePerFlowAndDiffersBetweenFlows() {
        send(PEER, 17, udp(1000, 53, 8), true);
        send(PEER, 17, udp(1000, 53, 20), true);
        send(PEER, 17, udp(1001, 53, 8), true);
        send(PEER, 6, udp(1000, 53, 20), true);
        send(FAR, 17, udp(1000, 53, 8), true);
        List<Integer> labels = f.ethernet.frames.stream().map(fr -> flowLabel(fr.payload())).toList();
        assertEquals(labels.get(0), labels.get(1), "one flow, one label");
        assertEquals(5, labels.stream().distinct().count() + 1, "ports, protocol and destination change it");
        // Another stack's secrets give other labels for the same flow.
        Fixture other = new Fixture();
        other.nd.macs.put(PEER, Fixture.PEER_MAC);
        DefaultIpv6 ip2 = new DefaultIpv6(other.ethernet, Ipv6Config.of(new Ipv6Cidr(OURS, 64)),
            StackContext.seeded(other.loop, 2, "other"), other.nd.factory());
        ip2.write(null, PEER, 17, -1, true, 8, bytes(udp(1000, 53, 8)));
        assertNotEquals(labels.get(0), flowLabel(other.ethernet.frames.getLast().payload()));
    }

    @Test
    void aDatagramLargerThanThePathIsSentInFragmentsOfEightByteMultiples() {
        byte[] payload = udp(1000, 53, 4000);
        assertTrue(send(PEER, 17, payload, true).isOk());
        assertEquals(3, f.ethernet.frames.size());
        byte[] whole = new byte[4000];
        int id = -1;
        int label = -1;
        int expectedOffset = 0;
        for (int i = 0; i < 3; i++) {
            byte[] fr = f.ethernet.frames.get(i).payload();
            ByteBuffer d = ByteBuffer.wrap(fr);
            assertTrue(fr.length <= 1500);
            assertEquals(44, d.get(6), "a fragment header follows the fixed header");
            assertEquals(fr.length - 40, d.getShort(4));
            assertEquals(17, d.get(40));
            int field = d.getShort(42) & 0xffff;
            int offset = field & 0xfff8;
            boolean more = (field & 1) != 0;
            assertEquals(expectedOffset, offset);
            assertEquals(i < 2, more);
            int dataLength = fr.length - 48;
            if (more) {
                assertEquals(0, dataLength % 8);
                assertEquals(1448, dataLength);
            }
            if (i == 0) {
                id = d.getInt(44);
                label = flowLabel(fr);
            }
            assertEquals(id, d.getInt(44), "one identification");
            assertEquals(label, flowLabel(fr), "one flow label");
            System.arraycopy(fr, 48, whole, offset, dataLength);
            expectedOffset += dataLength;
        }
        assertEquals(4000, expectedOffset);
        assertEquals(HEX.formatHex(payload), HEX.formatHex(whole));
        assertEquals(3, f.count("tx.fragments"));
        // The next datagram has another identification.
        send(PEER, 17, payload, true);
        assertNotEquals(id, ByteBuffer.wrap(f.ethernet.frames.get(3).payload()).getInt(44));
    }

    @Test
    void theFragmentsReassembleAtTheReceiver() {
        byte[] payload = udp(1000, 53, 5000);
        f.ip.write(PEER, OURS, 17, -1, true, payload.length, bytes(payload));
        // Sent to ourselves: the frames go to our MAC; hand them back.
        assertTrue(f.ethernet.frames.stream().allMatch(fr -> fr.dst().equals(Fixture.MAC)));
        for (CapturingEthernet.Frame fr : f.ethernet.frames) {
            f.input(fr.payload());
        }
        assertEquals(List.of("udp 2001:2::2>2001:2::1 " + HEX.formatHex(payload)), f.delivered);
    }

    @Test
    void aDatagramThatMayNotBeFragmentedAndDoesNotFitIsRefused() {
        Result<IpError> r = send(PEER, 17, new byte[1461], false);
        assertInstanceOf(IpError.WouldFragment.class, r.errorOrNull());
        assertEquals(new IpError.WouldFragment(1501, 1500), r.errorOrNull());
        assertTrue(f.ethernet.frames.isEmpty());
        assertTrue(send(PEER, 17, new byte[1460], false).isOk());
        assertEquals(1, f.count("tx.would_fragment"));
        assertInstanceOf(IpError.TooLarge.class, send(PEER, 17, new byte[65_536], true).errorOrNull());
    }

    @Test
    void thePathMtuIsLoweredNoFurtherThan1280AndOnlyDown() {
        assertEquals(1460, f.ip.mtu(PEER));
        f.ip.updatePathMtu(PEER, 1400);
        assertEquals(1360, f.ip.mtu(PEER));
        assertEquals(1460, f.ip.mtu(FAR), "other destinations keep the link MTU");
        f.ip.updatePathMtu(PEER, 1450);
        assertEquals(1360, f.ip.mtu(PEER), "a larger value changes nothing");
        f.ip.updatePathMtu(PEER, 600);
        assertEquals(1240, f.ip.mtu(PEER), "RFC 8201: below 1280 counts as 1280");
        assertEquals(2, f.count("pmtu.updates"));
        send(PEER, 17, new byte[3000], true);
        assertTrue(f.ethernet.frames.stream().allMatch(fr -> fr.payload().length <= 1280));
        assertInstanceOf(IpError.WouldFragment.class, send(PEER, 17, new byte[1241], false).errorOrNull());
        f.loop.runFor(java.time.Duration.ofMinutes(11));
        assertEquals(1460, f.ip.mtu(PEER), "the lowered MTU expires");
    }

    @Test
    void aLowerLinkMtuFromNeighborDiscoveryIsUsed() {
        f.nd.linkMtu = 1280;
        assertEquals(1240, f.ip.mtu(PEER));
        send(PEER, 17, new byte[2000], true);
        assertEquals(2, f.ethernet.frames.size());
        assertTrue(f.ethernet.frames.stream().allMatch(fr -> fr.payload().length <= 1280));
    }

    @Test
    void aDatagramToOurOwnAddressGoesToOurOwnMac() {
        assertTrue(send(OURS, 17, new byte[4], true).isOk());
        assertEquals(Fixture.MAC, f.ethernet.frames.get(0).dst());
        assertEquals(1, f.count("tx.local"));
    }

    @Test
    void offLinkDestinationsGoThroughTheRouter() {
        send(FAR, 17, new byte[4], true);
        assertEquals(new MacAddress(Fixture.ROUTER_MAC), f.ethernet.frames.get(0).dst());
        assertEquals(FAR, Ipv6Address.read(f.ethernet.frames.get(0).buffer(), 24));
    }

    @Test
    void withoutARouteOrASourceAWriteFails() {
        f.nd.router = null;
        assertInstanceOf(IpError.NoRoute.class, send(FAR, 17, new byte[4], true).errorOrNull());
        assertEquals(1, f.count("tx.no_route"));
        f.nd.cidrs.clear();
        assertInstanceOf(IpError.NoRoute.class, send(PEER, 17, new byte[4], true).errorOrNull());
        assertEquals(1, f.count("tx.no_source"));
        assertInstanceOf(IpError.NoRoute.class,
            f.ip.write(null, org.tcpip4j.netif.Ipv4Address.parse("198.18.0.1"), 17, -1, true, 1, bytes(new byte[1]))
                .errorOrNull());
    }

    @Test
    void datagramsToAnUnresolvedNeighborAreHeldByNeighborDiscoveryAndSentWhenItResolves() {
        Ipv6Address stranger = Ipv6Address.parse("2001:2::5");
        byte[] payload = udp(1000, 53, 10);
        assertTrue(send(stranger, 17, payload, true).isOk());
        assertTrue(f.ethernet.frames.isEmpty());
        assertEquals(1, f.nd.held.size());
        ScriptedNd.Held h = f.nd.held.get(0);
        assertEquals(stranger, h.nextHop());
        ByteBuffer d = ByteBuffer.wrap(h.datagram());
        assertEquals(50, h.datagram().length);
        assertEquals(stranger, Ipv6Address.read(d, 24));
        assertNotEquals(0, flowLabel(h.datagram()));
        f.nd.output.transmit(0x0200_0000_0005L, d);
        assertEquals(new MacAddress(0x0200_0000_0005L), f.ethernet.frames.get(0).dst());
        assertEquals(HEX.formatHex(h.datagram()), HEX.formatHex(f.ethernet.frames.get(0).payload()));
        assertEquals(1, f.count("tx.held"));
        assertEquals(1, f.count("tx.held_sent"));
    }

    @Test
    void aLargeDatagramToAnUnresolvedNeighborIsHeldAsFragments() {
        send(Ipv6Address.parse("2001:2::5"), 17, new byte[3000], true);
        assertEquals(3, f.nd.held.size());
        assertTrue(f.nd.held.stream().allMatch(h -> h.datagram().length <= 1500 && h.datagram()[6] == 44));
    }

    @Test
    void anUnresolvedDatagramIsReportedOnlyWhenItsSourceIsNotOurs() {
        f.nd.output.unresolved(ByteBuffer.wrap(Packets.datagram(OURS, PEER, 17, new byte[4])));
        assertTrue(f.reports.isEmpty());
        f.nd.output.unresolved(ByteBuffer.wrap(Packets.datagram(PEER, Ipv6Address.parse("2001:2::5"), 17,
            new byte[4])));
        assertEquals(List.of("1/3@0"), f.reports);
        assertEquals(2, f.count("tx.unresolved"));
    }

    @Test
    void neighborDiscoverySendsIcmpv6WithItsChecksumAndARouterAlertWhenAsked() {
        Ipv6Address group = Ipv6Address.parse("ff02::16");
        byte[] report = HEX.parseHex("8f00ffff00000001" + "04000000ff020000000000000000000000000001");
        Result<IpError> r = f.nd.output.sendIcmpv6(Ipv6Address.ANY, group, 0x3333_0000_0016L, 1, true,
            report.length, bytes(report));
        assertTrue(r.isOk());
        CapturingEthernet.Frame frame = f.ethernet.frames.get(0);
        assertEquals(new MacAddress(0x3333_0000_0016L), frame.dst());
        ByteBuffer d = frame.buffer();
        assertEquals(0, flowLabel(frame.payload()), "no flow label for Neighbor Discovery and MLD");
        assertEquals(0, d.get(6), "a hop-by-hop header first");
        assertEquals(1, d.get(7));
        assertEquals("3a00050200000100", HEX.formatHex(Arrays.copyOfRange(frame.payload(), 40, 48)));
        assertEquals(8 + report.length, d.getShort(4));
        byte[] message = Arrays.copyOfRange(frame.payload(), 48, frame.payload().length);
        assertEquals(HEX.formatHex(Packets.icmpv6(Ipv6Address.ANY, group, report)), HEX.formatHex(message));
        // And the layer's own input verifies it and hands it to Neighbor Discovery.
        f.input(frame.payload());
        assertEquals(1, f.nd.inputs.size());
    }

    @Test
    void neighborDiscoveryCanAskForRoutingAndResolution() {
        byte[] ns = HEX.parseHex("870000000000000020010002000000000000000000000005");
        Ipv6Address stranger = Ipv6Address.parse("2001:2::5");
        f.nd.output.sendIcmpv6(OURS, stranger, NdOutput.RESOLVE, 255, false, ns.length, bytes(ns));
        assertEquals(1, f.nd.held.size());
        f.nd.output.sendIcmpv6(OURS, PEER, NdOutput.RESOLVE, 255, false, ns.length, bytes(ns));
        assertEquals(new MacAddress(Fixture.PEER_MAC), f.ethernet.frames.get(0).dst());
        assertEquals(58, f.ethernet.frames.get(0).payload()[6]);
    }

    @Test
    void thePseudoHeaderIsRfc8200Section8_1() {
        Ipv6Address src = Ipv6Address.parse("2001:2::1234:5678:9abc:def0");
        ByteBuffer pseudo = ByteBuffer.allocate(40);
        src.write(pseudo, 0);
        PEER.write(pseudo, 16);
        pseudo.putInt(32, 70_000);
        pseudo.putInt(36, 17);
        assertEquals(InternetChecksum.fold16(InternetChecksum.sum(pseudo, 0, 40, 0)),
            InternetChecksum.fold16(f.ip.pseudoheaderChecksum(src, PEER, 17, 70_000)));
    }

    @Test
    void reachabilityIsConfirmedForTheNextHop() {
        f.ip.confirmReachable(FAR);
        f.ip.confirmReachable(PEER);
        assertEquals(List.of(Fixture.ROUTER, PEER), f.nd.confirmed);
    }

    @Test
    void groupsAreJoinedThroughNeighborDiscovery() {
        f.ip.joinGroup(Ipv6Address.parse("ff02::fb"));
        assertEquals(List.of(Ipv6Address.parse("ff02::fb")), f.nd.joined);
        assertThrows(IllegalArgumentException.class, () -> f.ip.joinGroup(PEER));
        assertEquals(OURS, f.ip.src(PEER));
    }

    @Test
    void aSteadyFlowIsSentWithoutAllocating() {
        ScriptedNd nd = new ScriptedNd(new Ipv6Cidr(OURS, 64));
        nd.macs.put(PEER, Fixture.PEER_MAC);
        DefaultIpv6 ip = new DefaultIpv6(new ZeroCopyEthernet(Fixture.MAC), Ipv6Config.of(new Ipv6Cidr(OURS, 64)),
            StackContext.seeded(f.loop, 3, "zero"), nd.factory());
        PacketWriter payload = bytes(udp(1000, 80, 1200));
        for (int i = 0; i < 20_000; i++) {
            ip.write(null, PEER, 6, -1, true, 1200, payload);
        }
        AllocationMeter.allocatedBytes();
        long before = AllocationMeter.allocatedBytes();
        Assumptions.assumeTrue(before >= 0, "the JVM does not count allocations");
        for (int i = 0; i < 100_000; i++) {
            ip.write(null, PEER, 6, -1, true, 1200, payload);
        }
        long allocated = AllocationMeter.allocatedBytes() - before;
        assertTrue(allocated < 100_000, "allocated " + allocated + " bytes for 100000 datagrams");
        assertEquals(120_000, ip.counters().get("tx.packets"));
    }

    @Test
    void afterDisconnectWritesFail() {
        f.ip.disconnect();
        assertInstanceOf(IpError.Link.class, send(PEER, 17, new byte[1], true).errorOrNull());
        List<String> none = new ArrayList<>();
        assertEquals(none, f.reports);
    }
}
