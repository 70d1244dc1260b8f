package org.tcpip4j.icmp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.tcpip4j.icmp.IcmpConfig;
import org.tcpip4j.icmp.IcmpException;
import org.tcpip4j.icmp.Icmpv6Provider;
import org.tcpip4j.ip.IpError;
import org.tcpip4j.netif.Ipv6Address;
import org.tcpip4j.netif.Ipv6Cidr;
import org.tcpip4j.netif.loop.Secrets;
import org.tcpip4j.netif.loop.StackContext;
import org.tcpip4j.netif.loop.VirtualTimeEventLoop;

/** ICMPv6 echo, ping, checksums and the messages the layer does not know (RFC 4443 2.3, 2.4, 4). */
class DefaultIcmpv6Test {

    private static final HexFormat HEX = HexFormat.of();
    private static final long MILLI = 1_000_000L;
    static final Ipv6Address OURS = Ipv6Address.parse("2001:2::1");
    static final Ipv6Address OURS_LINK_LOCAL = Ipv6Address.parse("fe80::1");
    static final Ipv6Address PEER = Ipv6Address.parse("2001:2::2");
    static final Ipv6Address PEER_LINK_LOCAL = Ipv6Address.parse("fe80::2");
    static final Ipv6Address ALL_NODES = Ipv6Address.ALL_NODES;
    /** The identifier of a layer whose context is seeded with 1. */
    private static final int IDENTIFIER = Secrets.deterministic(1).nextInt() & 0xffff;

    private final VirtualTimeEventLoop loop = new VirtualTimeEventLoop();
    private final CapturingIpv6 ip = new CapturingIpv6(new Ipv6Cidr(OURS, 64), new Ipv6Cidr(OURS_LINK_LOCAL, 64));
    private DefaultIcmpv6 icmp = new DefaultIcmpv6(ip, IcmpConfig.DEFAULT, StackContext.seeded(loop, 1, "test"));

    private static byte[] echo(Ipv6Address src, Ipv6Address dst, int type, int id, int seq, String dataHex) {
        return Ipv6Packets.icmp(src, dst, type, 0, id << 16 | seq, HEX.parseHex(dataHex));
    }

    private void input(Ipv6Address src, Ipv6Address dst, byte[] message) {
        icmp.input(src, dst, Ipv6Packets.received(message));
    }

    /** Why {@code f} failed; it must be done already (the loop runs in virtual time, a wait would never end). */
    static Throwable failure(CompletableFuture<?> f) {
        assertTrue(f.isDone(), "not completed");
        return assertThrows(ExecutionException.class, f::get).getCause();
    }

    private long count(String name) {
        return icmp.counters().get(name);
    }

    @Test
    void anEchoRequestIsAnsweredFromTheAddressItWasSentToWithItsIdentifierSequenceAndData() {
        input(PEER, OURS, echo(PEER, OURS, 128, 0x1234, 7, "6162636465"));
        assertEquals(1, ip.sent.size());
        CapturingIpv6.Sent reply = ip.sent.get(0);
        assertEquals(OURS, reply.src());
        assertEquals(PEER, reply.dst());
        assertEquals(58, reply.protocol());
        assertEquals(-1, reply.hopLimit());
        assertEquals(HEX.formatHex(echo(OURS, PEER, 129, 0x1234, 7, "6162636465")), HEX.formatHex(reply.payload()));
        assertTrue(reply.checksumVerifies());
        assertEquals(1, count("rx.echo_requests"));
        assertEquals(1, count("tx.echo_replies"));
    }

    @Test
    void anEchoRequestToTheLinkLocalAddressIsAnsweredFromIt() {
        // From a global address, for which the IPv6 layer would select the global one.
        input(PEER, OURS_LINK_LOCAL, echo(PEER, OURS_LINK_LOCAL, 128, 1, 1, ""));
        assertEquals(OURS_LINK_LOCAL, ip.sent.get(0).src());
        assertEquals(PEER, ip.sent.get(0).dst());
        assertTrue(ip.sent.get(0).checksumVerifies());
    }

    @Test
    void anEchoRequestToAMulticastGroupIsAnsweredFromTheSelectedSourceByDefault() {
        input(PEER_LINK_LOCAL, ALL_NODES, echo(PEER_LINK_LOCAL, ALL_NODES, 128, 5, 6, "00ff"));
        assertEquals(1, ip.sent.size());
        CapturingIpv6.Sent reply = ip.sent.get(0);
        assertEquals(OURS_LINK_LOCAL, reply.src(), "a unicast source, never the group");
        assertEquals(PEER_LINK_LOCAL, reply.dst());
        assertEquals(HEX.formatHex(echo(OURS_LINK_LOCAL, PEER_LINK_LOCAL, 129, 5, 6, "00ff")),
                HEX.formatHex(reply.payload()));
        assertTrue(reply.checksumVerifies(), "summed over the reply's own source");
    }

