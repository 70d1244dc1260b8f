package org.tcpip4j.icmp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tcpip4j.icmp.internal.DefaultIcmpv6Test.ALL_NODES;
import static org.tcpip4j.icmp.internal.DefaultIcmpv6Test.OURS;
import static org.tcpip4j.icmp.internal.DefaultIcmpv6Test.OURS_LINK_LOCAL;
import static org.tcpip4j.icmp.internal.DefaultIcmpv6Test.PEER;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.tcpip4j.icmp.IcmpConfig;
import org.tcpip4j.netif.Ipv6Address;
import org.tcpip4j.netif.Ipv6Cidr;
import org.tcpip4j.netif.loop.StackContext;
import org.tcpip4j.netif.loop.VirtualTimeEventLoop;

/** Errors about received datagrams: exact messages, the RFC 4443 2.4 rules, the rate limit. */
class Icmpv6ErrorGenerationTest {

    private static final HexFormat HEX = HexFormat.of();
    private static final long MILLI = 1_000_000L;
    private static final Ipv6Address GROUP = Ipv6Address.parse("ff0e::1:3");

    private final VirtualTimeEventLoop loop = new VirtualTimeEventLoop();
    private final CapturingIpv6 ip = new CapturingIpv6(new Ipv6Cidr(OURS, 64),
            new Ipv6Cidr(OURS_LINK_LOCAL, 64));
    private DefaultIcmpv6 icmp = new DefaultIcmpv6(ip, new IcmpConfig(1000, 100),
            StackContext.seeded(loop, 1, "test"));

    private static byte[] udp(Ipv6Address src, Ipv6Address dst, int dataLength) {
        return Ipv6Packets.datagram(src, dst, 17, Ipv6Packets.udp(dataLength));
    }

    private boolean send(int type, int code, int pointer, byte[] datagram) {
        // Behind an Ethernet header, as the IPv6 layer hands it over.
        ByteBuffer b = ByteBuffer.allocate(14 + datagram.length + 4);
        b.put(14, datagram).position(14).limit(14 + datagram.length);
        return icmp.sendError(type, code, pointer, b);
    }

    private long count(String name) {
        return icmp.counters().get(name);
    }

    @Test
    void aPortUnreachableQuotesTheWholeDatagramFromTheAddressItWasSentTo() {
        byte[] offending = udp(PEER, OURS, 5);
        assertTrue(send(1, 4, 0, offending));
        CapturingIpv6.Sent sent = ip.sent.get(0);
        assertEquals(OURS, sent.src());
        assertEquals(PEER, sent.dst());
        assertEquals(58, sent.protocol());
        byte[] m = sent.payload();
        assertEquals("0104", HEX.formatHex(m, 0, 2));
        assertEquals("00000000", HEX.formatHex(m, 4, 8), "unused");
        assertEquals(HEX.formatHex(offending), HEX.formatHex(m, 8, m.length));
        assertTrue(sent.checksumVerifies());
        assertEquals(1, count("tx.destination_unreachable"));
    }

    @Test
    void anErrorAboutADatagramToOurLinkLocalAddressComesFromIt() {
        // RFC 4443 2.2 (a); the IPv6 layer would select the global address for this peer.
        assertTrue(send(1, 4, 0, udp(PEER, OURS_LINK_LOCAL, 0)));
        assertEquals(OURS_LINK_LOCAL, ip.sent.get(0).src());
        assertTrue(ip.sent.get(0).checksumVerifies());
    }

    @Test
    void eachTypeHasItsCodeAndTypeSpecificBytes() {
        byte[] offending = udp(PEER, OURS, 16);
        String[][] expected = {
            {"1", "0", "0", "0100" + "00000000"}, {"1", "3", "0", "0103" + "00000000"},
            {"1", "6", "0", "0106" + "00000000"}, {"2", "0", "1400", "0200" + "00000578"},
            {"3", "0", "0", "0300" + "00000000"}, {"3", "1", "0", "0301" + "00000000"},
            {"4", "0", "4", "0400" + "00000004"}, {"4", "1", "6", "0401" + "00000006"},
            {"4", "3", "40", "0403" + "00000028"},
        };
        for (String[] e : expected) {
            ip.sent.clear();
            assertTrue(send(Integer.parseInt(e[0]), Integer.parseInt(e[1]), Integer.parseInt(e[2]), offending));
            byte[] m = ip.sent.get(0).payload();
            assertEquals(e[3], HEX.formatHex(m, 0, 2) + HEX.formatHex(m, 4, 8), String.join(" ", e));
            assertTrue(ip.sent.get(0).checksumVerifies());
        }
        assertEquals(3, count("tx.destination_unreachable"));
        assertEquals(1, count("tx.packet_too_big"));
        assertEquals(2, count("tx.time_exceeded"));
        assertEquals(3, count("tx.parameter_problem"));
    }

