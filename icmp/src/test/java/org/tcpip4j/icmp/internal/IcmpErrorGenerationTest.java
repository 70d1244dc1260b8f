package org.tcpip4j.icmp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.tcpip4j.icmp.IcmpConfig;
import org.tcpip4j.ip.IcmpError;
import org.tcpip4j.netif.InternetChecksum;
import org.tcpip4j.netif.Ipv4Address;
import org.tcpip4j.netif.Ipv4Cidr;
import org.tcpip4j.netif.loop.StackContext;
import org.tcpip4j.netif.loop.VirtualTimeEventLoop;

/** Errors about received datagrams: exact messages, the RFC 1122 3.2.2 rules, the rate limit. */
class IcmpErrorGenerationTest {

    private static final HexFormat HEX = HexFormat.of();
    private static final long MILLI = 1_000_000L;
    private static final Ipv4Address OURS = Ipv4Address.parse("198.18.0.1");
    private static final Ipv4Address PEER = Ipv4Address.parse("198.18.0.2");

    private final VirtualTimeEventLoop loop = new VirtualTimeEventLoop();
    private final CapturingIpv4 ip = new CapturingIpv4(new Ipv4Cidr(OURS, 24));
    private DefaultIcmpv4 icmp = new DefaultIcmpv4(ip, new IcmpConfig(10, 3), StackContext.seeded(loop, 1, "test"));

    /** A datagram with a 20-byte header; {@code fragment} is the flags and offset word. */
    static byte[] datagram(Ipv4Address src, Ipv4Address dst, int protocol, int fragment, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(20 + payload.length);
        b.put(0, (byte) 0x45).putShort(2, (short) (20 + payload.length)).putShort(4, (short) 0x1234)
                .putShort(6, (short) fragment).put(8, (byte) 64).put(9, (byte) protocol);
        src.write(b, 12);
        dst.write(b, 16);
        b.putShort(10, (short) InternetChecksum.compute(b, 0, 20));
        b.put(20, payload);
        return b.array();
    }

    /** A UDP datagram from the peer's port 5353 to our port 9 with {@code data}. */
    private static byte[] udpToPort9(Ipv4Address src, Ipv4Address dst, String dataHex) {
        byte[] data = HEX.parseHex(dataHex);
        ByteBuffer udp = ByteBuffer.allocate(8 + data.length);
        udp.putShort(0, (short) 5353).putShort(2, (short) 9).putShort(4, (short) (8 + data.length)).put(8, data);
        return datagram(src, dst, 17, 0, udp.array());
    }

    private boolean send(IcmpError.Kind kind, byte[] datagram) {
        // Behind an Ethernet header, as the IPv4 layer hands it over.
        ByteBuffer b = ByteBuffer.allocate(14 + datagram.length + 4);
        b.put(14, datagram).position(14).limit(14 + datagram.length);
        return icmp.sendError(kind, b);
    }

    private long count(String name) {
        return icmp.counters().get(name);
    }

    @Test
    void aPortUnreachableQuotesTheWholeDatagramFromTheAddressItWasSentTo() {
        byte[] offending = udpToPort9(PEER, OURS, "68656c6c6f");
        assertTrue(send(IcmpError.Kind.PORT_UNREACHABLE, offending));
        assertEquals(1, ip.sent.size());
        CapturingIpv4.Sent sent = ip.sent.get(0);
        assertEquals(OURS, sent.src());
        assertEquals(PEER, sent.dst());
        assertEquals(1, sent.protocol());
        byte[] m = sent.payload();
        assertEquals("0303", HEX.formatHex(m, 0, 2));
        assertEquals("00000000", HEX.formatHex(m, 4, 8), "unused");
        assertEquals(HEX.formatHex(offending), HEX.formatHex(Arrays.copyOfRange(m, 8, m.length)));
        assertEquals(0, InternetChecksum.compute(ByteBuffer.wrap(m), 0, m.length));
        assertEquals(1, count("tx.destination_unreachable"));
    }

    @Test
    void theOtherKindsHaveTheirTypeAndCode() {
        icmp = new DefaultIcmpv4(ip, new IcmpConfig(1000, 100), StackContext.seeded(loop, 1, "test"));
        byte[] offending = datagram(PEER, OURS, 253, 0, new byte[8]);
        String[][] expected = {
            {"PROTOCOL_UNREACHABLE", "0302"}, {"NETWORK_UNREACHABLE", "0300"}, {"HOST_UNREACHABLE", "0301"},
            {"SOURCE_ROUTE_FAILED", "0305"}, {"ADMINISTRATIVELY_PROHIBITED", "030d"}, {"TTL_EXCEEDED", "0b00"},
            {"REASSEMBLY_TIME_EXCEEDED", "0b01"},
        };
        for (String[] e : expected) {
            ip.sent.clear();
            assertTrue(send(IcmpError.Kind.valueOf(e[0]), offending), e[0]);
            assertEquals(e[1], HEX.formatHex(ip.sent.get(0).payload(), 0, 2), e[0]);
        }
        assertEquals(2, count("tx.time_exceeded"));
        assertEquals(5, count("tx.destination_unreachable"));
    }

