package org.tcpip4j.tcp.internal;

import org.tcpip4j.tcp.internal.wire.TcpHeader;

/**
 * SEGMENT ARRIVES for a connection (RFC 9293 3.10.7.3 and 3.10.7.4), step by step as the
 * RFC orders them, with the RFC 5961 defences against blind resets, SYNs and data
 * injection, PAWS and the TS.Recent update of RFC 7323 (appendix D places them around the
 * first check). TIME_WAIT is {@link TimeWait}'s (a compact record replaces the
 * connection), the LISTEN state and segments for no connection are {@link Listener}'s and
 * {@link DefaultTcp}'s (3.10.7.1, 3.10.7.2).
 */
final class SegmentArrival {

    private SegmentArrival() {
    }

    /**
     * Processes one received segment, then sends what it calls for. Only a segment found
     * acceptable (in the window, with an acceptable ACK) counts as the peer's activity for
     * keepalive and the FIN_WAIT_2 timeout: a blind attacker who knows the 4-tuple alone
     * cannot keep a dead connection alive.
     */
    static void process(Connection c, ReceivedSegment seg) {
        switch (c.state) {
            case SYN_SENT -> synSent(c, seg);
            case CLOSED -> {
                return;
            }
            default -> otherStates(c, seg);
        }
        if (c.state != TcpState.CLOSED) {
            c.sender.output();
            c.receiver.flushAck();
        }
    }

    // ---- RFC 9293 3.10.7.3: SYN-SENT ----------------------------------------------------

    private static void synSent(Connection c, ReceivedSegment seg) {
        Sender snd = c.sender;
        boolean hasAck = seg.has(TcpHeader.ACK);
        // First: the ACK must acknowledge our SYN and nothing we have not sent.
        if (hasAck && (SeqNum.le(seg.ack, snd.iss) || SeqNum.gt(seg.ack, snd.sndNxt))) {
            if (!seg.has(TcpHeader.RST)) {
                c.sendReset(seg.ack);
            }
            return;
        }
        // Second: a reset is believed only with an acceptable ACK.
        if (seg.has(TcpHeader.RST)) {
            if (hasAck) {
                c.onReset();
            }
            return;
        }
        // Fourth: the SYN.
        if (!seg.has(TcpHeader.SYN)) {
            return;
        }
        c.onActivity();
        c.receiver.synReceived(seg.seq);
        c.peerOptions(seg.options);
        if (hasAck) {
            // Our SYN is acknowledged: ESTABLISHED. The window of a SYN is never scaled (RFC 7323 2.2).
            c.establish(seg.window, seg.seq, seg.ack);
            if (c.state != TcpState.ESTABLISHED) {
                return;
            }
            c.receiver.ackNow();
            // "If there are other controls or text in the segment, then continue processing
            // at the sixth step": data and FIN after the SYN.
            seg.seq++;
            seg.flags &= ~TcpHeader.SYN;
            if (seg.payloadLength > 0 || seg.has(TcpHeader.FIN)) {
                text(c, seg);
            }
        } else {
            // Simultaneous open: SYN_RECEIVED, answer SYN-ACK with the same ISS.
            c.state(TcpState.SYN_RECEIVED);
            c.sendSynAck();
        }
    }

    // ---- RFC 9293 3.10.7.4: every other state ------------------------------------------

