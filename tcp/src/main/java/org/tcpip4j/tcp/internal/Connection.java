package org.tcpip4j.tcp.internal;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tcpip4j.ip.IpError;
import org.tcpip4j.netif.IpAddress;
import org.tcpip4j.netif.Result;
import org.tcpip4j.netif.loop.EventLoop;
import org.tcpip4j.netif.loop.Timer;
import org.tcpip4j.tcp.Keepalive;
import org.tcpip4j.tcp.TcpConfig;
import org.tcpip4j.tcp.TcpException;
import org.tcpip4j.tcp.TcpInfo;
import org.tcpip4j.tcp.internal.wire.TcpHeader;
import org.tcpip4j.tcp.internal.wire.TcpOptions;

/**
 * One connection's transmission control block (RFC 9293 3.3.1) and its state machine:
 * the user calls of RFC 9293 3.10.1-3.10.5 (OPEN, SEND via the flow, CLOSE, ABORT), the
 * timeouts of 3.10.8 (retransmission of SYNs, TIME_WAIT, keepalive) and the transitions
 * that segment arrival ({@link SegmentArrival}, 3.10.7) drives. The two halves of the
 * data path are the {@link Sender} and the {@link Receiver}; the user sees a
 * {@link DefaultTcpFlow}. Loop only.
 *
 * <p>Buffers: both grow with use ({@link BufferAutoTuning}) and commit memory only as
 * they fill; once the connection has been idle for {@value #IDLE_RELEASE_MILLIS} ms (no
 * segment received), an empty buffer gives its memory back, so that an idle connection
 * holds next to nothing whatever it carried before. Their sizes, and so the window
 * offered, stay as they grew.
 */
final class Connection extends FourTuple {

    private static final Logger LOG = LoggerFactory.getLogger(Connection.class);
    /**
     * State changes, at DEBUG: one line per transition, never per segment. A logger of its
     * own, so that it can be turned on alone.
     */
    static final Logger STATE_LOG = LoggerFactory.getLogger("org.tcpip4j.tcp.state");
    /** Idleness after which an empty buffer's memory is given back, in milliseconds. */
    static final int IDLE_RELEASE_MILLIS = 1000;
    private static final long IDLE_RELEASE_NANOS = IDLE_RELEASE_MILLIS * 1_000_000L;

    final DefaultTcp tcp;
    final TcpConfig config;
    final EventLoop loop;
    final TcpCounters counters;
    private final SegmentOutput output;

    /** Opened by a SYN to a listener, not by connect. */
    final boolean passive;

    /** The state; changed only through {@link #state(TcpState)}, which logs and records the change. */
    TcpState state = TcpState.CLOSED;
    final Sender sender;
    final Receiver receiver;
    final DefaultTcpFlow flow;

    /** The MSS we announce: what reaches us in one datagram, less the TCP header (RFC 9293 3.7.1). */
    final int ourMss;
    /** The window shift we offer (RFC 7323 2.2). */
    final int ourWindowScale;
    private int peerMss = -1;
    private int peerWindowScale = -1;
    /** The peer offered SACK-Permitted (RFC 2018 2). */
    boolean peerSackPermitted;
    /** Both ends offered SACK-Permitted: SACK blocks are sent and read (RFC 2018 2). */
    boolean sackAgreed;
    /** The Timestamps option (RFC 7323): our clock, TS.Recent, PAWS. */
    final Timestamps timestamps;
    /** The buffers' growth policy. */
    final BufferAutoTuning autoTuning;
    /** The send buffer size the user fixed, 0 when auto-tuning sets it. */
    private int fixedSendBuffer;

    private SynQueue synQueue;
    /** The listener's port this connection counts against (passive only), until it closes. */
    SynQueue listenerPorts;
    /** Opened from a SYN cookie: no SYN-ACK of ours was timed. */
    private boolean fromCookie;
    private Keepalive keepaliveConfig;
    private KeepaliveTimer keepalive;
    /** TIME_WAIT's 2 MSL, or the FIN_WAIT_2 timeout after close. */
    private Timer lingerTimer;
    /** Gives empty buffers' memory back once the connection is idle; created when first needed. */
    private Timer releaseTimer;
    private boolean closeRequested;
    private long lastActivityAt;
    /** When an ACK last answered an unacceptable segment; long ago to begin with. */
    private long lastInvalidAckAt = TimeWait.LONG_AGO;
    private long lastFinWait2ProbeAt;
    private int finWait2Probes;
    private int handshakeRetransmissions;
    private long synSentAt;

    /** The congestion control this connection asked for, or null for the stack's. */
    String congestionControl;

    /** Why the connection ended, or null when it ended normally (or keepalive closed it). */
    TcpException failure;
    /** How the connection ended, for its closing event: a reset either way, or a timeout; null for the others. */
    private String closeHow;
    /** The endpoints as text, made the first time an event or a log line needs them. */
    private String localEndpoint;
    private String remoteEndpoint;

