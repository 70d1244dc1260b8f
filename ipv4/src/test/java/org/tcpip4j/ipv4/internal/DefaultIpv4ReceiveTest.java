package org.tcpip4j.ipv4.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tcpip4j.ipv4.internal.Datagrams.HEX;
import static org.tcpip4j.ipv4.internal.Datagrams.datagram;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tcpip4j.ip.IpHandler;
import org.tcpip4j.ip.OtherProtocolHandler;
import org.tcpip4j.ipv4.Ipv4Config;
import org.tcpip4j.netif.IpAddress;
import org.tcpip4j.netif.Ipv4Address;
import org.tcpip4j.netif.Ipv4Cidr;
import org.tcpip4j.netif.MacAddress;
import org.tcpip4j.netif.loop.StackContext;
import org.tcpip4j.netif.loop.VirtualTimeEventLoop;
import org.tcpip4j.testsupport.AllocationMeter;

class DefaultIpv4ReceiveTest {

    static final Ipv4Address OURS = Ipv4Address.parse("198.18.0.1");
    static final Ipv4Address PEER = Ipv4Address.parse("198.18.0.2");
    /** Off-link: outside OURS/24, inside 198.18.0.0/15. */
    static final Ipv4Address FAR = Ipv4Address.parse("198.19.0.9");

    private final VirtualTimeEventLoop loop = new VirtualTimeEventLoop();
    private final DefaultIpv4 ip = new DefaultIpv4(new CapturingEthernet(MacAddress.parse("02:00:00:00:00:01"), 1500),
            new ScriptedArp(), Ipv4Config.of(new Ipv4Cidr(OURS, 24)), StackContext.seeded(loop, 1, "test"));
    private final List<String> delivered = new ArrayList<>();
    private final List<IpAddress> sources = new ArrayList<>();

    private IpHandler transport(String name) {
        return (src, dst, payload) -> {
            sources.add(src);
            delivered.add(name + " " + src + ">" + dst + " " + hex(payload));
        };
    }

    private final OtherProtocolHandler other = (protocol, src, dst, header, payload) ->
            delivered.add("proto" + protocol + " " + src + ">" + dst + " header " + header.remaining() + " "
                    + hex(payload));

    private static String hex(ByteBuffer b) {
        byte[] x = new byte[b.remaining()];
        b.get(b.position(), x);
        return HEX.formatHex(x);
    }

    private void input(byte[] datagram) {
        // At an offset, as behind an Ethernet header, to catch code assuming position 0.
        ByteBuffer b = ByteBuffer.allocate(datagram.length + 14);
        b.put(14, datagram).position(14);
        ip.input(b, transport("tcp"), transport("udp"), other);
    }

    private long count(String name) {
        return ip.counters().get(name);
    }

    @Test
    void datagramsForUsGoToTheHandlerOfTheirProtocolWithThePayloadBetweenPositionAndLimit() {
        input(datagram(PEER, OURS, 17, HEX.parseHex("0102")));
        input(datagram(PEER, OURS, 6, HEX.parseHex("0304")));
        input(datagram(PEER, OURS, 1, HEX.parseHex("0800")));
        assertEquals(List.of("udp 198.18.0.2>198.18.0.1 0102", "tcp 198.18.0.2>198.18.0.1 0304",
                "proto1 198.18.0.2>198.18.0.1 header 20 0800"), delivered);
        assertEquals(3, count("rx.delivered"));
    }

    @Test
    void linkPaddingAfterTheTotalLengthIsTrimmed() {
        byte[] d = datagram(PEER, OURS, 17, HEX.parseHex("0102"));
        byte[] padded = java.util.Arrays.copyOf(d, 46);
        input(padded);
        assertEquals(List.of("udp 198.18.0.2>198.18.0.1 0102"), delivered);
    }

    @Test
    void optionsAreSkippedAndHandedToOtherProtocolsWithTheHeader() {
        byte[] b = HEX.parseHex("4600001c0000400040010000c6120002c6120001" + "01010100" + "08000000");
        new org.tcpip4j.ipv4.internal.wire.Ipv4Packet().wrap(ByteBuffer.wrap(b), 0, b.length).fillChecksum();
        input(b);
        assertEquals(List.of("proto1 198.18.0.2>198.18.0.1 header 24 08000000"), delivered);
    }

    @Test
    void limitedAndSubnetBroadcastsAreAccepted() {
        input(datagram(PEER, Ipv4Address.BROADCAST, 17, new byte[] {1}));
        input(datagram(PEER, Ipv4Address.parse("198.18.0.255"), 17, new byte[] {2}));
        assertEquals(List.of("udp 198.18.0.2>255.255.255.255 01", "udp 198.18.0.2>198.18.0.255 02"), delivered);
    }

