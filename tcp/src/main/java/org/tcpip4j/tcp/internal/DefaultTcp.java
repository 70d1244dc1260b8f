package org.tcpip4j.tcp.internal;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.tcpip4j.ip.IcmpError;
import org.tcpip4j.ip.Ip;
import org.tcpip4j.ip.IpError;
import org.tcpip4j.ip.IpProtocol;
import org.tcpip4j.netif.Counters;
import org.tcpip4j.netif.IpAddress;
import org.tcpip4j.netif.Ipv4Address;
import org.tcpip4j.netif.Result;
import org.tcpip4j.netif.loop.EventLoop;
import org.tcpip4j.netif.loop.StackContext;
import org.tcpip4j.tcp.FlowOptions;
import org.tcpip4j.tcp.Keepalive;
import org.tcpip4j.tcp.Tcp;
import org.tcpip4j.tcp.TcpConfig;
import org.tcpip4j.tcp.TcpException;
import org.tcpip4j.tcp.TcpFlow;
import org.tcpip4j.tcp.TcpListener;
import org.tcpip4j.tcp.internal.wire.TcpHeader;
import org.tcpip4j.tcp.internal.wire.TcpRejection;

/**
 * The default TCP layer (Mirage's {@code Tcp.Flow.Make(IP)}): demultiplexes received
 * segments to connections by their 4-tuple, to listeners (LISTEN, RFC 9293 3.10.7.2), or
 * answers them with a reset (3.10.7.1); opens connections; owns the layer-wide pieces
 * (counters, the one segment writer, ISNs, ephemeral ports). Public calls from other
 * threads are handed to the event loop.
 */
public final class DefaultTcp implements Tcp {

    final Ip ip;
    final TcpConfig config;
    final EventLoop loop;
    final String name;
    final TcpCounters counters = new TcpCounters();
    final SegmentOutput output;
    /**
     * The window shift we offer: the smallest that lets the window cover the receive
     * buffer at the largest it may grow to (RFC 7323 2.3: the shift is fixed at the
     * handshake, so it must cover the window auto-tuning may reach later).
     */
    final int windowScale;
    /** The layer's budget of challenge ACKs (RFC 5961 7). */
    final ChallengeAckLimiter challengeAcks;
    /** The congestion-control algorithms, and the stack's choice. */
    final CongestionControls congestion;

    private final ConnectionTable<Connection> connections;
    private final Map<Integer, Listener> listeners = new HashMap<>();
    private final EphemeralPorts ephemeralPorts;
    private final TcpHeader header = new TcpHeader();
    private final ReceivedSegment segment = new ReceivedSegment();
    private IsnSource isns;
    private boolean disconnected;

    /** A TCP layer over {@code ip}, on {@code context}'s loop, with its randomness. */
    public DefaultTcp(Ip ip, TcpConfig config, StackContext context) {
        this.ip = ip;
        this.config = config;
        this.loop = context.loop();
        this.name = context.name();
        this.output = new SegmentOutput(ip, counters);
        this.windowScale = windowScaleFor(config.maxReceiveBufferSize());
        this.congestion = new CongestionControls(config, name);
        this.connections = new ConnectionTable<>(context.random().nextLong());
        this.ephemeralPorts = new EphemeralPorts(context.random());
        this.isns = new IsnGenerator(loop, context.random());
        this.challengeAcks = new ChallengeAckLimiter(loop, context.random(), config.challengeAcksPerSecond());
    }

    /** RFC 7323 2.3: the smallest shift with which a 16-bit window field covers {@code bufferSize}. */
    static int windowScaleFor(int bufferSize) {
        int shift = 0;
        while (shift < 14 && (bufferSize >>> shift) > 0xffff) {
            shift++;
        }
        return shift;
    }

    /** Replaces the ISN source (tests fix ISNs to exercise wraparound). Loop only. */
    void isnSource(IsnSource source) {
        this.isns = source;
    }

    /** The offset of the timestamp clock of a new connection of this 4-tuple (RFC 7323 5.4). */
    int timestampOffset(IpAddress local, int localPort, IpAddress remote, int remotePort) {
        return isns.timestampOffset(bits(local), localPort, bits(remote), remotePort);
    }

    // ---- connect (RFC 9293 3.10.1, active) -------------------------------------------------

    @Override
    public CompletableFuture<TcpFlow> connect(IpAddress dst, int port, Keepalive keepalive) {
        return connectWith(dst, port, FlowOptions.DEFAULT.withKeepalive(keepalive));
    }