    Connection(DefaultTcp tcp, IpAddress localAddress, int localPort, IpAddress remoteAddress, int remotePort,
               int iss, boolean passive) {
        super(localAddress, localPort, remoteAddress, remotePort);
        this.tcp = tcp;
        this.config = tcp.config;
        this.loop = tcp.loop;
        this.counters = tcp.counters;
        this.output = tcp.output;
        this.passive = passive;
        this.ourMss = tcp.announcedMss(remoteAddress);
        this.ourWindowScale = tcp.windowScale;
        this.timestamps = new Timestamps(loop, tcp.timestampOffset(localAddress, localPort, remoteAddress, remotePort),
            config.timestamps());
        this.autoTuning = new BufferAutoTuning(loop, timestamps, config.maxReceiveBufferSize(),
            config.maxSendBufferSize());
        this.sender = new Sender(this, loop, counters, iss, config.maxRetransmissions());
        this.receiver = new Receiver(this, loop, counters, config.receiveBufferSize());
        this.flow = new DefaultTcpFlow(this);
    }

    /**
     * The MSS a peer that announced none takes (RFC 9293 3.7.1): 536 over IPv4 (RFC 1122
     * 4.2.2.6), 1220 over IPv6, the minimum MTU of 1280 (RFC 8200 5) less the IPv6 and TCP
     * headers (RFC 8200 8.3).
     */
    static int defaultMss(boolean ipv6) {
        return ipv6 ? 1220 : 536;
    }

    /**
     * The most new data one segment carries that the device cuts into wire segments of
     * {@code mss} bytes (TSO, {@link org.tcpip4j.netif.NetifOffloads}), a multiple of it;
     * 0 when the device does not cut, or would cut to another size: the peer's MSS or the
     * path MTU is below the link's, or SACK blocks would lengthen the header.
     */
    int segmentationBytes(int mss) {
        boolean ipv6 = isIpv6();
        org.tcpip4j.netif.NetifOffloads offloads = tcp.ip.offloads(remoteAddress);
        if (!offloads.tso(ipv6)) {
            return 0;
        }
        int tcpHeader = TcpHeader.MIN_LENGTH + (timestamps.enabled() ? TcpOptions.TIMESTAMPS_LENGTH : 0);
        if (tcpHeader + mss != tcp.ip.mtu(remoteAddress)) {
            return 0;
        }
        int room = offloads.maxTsoFrame() - org.tcpip4j.netif.Netif.ETHERNET_HEADER_SIZE - PathMtu.ipHeader(ipv6)
            - tcpHeader;
        return room / mss * mss;
    }

    /** True for a connection over IPv6. */
    boolean isIpv6() {
        return remoteAddress instanceof org.tcpip4j.netif.Ipv6Address;
    }

    // ---- OPEN (RFC 9293 3.10.1) ------------------------------------------------------------

    /** Active OPEN: sends the SYN and enters SYN_SENT. */
    Result<IpError> openActive(Keepalive keepalive) {
        this.keepaliveConfig = keepalive;
        state(TcpState.SYN_SENT);
        synSentAt = loop.nanoTime();
        Result<IpError> result = sendSyn();
        sender.rtx.startIfStopped();
        return result;
    }

    /** A SYN reached a listener (RFC 9293 3.10.7.2): enters SYN_RECEIVED and answers SYN-ACK. */
    void openPassive(ReceivedSegment syn, SynQueue queue) {
        this.synQueue = queue;
        receiver.synReceived(syn.seq);
        peerOptions(syn.options);
        state(TcpState.SYN_RECEIVED);
        synSentAt = loop.nanoTime();
        sendSynAck();
        sender.rtx.startIfStopped();
    }

    /**
     * The ACK {@code ack} returned a valid SYN cookie ({@link SynCookies}): the connection
     * stands in SYN_RECEIVED as if its SYN had waited in the queue, with the client's ISN
     * ({@code SEG.SEQ - 1}), MSS, window scale and SACK-Permitted that the cookie and the
     * echoed timestamp carry, and TS.Recent from the ACK. The ACK is then processed as
     * usual and completes the handshake.
     */
    void openFromCookie(ReceivedSegment ack, int mss, int windowScale, boolean sack, boolean ts) {
        fromCookie = true;
        receiver.synReceived(ack.seq - 1);
        peerMss = mss;
        peerWindowScale = windowScale;
        peerSackPermitted = sack;
        sackAgreed = config.selectiveAcks() && sack;
        timestamps.onCookie(ts, ack.options);
        state(TcpState.SYN_RECEIVED);
        synSentAt = loop.nanoTime();
        sender.synSent();
    }