    @Test
    void kindsAHostCannotGenerateAreRefused() {
        byte[] offending = datagram(PEER, OURS, 17, 0, new byte[8]);
        for (IcmpError.Kind k : new IcmpError.Kind[] {IcmpError.Kind.FRAGMENTATION_NEEDED,
            IcmpError.Kind.PARAMETER_PROBLEM, IcmpError.Kind.OTHER_UNREACHABLE}) {
            assertThrows(IllegalArgumentException.class, () -> send(k, offending));
        }
    }

    @Test
    void theQuoteStopsWhereTheIcmpDatagramWouldPass576Bytes() {
        byte[] offending = datagram(PEER, OURS, 17, 0, new byte[1400]);
        assertTrue(send(IcmpError.Kind.PORT_UNREACHABLE, offending));
        byte[] m = ip.sent.get(0).payload();
        assertEquals(576 - 20, m.length);
        assertEquals(HEX.formatHex(offending, 0, 548), HEX.formatHex(m, 8, m.length));
    }

    @Test
    void neverAboutAnIcmpError() {
        byte[] unreachable = HEX.parseHex("03030000000000004500001c00000000401100000000000000000000");
        assertFalse(send(IcmpError.Kind.REASSEMBLY_TIME_EXCEEDED, datagram(PEER, OURS, 1, 0, unreachable)));
        byte[] unknownType = HEX.parseHex("2a000000");
        assertFalse(send(IcmpError.Kind.REASSEMBLY_TIME_EXCEEDED, datagram(PEER, OURS, 1, 0, unknownType)));
        assertFalse(send(IcmpError.Kind.REASSEMBLY_TIME_EXCEEDED, datagram(PEER, OURS, 1, 0, new byte[0])));
        assertEquals(3, count("error.not_sent.about_icmp_error"));
        byte[] echoRequest = HEX.parseHex("0800f7ff00000000");
        assertTrue(send(IcmpError.Kind.REASSEMBLY_TIME_EXCEEDED, datagram(PEER, OURS, 1, 0x2000, echoRequest)),
                "an echo request is a query: its timed-out first fragment is answered");
    }

    @Test
    void neverAboutADatagramToABroadcastOrMulticastAddress() {
        for (String dst : new String[] {"255.255.255.255", "198.18.0.255", "224.0.0.1", "239.1.2.3", "240.0.0.1"}) {
            assertFalse(send(IcmpError.Kind.PORT_UNREACHABLE, udpToPort9(PEER, Ipv4Address.parse(dst), "00")), dst);
        }
        assertEquals(5, count("error.not_sent.about_broadcast"));
        assertTrue(ip.sent.isEmpty());
    }

    @Test
    void neverAboutANonInitialFragment() {
        assertFalse(send(IcmpError.Kind.REASSEMBLY_TIME_EXCEEDED, datagram(PEER, OURS, 17, 0x2001, new byte[8])));
        assertFalse(send(IcmpError.Kind.PROTOCOL_UNREACHABLE, datagram(PEER, OURS, 99, 0x0010, new byte[8])));
        assertEquals(2, count("error.not_sent.about_fragment"));
        assertTrue(send(IcmpError.Kind.REASSEMBLY_TIME_EXCEEDED, datagram(PEER, OURS, 17, 0x2000, new byte[8])),
                "the first fragment, MF set and offset zero, is answered");
    }

    @Test
    void neverToASourceThatIsNotOneHost() {
        for (String src : new String[] {"0.0.0.0", "0.1.2.3", "127.0.0.1", "255.255.255.255", "198.18.0.255",
            "224.0.0.5", "250.1.1.1"}) {
            assertFalse(send(IcmpError.Kind.PORT_UNREACHABLE, udpToPort9(Ipv4Address.parse(src), OURS, "00")), src);
        }
        assertEquals(7, count("error.not_sent.bad_source"));
        assertTrue(ip.sent.isEmpty());
    }

    @Test
    void malformedDatagramsGetNoError() {
        byte[] ok = udpToPort9(PEER, OURS, "00");
        assertFalse(send(IcmpError.Kind.PORT_UNREACHABLE, Arrays.copyOf(ok, 19)));
        byte[] v6 = ok.clone();
        v6[0] = 0x65;
        assertFalse(send(IcmpError.Kind.PORT_UNREACHABLE, v6));
        byte[] longHeader = ok.clone();
        longHeader[0] = 0x4f;
        assertFalse(send(IcmpError.Kind.PORT_UNREACHABLE, longHeader));
        assertEquals(3, count("error.not_sent.malformed"));
    }