    @Test
    void datagramsForOtherAddressesAreCountedAndDropped() {
        input(datagram(PEER, Ipv4Address.parse("198.18.0.3"), 17, new byte[] {1}));
        input(datagram(PEER, Ipv4Address.parse("198.18.0.0"), 17, new byte[] {1}));
        input(datagram(PEER, Ipv4Address.parse("224.0.0.251"), 17, new byte[] {1}));
        assertTrue(delivered.isEmpty());
        assertEquals(3, count("rx.not_for_us"));
    }

    @Test
    void aSlash31HasNoBroadcastAddress() {
        DefaultIpv4 p2p = new DefaultIpv4(new CapturingEthernet(MacAddress.parse("02:00:00:00:00:01"), 1500),
                new ScriptedArp(), Ipv4Config.of(new Ipv4Cidr(Ipv4Address.parse("198.18.0.0"), 31)),
                StackContext.seeded(loop, 1, "p2p"));
        ByteBuffer b = ByteBuffer.wrap(datagram(PEER, Ipv4Address.parse("198.18.0.1"), 17, new byte[] {1}));
        p2p.input(b, transport("tcp"), transport("udp"), other);
        assertEquals(1, p2p.counters().get("rx.not_for_us"));
    }

    @Test
    void broadcastAndMulticastSourcesAreInvalid() {
        input(datagram(Ipv4Address.BROADCAST, OURS, 17, new byte[] {1}));
        input(datagram(Ipv4Address.parse("224.0.0.1"), OURS, 17, new byte[] {1}));
        input(datagram(Ipv4Address.parse("198.18.0.255"), OURS, 17, new byte[] {1}));
        assertTrue(delivered.isEmpty());
        assertEquals(3, count("rx.bad_source"));
    }

    @Test
    void malformedDatagramsAreCountedByReason() {
        byte[] good = datagram(PEER, OURS, 17, new byte[] {1, 2, 3, 4});
        input(java.util.Arrays.copyOf(good, 19));
        byte[] v6 = good.clone();
        v6[0] = 0x65;
        input(v6);
        byte[] ihl = good.clone();
        ihl[0] = 0x44;
        input(ihl);
        input(java.util.Arrays.copyOf(good, 23));
        byte[] corrupt = good.clone();
        corrupt[15] ^= 1;
        input(corrupt);
        assertTrue(delivered.isEmpty());
        assertEquals(1, count("rx.too_short"));
        assertEquals(1, count("rx.bad_version"));
        assertEquals(1, count("rx.bad_header_length"));
        assertEquals(1, count("rx.bad_total_length"));
        assertEquals(1, count("rx.bad_checksum"));
    }

    @Test
    void aProtocolWithoutHandlerIsCounted() {
        ip.input(ByteBuffer.wrap(datagram(PEER, OURS, 17, new byte[] {1})), transport("tcp"), null, null);
        ip.input(ByteBuffer.wrap(datagram(PEER, OURS, 47, new byte[] {1})), transport("tcp"), null, null);
        assertEquals(2, count("rx.no_handler"));
    }

    @Test
    void aSteadyFlowReusesTheSourceAddressObject() {
        input(datagram(PEER, OURS, 17, new byte[] {1}));
        input(datagram(PEER, OURS, 17, new byte[] {2}));
        assertSame(sources.get(0), sources.get(1));
        input(datagram(FAR, OURS, 17, new byte[] {3}));
        assertEquals(FAR, sources.get(2));
    }

    @Test
    void aSteadyFlowIsReceivedWithoutAllocating() {
        ByteBuffer frame = ByteBuffer.allocateDirect(1514);
        frame.put(14, datagram(PEER, OURS, 17, Datagrams.pattern(1000, 1)));
        IpHandler sink = (src, dst, payload) -> { };
        for (int i = 0; i < 20_000; i++) {
            frame.limit(1514).position(14);
            ip.input(frame, sink, sink, other);
        }
        AllocationMeter.allocatedBytes();
        long before = AllocationMeter.allocatedBytes();
        org.junit.jupiter.api.Assumptions.assumeTrue(before >= 0, "the JVM does not count allocations");
        for (int i = 0; i < 100_000; i++) {
            frame.limit(1514).position(14);
            ip.input(frame, sink, sink, other);
        }
        long allocated = AllocationMeter.allocatedBytes() - before;
        assertTrue(allocated < 100_000, "allocated " + allocated + " bytes for 100000 datagrams");
        assertEquals(120_000, count("rx.delivered"));
    }

    @Test
    void afterDisconnectNothingIsDelivered() {
        ip.disconnect();
        input(datagram(PEER, OURS, 17, new byte[] {1}));
        assertTrue(delivered.isEmpty());
    }
}