    /**
     * Remembers the options of the peer's SYN or SYN-ACK (RFC 9293 3.7.1; RFC 7323 2.2,
     * 3.2; RFC 2018 2): SACK and timestamps are used when both ends offered them.
     */
    void peerOptions(TcpOptions options) {
        peerMss = options.mss();
        peerWindowScale = options.windowScale();
        peerSackPermitted = options.sackPermitted();
        sackAgreed = config.selectiveAcks() && peerSackPermitted;
        timestamps.onPeerSyn(options);
    }

    /** Sends our SYN, offering every option we support (RFC 9293 3.7.1; RFC 7323 2.2, 3.2; RFC 2018 2). */
    private Result<IpError> sendSyn() {
        TcpOptions o = output.segment(localPort, remotePort, sender.iss, 0, TcpHeader.SYN, receiver.synWindow())
            .options().mss(ourMss).windowScale(ourWindowScale).sackPermitted(config.selectiveAcks());
        if (timestamps.offered) {
            o.timestamps(timestamps.now(), 0);
        }
        Result<IpError> result = output.send(localAddress, remoteAddress);
        sender.synSent();
        return result;
    }

    /**
     * Sends (or resends) our SYN-ACK; window scale, SACK-Permitted and timestamps only
     * when the peer's SYN had them (RFC 7323 2.2, 3.2; RFC 2018 2).
     */
    void sendSynAck() {
        TcpOptions o = output.segment(localPort, remotePort, sender.iss, receiver.rcvNxt,
                TcpHeader.SYN | TcpHeader.ACK, receiver.synWindow())
            .options().mss(ourMss).windowScale(peerWindowScale >= 0 ? ourWindowScale : -1).sackPermitted(sackAgreed);
        if (timestamps.enabled()) {
            o.timestamps(timestamps.now(), timestamps.recent());
        }
        output.send(localAddress, remoteAddress);
        sender.synSent();
        receiver.onAckSent();
    }

    /**
     * The handshake completes (RFC 9293 3.10.7.3 for SYN_SENT, 3.10.7.4 fifth for
     * SYN_RECEIVED): agree on MSS and window scaling, allocate the buffers, start
     * keepalive, and hand the flow to the user.
     *
     * @param window the peer's window, already scaled when it came in a non-SYN segment
     */
    void establish(int window, int wl1, int wl2) {
        boolean scaling = peerWindowScale >= 0;
        int sendScale = scaling ? peerWindowScale : 0;
        int receiveScale = scaling ? ourWindowScale : 0;
        // RFC 9293 3.7.1: Eff.snd.MSS = min(SendMSS, what fits our path); without the option,
        // 536 over IPv4 and 1220 over IPv6 (RFC 8200 8.3); less the timestamps every segment
        // carries (RFC 6691 2, RFC 7323 3.2).
        boolean ipv6 = isIpv6();
        int sendMss = sender.pathMtu.start(ipv6, tcp.ip.mtu(remoteAddress) + PathMtu.ipHeader(ipv6),
            peerMss > 0 ? peerMss : defaultMss(ipv6), timestamps.enabled() ? TcpOptions.TIMESTAMPS_LENGTH : 0);
        if (passive) {
            Listener listener = tcp.listener(remoteAddress, localPort);
            if (listener != null) {
                congestionControl = listener.congestionControl;
            }
        }
        var provider = tcp.congestion.choose(congestionControl);
        sender.establish(new SendBuffer(fixedSendBuffer > 0 ? fixedSendBuffer : config.sendBufferSize(), tcp.chunks), sendMss, sendScale, window, wl1, wl2, sackAgreed,
            provider.create(sendMss), provider.name());
        receiver.establish(receiveScale, ourMss, sackAgreed);
        if (fromCookie) {
            // no SYN-ACK of ours was timed: the first ACK of data (or its echoed timestamp) gives the first sample
        } else if (handshakeRetransmissions == 0) {
            sender.rtx.sample(loop.nanoTime() - synSentAt); // Karn: only an unrepeated SYN is timed
        } else {
            sender.rtx.afterSynRetransmitted();
        }
        state(TcpState.ESTABLISHED);
        counters.established.increment();
        releaseSynQueue();
        if (passive) {
            Listener listener = tcp.listener(remoteAddress, localPort);
            if (listener == null) {
                abort(null); // RFC 9293 3.10.7.2: nobody listens any more
                return;
            }
            keepaliveConfig = listener.keepalive;
            startKeepalive();
            flow.establishedFor(listener.callback);
        } else {
            startKeepalive();
            flow.establishedForConnect();
        }
    }

    /** The peer's window shift when window scaling was agreed (RFC 7323 2.2), else 0. */
    int peerScaleIfAgreed() {
        return peerWindowScale >= 0 ? peerWindowScale : 0;
    }

    /** True when keepalive runs on this connection. */
    boolean hasKeepalive() {
        return keepalive != null;
    }

    private void startKeepalive() {
        if (keepaliveConfig != null) {
            keepalive = new KeepaliveTimer(this, keepaliveConfig);
            keepalive.start();
        }
    }