    @Test
    void errorsAreRateLimitedByATokenBucketInVirtualTime() {
        byte[] offending = udpToPort9(PEER, OURS, "00");
        int sent = 0;
        for (int i = 0; i < 10; i++) {
            sent += send(IcmpError.Kind.PORT_UNREACHABLE, offending) ? 1 : 0;
        }
        assertEquals(3, sent, "the burst");
        assertEquals(7, count("error.not_sent.rate_limited"));
        loop.runFor(100 * MILLI - 1);
        assertFalse(send(IcmpError.Kind.PORT_UNREACHABLE, offending));
        loop.runFor(1);
        assertTrue(send(IcmpError.Kind.PORT_UNREACHABLE, offending), "one token per 100 ms at 10 per second");
        assertFalse(send(IcmpError.Kind.PORT_UNREACHABLE, offending));
        loop.runFor(60_000 * MILLI);
        sent = 0;
        for (int i = 0; i < 10; i++) {
            sent += send(IcmpError.Kind.PORT_UNREACHABLE, offending) ? 1 : 0;
        }
        assertEquals(3, sent, "a quiet minute refills the burst and no more");
        assertEquals(7, ip.sent.size());
    }

    @Test
    void errorsAreAlsoLimitedPerDestinationSoOneHostCannotTakeTheWholeBudget() {
        icmp = new DefaultIcmpv4(ip, IcmpConfig.DEFAULT, StackContext.seeded(loop, 1, "test"));
        Ipv4Address other = Ipv4Address.parse("198.18.0.3");
        int toPeer = 0;
        int toOther = 0;
        for (int i = 0; i < 50; i++) {
            toPeer += send(IcmpError.Kind.PORT_UNREACHABLE, udpToPort9(PEER, OURS, "00")) ? 1 : 0;
        }
        for (int i = 0; i < 50; i++) {
            toOther += send(IcmpError.Kind.PORT_UNREACHABLE, udpToPort9(other, OURS, "00")) ? 1 : 0;
        }
        assertEquals(6, toPeer, "the burst one destination gets");
        assertEquals(6, toOther, "another destination has its own");
        assertEquals(88, count("error.not_sent.rate_limited_destination"));
        assertEquals(0, count("error.not_sent.rate_limited"));
        assertEquals(2, count("error.rate_limit.destinations"));
        loop.runFor(1000 * MILLI);
        assertTrue(send(IcmpError.Kind.PORT_UNREACHABLE, udpToPort9(PEER, OURS, "00")), "one a second");
        assertFalse(send(IcmpError.Kind.PORT_UNREACHABLE, udpToPort9(PEER, OURS, "00")));
    }

    @Test
    void theGlobalLimitHoldsAcrossManyDestinations() {
        icmp = new DefaultIcmpv4(ip, IcmpConfig.DEFAULT, StackContext.seeded(loop, 1, "test"));
        int sent = 0;
        for (int i = 0; i < 200; i++) {
            Ipv4Address spoofed = Ipv4Address.of(198, 18, 1 + i / 250, 1 + i % 250);
            sent += send(IcmpError.Kind.PORT_UNREACHABLE, udpToPort9(spoofed, OURS, "00")) ? 1 : 0;
        }
        assertEquals(20, sent, "the global burst");
        assertEquals(180, count("error.not_sent.rate_limited"));
    }

    @Test
    void echoRepliesAreNotRateLimited() {
        byte[] request = new byte[8];
        new org.tcpip4j.icmp.internal.wire.IcmpHeader(8, 0, 0x00010001, 0).emit(ByteBuffer.wrap(request), 0);
        for (int i = 0; i < 50; i++) {
            icmp.input(PEER, OURS, ByteBuffer.wrap(request.clone()));
        }
        assertEquals(50, count("tx.echo_replies"));
    }

    @Test
    void aZeroRateSendsNoErrorsAtAll() {
        icmp = new DefaultIcmpv4(ip, new IcmpConfig(0, 1), StackContext.seeded(loop, 1, "test"));
        assertFalse(send(IcmpError.Kind.PORT_UNREACHABLE, udpToPort9(PEER, OURS, "00")));
        assertEquals(1, count("error.not_sent.rate_limited"));
    }

    @Test
    void aFailedWriteIsCounted() {
        ip.refuseWith = new org.tcpip4j.ip.IpError.NoRoute(PEER);
        assertFalse(send(IcmpError.Kind.PORT_UNREACHABLE, udpToPort9(PEER, OURS, "00")));
        assertEquals(1, count("tx.error_failed"));
    }

    @Test
    void aDatagramToAnAddressNotOursIsAnsweredFromTheAddressTheIpLayerPicks() {
        // Not one of ours (a datagram accepted as a broadcast would be refused earlier): IP chooses.
        assertTrue(send(IcmpError.Kind.PORT_UNREACHABLE, udpToPort9(PEER, Ipv4Address.parse("198.18.0.7"), "00")));
        assertNull(ip.sent.get(0).src());
    }

    @Test
    void nothingIsSentOnceDisconnected() {
        icmp.disconnect();
        assertFalse(send(IcmpError.Kind.PORT_UNREACHABLE, udpToPort9(PEER, OURS, "00")));
        assertTrue(ip.sent.isEmpty());
    }
}
