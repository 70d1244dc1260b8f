package org.tcpip4j.icmp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.tcpip4j.icmp.IcmpException;
import org.tcpip4j.icmp.internal.wire.IcmpHeader;
import org.tcpip4j.icmp.internal.wire.QuotedDatagram;
import org.tcpip4j.ip.IcmpError;
import org.tcpip4j.netif.Ipv4Address;
import org.tcpip4j.netif.Ipv4Cidr;
import org.tcpip4j.netif.loop.Secrets;
import org.tcpip4j.netif.loop.StackContext;
import org.tcpip4j.netif.loop.VirtualTimeEventLoop;

/** Received errors: parsed, checked, and delivered to the transport, the ping, or the path MTU. */
class IcmpErrorDeliveryTest {

    private static final HexFormat HEX = HexFormat.of();
    private static final Ipv4Address OURS = Ipv4Address.parse("198.18.0.1");
    private static final Ipv4Address PEER = Ipv4Address.parse("198.18.0.2");
    private static final Ipv4Address ROUTER = Ipv4Address.parse("198.18.0.254");
    private static final Ipv4Address FAR = Ipv4Address.parse("198.19.5.5");
    /** The identifier of a layer whose context is seeded with 1. */
    private static final int IDENTIFIER = Secrets.deterministic(1).nextInt() & 0xffff;

    private final VirtualTimeEventLoop loop = new VirtualTimeEventLoop();
    private final CapturingIpv4 ip = new CapturingIpv4(new Ipv4Cidr(OURS, 24));
    private final DefaultIcmpv4 icmp = new DefaultIcmpv4(ip, StackContext.seeded(loop, 1, "test"));
    private final List<IcmpError> delivered = new ArrayList<>();

    {
        icmp.onError(delivered::add);
    }

    /** An error message of {@code type}/{@code code} quoting {@code quote}, with {@code extra} payload bytes. */
    private static byte[] error(int type, int code, int rest, QuotedDatagram quote, int extra) {
        byte[] m = new byte[8 + quote.bufferLength() + extra];
        quote.emit(ByteBuffer.wrap(m), 8);
        new IcmpHeader(type, code, rest, m.length - 8).emit(ByteBuffer.wrap(m), 0);
        return m;
    }

    private static QuotedDatagram udpFromUs(Ipv4Address dst, boolean df, int totalLength) {
        return new QuotedDatagram(20, totalLength, df, 0, 17, OURS, dst, 0x9c40_0009_0010_0000L);
    }

    private void input(Ipv4Address from, byte[] message) {
        ByteBuffer b = ByteBuffer.allocate(34 + message.length);
        b.put(34, message).position(34);
        icmp.input(from, OURS, b);
    }

    private long count(String name) {
        return icmp.counters().get(name);
    }

    @Test
    void aPortUnreachableIsDeliveredWithTheQuotedAddressesAndPorts() {
        input(PEER, error(3, 3, 0, udpFromUs(PEER, false, 36), 0));
        assertEquals(1, delivered.size());
        IcmpError e = delivered.get(0);
        assertEquals(new IcmpError(IcmpError.Kind.PORT_UNREACHABLE, 3, 3, 0, PEER, OURS, PEER, 17,
                0x9c40_0009_0010_0000L), e);
        assertEquals(40000, e.sourcePort());
        assertEquals(9, e.destinationPort());
        assertEquals(1, count("rx.errors_delivered"));
        assertTrue(ip.sent.isEmpty(), "an error is never answered");
    }

    @Test
    void eachTypeAndCodeMapsToItsKind() {
        int[][] cases = {{3, 0}, {3, 1}, {3, 2}, {3, 4}, {3, 5}, {3, 6}, {3, 7}, {3, 9}, {3, 10}, {3, 13}, {3, 14},
            {11, 0}, {11, 1}, {12, 0}};
        String[] kinds = {"NETWORK_UNREACHABLE", "HOST_UNREACHABLE", "PROTOCOL_UNREACHABLE", "FRAGMENTATION_NEEDED",
            "SOURCE_ROUTE_FAILED", "NETWORK_UNREACHABLE", "HOST_UNREACHABLE", "NETWORK_UNREACHABLE",
            "HOST_UNREACHABLE", "ADMINISTRATIVELY_PROHIBITED", "OTHER_UNREACHABLE", "TTL_EXCEEDED",
            "REASSEMBLY_TIME_EXCEEDED", "PARAMETER_PROBLEM"};
        for (int[] c : cases) {
            input(ROUTER, error(c[0], c[1], 0, udpFromUs(FAR, true, 1500), 0));
        }
        assertEquals(List.of(kinds), delivered.stream().map(e -> e.kind().name()).toList());
    }

    @Test
    void sourceQuenchAndRedirectAreIgnored() {
        input(ROUTER, error(4, 0, 0, udpFromUs(FAR, false, 100), 0));
        input(ROUTER, error(5, 1, ROUTER.bits(), udpFromUs(FAR, false, 100), 0));
        assertTrue(delivered.isEmpty());
        assertEquals(2, count("rx.errors_ignored"));
    }

    @Test
    void anErrorAboutADatagramWeDidNotSendIsDropped() {
        QuotedDatagram notOurs = new QuotedDatagram(20, 36, false, 0, 17, PEER, FAR, 0);
        input(ROUTER, error(3, 3, 0, notOurs, 0));
        assertTrue(delivered.isEmpty());
        assertEquals(1, count("rx.errors_not_about_ours"));
    }