    // ---- CLOSE, ABORT (RFC 9293 3.10.4, 3.10.5) -----------------------------------------

    /** The user closes the send direction: the FIN is queued behind the data. */
    void shutdownWrite() {
        switch (state) {
            case ESTABLISHED -> state(TcpState.FIN_WAIT_1);
            case CLOSE_WAIT -> state(TcpState.LAST_ACK);
            default -> {
                return;
            }
        }
        sender.queueFin();
        sender.output();
    }

    /** The user closes the receive direction. */
    void shutdownRead() {
        receiver.shutdownRead();
    }

    /**
     * ABORT: sends a reset when the peer knows of the connection (RFC 9293 3.10.5, with the
     * sequence number it expects), and ends it.
     */
    void abort(TcpException cause) {
        if (state == TcpState.CLOSED) {
            return;
        }
        if (state != TcpState.SYN_SENT && state != TcpState.TIME_WAIT) {
            sendReset(sender.ackSeq());
            if (closeHow == null) {
                closeHow = "reset sent";
            }
        }
        finish(cause);
    }

    /** Sends {@code <SEQ=seq><CTL=RST>}, with timestamps when they are in use (RFC 7323 3.2). */
    void sendReset(int seq) {
        output.segment(localPort, remotePort, seq, 0, TcpHeader.RST, 0);
        if (timestamps.enabled()) {
            output.options().timestamps(timestamps.now(), timestamps.recent());
        }
        output.send(localAddress, remoteAddress);
        counters.resetsSent.increment();
    }

    /** Ends the connection: CLOSED, timers stopped, out of the table; the flow learns why. */
    void finish(TcpException cause) {
        if (state == TcpState.CLOSED) {
            return;
        }
        state(TcpState.CLOSED);
        if (failure == null) {
            failure = cause;
        }
        stopTimers();
        if (lingerTimer != null) {
            lingerTimer.cancel();
        }
        releaseSynQueue();
        closed(closeHow != null ? closeHow : howFailed(cause));
        freeBuffers();
        tcp.remove(this);
        counters.closed.increment();
        flow.signal();
    }

    private void stopTimers() {
        sender.stopTimers();
        receiver.stopTimers();
        if (releaseTimer != null) {
            releaseTimer.cancel();
        }
        if (keepalive != null) {
            keepalive.stop();
        }
    }

    private void releaseSynQueue() {
        if (synQueue != null) {
            synQueue.release();
            synQueue = null;
        }
    }

    // ---- transitions that segment arrival drives ---------------------------------------------

    /** The peer's FIN arrived in sequence (RFC 9293 3.10.7.4, eighth). */
    void onFinReceived() {
        switch (state) {
            case ESTABLISHED -> state(TcpState.CLOSE_WAIT);
            case FIN_WAIT_1 -> {
                if (sender.finAcked()) {
                    enterTimeWait();
                } else {
                    state(TcpState.CLOSING);
                }
            }
            case FIN_WAIT_2 -> enterTimeWait();
            default -> {
            }
        }
        flow.signal();
    }

    /** Our FIN was acknowledged (RFC 9293 3.10.7.4, fifth, per state). */
    void onFinAcked() {
        switch (state) {
            case FIN_WAIT_1 -> {
                state(TcpState.FIN_WAIT_2);
                if (closeRequested) {
                    linger(twoMsl());
                }
            }
            case CLOSING -> enterTimeWait();
            case LAST_ACK -> finish(null);
            default -> {
            }
        }
    }

    /**
     * TIME_WAIT: both sides closed; the 4-tuple lingers 2 MSL (RFC 9293 3.4.2, 3.10.7.4) as
     * a compact {@link TimeWait} record, and this connection ends (CLOSED, out of the
     * table, its timers stopped and its chunks back in the pool but for unread data, which
     * the reader still gets). Past {@link org.tcpip4j.tcp.TcpLimits#maxTimeWait()} records,
     * the connection closes at once instead.
     */
    void enterTimeWait() {
        state(TcpState.TIME_WAIT);
        stopTimers();
        if (lingerTimer != null) {
            lingerTimer.cancel();
        }
        releaseSynQueue();
        if (receiver.ackPending()) {
            sendAck(); // the ACK of the peer's FIN, while this connection still speaks for the 4-tuple
        }
        if (!tcp.toTimeWait(this)) {
            finish(null); // the records are at their bound (or the layer is gone): close at once
            return;
        }
        // The record answers for the 4-tuple from now on; this connection is done, as
        // Linux's socket is once its tcp_timewait_sock takes over.
        state(TcpState.CLOSED);
        closed("fin");
        freeBuffers();
        flow.signal();
    }

    private long twoMsl() {
        Duration msl = config.msl();
        return msl.toNanos() * 2;
    }

