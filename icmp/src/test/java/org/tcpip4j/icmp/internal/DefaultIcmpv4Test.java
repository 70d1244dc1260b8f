package org.tcpip4j.icmp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.tcpip4j.icmp.IcmpException;
import org.tcpip4j.icmp.IcmpProvider;
import org.tcpip4j.icmp.internal.wire.IcmpHeader;
import org.tcpip4j.icmp.internal.wire.IcmpType;
import org.tcpip4j.ip.IpError;
import org.tcpip4j.netif.InternetChecksum;
import org.tcpip4j.netif.Ipv4Address;
import org.tcpip4j.netif.Ipv4Cidr;
import org.tcpip4j.netif.loop.Secrets;
import org.tcpip4j.netif.loop.StackContext;
import org.tcpip4j.netif.loop.VirtualTimeEventLoop;

class DefaultIcmpv4Test {

    private static final HexFormat HEX = HexFormat.of();
    private static final long MILLI = 1_000_000L;
    private static final Ipv4Address OURS = Ipv4Address.parse("198.18.0.1");
    private static final Ipv4Address PEER = Ipv4Address.parse("198.18.0.2");
    /** The identifier of a layer whose context is seeded with 1. */
    private static final int IDENTIFIER = Secrets.deterministic(1).nextInt() & 0xffff;

    private final VirtualTimeEventLoop loop = new VirtualTimeEventLoop();
    private final CapturingIpv4 ip = new CapturingIpv4(new Ipv4Cidr(OURS, 24));
    private final DefaultIcmpv4 icmp = new DefaultIcmpv4(ip, StackContext.seeded(loop, 1, "test"));

    private static byte[] echo(int type, int id, int seq, String dataHex) {
        byte[] data = HEX.parseHex(dataHex);
        byte[] b = new byte[8 + data.length];
        System.arraycopy(data, 0, b, 8, data.length);
        IcmpHeader.echo(type, id, seq, data.length).emit(ByteBuffer.wrap(b), 0);
        return b;
    }

    private void input(Ipv4Address src, Ipv4Address dst, byte[] message) {
        ByteBuffer b = ByteBuffer.allocate(message.length + 34);
        b.put(34, message).position(34);
        icmp.input(src, dst, b);
    }

    private long count(String name) {
        return icmp.counters().get(name);
    }

    @Test
    void anEchoRequestIsAnsweredWithItsIdentifierSequenceAndDataFromTheAddressItWasSentTo() {
        input(PEER, OURS, echo(IcmpType.ECHO_REQUEST, 0x1234, 7, "6162636465"));
        assertEquals(1, ip.sent.size());
        CapturingIpv4.Sent reply = ip.sent.get(0);
        assertEquals(OURS, reply.src());
        assertEquals(PEER, reply.dst());
        assertEquals(1, reply.protocol());
        assertEquals(-1, reply.ttl());
        assertEquals(HEX.formatHex(echo(IcmpType.ECHO_REPLY, 0x1234, 7, "6162636465")), HEX.formatHex(reply.payload()));
        assertEquals(0, InternetChecksum.compute(ByteBuffer.wrap(reply.payload()), 0, reply.payload().length));
        assertEquals(1, count("tx.echo_replies"));
    }

    @Test
    void anEchoRequestToABroadcastOrMulticastAddressIsIgnoredByDefault() {
        for (String dst : new String[] {"255.255.255.255", "198.18.0.255", "224.0.0.1"}) {
            input(PEER, Ipv4Address.parse(dst), echo(IcmpType.ECHO_REQUEST, 1, 1, ""));
        }
        assertTrue(ip.sent.isEmpty());
        assertEquals(3, count("rx.echo_requests_to_broadcast_ignored"));
        assertEquals(0, count("tx.echo_replies"));
        // A request to our own address still is.
        input(PEER, OURS, echo(IcmpType.ECHO_REQUEST, 1, 2, ""));
        assertEquals(1, ip.sent.size());
    }

    @Test
    void anEchoRequestToABroadcastIsAnsweredFromTheAddressIpChoosesWhenEnabled() {
        DefaultIcmpv4 answering = new DefaultIcmpv4(ip, org.tcpip4j.icmp.IcmpConfig.DEFAULT.withEchoBroadcasts(true),
                StackContext.seeded(loop, 1, "test"));
        ByteBuffer request = ByteBuffer.wrap(echo(IcmpType.ECHO_REQUEST, 1, 1, ""));
        answering.input(PEER, Ipv4Address.parse("198.18.0.255"), request);
        assertNull(ip.sent.get(0).src());
        assertEquals(PEER, ip.sent.get(0).dst());
        assertEquals(1, answering.counters().get("tx.echo_replies"));
        assertEquals(0, answering.counters().get("rx.echo_requests_to_broadcast_ignored"));
    }