    @Override
    public CompletableFuture<TcpFlow> connectWith(IpAddress dst, int port, FlowOptions options) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of 1..65535: " + port);
        }
        if (options.congestionControl() != null) {
            congestion.find(options.congestionControl());
        }
        return loop.call(() -> connectOnLoop(dst, port, options));
    }

    private CompletableFuture<TcpFlow> connectOnLoop(IpAddress dst, int port, FlowOptions options) {
        if (disconnected) {
            return CompletableFuture.failedFuture(new TcpException.Closed("TCP layer disconnected"));
        }
        IpAddress src = ip.src(dst);
        if (!(src instanceof Ipv4Address) || !(dst instanceof Ipv4Address) || src.isUnspecified()) {
            return CompletableFuture.failedFuture(new TcpException.NoRoute(new IpError.NoRoute(dst)));
        }
        int localPort = ephemeralPorts.pick();
        if (localPort < 0) {
            return CompletableFuture.failedFuture(new IllegalStateException("no ephemeral port free"));
        }
        int iss = isns.isn(bits(src), localPort, bits(dst), port);
        Connection c = new Connection(this, src, localPort, dst, port, iss, false);
        c.congestionControl = options.congestionControl();
        connections.put(c.addressKey, c.portKey, c);
        ephemeralPorts.acquire(localPort);
        counters.activeOpens.increment();
        CompletableFuture<TcpFlow> future = c.flow.connectFuture();
        Result<IpError> sent = c.openActive(options.keepalive());
        if (sent.errorOrNull() instanceof IpError.NoRoute noRoute) {
            c.finish(new TcpException.NoRoute(noRoute));
        }
        return future;
    }

    // ---- listen (RFC 9293 3.10.1, passive) ----------------------------------------------------

    @Override
    public void listen(int port, Keepalive keepalive, TcpListener listener) {
        listenWith(port, FlowOptions.DEFAULT.withKeepalive(keepalive), listener);
    }

    @Override
    public void listenWith(int port, FlowOptions options, TcpListener listener) {
        if (options.congestionControl() != null) {
            congestion.find(options.congestionControl());
        }
        Keepalive keepalive = options.keepalive();
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of 0..65535: " + port);
        }
        java.util.Objects.requireNonNull(listener, "listener");
        loop.run(() -> {
            Listener old = listeners.get(port);
            SynQueue queue = old != null ? old.synQueue : new SynQueue(config.synBacklog());
            if (old == null) {
                ephemeralPorts.acquire(port);
            }
            listeners.put(port, new Listener(port, keepalive, options.congestionControl(), listener, queue));
        });
    }

    @Override
    public void unlisten(int port) {
        loop.run(() -> {
            if (listeners.remove(port) != null) {
                ephemeralPorts.release(port);
            }
        });
    }

    /** The listener on {@code port}, or null. */
    Listener listener(int port) {
        return listeners.get(port);
    }

    /** A SYN was admitted by {@code listener}: a connection in SYN_RECEIVED answers it. */
    void acceptSyn(Listener listener, ReceivedSegment syn) {
        acceptSyn(listener, syn, isns.isn(bits(syn.dst), syn.dstPort, bits(syn.src), syn.srcPort));
    }

    private void acceptSyn(Listener listener, ReceivedSegment syn, int iss) {
        Connection c = new Connection(this, syn.dst, syn.dstPort, syn.src, syn.srcPort, iss, true);
        connections.put(c.addressKey, c.portKey, c);
        ephemeralPorts.acquire(c.localPort);
        counters.passiveOpens.increment();
        c.openPassive(syn, listener.synQueue);
    }

    /**
     * A SYN for a connection in TIME_WAIT that RFC 6191 lets through
     * ({@link SegmentArrival}): when a listener still takes connections on the port, the
     * old incarnation ends and the SYN opens a new one, whose ISS lies beyond every sequence
     * number the old one used (RFC 9293 3.6.1 (1)).
     *
     * @return false when nobody listens on the port or its SYN queue is full: the old
     *     incarnation stays in TIME_WAIT and the SYN is processed there
     */
    boolean reopenFromTimeWait(Connection old, ReceivedSegment syn) {
        Listener listener = disconnected ? null : listeners.get(old.localPort);
        if (listener == null || !listener.synQueue.tryAdmit()) {
            return false;
        }
        int iss = isns.isn(bits(syn.dst), syn.dstPort, bits(syn.src), syn.srcPort);
        int floor = old.sender.sndMax + 65536; // Linux's tw_snd_nxt + 65535 + 2 has the same aim
        if (SeqNum.lt(iss, floor)) {
            iss = floor;
        }
        counters.timeWaitReopened.increment();
        old.finish(null);
        acceptSyn(listener, syn, iss);
        return true;
    }

    /** Forgets a closed connection. */
    void remove(Connection c) {
        if (connections.remove(c.addressKey, c.portKey, c)) {
            ephemeralPorts.release(c.localPort);
        }
    }

    // ---- input -----------------------------------------------------------------------------

    @Override
    public void input(IpAddress src, IpAddress dst, ByteBuffer buffer) {
        counters.rxSegments.increment();
        int offset = buffer.position();
        int length = buffer.remaining();
        TcpRejection rejection = TcpHeader.check(buffer, offset, length);
        if (rejection != null) {
            counters.rxMalformed.increment();
            return;
        }
        if (!(src instanceof Ipv4Address s) || !(dst instanceof Ipv4Address d)) {
            counters.rxBadAddress.increment();
            return;
        }
        // RFC 9293 3.10.7.2 and RFC 1122 4.2.3.10: no connection with a broadcast or
        // multicast address.
        if (s.isMulticast() || s.isBroadcast() || d.isMulticast() || d.isBroadcast() || s.isUnspecified()) {
            counters.rxBadAddress.increment();
            return;
        }
        header.wrap(buffer, offset, length);
        if (!header.checksumValid(ip.pseudoheaderChecksum(src, dst, IpProtocol.TCP, length))) {
            counters.rxBadChecksum.increment();
            header.release();
            return;
        }
        ReceivedSegment seg = segment;
        if (seg.options.parse(buffer, header.optionsOffset(), header.optionsLength()) != null) {
            counters.rxMalformed.increment();
            header.release();
            return;
        }
        seg.fill(src, dst, header);
        header.release();
        try {
            Connection c = connections.get(ConnectionTable.addressKey(d.bits(), s.bits()),
                ConnectionTable.portKey(seg.dstPort, seg.srcPort));
            if (c != null) {
                SegmentArrival.process(c, seg);
                return;
            }
            Listener listener = disconnected ? null : listeners.get(seg.dstPort);
            if (listener != null) {
                listener.segmentArrives(this, seg);
            } else {
                counters.rxNoConnection.increment();
                if (!seg.has(TcpHeader.RST)) {
                    sendResetFor(seg);
                }
            }
        } finally {
            seg.release();
        }
    }

    /**
     * Answers a segment for no connection with a reset (RFC 9293 3.10.7.1): with ACK off,
     * {@code <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>}; with ACK on,
     * {@code <SEQ=SEG.ACK><CTL=RST>}. Never in answer to a reset.
     */
    void sendResetFor(ReceivedSegment seg) {
        if (seg.has(TcpHeader.RST)) {
            return;
        }
        if (seg.has(TcpHeader.ACK)) {
            output.segment(seg.dstPort, seg.srcPort, seg.ack, 0, TcpHeader.RST, 0);
        } else {
            output.segment(seg.dstPort, seg.srcPort, 0, seg.seq + seg.sequenceLength(),
                TcpHeader.RST | TcpHeader.ACK, 0);
        }
        output.send(seg.dst, seg.src);
        counters.resetsSent.increment();
    }

    // ---- ICMP errors (RFC 1122 4.2.3.9) ------------------------------------------------------

    private final Counters.Counter rxIcmpErrors = counters.counters.counter("rx.icmp_errors");
    private final Counters.Counter rxIcmpFragmentationNeeded = counters.counters.counter("rx.icmp_frag_needed");

    /**
     * Counts every error; acts on fragmentation needed (RFC 1191), once the connection of
     * the quoted 4-tuple checked it ({@link Connection#onFragmentationNeeded}). The other
     * errors are soft or, for a connection, not worth a reset (RFC 1122 4.2.3.9 lets hard
     * ones abort it; Linux does not while established, nor do we).
     */
    @Override
    public void icmpError(IcmpError error) {
        rxIcmpErrors.increment();
        if (error.kind() != IcmpError.Kind.FRAGMENTATION_NEEDED) {
            return;
        }
        rxIcmpFragmentationNeeded.increment();
        Connection c = error.protocol() == IpProtocol.TCP && error.source() instanceof Ipv4Address
            && error.destination() instanceof Ipv4Address
            ? connection(error.source(), error.sourcePort(), error.destination(), error.destinationPort()) : null;
        if (c == null) {
            counters.rxIcmpFragNeededNoConnection.increment();
            return;
        }
        // The quoted header's bytes 4..7: the segment's sequence number.
        c.onFragmentationNeeded((int) error.transportHeader(), error.nextHopMtu());
    }

    // ---- the rest of Tcp ---------------------------------------------------------------------

    @Override
    public Counters counters() {
        return counters.counters;
    }

    @Override
    public CompletableFuture<Void> disconnect() {
        return loop.call(() -> {
            disconnected = true;
            listeners.clear();
            connections.forEach(c -> c.abort(new TcpException.Reset("TCP layer disconnected")));
            return CompletableFuture.completedFuture(null);
        });
    }

    /** Connections held, every state but CLOSED (for tests and diagnostics). */
    int connectionCount() {
        return connections.size();
    }

    /** The connection of a 4-tuple (for tests). */
    Connection connection(IpAddress local, int localPort, IpAddress remote, int remotePort) {
        return connections.get(addressKey(local, remote), ConnectionTable.portKey(localPort, remotePort));
    }

    static long addressKey(IpAddress local, IpAddress remote) {
        return ConnectionTable.addressKey(bits(local), bits(remote));
    }

    private static int bits(IpAddress address) {
        return ((Ipv4Address) address).bits();
    }

    @Override
    public String toString() {
        return "DefaultTcp[" + name + ", " + connections.size() + " connections, " + listeners.size() + " listeners]";
    }
}