    private void linger(long nanos) {
        if (lingerTimer == null) {
            lingerTimer = loop.newTimer(this::onLingerTimeout);
        }
        lingerTimer.schedule(nanos);
    }

    /**
     * The user closed the flow (not just its write direction). In FIN_WAIT_2 nothing of
     * ours is outstanding, so nothing would notice a peer that vanished after acknowledging
     * our FIN (Linux bounds FIN_WAIT_2 with tcp_fin_timeout; RFC 9293 sets no bound). After
     * close, once the peer has been silent for 2 MSL, FIN_WAIT_2 probes it as a zero window
     * is probed (SND.UNA - 1, backing off from the RTO); a live peer answers and the wait
     * goes on, and {@code maxRetransmissions} unanswered probes end the flow with Timeout.
     * A half-closed flow ({@code shutdown(WRITE)}) waits as long as the peer likes.
     */
    void onCloseRequested() {
        closeRequested = true;
        if (state == TcpState.FIN_WAIT_2) {
            linger(twoMsl());
        }
    }

    private void onLingerTimeout() {
        if (state != TcpState.FIN_WAIT_2) {
            return;
        }
        long now = loop.nanoTime();
        if (finWait2Probes > 0 && lastActivityAt - lastFinWait2ProbeAt >= 0) {
            finWait2Probes = 0; // the peer answered
        }
        long idle = now - lastActivityAt;
        if (finWait2Probes == 0 && idle < twoMsl()) {
            linger(twoMsl() - idle);
            return;
        }
        if (finWait2Probes >= config.maxRetransmissions()) {
            counters.timeouts.increment();
            finish(new TcpException.Timeout("no FIN from " + remoteAddress + ":" + remotePort + " after close"));
            return;
        }
        sendProbe();
        finWait2Probes++;
        lastFinWait2ProbeAt = now;
        long delay = sender.rtx.rto();
        for (int i = 1; i < finWait2Probes && delay < RetransmissionTimer.MAX_RTO; i++) {
            delay *= 2;
        }
        linger(Math.min(delay, RetransmissionTimer.MAX_RTO));
    }

    /** An acceptable reset arrived (RFC 9293 3.10.7.3, 3.10.7.4 second; RFC 5961 3.2). */
    void onReset() {
        counters.resetsReceived.increment();
        closeHow = state == TcpState.SYN_SENT ? "refused" : "reset received";
        switch (state) {
            case SYN_SENT -> {
                counters.refused.increment();
                finish(new TcpException.Refused("connection refused by " + remoteAddress + ":" + remotePort));
            }
            case SYN_RECEIVED -> {
                if (passive) {
                    finish(null); // RFC 9293 3.10.7.4: back to LISTEN, i.e. forget the half-open one
                } else {
                    counters.refused.increment();
                    finish(new TcpException.Refused("connection refused by " + remoteAddress + ":" + remotePort));
                }
            }
            case ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2, CLOSE_WAIT ->
                finish(new TcpException.Reset("connection reset by " + remoteAddress + ":" + remotePort));
            default -> finish(null);
        }
    }

    // ---- timeouts (RFC 9293 3.10.8) ---------------------------------------------------------

    /** The retransmission timer expired: resend the SYN or SYN-ACK, or the data. */
    void onRetransmissionTimeout() {
        switch (state) {
            case SYN_SENT, SYN_RECEIVED -> {
                if (handshakeRetransmissions >= config.synRetries()) {
                    counters.timeouts.increment();
                    closeHow = "timeout";
                    if (passive) {
                        finish(null); // a half-open connection just goes away
                    } else {
                        finish(new TcpException.Timeout("no answer from " + remoteAddress + ":" + remotePort
                            + " after " + (handshakeRetransmissions + 1) + " SYNs"));
                    }
                    return;
                }
                handshakeRetransmissions++;
                counters.txRetransmits.increment();
                TcpEvents.rto(this, sender.rtx.rto(), sender.rtx.backoffCount() + 1, state.name());
                TcpEvents.retransmission(this, sender.iss, 0, TcpEvents.RTO);
                sender.rtx.backOff();
                if (state == TcpState.SYN_SENT) {
                    sendSyn();
                } else {
                    sendSynAck();
                }
                sender.rtx.restart();
            }
            case CLOSED, TIME_WAIT, FIN_WAIT_2 -> {
            }
            default -> {
                if (!sender.onRetransmissionTimeout()) {
                    onPeerUnresponsive();
                    return;
                }
                receiver.flushAck();
            }
        }
        flow.signal();
    }

    /** Retransmissions or window probes went unanswered too often: the flow fails with Timeout. */
    void onPeerUnresponsive() {
        counters.timeouts.increment();
        LOG.debug("{}: peer {}:{} stopped answering", tcp.name, remoteAddress, remotePort);
        finish(new TcpException.Timeout("no acknowledgment from " + remoteAddress + ":" + remotePort));
    }