    private static void otherStates(Connection c, ReceivedSegment seg) {
        Receiver rcv = c.receiver;
        Sender snd = c.sender;
        if (c.state == TcpState.SYN_RECEIVED && seg.has(TcpHeader.SYN) && !seg.has(TcpHeader.RST)
                && seg.seq == rcv.irs) {
            if (!seg.has(TcpHeader.ACK)) {
                // The peer's SYN again: our SYN-ACK was lost, send it again.
                c.sendSynAck();
                return;
            }
            // Simultaneous open (RFC 9293 3.5, figure 8): the peer's SYN-ACK repeats the SYN
            // we have and acknowledges ours. Keep the acknowledgment, and answer it.
            seg.seq++;
            seg.flags &= ~TcpHeader.SYN;
            rcv.ackNow();
        }
        // RFC 7323 3.2: once timestamps are agreed, a segment without them is dropped.
        if (c.timestamps.missingFrom(seg)) {
            c.counters.rxMissingTimestamps.increment();
            return;
        }
        // RFC 7323 5.3 R1: PAWS, before the window check; an old duplicate draws an ACK.
        if (c.timestamps.rejects(seg)) {
            c.counters.rxPawsRejected.increment();
            rcv.onUnacceptable(seg.seq, seg.payloadLength);
            ackInvalid(c, seg);
            return;
        }
        // First: is the segment in the window?
        if (!rcv.acceptable(seg.seq, seg.sequenceLength())) {
            if (!seg.has(TcpHeader.RST)) {
                c.counters.rxOutOfWindow.increment();
                rcv.onUnacceptable(seg.seq, seg.payloadLength);
                ackInvalid(c, seg);
            }
            return;
        }
        // Second: RST. RFC 5961 3.2: only an exact match resets; in window, a challenge ACK.
        if (seg.has(TcpHeader.RST)) {
            if (seg.seq == rcv.rcvNxt) {
                c.onReset();
            } else {
                c.sendChallengeAck();
            }
            return;
        }
        // Fourth: SYN. RFC 5961 4.2: whatever its sequence number, a challenge ACK.
        if (seg.has(TcpHeader.SYN)) {
            c.sendChallengeAck();
            return;
        }
        // Fifth: ACK.
        if (!seg.has(TcpHeader.ACK)) {
            return;
        }
        if (c.state == TcpState.SYN_RECEIVED) {
            if (SeqNum.lt(snd.sndUna, seg.ack) && SeqNum.le(seg.ack, snd.sndNxt)) {
                c.establish(seg.window << (c.peerScaleIfAgreed()), seg.seq, seg.ack);
                if (c.state != TcpState.ESTABLISHED) {
                    return;
                }
            } else {
                c.sendReset(seg.ack);
                return;
            }
        }
        // RFC 5961 5.2: an ACK beyond what we sent, or older than the largest window, is
        // answered with an ACK and dropped.
        if (SeqNum.gt(seg.ack, snd.sndMax) || SeqNum.lt(seg.ack, snd.sndUna - Math.max(snd.maxSndWnd, 1))) {
            if (SeqNum.gt(seg.ack, snd.sndMax)) {
                ackInvalid(c, seg);
            } else {
                c.sendChallengeAck();
            }
            return;
        }
        // RFC 7323 5.3 R3 (4.3): an acceptable segment at or before Last.ACK.sent gives
        // TS.Recent; taken only now that its ACK proved acceptable too.
        c.timestamps.onAcceptable(seg, rcv.lastAckSent);
        c.onActivity();
        if (c.state == TcpState.TIME_WAIT) {
            // Only a retransmitted FIN is expected here; it was out of window above.
            return;
        }
        snd.onAck(seg);
        if (snd.finAcked()) {
            c.onFinAcked();
            if (c.state == TcpState.CLOSED) {
                return;
            }
        }
        // Sixth: URG. Urgent data is delivered as ordinary data (RFC 6093 recommends not
        // relying on it), so the pointer is ignored.
        // Seventh and eighth: text and FIN.
        if (seg.payloadLength > 0 || seg.has(TcpHeader.FIN)) {
            text(c, seg);
        }
    }

    /**
     * Answers an unacceptable segment (out of the window, PAWS-rejected, or acknowledging
     * what was never sent) with an ACK, at most one per 500 ms
     * ({@link TimeWait#OOW_ACK_INTERVAL_NANOS}, as in TIME_WAIT) per connection for segments without data (Linux's tcp_invalid_ratelimit and
     * tcp_oow_rate_limited): two ends that disagree about the window, or a blind attacker,
     * cannot make it an ACK storm. A segment with data or a FIN is always answered, since
     * its ACK (with its D-SACK block, RFC 2883) is what lets a peer that missed our ACK
     * move on, and it is not part of an ACK loop.
     */
    private static void ackInvalid(Connection c, ReceivedSegment seg) {
        if (seg.sequenceLength() > 0 && !seg.has(TcpHeader.SYN) || c.invalidAckAllowed()) {
            c.receiver.ackNow();
        } else {
            c.counters.txOutOfWindowAcksSuppressed.increment();
        }
    }

    /** RFC 9293 3.10.7.4, seventh (segment text) and eighth (FIN). */
    private static void text(Connection c, ReceivedSegment seg) {
        if (!c.state.receivesData()) {
            // CLOSE_WAIT, CLOSING, LAST_ACK, TIME_WAIT: the peer's FIN came already; any
            // data is a peer's error (RFC 9293 3.10.7.4 "should not occur"), or a FIN again.
            if (seg.has(TcpHeader.FIN) || seg.payloadLength > 0) {
                c.receiver.ackNow();
            }
            return;
        }
        boolean finReached;
        try {
            finReached = c.receiver.onText(seg);
        } finally {
            // The segment's ACK, window and data are processed: a reception may take its
            // bytes now, and call the flow, before the FIN that follows them ends the stream.
            // Whatever happened, no frame is kept past its segment.
            c.receiver.handOverLent();
        }
        if (finReached) {
            c.onFinReceived();
        }
    }
}
