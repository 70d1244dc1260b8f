package org.tcpip4j.tcp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.tcpip4j.netif.IpAddress;
import org.tcpip4j.netif.Ipv4Address;
import org.tcpip4j.netif.Ipv6Address;
import org.tcpip4j.netif.loop.StackContext;
import org.tcpip4j.netif.loop.VirtualTimeEventLoop;
import org.tcpip4j.tcp.Keepalive;
import org.tcpip4j.tcp.TcpConfig;
import org.tcpip4j.tcp.TcpFlow;
import org.tcpip4j.tcp.internal.wire.TcpHeader;

/**
 * One {@link DefaultTcp} on a {@link CapturingIp} and a virtual-time loop, driven segment
 * by segment: the test plays the peer, injecting crafted segments and checking exactly
 * what TCP sends back.
 */
final class TcpHarness {

    static final Ipv4Address LOCAL = Ipv4Address.parse("198.18.0.1");
    static final Ipv4Address REMOTE = Ipv4Address.parse("198.18.0.2");
    static final Ipv6Address LOCAL6 = Ipv6Address.parse("2001:2::1");
    static final Ipv6Address REMOTE6 = Ipv6Address.parse("2001:2::2");
    static final int SYN = TcpHeader.SYN;
    static final int ACK = TcpHeader.ACK;
    static final int FIN = TcpHeader.FIN;
    static final int RST = TcpHeader.RST;
    static final int PSH = TcpHeader.PSH;

    /**
     * Small, scale-free buffers (windows in segments are the byte counts themselves), and NewReno: the engine's tests check window arithmetic against
     * RFC 5681's equations; CUBIC's own are tested in the congestion package.
     */
    static final TcpConfig SMALL = new TcpConfig(8192, 8192, Duration.ofSeconds(30), 3, 4, 4)
        .withCongestionControl("newreno");

    final VirtualTimeEventLoop loop = new VirtualTimeEventLoop();
    /** Our address, and the peer's the test plays: {@link #LOCAL} and {@link #REMOTE} unless made for IPv6. */
    final IpAddress local;
    final IpAddress remote;
    final CapturingIp ip;
    final DefaultTcp tcp;
    final TcpConfig config;
    int iss = 1000;
    final List<TcpFlow> accepted = new ArrayList<>();

    TcpHarness() {
        this(SMALL);
    }

    TcpHarness(TcpConfig config) {
        this(config, 42);
    }

    /** A harness whose context (randomness and secrets) is seeded with {@code seed}. */
    TcpHarness(TcpConfig config, long seed) {
        this(config, seed, LOCAL, REMOTE);
    }

    /** A harness over IPv6 ({@link #LOCAL6}, {@link #REMOTE6}), its IP layer's MTU that of Ethernet, 1500, less 40. */
    static TcpHarness ipv6() {
        return ipv6(SMALL);
    }

    /** A harness over IPv6 with {@code config}. */
    static TcpHarness ipv6(TcpConfig config) {
        TcpHarness h = new TcpHarness(config, 42, LOCAL6, REMOTE6);
        h.ip.mtu = 1460;
        return h;
    }

    /** A harness whose context is seeded with {@code seed}, with our address {@code local} and the peer's {@code remote}. */
    TcpHarness(TcpConfig config, long seed, IpAddress local, IpAddress remote) {
        this.local = local;
        this.remote = remote;
        this.ip = new CapturingIp(local);
        this.config = config;
        this.tcp = new DefaultTcp(ip, config, StackContext.seeded(loop, seed, "test"));
        tcp.isnSource((a, b, c, d) -> iss);
    }

    /**
     * Segments are injected in read-only buffers, as a device delivering read-only frames
     * hands them up (TCP may then lend their payload to a reception without copying it).
     */
    boolean readOnlyFrames;

    /** Delivers a segment from the peer, then runs what became ready (not timers in the future). */
    void inject(TestSegment s) {
        ByteBuffer frame = s.encode(remote, local);
        tcp.input(remote, local, readOnlyFrames ? frame.asReadOnlyBuffer() : frame);
        settle();
    }

    /** Runs the tasks ready now. */
    void settle() {
        loop.runFor(0);
    }

    /** Advances virtual time, running what falls due. */
    void advance(Duration d) {
        loop.runFor(d);
    }

    /** What TCP sent since the last call. */
    List<TestSegment> sent() {
        return ip.drain();
    }

    /** The one segment TCP sent since the last call. */
    TestSegment sentOne() {
        List<TestSegment> s = sent();
        assertEquals(1, s.size(), "segments sent: " + s);
        return s.getFirst();
    }

    /** Asserts nothing was sent. */
    void sentNothing() {
        List<TestSegment> s = sent();
        assertTrue(s.isEmpty(), "expected nothing, sent: " + s);
    }

    /** A segment from the peer's port {@code peerPort} to our {@code port}. */
    static TestSegment from(int peerPort, int port, int flags, int seq, int ack) {
        return TestSegment.of(peerPort, port, flags, seq, ack);
    }

    /** Listens on {@code port}, collecting accepted flows. */
    void listen(int port) {
        listen(port, null);
    }

    void listen(int port, Keepalive keepalive) {
        tcp.listen(port, keepalive, accepted::add);
    }

    /**
     * Passive open on {@code port} from peer port {@code peerPort} with the peer's ISN
     * {@code peerIss} and no options: SYN in, SYN-ACK out, ACK in.
     */
    TcpFlow acceptFrom(int port, int peerPort, int peerIss) {
        listen(port);
        inject(from(peerPort, port, SYN, peerIss, 0).window(8192));
        TestSegment synAck = sentOne();
        assertEquals(SYN | ACK, synAck.flags);
        assertEquals(iss, synAck.seq);
        assertEquals(peerIss + 1, synAck.ack);
        inject(from(peerPort, port, ACK, peerIss + 1, iss + 1).window(8192));
        sentNothing();
        assertEquals(1, accepted.size());
        return accepted.removeFirst();
    }

    /** Active open to {@code port}: SYN out, SYN-ACK in (peer ISS {@code peerIss}, MSS 1460), ACK out. */
    TcpFlow connectTo(int port, int peerIss) throws Exception {
        CompletableFuture<TcpFlow> f = tcp.connect(remote, port);
        TestSegment syn = sentOne();
        assertEquals(SYN, syn.flags);
        assertEquals(iss, syn.seq);
        inject(from(port, syn.srcPort, SYN | ACK, peerIss, iss + 1).window(8192).mss(1460));
        TestSegment ack = sentOne();
        assertEquals(ACK, ack.flags);
        assertEquals(iss + 1, ack.seq);
        assertEquals(peerIss + 1, ack.ack);
        assertTrue(f.isDone(), "connect completes on the ACK");
        return f.get();
    }

    /** The connection behind a flow. */
    Connection connection(TcpFlow flow) {
        return ((DefaultTcpFlow) flow).connection();
    }

    /** The state of {@code c}'s 4-tuple: TIME_WAIT while a record stands for it, else the connection's. */
    TcpState stateOf(Connection c) {
        return tcp.timeWait(c.localAddress, c.localPort, c.remoteAddress, c.remotePort) != null
            ? TcpState.TIME_WAIT : c.state;
    }
}
