package org.tcpip4j.tcp.internal;

import org.tcpip4j.tcp.internal.wire.TcpHeader;

/**
 * A connection in TIME_WAIT, reduced to what the state still needs (Linux's
 * {@code tcp_timewait_sock}): the 4-tuple, the sequence numbers each side reached, the
 * window and TS.Recent to answer with, and when the 2 MSL end. No buffers, no timers of its
 * own (the layer's {@link TimeWaits} expires them in order), no flow: about a hundred bytes,
 * where the connection it replaces held its whole transmission control block. The flow
 * the user holds keeps the {@link Connection}, with any data still unread; the layer
 * forgets it.
 *
 * <p>SEGMENT ARRIVES in TIME_WAIT (RFC 9293 3.10.7.4; Linux's tcp_timewait_state_process):
 * <ul>
 *   <li>a reset at exactly RCV.NXT ends TIME_WAIT at once. RFC 1337 names this the
 *       "TIME-WAIT assassination" hazard and suggests ignoring resets here; Linux does not
 *       by default ({@code tcp_rfc1337 = 0}), and neither do we: the reset must carry the
 *       exact sequence number, which a blind attacker has to guess, and the 4-tuple is then
 *       free for a new incarnation, whose ISN and timestamps lie past the old ones anyway.
 *       Other resets are dropped;
 *   <li>a SYN that RFC 6191 lets through (a newer timestamp, or a sequence number above
 *       RCV.NXT) opens a new incarnation when a listener takes it
 *       ({@link DefaultTcp#reopenFromTimeWait});
 *   <li>a bare ACK at RCV.NXT restarts the 2 MSL;
 *   <li>anything else (a retransmitted FIN, whose ACK was lost; an old duplicate; a PAWS
 *       reject) is answered with an ACK, and a FIN or ACK restarts the 2 MSL. Segments
 *       without data or FIN, and SYNs, draw at most one ACK per half second (Linux's
 *       {@code tcp_invalid_ratelimit} and {@code tcp_oow_rate_limited}); a FIN or data is
 *       always answered, since a peer whose ACKs were lost needs that one to close.
 * </ul>
 */
final class TimeWait extends FourTuple {

    /** ACKs answering out-of-window segments at most this often (Linux's tcp_invalid_ratelimit, 500 ms). */
    static final long OOW_ACK_INTERVAL_NANOS = 500_000_000L;
    /** A time of the last such ACK that lies an interval and more before any loop time. */
    static final long LONG_AGO = Long.MIN_VALUE / 2;

    /** May an ACK answer an unacceptable segment at {@code now}, the last having gone at {@code last}? */
    static boolean oowAckDue(long now, long last) {
        return now - last >= OOW_ACK_INTERVAL_NANOS;
    }

    /** SND.NXT: past our FIN. */
    final int sndNxt;
    /** RCV.NXT: past the peer's FIN. */
    final int rcvNxt;
    /** The window field our ACKs carry (already shifted by our scale). */
    final int windowField;
    /** The Timestamps option is in use (RFC 7323). */
    final boolean timestamps;
    /** TS.Recent: what our ACKs echo. */
    int tsRecent;
    /** When the 2 MSL end, on the loop's clock. */
    long expiresAt;
    /** When we last answered an out-of-window segment. */
    long lastOowAckAt;
    /** The neighbours in {@link TimeWaits}' list, by expiry. */
    TimeWait prev;
    TimeWait next;

    TimeWait(Connection c) {
        super(c);
        this.sndNxt = c.sender.sndMax;
        this.rcvNxt = c.receiver.rcvNxt;
        this.windowField = c.receiver.windowField();
        this.timestamps = c.timestamps.enabled();
        this.tsRecent = c.timestamps.recent();
        this.lastOowAckAt = LONG_AGO;
    }