    @Test
    void anEchoRequestFromAnAddressThatIsNotOneHostIsNotAnswered() {
        for (String src : new String[] {"0.0.0.0", "0.1.2.3", "127.0.0.1", "240.0.0.1"}) {
            input(Ipv4Address.parse(src), OURS, echo(IcmpType.ECHO_REQUEST, 1, 1, ""));
        }
        assertTrue(ip.sent.isEmpty());
        assertEquals(4, count("rx.echo_requests_bad_source"));
    }

    @Test
    void aMessageWithABadChecksumIsCountedAndNotAnswered() {
        byte[] m = echo(IcmpType.ECHO_REQUEST, 1, 1, "00");
        m[8] = 1;
        input(PEER, OURS, m);
        input(PEER, OURS, HEX.parseHex("0800"));
        assertTrue(ip.sent.isEmpty());
        assertEquals(1, count("rx.bad_checksum"));
        assertEquals(1, count("rx.too_short"));
    }

    @Test
    void aPingCompletesWithTheRoundTripTimeWhenItsReplyComes() throws Exception {
        CompletableFuture<Duration> rtt = icmp.ping(PEER, 16, Duration.ofSeconds(1));
        CapturingIpv4.Sent request = ip.sent.get(0);
        assertNull(request.src());
        assertEquals(PEER, request.dst());
        assertEquals(24, request.payload().length);
        IcmpHeader h = (IcmpHeader) IcmpHeader.parse(ByteBuffer.wrap(request.payload()));
        assertEquals(IcmpHeader.echo(IcmpType.ECHO_REQUEST, IDENTIFIER, 1, 16), h, "the first request is sequence 1");
        loop.runFor(5 * MILLI);
        byte[] reply = request.payload().clone();
        reply[0] = 0;
        new org.tcpip4j.icmp.internal.wire.IcmpPacket().wrap(ByteBuffer.wrap(reply), 0, reply.length).fillChecksum();
        input(PEER, OURS, reply);
        assertEquals(Duration.ofMillis(5), rtt.get());
        assertEquals(0, loop.pendingTimers());
    }

    @Test
    void eachPingHasTheNextSequenceNumberFromOneAsLinuxPingAndTheLayersIdentifier() {
        icmp.ping(PEER, 0, Duration.ofSeconds(1));
        icmp.ping(PEER, 0, Duration.ofSeconds(1));
        assertEquals(HEX.formatHex(echo(IcmpType.ECHO_REQUEST, IDENTIFIER, 1, "")),
                HEX.formatHex(ip.sent.get(0).payload()));
        assertEquals(HEX.formatHex(echo(IcmpType.ECHO_REQUEST, IDENTIFIER, 2, "")),
                HEX.formatHex(ip.sent.get(1).payload()));
        assertEquals(IDENTIFIER, icmp.identifier());
    }

    @Test
    void aPingWithoutReplyFailsWithATimeoutAtItsDeadline() {
        CompletableFuture<Duration> rtt = icmp.ping(PEER, 8, Duration.ofMillis(300));
        loop.runFor(300 * MILLI - 1);
        assertFalse(rtt.isDone());
        loop.runFor(1);
        assertInstanceOf(IcmpException.Timeout.class, assertThrows(ExecutionException.class, rtt::get).getCause());
        assertEquals(0, icmp.pendingPings());
        assertEquals(1, count("ping.timeouts"));
    }

    @Test
    void repliesWithAnotherIdentifierOrFromAnotherHostDoNotComplete() {
        CompletableFuture<Duration> rtt = icmp.ping(PEER, 0, Duration.ofSeconds(1));
        input(PEER, OURS, echo(IcmpType.ECHO_REPLY, IDENTIFIER ^ 1, 1, ""));
        input(Ipv4Address.parse("198.18.0.3"), OURS, echo(IcmpType.ECHO_REPLY, IDENTIFIER, 1, ""));
        input(PEER, OURS, echo(IcmpType.ECHO_REPLY, IDENTIFIER, 9, ""));
        assertFalse(rtt.isDone());
        assertEquals(3, count("rx.unmatched_replies"));
        input(PEER, OURS, echo(IcmpType.ECHO_REPLY, IDENTIFIER, 1, ""));
        assertTrue(rtt.isDone());
    }

    @Test
    void aPingOfTheSubnetBroadcastIsAnsweredByAnyHost() throws Exception {
        CompletableFuture<Duration> rtt = icmp.ping(Ipv4Address.parse("198.18.0.255"), 0, Duration.ofSeconds(1));
        input(Ipv4Address.parse("198.18.0.77"), OURS, echo(IcmpType.ECHO_REPLY, IDENTIFIER, 1, ""));
        assertEquals(Duration.ZERO, rtt.getNow(null), "answered at once, not waited for");
    }