    /** Keepalive probes went unanswered: reset, and the flow ends (read gives Eof, write Closed). */
    void onKeepaliveExpired() {
        counters.timeouts.increment();
        closeHow = "timeout";
        abort(null);
    }

    /** An acceptable segment arrived: keepalive and the FIN_WAIT_2 timeout measure idleness from here. */
    void onActivity() {
        lastActivityAt = loop.nanoTime();
        if (keepalive != null) {
            keepalive.onActivity();
        }
    }

    // ---- sending ------------------------------------------------------------------------------

    /** True in the states where our data or FIN may still be (re)sent. */
    boolean sends() {
        return switch (state) {
            case ESTABLISHED, CLOSE_WAIT, FIN_WAIT_1, CLOSING, LAST_ACK -> true;
            default -> false;
        };
    }

    /**
     * An ICMP "fragmentation needed" quoted a segment of this connection (RFC 1191): once
     * the sender has checked it (RFC 5927 5.2), the IP layer's path MTU to the peer falls
     * too, for the other connections to it and for new ones.
     */
    void onFragmentationNeeded(int quotedSeq, int mtu) {
        if (sender.onFragmentationNeeded(quotedSeq, mtu)) {
            tcp.ip.updatePathMtu(remoteAddress, mtu);
        }
    }

    /** Sends a segment of data and/or FIN, carrying our ACK and window. */
    void transmitData(int seq, int length, boolean fin, int bufferOffset, boolean push) {
        int flags = TcpHeader.ACK | (fin ? TcpHeader.FIN : 0) | (push && length > 0 ? TcpHeader.PSH : 0);
        output.segment(localPort, remotePort, seq, receiver.rcvNxt, flags, receiver.windowField())
            .payload(sender.buffer, bufferOffset, length);
        int blocks = length > 0 ? dataSackBlocks() : sackBlocks();
        // A segment resent whole, as first sent, may have less room for SACK blocks now.
        while (blocks > 0 && length + TcpOptions.sackLength(blocks) > sender.mss) {
            blocks--;
        }
        synchronizedOptions(blocks);
        output.send(localAddress, remoteAddress);
        receiver.onAckSent();
    }

    /** Sends an ACK: {@code <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>} (RFC 9293 3.10.7.4). */
    void sendAck() {
        if (state == TcpState.CLOSED || state == TcpState.SYN_SENT) {
            return;
        }
        output.segment(localPort, remotePort, sender.ackSeq(), receiver.rcvNxt, TcpHeader.ACK, receiver.windowField());
        synchronizedOptions(sackBlocks());
        output.send(localAddress, remoteAddress);
        receiver.onAckSent();
    }

    /**
     * The options of a segment after the handshake: timestamps when agreed (RFC 7323 3.2:
     * "MUST be sent in every non-RST segment") and the first {@code blocks} SACK blocks
     * that {@link #sackBlocks} or {@link #dataSackBlocks} built (RFC 2018 4).
     */
    private void synchronizedOptions(int blocks) {
        TcpOptions o = output.options();
        if (timestamps.enabled()) {
            o.timestamps(timestamps.now(), timestamps.recent());
        }
        for (int i = 0; i < blocks; i++) {
            o.addSackBlock(receiver.sackStart(i), receiver.sackEnd(i));
        }
    }

    /**
     * Builds the SACK blocks an ACK carries: as many as the 40 bytes of options hold, 4, or
     * 3 beside timestamps (RFC 2018 3); 0 without SACK, or with nothing held out of order
     * and no duplicate to report (RFC 2883).
     */
    int sackBlocks() {
        if (!sackAgreed) {
            return 0;
        }
        return receiver.buildSackBlocks(timestamps.enabled() ? 3 : TcpOptions.MAX_SACK_BLOCKS);
    }

    /**
     * Builds the SACK blocks a data segment carries: those of {@link #sackBlocks}, fewer
     * when they would take more than half of the segment, whose payload shrinks by what
     * they take ({@link Sender#segmentSize}).
     */
    int dataSackBlocks() {
        int n = sackBlocks();
        while (n > 0 && TcpOptions.sackLength(n) > sender.mss / 2) {
            n--;
        }
        return n;
    }

    /**
     * A challenge ACK (RFC 5961 3.2, 4.2, 5.2): the peer proves it sees our traffic by
     * answering it. Like any ACK to an unacceptable segment, at most one per
     * {@link TimeWait#OOW_ACK_INTERVAL_NANOS} per connection ({@link #invalidAckAllowed()},
     * checked first, as Linux's tcp_send_challenge_ack does, so that one connection's
     * flood does not spend the layer's budget); then the layer's budget bounds them over
     * all connections (RFC 5961 7). Past either, none is sent.
     */
    void sendChallengeAck() {
        if (!invalidAckAllowed() || !tcp.challengeAcks.tryAcquire()) {
            counters.txChallengeAcksSuppressed.increment();
            return;
        }
        counters.txChallengeAcks.increment();
        sendAck();
    }