    /** What the layer does with a segment for this 4-tuple. */
    enum Verdict {
        /** Nothing more: dropped, or taken in. */
        DONE,
        /** TIME_WAIT ends now (an acceptable reset). */
        KILL,
        /** A SYN RFC 6191 lets open a new incarnation. */
        REOPEN
    }

    /** SEGMENT ARRIVES in TIME_WAIT; answers what needs answering through {@code tcp}. */
    Verdict process(DefaultTcp tcp, ReceivedSegment seg) {
        boolean hasTs = seg.options.hasTimestamps();
        // RFC 7323 5.3 R1: PAWS, for everything but a reset.
        boolean pawsReject = timestamps && hasTs && !seg.has(TcpHeader.RST)
            && seg.options.timestampValue() - tsRecent < 0;
        if (!pawsReject && seg.seq == rcvNxt && (seg.sequenceLength() == 0 || seg.has(TcpHeader.RST))) {
            if (seg.has(TcpHeader.RST)) {
                tcp.counters.timeWaitReset.increment();
                return Verdict.KILL;
            }
            if (timestamps && hasTs) {
                tsRecent = seg.options.timestampValue();
            }
            tcp.timeWaits.restart(this);
            return Verdict.DONE;
        }
        if (seg.has(TcpHeader.SYN) && !seg.has(TcpHeader.RST) && !seg.has(TcpHeader.ACK) && !pawsReject
                && synMayReopen(tcp.config.timestamps(), seg)) {
            return Verdict.REOPEN;
        }
        if (pawsReject) {
            tcp.counters.rxPawsRejected.increment();
        }
        if (seg.has(TcpHeader.RST)) {
            return Verdict.DONE;
        }
        if (pawsReject || seg.has(TcpHeader.ACK)) {
            tcp.timeWaits.restart(this);
        }
        tcp.counters.rxOutOfWindow.increment();
        if (seg.sequenceLength() > 0 && !seg.has(TcpHeader.SYN)) {
            sendAck(tcp); // data or a FIN (its ACK lost) is not part of an ACK loop: always answered
            return Verdict.DONE;
        }
        long now = tcp.loop.nanoTime();
        if (!oowAckDue(now, lastOowAckAt)) {
            tcp.counters.txOutOfWindowAcksSuppressed.increment();
            return Verdict.DONE;
        }
        lastOowAckAt = now;
        sendAck(tcp);
        return Verdict.DONE;
    }

    /**
     * RFC 6191 2: may this SYN open a new incarnation? With timestamps on the old one, when
     * the SYN's TSval is newer than TS.Recent (or equal, with a sequence number above
     * RCV.NXT), or, if the new one would not use timestamps, when its sequence number is
     * above RCV.NXT; without timestamps on the old one, when the new one would use them, or
     * when its sequence number is above RCV.NXT.
     */
    boolean synMayReopen(boolean weOfferTimestamps, ReceivedSegment seg) {
        boolean newUsesTimestamps = weOfferTimestamps && seg.options.hasTimestamps();
        boolean sequenceAbove = SeqNum.gt(seg.seq, rcvNxt);
        if (timestamps) {
            if (!newUsesTimestamps) {
                return sequenceAbove;
            }
            int newer = seg.options.timestampValue() - tsRecent;
            return newer > 0 || (newer == 0 && sequenceAbove);
        }
        return newUsesTimestamps || sequenceAbove;
    }

    /** {@code <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>}, with timestamps when in use. */
    void sendAck(DefaultTcp tcp) {
        tcp.output.segment(localPort, remotePort, sndNxt, rcvNxt, TcpHeader.ACK, windowField);
        if (timestamps) {
            tcp.output.options().timestamps(tcp.timestampNow(localAddress, localPort, remoteAddress, remotePort),
                tsRecent);
        }
        tcp.output.send(localAddress, remoteAddress);
    }

    @Override
    public String toString() {
        return localAddress + ":" + localPort + "<->" + remoteAddress + ":" + remotePort + " TIME_WAIT";
    }
}
