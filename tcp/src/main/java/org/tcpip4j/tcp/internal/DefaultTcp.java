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
import org.tcpip4j.netif.Ipv6Address;
import org.tcpip4j.netif.Result;
import org.tcpip4j.netif.loop.EventLoop;
import org.tcpip4j.netif.loop.StackContext;
import org.tcpip4j.tcp.FlowOptions;
import org.tcpip4j.tcp.Keepalive;
import org.tcpip4j.tcp.Tcp;
import org.tcpip4j.tcp.TcpConfig;
import org.tcpip4j.tcp.TcpException;
import org.tcpip4j.tcp.TcpFlow;
import org.tcpip4j.tcp.TcpLimits;
import org.tcpip4j.tcp.TcpListener;
import org.tcpip4j.tcp.internal.wire.TcpHeader;
import org.tcpip4j.tcp.internal.wire.TcpRejection;

/**
 * The default TCP layer (Mirage's {@code Tcp.Flow.Make(IP)}): demultiplexes received
 * segments to connections by their 4-tuple, to listeners (LISTEN, RFC 9293 3.10.7.2), or
 * answers them with a reset (3.10.7.1); opens connections; owns the layer-wide pieces
 * (counters, the one segment writer, ISNs, ephemeral ports). Public calls from other
 * threads are handed to the event loop.
 *
 * <p>Both IP versions, through one {@link Ip}: a connection's version is its addresses',
 * every 4-tuple is keyed and hashed with its addresses as 128 bits ({@link FourTuple}), and
 * a listener takes either version or both ({@link FlowOptions#ipVersion}). A segment whose
 * two addresses are of different versions, or an IPv6 one with an IPv4-mapped address
 * (RFC 4291 2.5.5.2 keeps them off the wire; Linux's {@code tcp_v6_rcv} drops them), is
 * refused.
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

    /** The layer's limits. */
    final TcpLimits limits;
    /** The chunks of every connection's buffers, and the layer's memory budget. */
    final ChunkPool chunks;
    /** The connections in TIME_WAIT, as compact records. */
    final TimeWaits timeWaits;
    /** SYN cookies for listeners whose half-open queue is full (RFC 4987 3.6). */
    final SynCookies cookies;
    /** Connections ({@link Connection}) and TIME_WAIT records ({@link TimeWait}) by 4-tuple. */
    private final ConnectionTable<FourTuple> connections;
    /** Connections held, every state but TIME_WAIT. */
    private int openConnections;
    /** The listeners taking IPv4 connections, by port. */
    private final Map<Integer, Listener> listeners4 = new HashMap<>();
    /** The listeners taking IPv6 connections, by port (the same object as in {@link #listeners4} for both versions). */
    private final Map<Integer, Listener> listeners6 = new HashMap<>();
    private final EphemeralPorts ephemeralPorts;
    private final ResetLimiter resets;
    private final TcpHeader header = new TcpHeader();
    private final ReceivedSegment segment = new ReceivedSegment();
    private IsnSource isns;
    private boolean disconnected;

    /** A TCP layer over {@code ip}, on {@code context}'s loop, with its randomness and its secrets. */
    public DefaultTcp(Ip ip, TcpConfig config, StackContext context) {
        this.ip = ip;
        this.config = config;
        this.loop = context.loop();
        this.name = context.name();
        this.output = new SegmentOutput(ip, counters);
        this.windowScale = windowScaleFor(config.maxReceiveBufferSize());
        this.congestion = new CongestionControls(config, name);
        long tableKey = context.secrets().nextLong();
        // One word of the secrets, as the layer always drew, so the keys drawn after it stay as they were.
        this.connections = new ConnectionTable<>(tableKey, ~tableKey);
        this.ephemeralPorts = new EphemeralPorts(context.secrets(), context.random(), config.portShare(),
            config.portShares());
        this.isns = new IsnGenerator(loop, context.secrets());
        this.resets = new ResetLimiter(loop, context.secrets());
        this.challengeAcks = new ChallengeAckLimiter(loop, context.random(), config.challengeAcksPerSecond());
        this.limits = config.limits();
        this.chunks = new ChunkPool(limits.memoryPressure(), limits.memoryLimit(), ChunkPool.DEFAULT_MAX_FREE);
        chunks.countIn(counters.memBytes, counters.memRefused);
        this.timeWaits = new TimeWaits(loop, 2 * config.msl().toNanos(), this::forgetTimeWait);
        this.cookies = new SynCookies(loop, context.secrets());
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

    /** Our TSval now for this 4-tuple, without a connection (TIME_WAIT records, SYN cookies). */
    int timestampNow(IpAddress local, int localPort, IpAddress remote, int remotePort) {
        return timestampOffset(local, localPort, remote, remotePort) + Timestamps.clock(loop);
    }

    /** The MSS we announce to {@code remote}: what reaches us in one datagram, less the TCP header (RFC 9293 3.7.1). */
    int announcedMss(IpAddress remote) {
        return Math.clamp(ip.mtu(remote) - TcpHeader.MIN_LENGTH, 64, 0xffff);
    }

    /** The offset of the timestamp clock of a new connection of this 4-tuple (RFC 7323 5.4). */
    int timestampOffset(IpAddress local, int localPort, IpAddress remote, int remotePort) {
        return isns.timestampOffset(local, localPort, remote, remotePort);
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
        if (ip.addressKind(dst).isBroadcastOrMulticast()) {
            // RFC 1122 4.2.3.10: an active open to a broadcast or multicast address is an error.
            throw new IllegalArgumentException("no TCP connection to a broadcast or multicast address: " + dst);
        }
        if (dst.isUnspecified()) {
            throw new IllegalArgumentException("no TCP connection to the unspecified address: " + dst);
        }
        if (dst instanceof Ipv6Address a && a.isIpv4Mapped()) {
            throw new IllegalArgumentException("an IPv4-mapped address is not connected to over IPv6; connect to "
                + new Ipv4Address((int) a.low()) + " instead: " + dst);
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
        if (src == null || !samePair(src, dst) || src.isUnspecified()) {
            return CompletableFuture.failedFuture(new TcpException.NoRoute(new IpError.NoRoute(dst)));
        }
        if (openConnections >= limits.maxConnections()) {
            counters.connLimit.increment();
            return CompletableFuture.failedFuture(new TcpException.Resources(
                "the TCP layer holds " + openConnections + " connections, its limit"));
        }
        long lh = FourTuple.high(src);
        long ll = FourTuple.low(src);
        long rh = FourTuple.high(dst);
        long rl = FourTuple.low(dst);
        int localPort = ephemeralPorts.pick(src, dst, port,
            p -> connections.get(lh, ll, rh, rl, FourTuple.ports(p, port)) == null);
        if (localPort < 0) {
            return CompletableFuture.failedFuture(new TcpException.Resources(
                "no ephemeral port free for " + dst + ":" + port + " (all of " + EphemeralPorts.FIRST + ".."
                    + EphemeralPorts.LAST + " in use)"));
        }
        int iss = isns.isn(src, localPort, dst, port);
        Connection c = new Connection(this, src, localPort, dst, port, iss, false);
        c.congestionControl = options.congestionControl();
        connections.put(c);
        opened();
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
        int version = options.ipVersion();
        loop.run(() -> {
            Listener old4 = listeners4.get(port);
            Listener old6 = listeners6.get(port);
            // The SYN queue of the listener replaced (the IPv4 one's when both are).
            Listener old = version == 4 ? old4 : version == 6 ? old6 : old4 != null ? old4 : old6;
            SynQueue queue = old != null ? old.synQueue : new SynQueue(config.synBacklog());
            if (old4 == null && old6 == null) {
                ephemeralPorts.listen(port);
            }
            Listener l = new Listener(port, keepalive, options.congestionControl(), listener, queue);
            if (version != 6) {
                listeners4.put(port, l);
            }
            if (version != 4) {
                listeners6.put(port, l);
            }
        });
    }

    @Override
    public void unlisten(int port) {
        loop.run(() -> {
            boolean had4 = listeners4.remove(port) != null;
            boolean had6 = listeners6.remove(port) != null;
            if (had4 || had6) {
                ephemeralPorts.unlisten(port);
            }
        });
    }

    /** The listener taking connections from {@code remote}'s IP version on {@code port}, or null. */
    Listener listener(IpAddress remote, int port) {
        return (remote instanceof Ipv6Address ? listeners6 : listeners4).get(port);
    }

    /** A SYN was admitted by {@code listener}: a connection in SYN_RECEIVED answers it. */
    void acceptSyn(Listener listener, ReceivedSegment syn) {
        acceptSyn(listener, syn, isns.isn(syn.dst, syn.dstPort, syn.src, syn.srcPort));
    }

    private void acceptSyn(Listener listener, ReceivedSegment syn, int iss) {
        Connection c = newPassive(listener, syn, iss);
        c.openPassive(syn, listener.synQueue);
    }

    private Connection newPassive(Listener listener, ReceivedSegment syn, int iss) {
        Connection c = new Connection(this, syn.dst, syn.dstPort, syn.src, syn.srcPort, iss, true);
        connections.put(c);
        c.listenerPorts = listener.synQueue;
        listener.synQueue.open++;
        opened();
        counters.passiveOpens.increment();
        return c;
    }

    private void opened() {
        openConnections++;
        counters.connOpen.set(openConnections);
    }

    /**
     * May a SYN to {@code listener} open a connection? Not past the layer's connection
     * limit nor the listener's (counted; the SYN is dropped and the client retries).
     */
    boolean admitsConnection(Listener listener) {
        if (openConnections >= limits.maxConnections()) {
            counters.connLimit.increment();
            return false;
        }
        if (listener.synQueue.open >= limits.maxListenerConnections()) {
            counters.listenOverflows.increment();
            return false;
        }
        return true;
    }

    // ---- SYN cookies (RFC 4987 3.6) -------------------------------------------------------------

    /**
     * Answers a SYN the full half-open queue cannot hold with a SYN-ACK whose sequence
     * number is a cookie ({@link SynCookies}), keeping nothing. Without timestamps the
     * SYN-ACK offers neither window scaling nor SACK (a cookie cannot carry them).
     */
    void sendCookie(ReceivedSegment syn) {
        int cookie = cookies.make(syn.dstHigh, syn.dstLow, syn.srcHigh, syn.srcLow, syn.ports(), syn.seq,
            SynCookies.mssIndex(syn.options.mss(), syn.ipv6()));
        boolean ts = config.timestamps() && syn.options.hasTimestamps();
        var o = output.segment(syn.dstPort, syn.srcPort, cookie, syn.seq + 1, TcpHeader.SYN | TcpHeader.ACK,
                Math.min(config.receiveBufferSize(), 0xffff))
            .options().mss(announcedMss(syn.src));
        if (ts) {
            boolean sack = config.selectiveAcks() && syn.options.sackPermitted();
            int ws = syn.options.windowScale();
            o.windowScale(ws >= 0 ? windowScale : -1).sackPermitted(sack);
            int now = timestampNow(syn.dst, syn.dstPort, syn.src, syn.srcPort);
            o.timestamps(SynCookies.encodeTimestamp(now, SynCookies.timestampOptions(ws, sack)),
                syn.options.timestampValue());
        }
        output.send(syn.dst, syn.src);
        counters.synCookiesSent.increment();
        TcpEvents.cookie(name, syn.dst, syn.dstPort, syn.src, syn.srcPort, syn.options.mss());
    }

    /**
     * An ACK reached a listener with no connection: when cookies went out lately and it
     * returns a valid one, the connection opens from what the cookie and the echoed
     * timestamp carry, and the ACK is processed as the handshake's last segment.
     *
     * @return true when the ACK opened a connection
     */
    boolean acceptCookie(Listener listener, ReceivedSegment ack) {
        if (!limits.synCookies() || !cookies.sentRecently()) {
            return false;
        }
        int index = cookies.check(ack.dstHigh, ack.dstLow, ack.srcHigh, ack.srcLow, ack.ports(), ack.seq - 1,
            ack.ack - 1);
        if (index < 0) {
            counters.synCookiesRejected.increment();
            return false;
        }
        if (!admitsConnection(listener)) {
            return true; // a valid cookie, but no room: dropped, as the SYN would have been
        }
        boolean ts = config.timestamps() && ack.options.hasTimestamps();
        int ws = ts ? SynCookies.windowScaleOf(ack.options.timestampEcho()) : -1;
        boolean sack = ts && SynCookies.sackOf(ack.options.timestampEcho()) && config.selectiveAcks();
        Connection c = newPassive(listener, ack, ack.ack - 1);
        counters.synCookiesAccepted.increment();
        c.openFromCookie(ack, SynCookies.mssTable(ack.ipv6())[index], ws, sack, ts);
        SegmentArrival.process(c, ack);
        return true;
    }

    /**
     * A SYN for a connection in TIME_WAIT that RFC 6191 lets through ({@link TimeWait}):
     * when a listener still takes connections on the port, the record goes and the SYN
     * opens a new incarnation, whose ISS lies beyond every sequence number the old one used
     * (RFC 9293 3.6.1 (1)).
     *
     * @return false when nobody listens on the port, or its SYN queue is full and cookies
     *     are off: the record stays (with cookies on, the record goes and a cookie answers)
     */
    boolean reopenFromTimeWait(TimeWait old, ReceivedSegment syn) {
        Listener listener = disconnected ? null : listener(old.remoteAddress, old.localPort);
        if (listener == null || !admitsConnection(listener)) {
            return false;
        }
        if (!listener.synQueue.tryAdmit()) {
            if (!limits.synCookies()) {
                return false;
            }
            // As Linux hands such a SYN to the listener: the queue is full, so a cookie.
            counters.synQueueOverflows.increment();
            counters.timeWaitReopened.increment();
            removeTimeWait(old);
            sendCookie(syn);
            return true;
        }
        int iss = isns.isn(syn.dst, syn.dstPort, syn.src, syn.srcPort);
        int floor = old.sndNxt + 65536; // Linux's tw_snd_nxt + 65535 + 2 has the same aim
        if (SeqNum.lt(iss, floor)) {
            iss = floor;
        }
        counters.timeWaitReopened.increment();
        removeTimeWait(old);
        acceptSyn(listener, syn, iss);
        return true;
    }

    /** Forgets a closed connection. */
    void remove(Connection c) {
        if (connections.remove(c)) {
            closedOne(c);
        }
    }

    private void closedOne(Connection c) {
        openConnections--;
        counters.connOpen.set(openConnections);
        if (c.listenerPorts != null) {
            c.listenerPorts.open--;
            c.listenerPorts = null;
        }
    }

    /**
     * The connection enters TIME_WAIT: a compact record takes its place in the table
     * (its port stays taken) and the connection leaves the layer's hands.
     *
     * @return false when the records are at their bound: the caller closes at once
     */
    boolean toTimeWait(Connection c) {
        if (timeWaits.size() >= limits.maxTimeWait() || disconnected) {
            counters.timeWaitOverflow.increment();
            return false;
        }
        if (!connections.remove(c)) {
            return false;
        }
        closedOne(c);
        TimeWait tw = new TimeWait(c);
        connections.put(tw);
        timeWaits.add(tw);
        counters.connTimeWait.set(timeWaits.size());
        return true;
    }

    /** Ends a TIME_WAIT before its time. */
    void removeTimeWait(TimeWait tw) {
        timeWaits.remove(tw);
        forgetTimeWait(tw);
    }

    private void forgetTimeWait(TimeWait tw) {
        connections.remove(tw);
        counters.connTimeWait.set(timeWaits.size());
        counters.closed.increment();
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
        if (!samePair(src, dst)) {
            counters.rxBadAddress.increment();
            return;
        }
        // RFC 9293 3.10.7.2 and RFC 1122 4.2.3.10: no connection with a broadcast or
        // multicast address, nor with the unspecified one (RFC 4291 2.5.2 for IPv6).
        if (ip.addressKind(src).isBroadcastOrMulticast() || ip.addressKind(dst).isBroadcastOrMulticast()
                || src.isUnspecified() || dst.isUnspecified()) {
            counters.rxBadAddress.increment();
            return;
        }
        header.wrap(buffer, offset, length);
        if (!ip.rxChecksumValid() && !header.checksumValid(ip.pseudoheaderChecksum(src, dst, IpProtocol.TCP, length))) {
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
            FourTuple entry = connections.get(seg.dstHigh, seg.dstLow, seg.srcHigh, seg.srcLow, seg.ports());
            if (entry instanceof Connection c) {
                SegmentArrival.process(c, seg);
                return;
            }
            if (entry instanceof TimeWait tw) {
                switch (tw.process(this, seg)) {
                    case KILL -> removeTimeWait(tw);
                    case REOPEN -> {
                        if (!reopenFromTimeWait(tw, seg)) {
                            tw.sendAck(this);
                        }
                    }
                    case DONE -> {
                    }
                }
                return;
            }
            Listener listener = disconnected ? null : listener(seg.src, seg.dstPort);
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
     * {@code <SEQ=SEG.ACK><CTL=RST>}. Never in answer to a reset, and within the
     * budgets of {@link ResetLimiter}.
     */
    void sendResetFor(ReceivedSegment seg) {
        if (seg.has(TcpHeader.RST)) {
            return;
        }
        if (!resets.tryAcquire(seg.srcHigh, seg.srcLow)) {
            counters.resetsRateLimited.increment();
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
        Connection c = error.protocol() == IpProtocol.TCP && samePair(error.source(), error.destination())
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
            listeners4.clear();
            listeners6.clear();
            connections.forEach(e -> {
                if (e instanceof Connection c) {
                    c.abort(new TcpException.Reset("TCP layer disconnected"));
                }
            });
            timeWaits.clear(this::forgetTimeWait);
            return CompletableFuture.completedFuture(null);
        });
    }

    /** Connections held, every state but CLOSED, TIME_WAIT records included (for tests and diagnostics). */
    int connectionCount() {
        return connections.size();
    }

    /** The connection of a 4-tuple, or null (also when it is in TIME_WAIT: see {@link #timeWait}); for tests. */
    Connection connection(IpAddress local, int localPort, IpAddress remote, int remotePort) {
        return entry(local, localPort, remote, remotePort) instanceof Connection c ? c : null;
    }

    /** The TIME_WAIT record of a 4-tuple, or null (for tests). */
    TimeWait timeWait(IpAddress local, int localPort, IpAddress remote, int remotePort) {
        return entry(local, localPort, remote, remotePort) instanceof TimeWait tw ? tw : null;
    }

    private FourTuple entry(IpAddress local, int localPort, IpAddress remote, int remotePort) {
        return connections.get(FourTuple.high(local), FourTuple.low(local), FourTuple.high(remote),
            FourTuple.low(remote), FourTuple.ports(localPort, remotePort));
    }

    /**
     * May {@code a} and {@code b} be the two ends of a connection? Both of one IP version,
     * and, over IPv6, neither IPv4-mapped (RFC 4291 2.5.5.2: such an address stands for an
     * IPv4 node and is not used on the wire), so the two versions' keys never meet.
     */
    static boolean samePair(IpAddress a, IpAddress b) {
        return switch (a) {
            case Ipv4Address x -> b instanceof Ipv4Address;
            case Ipv6Address x -> b instanceof Ipv6Address y && !x.isIpv4Mapped() && !y.isIpv4Mapped();
        };
    }

    @Override
    public String toString() {
        java.util.Set<Integer> ports = new java.util.HashSet<>(listeners4.keySet());
        ports.addAll(listeners6.keySet());
        return "DefaultTcp[" + name + ", " + connections.size() + " connections, " + ports.size() + " listeners]";
    }
}
