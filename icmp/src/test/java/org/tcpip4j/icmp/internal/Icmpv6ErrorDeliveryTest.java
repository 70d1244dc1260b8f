package org.tcpip4j.icmp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tcpip4j.icmp.internal.DefaultIcmpv6Test.OURS;
import static org.tcpip4j.icmp.internal.DefaultIcmpv6Test.OURS_LINK_LOCAL;
import static org.tcpip4j.icmp.internal.DefaultIcmpv6Test.PEER;
import static org.tcpip4j.icmp.internal.DefaultIcmpv6Test.failure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.tcpip4j.icmp.IcmpConfig;
import org.tcpip4j.icmp.IcmpException;
import org.tcpip4j.ip.IcmpError;
import org.tcpip4j.netif.Ipv6Address;
import org.tcpip4j.netif.Ipv6Cidr;
import org.tcpip4j.netif.loop.StackContext;
import org.tcpip4j.netif.loop.VirtualTimeEventLoop;

/** Received ICMPv6 errors: the quote walked, checked, mapped to IcmpError and delivered. */
class Icmpv6ErrorDeliveryTest {

    private static final Ipv6Address ROUTER = Ipv6Address.parse("fe80::fe");
    private static final Ipv6Address FAR = Ipv6Address.parse("2001:2:0:5::5");
    /** A UDP header from port 40000 to port 9, length 16, checksum 0. */
    private static final long UDP_HEADER = 0x9c40_0009_0010_0000L;

    private final VirtualTimeEventLoop loop = new VirtualTimeEventLoop();
    private final CapturingIpv6 ip = new CapturingIpv6(new Ipv6Cidr(OURS, 64), new Ipv6Cidr(OURS_LINK_LOCAL, 64));
    private final DefaultIcmpv6 icmp = new DefaultIcmpv6(ip, IcmpConfig.DEFAULT, StackContext.seeded(loop, 1, "t"));
    private final List<IcmpError> delivered = new ArrayList<>();

    {
        icmp.onError(delivered::add);
    }

    /** A UDP datagram of ours to {@code dst} behind {@code chain}, as a router would quote it. */
    private static byte[] udpFromUs(Ipv6Address dst, byte[]... chain) {
        byte[] udp = Ipv6Packets.udp(8);
        return Ipv6Packets.datagram(OURS, dst, 17, chain, udp);
    }

    private void input(Ipv6Address from, int type, int code, int rest, byte[] quote) {
        icmp.input(from, OURS, Ipv6Packets.received(Ipv6Packets.icmp(from, OURS, type, code, rest, quote)));
    }

    private long count(String name) {
        return icmp.counters().get(name);
    }

    @Test
    void aPortUnreachableIsDeliveredWithTheQuotedAddressesAndPorts() {
        input(PEER, 1, 4, 0, udpFromUs(PEER));
        assertEquals(List.of(new IcmpError(IcmpError.Kind.PORT_UNREACHABLE, 1, 4, 0, PEER, OURS, PEER, 17,
                UDP_HEADER)), delivered);
        assertEquals(40000, delivered.get(0).sourcePort());
        assertEquals(9, delivered.get(0).destinationPort());
        assertEquals(1, count("rx.destination_unreachable"));
        assertEquals(1, count("rx.errors_delivered"));
        assertTrue(ip.sent.isEmpty(), "an error is never answered");
    }

    @Test
    void eachTypeAndCodeMapsToItsKind() {
        Object[][] expected = {
            {1, 0, IcmpError.Kind.NETWORK_UNREACHABLE}, {1, 1, IcmpError.Kind.ADMINISTRATIVELY_PROHIBITED},
            {1, 2, IcmpError.Kind.OTHER_UNREACHABLE}, {1, 3, IcmpError.Kind.HOST_UNREACHABLE},
            {1, 4, IcmpError.Kind.PORT_UNREACHABLE}, {1, 5, IcmpError.Kind.ADMINISTRATIVELY_PROHIBITED},
            {1, 6, IcmpError.Kind.ADMINISTRATIVELY_PROHIBITED}, {1, 7, IcmpError.Kind.OTHER_UNREACHABLE},
            {3, 0, IcmpError.Kind.TTL_EXCEEDED}, {3, 1, IcmpError.Kind.REASSEMBLY_TIME_EXCEEDED},
            {4, 0, IcmpError.Kind.PARAMETER_PROBLEM}, {4, 1, IcmpError.Kind.PROTOCOL_UNREACHABLE},
            {4, 2, IcmpError.Kind.PARAMETER_PROBLEM}, {4, 3, IcmpError.Kind.PARAMETER_PROBLEM},
            // RFC 4443 2.4 (b): an unknown error type goes to the upper layer too.
            {100, 0, IcmpError.Kind.OTHER_UNREACHABLE}, {0, 9, IcmpError.Kind.OTHER_UNREACHABLE},
        };
        for (Object[] e : expected) {
            delivered.clear();
            input(ROUTER, (int) e[0], (int) e[1], 0, udpFromUs(FAR));
            assertEquals(1, delivered.size(), e[0] + "/" + e[1]);
            IcmpError d = delivered.get(0);
            assertEquals(e[2], d.kind(), e[0] + "/" + e[1]);
            assertEquals((int) e[0], d.type());
            assertEquals((int) e[1], d.code());
            assertEquals(0, d.nextHopMtu());
            assertEquals(ROUTER, d.reporter());
        }
        assertEquals(8, count("rx.destination_unreachable"));
        assertEquals(2, count("rx.time_exceeded"));
        assertEquals(4, count("rx.parameter_problem"));
        assertEquals(2, count("rx.other_errors"));
    }