    @Test
    void malformedQuotesAreCountedByReason() {
        byte[] tooShort = new byte[8 + 12];
        new IcmpHeader(3, 3, 0, 12).emit(ByteBuffer.wrap(tooShort), 0);
        input(PEER, tooShort);
        byte[] truncated = error(3, 3, 0, udpFromUs(PEER, false, 36), 0);
        byte[] cut = java.util.Arrays.copyOf(truncated, truncated.length - 1);
        new IcmpHeader(3, 3, 0, cut.length - 8).emit(ByteBuffer.wrap(cut), 0);
        input(PEER, cut);
        byte[] version6 = error(3, 3, 0, udpFromUs(PEER, false, 36), 0);
        version6[8] = 0x65;
        new IcmpHeader(3, 3, 0, version6.length - 8).emit(ByteBuffer.wrap(version6), 0);
        input(PEER, version6);
        assertTrue(delivered.isEmpty());
        assertEquals(1, count("rx.quote.too_short"));
        assertEquals(1, count("rx.quote.truncated"));
        assertEquals(1, count("rx.quote.bad_version"));
        assertEquals(3, count("rx.destination_unreachable"), "still counted by type");
    }

    @Test
    void fragmentationNeededIsDeliveredWithItsMtuAndLowersNoPathMtuItself() {
        input(ROUTER, error(3, 4, 1400, udpFromUs(FAR, true, 1500), 0));
        assertEquals(1400, delivered.get(0).nextHopMtu());
        assertTrue(ip.pathMtuUpdates.isEmpty(), "only the transport, after its checks, lowers a path MTU");
    }

    @Test
    void withoutANextHopMtuThePlateauBelowTheDatagramIsUsed() {
        input(ROUTER, error(3, 4, 0, udpFromUs(FAR, true, 1500), 0));
        input(ROUTER, error(3, 4, 1500, udpFromUs(FAR, true, 1500), 0));
        input(ROUTER, error(3, 4, 0, udpFromUs(FAR, true, 1006), 0));
        assertEquals(List.of(1492, 1492, 508), delivered.stream().map(IcmpError::nextHopMtu).toList());
    }

    @Test
    void fragmentationNeededAboutADatagramWithoutDfIsStillReported() {
        input(ROUTER, error(3, 4, 1000, udpFromUs(FAR, false, 1500), 0));
        assertTrue(ip.pathMtuUpdates.isEmpty());
        assertEquals(1, delivered.size(), "still reported to the transport");
    }

    @Test
    void anErrorAboutOurEchoRequestFailsThePing() {
        CompletableFuture<Duration> rtt = icmp.ping(FAR, 8, Duration.ofSeconds(1));
        byte[] request = ip.sent.get(0).payload();
        long start = ByteBuffer.wrap(request).getLong(0);
        QuotedDatagram quote = new QuotedDatagram(20, 36, false, 0, 1, OURS, FAR, start);
        input(ROUTER, error(3, 1, 0, quote, 0));
        IcmpException.ErrorReported e = assertInstanceOf(IcmpException.ErrorReported.class,
                assertThrows(ExecutionException.class, rtt::get).getCause());
        assertEquals(IcmpError.Kind.HOST_UNREACHABLE, e.error().kind());
        assertEquals(ROUTER, e.error().reporter());
        assertEquals(0, loop.pendingTimers());
        assertTrue(delivered.isEmpty(), "not handed to the transports");
        assertEquals(1, count("ping.errors"));
    }

    @Test
    void anErrorAboutSomeoneElsesEchoRequestFailsNoPing() {
        CompletableFuture<Duration> rtt = icmp.ping(FAR, 8, Duration.ofSeconds(1));
        long otherIdentifier = 0x0800_0000_0000_0000L | ((long) (IDENTIFIER ^ 1) << 16);
        input(ROUTER, error(3, 1, 0, new QuotedDatagram(20, 36, false, 0, 1, OURS, FAR, otherIdentifier), 0));
        long toAnotherHost = 0x0800_0000_0000_0000L | ((long) IDENTIFIER << 16);
        input(ROUTER, error(3, 1, 0, new QuotedDatagram(20, 36, false, 0, 1, OURS, PEER, toAnotherHost), 0));
        assertFalse(rtt.isDone());
        assertEquals(2, count("rx.errors_unclaimed"));
    }

    @Test
    void withoutAHandlerErrorsAreCountedUnclaimed() {
        icmp.onError(null);
        input(PEER, error(3, 3, 0, udpFromUs(PEER, false, 36), 0));
        assertEquals(1, count("rx.errors_unclaimed"));
    }

    @Test
    void aQuoteLongerThanEightBytesIsAccepted() {
        input(PEER, error(3, 3, 0, udpFromUs(PEER, false, 600), 520));
        assertEquals(1, delivered.size());
    }

    @Test
    void theKindTableAndPlateausFollowTheRfcs() {
        assertEquals(IcmpError.Kind.PORT_UNREACHABLE, ErrorReceiver.kind(3, 3));
        assertEquals(null, ErrorReceiver.kind(4, 0));
        assertEquals(null, ErrorReceiver.kind(5, 0));
        assertEquals(576, ErrorReceiver.pathMtu(576, 1500));
        assertEquals(296, ErrorReceiver.pathMtu(0, 508));
        assertEquals(68, ErrorReceiver.pathMtu(0, 68));
    }
}