    @Test
    void typesAndCodesRfc4443DoesNotDefineAreRefused() {
        byte[] offending = udp(PEER, OURS, 0);
        int[][] bad = {{1, 7}, {2, 1}, {3, 2}, {4, 4}, {0, 0}, {5, 0}, {128, 0}, {1, -1}};
        for (int[] b : bad) {
            assertThrows(IllegalArgumentException.class, () -> send(b[0], b[1], 0, offending), b[0] + "/" + b[1]);
        }
        assertTrue(ip.sent.isEmpty());
    }

    @Test
    void theQuoteStopsWhereTheErrorWouldPassTheMinimumMtu() {
        byte[] offending = udp(PEER, OURS, 1400);
        assertTrue(send(1, 4, 0, offending));
        byte[] m = ip.sent.get(0).payload();
        assertEquals(1280 - 40, m.length);
        assertEquals(HEX.formatHex(offending, 0, 1232), HEX.formatHex(m, 8, m.length));
        assertTrue(ip.sent.get(0).checksumVerifies());
    }

    @Test
    void aDatagramToAnAddressNotOursIsAnsweredFromTheSelectedSource() {
        // The subnet-router anycast address of our prefix (RFC 4291 2.6.1): not a source.
        assertTrue(send(1, 4, 0, udp(PEER, Ipv6Address.parse("2001:2::"), 0)));
        assertEquals(OURS, ip.sent.get(0).src());
        assertTrue(ip.sent.get(0).checksumVerifies());
    }

    @Test
    void neverAboutAnIcmpv6ErrorOrARedirectEvenBehindExtensionHeaders() {
        byte[] unreachable = Ipv6Packets.icmp(OURS, PEER, 1, 4, 0, new byte[48]);
        byte[] redirect = Ipv6Packets.icmp(OURS, PEER, 137, 0, 0, new byte[32]);
        byte[][] chain = {Ipv6Packets.hopByHop(), Ipv6Packets.destinationOptions(1), Ipv6Packets.fragment(0)};
        assertFalse(send(4, 1, 40, Ipv6Packets.datagram(PEER, OURS, 58, unreachable)));
        assertFalse(send(4, 0, 40, Ipv6Packets.datagram(PEER, OURS, 58, chain, unreachable)));
        assertFalse(send(3, 1, 0, Ipv6Packets.datagram(PEER, OURS, 58, redirect)));
        assertFalse(send(2, 0, 1280, Ipv6Packets.datagram(PEER, OURS, 58, new byte[][] {Ipv6Packets.hopByHop()},
                redirect)));
        // The ICMPv6 type cut off (Linux's is_ineligible): not known to be informational.
        assertFalse(send(4, 0, 6, Ipv6Packets.datagram(PEER, OURS, 58, chain, new byte[0])));
        assertEquals(5, count("error.not_sent.about_icmp_error"));
        assertTrue(ip.sent.isEmpty());
        // An informational message is answered, behind the same chain.
        byte[] echo = Ipv6Packets.icmp(PEER, OURS, 128, 0, 1, new byte[8]);
        assertTrue(send(4, 0, 40, Ipv6Packets.datagram(PEER, OURS, 58, chain, echo)));
        // And so is a later fragment, whose type is not there to read.
        assertTrue(send(4, 0, 40, Ipv6Packets.datagram(PEER, OURS, 58, new byte[][] {Ipv6Packets.fragment(8)},
                new byte[8])));
    }

    @Test
    void neverAboutADatagramToAMulticastGroupButForPacketTooBigAndUnrecognizedOptionsOfAction10() {
        byte[] toGroup = udp(PEER, GROUP, 8);
        assertFalse(send(1, 4, 0, toGroup));
        assertFalse(send(3, 0, 0, toGroup));
        assertFalse(send(4, 0, 6, toGroup));
        assertFalse(send(4, 1, 6, toGroup));
        assertEquals(4, count("error.not_sent.about_multicast"));
        // Parameter problem code 2, the pointer at an option type: only action bits 10 allow it.
        byte[] option11 = Ipv6Packets.datagram(PEER, GROUP, 17,
                new byte[][] {Ipv6Packets.destinationOptions(0xc2)}, Ipv6Packets.udp(0));
        byte[] option10 = Ipv6Packets.datagram(PEER, GROUP, 17,
                new byte[][] {Ipv6Packets.destinationOptions(0x82)}, Ipv6Packets.udp(0));
        assertFalse(send(4, 2, 42, option11));
        assertEquals(5, count("error.not_sent.about_multicast"));
        assertTrue(ip.sent.isEmpty());
        assertTrue(send(4, 2, 42, option10));
        assertTrue(send(2, 0, 1280, toGroup));
        for (CapturingIpv6.Sent s : ip.sent) {
            assertEquals(OURS, s.src(), "never from the group");
            assertEquals(PEER, s.dst());
            assertTrue(s.checksumVerifies());
        }
        assertEquals("0402", HEX.formatHex(ip.sent.get(0).payload(), 0, 2));
        assertEquals("0200", HEX.formatHex(ip.sent.get(1).payload(), 0, 2));
    }