    @Test
    void anEchoRequestToAMulticastGroupIsIgnoredWhenConfiguredSo() {
        icmp = new DefaultIcmpv6(ip, IcmpConfig.DEFAULT.withEchoIpv6Multicast(false),
                StackContext.seeded(loop, 1, "test"));
        input(PEER_LINK_LOCAL, ALL_NODES, echo(PEER_LINK_LOCAL, ALL_NODES, 128, 5, 6, ""));
        assertTrue(ip.sent.isEmpty());
        assertEquals(1, count("rx.echo_requests_to_multicast_ignored"));
        input(PEER, OURS, echo(PEER, OURS, 128, 5, 7, ""));
        assertEquals(1, ip.sent.size(), "unicast requests still are");
    }

    @Test
    void anEchoRequestFromAnAddressThatIsNotOneNodeIsNotAnswered() {
        for (String src : new String[] {"::", "ff02::1", "::1"}) {
            Ipv6Address s = Ipv6Address.parse(src);
            input(s, OURS, echo(s, OURS, 128, 1, 1, ""));
        }
        assertTrue(ip.sent.isEmpty());
        assertEquals(3, count("rx.echo_requests_bad_source"));
    }

    @Test
    void aLargeEchoIsAnsweredWholeAndMayBeFragmented() {
        byte[] data = new byte[4000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 7);
        }
        input(PEER, OURS, Ipv6Packets.icmp(PEER, OURS, 128, 0, 0x00010002, data));
        CapturingIpv6.Sent reply = ip.sent.get(0);
        assertEquals(4008, reply.payload().length);
        assertTrue(reply.fragment(), "the IPv6 layer may fragment it");
        assertTrue(reply.checksumVerifies());
        assertEquals(HEX.formatHex(data), HEX.formatHex(reply.payload(), 8, 4008));
    }

    @Test
    void aMessageWithABadChecksumIsCountedAndDropped() {
        byte[] m = echo(PEER, OURS, 128, 1, 1, "00");
        m[8] = 1;
        input(PEER, OURS, m);
        // Summed without the pseudo-header, as ICMPv4 would: wrong for ICMPv6.
        byte[] v4Style = HEX.parseHex("8000000000010001");
        ByteBuffer.wrap(v4Style).putShort(2, (short) org.tcpip4j.netif.InternetChecksum.compute(
                ByteBuffer.wrap(v4Style), 0, 8));
        input(PEER, OURS, v4Style);
        // Summed for another destination.
        input(PEER, OURS, echo(PEER, ALL_NODES, 128, 1, 1, ""));
        input(PEER, OURS, HEX.parseHex("8000"));
        assertTrue(ip.sent.isEmpty());
        assertEquals(3, count("rx.bad_checksum"));
        assertEquals(1, count("rx.too_short"));
        assertEquals(0, count("rx.echo_requests"));
    }

    @Test
    void unknownInformationalMessagesAreDroppedSilently() {
        input(PEER, OURS, Ipv6Packets.icmp(PEER, OURS, 200, 0, 0, new byte[4]));
        input(PEER, OURS, Ipv6Packets.icmp(PEER, OURS, 130, 0, 0, new byte[16]));
        assertTrue(ip.sent.isEmpty());
        assertEquals(2, count("rx.other_types"));
        assertEquals(0, count("rx.other_errors"));
    }

    @Test
    void aPingCompletesWithTheRoundTripTimeWhenItsReplyComes() throws Exception {
        CompletableFuture<Duration> rtt = icmp.ping(PEER, 16, Duration.ofSeconds(1));
        CapturingIpv6.Sent request = ip.sent.get(0);
        assertEquals(OURS, request.src(), "the source is chosen here, for the checksum");
        assertEquals(PEER, request.dst());
        assertEquals(58, request.protocol());
        assertEquals(24, request.payload().length);
        assertTrue(request.checksumVerifies());
        assertEquals("8000", HEX.formatHex(request.payload(), 0, 2), "type 128, code 0");
        assertEquals(String.format("%04x0001", IDENTIFIER), HEX.formatHex(request.payload(), 4, 8),
                "the identifier, and sequence 1 for the first request");
        assertEquals("000102030405060708090a0b0c0d0e0f", HEX.formatHex(request.payload(), 8, 24));
        loop.runFor(5 * MILLI);
        byte[] reply = request.payload().clone();
        input(PEER, OURS, Ipv6Packets.icmp(PEER, OURS, 129, 0, IDENTIFIER << 16 | 1,
                java.util.Arrays.copyOfRange(reply, 8, reply.length)));
        assertEquals(Duration.ofMillis(5), rtt.getNow(null));
        assertEquals(0, loop.pendingTimers());
        assertEquals(1, count("tx.echo_requests"));
    }

    @Test
    void aPingOf4000BytesIsOneEchoTheIpv6LayerMayFragment() throws Exception {
        CompletableFuture<Duration> rtt = icmp.ping(PEER, 4000, Duration.ofSeconds(1));
        CapturingIpv6.Sent request = ip.sent.get(0);
        assertEquals(4008, request.payload().length);
        assertTrue(request.fragment());
        assertTrue(request.checksumVerifies());
        input(PEER, OURS, Ipv6Packets.icmp(PEER, OURS, 129, 0, IDENTIFIER << 16 | 1,
                java.util.Arrays.copyOfRange(request.payload(), 8, 4008)));
        assertEquals(Duration.ZERO, rtt.getNow(null));
    }

    @Test
    void repliesWithAnotherIdentifierSequenceOrHostDoNotComplete() {
        CompletableFuture<Duration> rtt = icmp.ping(PEER, 0, Duration.ofSeconds(1));
        Ipv6Address other = Ipv6Address.parse("2001:2::3");
        input(PEER, OURS, echo(PEER, OURS, 129, IDENTIFIER ^ 1, 1, ""));
        input(other, OURS, echo(other, OURS, 129, IDENTIFIER, 1, ""));
        input(PEER, OURS, echo(PEER, OURS, 129, IDENTIFIER, 9, ""));
        assertFalse(rtt.isDone());
        assertEquals(3, count("rx.unmatched_replies"));
        input(PEER, OURS, echo(PEER, OURS, 129, IDENTIFIER, 1, ""));
        assertTrue(rtt.isDone());
    }

    @Test
    void aPingOfAMulticastGroupIsAnsweredByAnyNode() {
        CompletableFuture<Duration> rtt = icmp.ping(ALL_NODES, 0, Duration.ofSeconds(1));
        assertEquals(OURS_LINK_LOCAL, ip.sent.get(0).src());
        input(PEER_LINK_LOCAL, OURS_LINK_LOCAL, echo(PEER_LINK_LOCAL, OURS_LINK_LOCAL, 129, IDENTIFIER, 1, ""));
        assertEquals(Duration.ZERO, rtt.getNow(null));
    }

    @Test
    void aPingWithoutReplyFailsWithATimeoutAtItsDeadline() {
        CompletableFuture<Duration> rtt = icmp.ping(PEER, 8, Duration.ofMillis(300));
        loop.runFor(300 * MILLI - 1);
        assertFalse(rtt.isDone());
        loop.runFor(1);
        assertInstanceOf(IcmpException.Timeout.class, failure(rtt));
        assertEquals(0, icmp.pendingPings());
        assertEquals(1, count("ping.timeouts"));
    }

    @Test
    void aPingTheIpLayerRefusesFailsWithSendFailed() {
        ip.refuseWith = new IpError.NoRoute(PEER);
        CompletableFuture<Duration> rtt = icmp.ping(PEER, 0, Duration.ofSeconds(1));
        IcmpException.SendFailed e = assertInstanceOf(IcmpException.SendFailed.class,
                failure(rtt));
        assertEquals(new IpError.NoRoute(PEER), e.error());
        assertEquals(0, loop.pendingTimers());
        assertEquals(1, count("tx.errors"));
    }

    @Test
    void invalidPingArgumentsFailTheFuture() {
        assertInstanceOf(IllegalArgumentException.class, failure(icmp.ping(PEER, -1, Duration.ofSeconds(1))));
        assertInstanceOf(IllegalArgumentException.class, failure(icmp.ping(PEER, 65_528, Duration.ofSeconds(1))));
        assertInstanceOf(IllegalArgumentException.class, failure(icmp.ping(PEER, 1, Duration.ZERO)));
    }

    @Test
    void writeComputesTheChecksumOverThePseudoHeader() {
        byte[] m = HEX.parseHex("8000" + "ffff" + "00010001" + "61");
        assertTrue(icmp.write(null, PEER, 9, ByteBuffer.wrap(m)).isOk());
        CapturingIpv6.Sent sent = ip.sent.get(0);
        assertEquals(OURS, sent.src());
        assertEquals(9, sent.hopLimit());
        assertTrue(sent.checksumVerifies());
        assertEquals("8000", HEX.formatHex(sent.payload(), 0, 2));
        assertTrue(icmp.write(OURS_LINK_LOCAL, PEER_LINK_LOCAL, -1, ByteBuffer.wrap(m)).isOk());
        assertEquals(OURS_LINK_LOCAL, ip.sent.get(1).src());
        assertTrue(ip.sent.get(1).checksumVerifies());
        assertEquals(2, count("tx.messages"));
    }

    @Test
    void disconnectFailsPendingPingsAndStopsTheirTimers() {
        CompletableFuture<Duration> rtt = icmp.ping(PEER, 0, Duration.ofSeconds(1));
        icmp.disconnect();
        assertInstanceOf(IcmpException.Disconnected.class, failure(rtt));
        assertEquals(0, loop.pendingTimers());
        input(PEER, OURS, echo(PEER, OURS, 128, 1, 1, ""));
        assertEquals(1, ip.sent.size(), "only the ping's request");
        assertInstanceOf(IcmpException.Disconnected.class, failure(icmp.ping(PEER, 0, Duration.ofSeconds(1))));
    }

    @Test
    void theProviderIsFoundByServiceLoaderAsDefault() {
        getClass().getModule().addUses(Icmpv6Provider.class);
        List<Icmpv6Provider> found = ServiceLoader.load(Icmpv6Provider.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(x -> x.name().equals("default"))
                .toList();
        assertEquals(1, found.size());
        assertInstanceOf(DefaultIcmpv6.class, found.get(0).create(ip, IcmpConfig.DEFAULT,
                StackContext.seeded(loop, 1, "t")));
    }
}