    @Test
    void aPingTheIpLayerRefusesFailsWithSendFailed() {
        ip.refuseWith = new IpError.NoRoute(PEER);
        CompletableFuture<Duration> rtt = icmp.ping(PEER, 0, Duration.ofSeconds(1));
        IcmpException.SendFailed e = assertInstanceOf(IcmpException.SendFailed.class,
                assertThrows(ExecutionException.class, rtt::get).getCause());
        assertEquals(new IpError.NoRoute(PEER), e.error());
        assertEquals(0, loop.pendingTimers());
    }

    @Test
    void invalidPingArgumentsFailTheFuture() {
        assertInstanceOf(IllegalArgumentException.class, assertThrows(ExecutionException.class,
                () -> icmp.ping(PEER, -1, Duration.ofSeconds(1)).get()).getCause());
        assertInstanceOf(IllegalArgumentException.class, assertThrows(ExecutionException.class,
                () -> icmp.ping(PEER, 65_508, Duration.ofSeconds(1)).get()).getCause());
        assertInstanceOf(IllegalArgumentException.class, assertThrows(ExecutionException.class,
                () -> icmp.ping(PEER, 1, Duration.ZERO).get()).getCause());
    }

    @Test
    void aPingFromAnotherThreadIsHandedToTheLoop() throws Exception {
        AtomicReference<CompletableFuture<Duration>> rtt = new AtomicReference<>();
        Thread t = Thread.ofPlatform().start(() -> rtt.set(icmp.ping(PEER, 0, Duration.ofSeconds(1))));
        t.join();
        assertTrue(ip.sent.isEmpty());
        loop.runFor(2 * MILLI);
        assertEquals(1, ip.sent.size());
        input(PEER, OURS, echo(IcmpType.ECHO_REPLY, IDENTIFIER, 1, ""));
        assertEquals(Duration.ofMillis(2), rtt.get().get());
    }

    @Test
    void writeSendsTheCallersMessageAsItIs() {
        byte[] m = HEX.parseHex("0303" + "0000" + "00000000" + "4500");
        assertTrue(icmp.write(OURS, PEER, 9, ByteBuffer.wrap(m)).isOk());
        assertEquals("198.18.0.1>198.18.0.2 p1 ttl9 " + HEX.formatHex(m), ip.sent.get(0).toString());
        assertEquals(1, count("tx.messages"));
    }

    @Test
    void errorMessagesAreVerifiedAndCountedByKind() {
        byte[] unreachable = new byte[36];
        new IcmpHeader(IcmpType.DESTINATION_UNREACHABLE, 3, 0, 28).emit(ByteBuffer.wrap(unreachable), 0);
        byte[] exceeded = new byte[36];
        new IcmpHeader(IcmpType.TIME_EXCEEDED, 0, 0, 28).emit(ByteBuffer.wrap(exceeded), 0);
        byte[] timestamp = new byte[20];
        new IcmpHeader(13, 0, 0, 12).emit(ByteBuffer.wrap(timestamp), 0);
        input(PEER, OURS, unreachable);
        input(PEER, OURS, exceeded);
        input(PEER, OURS, timestamp);
        assertEquals(1, count("rx.destination_unreachable"));
        assertEquals(1, count("rx.time_exceeded"));
        assertEquals(1, count("rx.other_types"));
        assertTrue(ip.sent.isEmpty());
    }

    @Test
    void disconnectFailsPendingPingsAndStopsTheirTimers() {
        CompletableFuture<Duration> rtt = icmp.ping(PEER, 0, Duration.ofSeconds(1));
        icmp.disconnect();
        assertInstanceOf(IcmpException.Disconnected.class, assertThrows(ExecutionException.class, rtt::get).getCause());
        assertEquals(0, loop.pendingTimers());
        input(PEER, OURS, echo(IcmpType.ECHO_REQUEST, 1, 1, ""));
        assertEquals(1, ip.sent.size());
        assertInstanceOf(IcmpException.Disconnected.class, assertThrows(ExecutionException.class,
                () -> icmp.ping(PEER, 0, Duration.ofSeconds(1)).get()).getCause());
    }

    @Test
    void theProviderIsFoundByServiceLoaderAsDefault() {
        getClass().getModule().addUses(IcmpProvider.class);
        List<IcmpProvider> found = ServiceLoader.load(IcmpProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(x -> x.name().equals("default"))
                .toList();
        assertEquals(1, found.size());
        assertInstanceOf(DefaultIcmpv4.class, found.get(0).create(ip, StackContext.seeded(loop, 1, "t")));
    }
}