    /**
     * May an ACK answer an unacceptable segment now ({@link SegmentArrival})? True at
     * most once per {@link TimeWait#OOW_ACK_INTERVAL_NANOS} (Linux's tcp_invalid_ratelimit).
     */
    boolean invalidAckAllowed() {
        long now = loop.nanoTime();
        if (!TimeWait.oowAckDue(now, lastInvalidAckAt)) {
            return false;
        }
        lastInvalidAckAt = now;
        return true;
    }

    /**
     * A probe the peer must answer with an ACK: sequence number SND.UNA - 1, no data (an
     * old sequence number, so unacceptable, RFC 9293 3.10.7.4). Used for zero-window
     * probes and keepalive (RFC 1122 4.2.3.6).
     */
    void sendProbe() {
        output.segment(localPort, remotePort, sender.sndUna - 1, receiver.rcvNxt, TcpHeader.ACK,
            receiver.windowField());
        synchronizedOptions(sackBlocks());
        output.send(localAddress, remoteAddress);
        receiver.onAckSent();
    }

    // ---- what the halves tell the flow ---------------------------------------------------------

    /** New in-order data arrived. */
    void onReadable() {
        if (flow.readPending()) {
            flow.signal();
        }
    }

    /**
     * Acknowledged data left the send buffer, and the congestion window may have grown:
     * the send buffer follows it ({@link #sendBufferTarget}, Linux's tcp_new_space and
     * tcp_sndbuf_expand, on each ACK that frees space).
     */
    void onSendSpace() {
        SendBuffer buffer = sender.buffer;
        if (buffer != null) {
            sendBufferTarget(autoTuning.sendTarget(sender.cwnd(), sender.mss, buffer.limit()));
            if (buffer.size() == 0 && buffer.holdsMemory()) {
                onBufferEmptied();
            }
        }
        if (flow.waitingForSpace()) {
            flow.signal();
        }
    }

    /**
     * Fixes the send and receive buffer sizes (Linux's SO_SNDBUF and SO_RCVBUF): from now on
     * auto-tuning leaves a fixed direction alone; 0 leaves a direction as it is. Before the
     * handshake ends the sizes wait for it. A lower send buffer keeps what it holds until
     * acknowledged; writes wait for room under the new size.
     */
    void fixBufferSizes(int sendBytes, int receiveBytes) {
        if (sendBytes > 0) {
            fixedSendBuffer = sendBytes;
            if (sender.buffer != null) {
                sender.buffer.setLimit(sendBytes);
                if (flow.waitingForSpace()) {
                    flow.signal();
                }
            }
        }
        if (receiveBytes > 0) {
            receiver.fixTarget(receiveBytes);
            receiver.offerGrownWindow(); // a larger window may be offered at once
        }
    }

    /**
     * Raises the send buffer size to {@code bytes}, at most the configured maximum (never
     * lowers it); writes waiting for room go on. The buffer's memory still grows only as
     * the user's data fills it.
     */
    void sendBufferTarget(int bytes) {
        SendBuffer buffer = sender.buffer;
        if (buffer == null || fixedSendBuffer > 0) {
            return;
        }
        int limit = buffer.limit();
        int wanted = Math.min(bytes, Math.max(limit, config.maxSendBufferSize()));
        if (wanted > limit && !tcp.chunks.underPressure()) {
            buffer.raiseLimit(wanted);
            if (flow.waitingForSpace()) {
                flow.signal();
            }
        }
    }

    // ---- giving idle buffers' memory back -------------------------------------------------------

    /**
     * A buffer holding memory became empty: unless already armed, arm the timer that gives
     * it back once the connection has been idle for {@value #IDLE_RELEASE_MILLIS} ms. The
     * timer is created once per connection, and armed at most once per idle period, so the
     * data path does not allocate.
     */
    void onBufferEmptied() {
        if (state == TcpState.CLOSED || state == TcpState.TIME_WAIT) {
            return;
        }
        if (releaseTimer == null) {
            releaseTimer = loop.newTimer(this::onReleaseTimeout);
        }
        if (!releaseTimer.isScheduled()) {
            releaseTimer.schedule(IDLE_RELEASE_NANOS);
        }
    }

    /**
     * The release timer expired: when no segment arrived for {@value #IDLE_RELEASE_MILLIS}
     * ms, empty buffers give their memory back; otherwise look again when that much time
     * has passed since the last segment. A buffer holding data is left alone: it arms the
     * timer again when it empties.
     */
    private void onReleaseTimeout() {
        if (!holdsEmptyBuffer()) {
            return;
        }
        long idle = loop.nanoTime() - lastActivityAt;
        if (idle < IDLE_RELEASE_NANOS) {
            releaseTimer.schedule(IDLE_RELEASE_NANOS - idle);
            return;
        }
        releaseEmptyBuffers();
    }