    @Test
    void aPacketTooBigCarriesItsMtuRaisedTo1280AndLowersNothingItself() {
        input(ROUTER, 2, 0, 1400, udpFromUs(FAR));
        input(ROUTER, 2, 0, 1000, udpFromUs(FAR));
        input(ROUTER, 2, 0, 0, udpFromUs(FAR));
        input(ROUTER, 2, 0, 0xffff_ffff, udpFromUs(FAR));
        assertEquals(4, delivered.size());
        assertEquals(IcmpError.Kind.FRAGMENTATION_NEEDED, delivered.get(0).kind());
        assertEquals(1400, delivered.get(0).nextHopMtu());
        assertEquals(1280, delivered.get(1).nextHopMtu(), "RFC 8201 4: never below the minimum MTU");
        assertEquals(1280, delivered.get(2).nextHopMtu());
        assertEquals(Integer.MAX_VALUE, delivered.get(3).nextHopMtu(), "an unsigned field");
        assertTrue(ip.pathMtuUpdates.isEmpty(), "the transport checks it and lowers the path MTU");
        assertEquals(4, count("rx.packet_too_big"));
    }

    @Test
    void theQuotedExtensionHeadersAreWalkedToTheTransportHeader() {
        input(ROUTER, 1, 4, 0, udpFromUs(FAR, Ipv6Packets.hopByHop(), Ipv6Packets.destinationOptions(1),
                Ipv6Packets.fragment(0)));
        assertEquals(1, delivered.size());
        assertEquals(17, delivered.get(0).protocol());
        assertEquals(UDP_HEADER, delivered.get(0).transportHeader());
        assertEquals(FAR, delivered.get(0).destination());
    }

    @Test
    void aQuoteOfALaterFragmentCannotBeMatchedAndIsDropped() {
        input(ROUTER, 1, 4, 0, udpFromUs(FAR, Ipv6Packets.fragment(1232)));
        assertTrue(delivered.isEmpty());
        assertEquals(1, count("rx.quote.not_first_fragment"));
    }

    @Test
    void quotesThatDoNotReachEightBytesOfTheTransportHeaderAreDropped() {
        byte[] whole = udpFromUs(FAR, Ipv6Packets.hopByHop());
        input(ROUTER, 1, 4, 0, java.util.Arrays.copyOf(whole, 40 + 8 + 7));
        input(ROUTER, 1, 4, 0, java.util.Arrays.copyOf(whole, 40 + 4));
        input(ROUTER, 1, 4, 0, java.util.Arrays.copyOf(whole, 39));
        byte[] v4 = whole.clone();
        v4[0] = 0x45;
        input(ROUTER, 1, 4, 0, v4);
        byte[][] chain = new byte[17][];
        java.util.Arrays.fill(chain, Ipv6Packets.destinationOptions(1));
        input(ROUTER, 1, 4, 0, udpFromUs(FAR, chain));
        assertTrue(delivered.isEmpty());
        assertEquals(2, count("rx.quote.truncated"));
        assertEquals(1, count("rx.quote.too_short"));
        assertEquals(1, count("rx.quote.bad_version"));
        assertEquals(1, count("rx.quote.chain_too_long"));
    }

    @Test
    void onlyErrorsAboutDatagramsFromOurAddressesAreDelivered() {
        input(ROUTER, 1, 4, 0, Ipv6Packets.datagram(PEER, FAR, 17, Ipv6Packets.udp(8)));
        assertTrue(delivered.isEmpty());
        assertEquals(1, count("rx.errors_not_about_ours"));
        input(ROUTER, 1, 4, 0, Ipv6Packets.datagram(OURS_LINK_LOCAL, ROUTER, 17, Ipv6Packets.udp(8)));
        assertEquals(1, delivered.size(), "the link-local address is ours too");
    }

    @Test
    void anErrorAboutOurEchoRequestFailsThePingAndGoesNoFurther() {
        CompletableFuture<Duration> rtt = icmp.ping(FAR, 8, Duration.ofSeconds(1));
        byte[] request = ip.sent.get(0).payload();
        input(ROUTER, 3, 0, 0, Ipv6Packets.datagram(OURS, FAR, 58, request));
        IcmpException.ErrorReported e = assertInstanceOf(IcmpException.ErrorReported.class,
                failure(rtt));
        assertEquals(IcmpError.Kind.TTL_EXCEEDED, e.error().kind());
        assertEquals(ROUTER, e.error().reporter());
        assertTrue(delivered.isEmpty());
        assertEquals(1, count("ping.errors"));
        assertEquals(0, loop.pendingTimers());
    }

    @Test
    void anErrorAboutAnotherEchoRequestFailsNoPing() {
        CompletableFuture<Duration> rtt = icmp.ping(FAR, 8, Duration.ofSeconds(1));
        byte[] other = ip.sent.get(0).payload().clone();
        other[4] ^= 1;
        input(ROUTER, 1, 0, 0, Ipv6Packets.datagram(OURS, FAR, 58, other));
        byte[] elsewhere = ip.sent.get(0).payload();
        input(ROUTER, 1, 0, 0, Ipv6Packets.datagram(OURS, PEER, 58, elsewhere));
        assertFalse(rtt.isDone());
        assertEquals(2, count("rx.errors_unclaimed"));
    }

    @Test
    void withoutAHandlerAnErrorIsCountedUnclaimed() {
        icmp.onError(null);
        input(PEER, 1, 4, 0, udpFromUs(PEER));
        assertEquals(1, count("rx.errors_unclaimed"));
    }
}