    @Test
    void neverToASourceThatNamesNoOneNode() {
        for (String src : new String[] {"::", "ff02::1", "::1", "2001:2::"}) {
            assertFalse(send(1, 4, 0, udp(Ipv6Address.parse(src), OURS, 0)), src);
        }
        assertFalse(send(2, 0, 1280, udp(Ipv6Address.parse("ff02::1"), OURS, 0)), "not even packet too big");
        assertEquals(5, count("error.not_sent.bad_source"));
        assertTrue(ip.sent.isEmpty());
    }

    @Test
    void somethingThatIsNotAnIpv6DatagramIsCountedAsMalformed() {
        byte[] v4 = udp(PEER, OURS, 0);
        v4[0] = 0x45;
        assertFalse(send(1, 4, 0, v4));
        assertFalse(send(1, 4, 0, new byte[39]));
        assertEquals(2, count("error.not_sent.malformed"));
    }

    @Test
    void theTokenBucketEmptiesThenRefillsInVirtualTime() {
        // 10 a second in bursts of 3, over all destinations and for each.
        icmp = new DefaultIcmpv6(ip, new IcmpConfig(10, 3), StackContext.seeded(loop, 1, "test"));
        byte[] offending = udp(PEER, OURS, 0);
        int sent = 0;
        for (int i = 0; i < 10; i++) {
            sent += send(1, 4, 0, offending) ? 1 : 0;
        }
        assertEquals(3, sent);
        assertEquals(7, count("error.not_sent.rate_limited"));
        loop.runFor(100 * MILLI - 1);
        assertFalse(send(1, 4, 0, offending), "not a whole token yet");
        loop.runFor(1);
        assertTrue(send(1, 4, 0, offending), "one token after 100 ms");
        assertFalse(send(1, 4, 0, offending));
        loop.runFor(1000 * MILLI);
        sent = 0;
        for (int i = 0; i < 10; i++) {
            sent += send(1, 4, 0, offending) ? 1 : 0;
        }
        assertEquals(3, sent, "refilled to the burst, no more");
        assertEquals(7, ip.sent.size());
    }

    @Test
    void eachDestinationHasABucketOfItsOwn() {
        // Linux's icmpv6 ratelimit per peer: one a second in bursts of six to each source.
        icmp = new DefaultIcmpv6(ip, IcmpConfig.DEFAULT, StackContext.seeded(loop, 1, "test"));
        Ipv6Address other = Ipv6Address.parse("2001:2::99");
        int toPeer = 0;
        int toOther = 0;
        for (int i = 0; i < 20; i++) {
            toPeer += send(1, 4, 0, udp(PEER, OURS, 0)) ? 1 : 0;
        }
        for (int i = 0; i < 20; i++) {
            toOther += send(1, 4, 0, udp(other, OURS, 0)) ? 1 : 0;
        }
        assertEquals(6, toPeer);
        assertEquals(6, toOther, "the peer's flood leaves the other's budget alone");
        assertEquals(28, count("error.not_sent.rate_limited_destination"));
        loop.runFor(1000 * MILLI);
        assertTrue(send(1, 4, 0, udp(PEER, OURS, 0)));
        assertFalse(send(1, 4, 0, udp(PEER, OURS, 0)));
    }

    @Test
    void aFailedWriteIsCountedAndNothingIsSentOnceDisconnected() {
        ip.refuseWith = new org.tcpip4j.ip.IpError.NoRoute(PEER);
        assertFalse(send(1, 4, 0, udp(PEER, OURS, 0)));
        assertEquals(1, count("tx.error_failed"));
        ip.refuseWith = null;
        icmp.disconnect();
        assertFalse(send(1, 4, 0, udp(PEER, OURS, 0)));
        assertTrue(ip.sent.isEmpty());
    }
}