    /** True when a buffer holds memory and no data. */
    private boolean holdsEmptyBuffer() {
        SendBuffer send = sender.buffer;
        ReceiveBuffer receive = receiver.buffer;
        return (send != null && send.size() == 0 && send.holdsMemory())
            || (receive != null && receive.isEmpty() && receive.holdsMemory());
    }

    /** Gives the memory of the buffers that hold nothing back, and the transmit queue's when nothing is in flight. */
    void releaseEmptyBuffers() {
        if (sender.buffer != null) {
            sender.buffer.release();
        }
        sender.queue.release();
        receiver.releaseIfEmpty();
    }

    /**
     * The connection is over: its chunks go back to the pool. Unread data stays for the
     * reader, out of the layer's pool ({@link ReceiveBuffer#detach}).
     */
    private void freeBuffers() {
        if (sender.buffer != null) {
            sender.buffer.dispose();
        }
        sender.queue.release();
        if (receiver.buffer != null) {
            if (receiver.buffer.isEmpty() || receiver.readShutdown) {
                receiver.buffer.dispose();
            } else {
                receiver.buffer.detach();
            }
        }
    }

    /** New data went out for the first time. */
    void onTransmitted() {
        if (flow.waitingForTransmission()) {
            flow.signal();
        }
    }

    /** Both directions are closed: TIME_WAIT or CLOSED. */
    boolean bothClosed() {
        return state == TcpState.TIME_WAIT || state == TcpState.CLOSED;
    }

    /** A snapshot for {@link org.tcpip4j.tcp.TcpFlow#info()} (Linux's tcp_info). Loop only. */
    TcpInfo info() {
        Sender s = sender;
        boolean established = s.buffer != null;
        RetransmissionTimer r = s.rtx;
        return new TcpInfo(state.name(), established ? s.congestionName() : "", s.recovery.state.label, s.mss,
            established ? s.cwnd() : 0, s.ssthresh(), Duration.ofNanos(r.measured() ? r.srtt() : 0),
            Duration.ofNanos(r.measured() ? r.rttvar() : 0), Duration.ofNanos(Math.max(0, s.minRtt())),
            Duration.ofNanos(r.rto()), s.bytesSent, s.bytesRetransmitted, s.bytesAcked, receiver.bytesReceived,
            s.segmentsLost, s.queue.sackedBytes(), established ? s.inFlight() : 0, s.rack.reorderingDegree(),
            s.recovery.spuriousRecoveries, s.sndWnd, receiver.window(), established ? s.buffer.limit() : 0,
            receiver.buffer != null ? receiver.buffer.limit() : 0,
            s.deliveryRate() < 0 ? -1 : s.deliveryRate() * 8, timestamps.enabled(), sackAgreed);
    }

    // ---- what is recorded and logged ---------------------------------------------------------

    /**
     * Moves to state {@code to}: a DEBUG line on {@link #STATE_LOG} and a
     * {@code org.tcpip4j.tcp.StateChange} event, each only when enabled (nothing is
     * allocated otherwise).
     */
    void state(TcpState to) {
        TcpState from = state;
        state = to;
        if (from == to) {
            return;
        }
        if (STATE_LOG.isDebugEnabled()) {
            STATE_LOG.debug("{}: {} <-> {} {} -> {}", tcp.name, localEndpoint(), remoteEndpoint(), from, to);
        }
        TcpEvents.stateChange(this, from, to);
        if (from == TcpState.CLOSED && (to == TcpState.SYN_SENT || to == TcpState.SYN_RECEIVED)) {
            TcpEvents.opened(this);
        }
    }

    /** Records that the connection ended ({@code org.tcpip4j.tcp.ConnectionClosed}). */
    private void closed(String how) {
        TcpEvents.closed(this, how);
    }

    /** How a connection that ended with {@code cause} ended, in the closing event's words. */
    private static String howFailed(TcpException cause) {
        return switch (cause) {
            case null -> "fin";
            case TcpException.Reset r -> "reset received";
            case TcpException.Refused r -> "refused";
            case TcpException.Timeout t -> "timeout";
            case TcpException.NoRoute n -> "no route";
            default -> "failed";
        };
    }

    /** This end, {@code address:port}; made once. */
    String localEndpoint() {
        if (localEndpoint == null) {
            localEndpoint = TcpEvents.endpoint(localAddress, localPort);
        }
        return localEndpoint;
    }

    /** The peer, {@code address:port}; made once. */
    String remoteEndpoint() {
        if (remoteEndpoint == null) {
            remoteEndpoint = TcpEvents.endpoint(remoteAddress, remotePort);
        }
        return remoteEndpoint;
    }

    @Override
    public String toString() {
        return localAddress + ":" + localPort + "<->" + remoteAddress + ":" + remotePort + " " + state;
    }
}
