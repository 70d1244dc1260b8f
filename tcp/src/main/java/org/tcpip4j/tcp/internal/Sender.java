package org.tcpip4j.tcp.internal;

import org.tcpip4j.netif.loop.EventLoop;
import org.tcpip4j.netif.loop.Timer;
import org.tcpip4j.tcp.internal.wire.TcpOptions;

/**
 * The send half of a connection (gVisor's snd.go): the send sequence variables of
 * RFC 9293 3.3.1, segmentation at the effective MSS within the peer's window and the
 * congestion window (RFC 9293 3.7.1, 3.8.6; RFC 5681), Nagle's algorithm and sender-side
 * silly window avoidance (RFC 9293 3.7.4, 3.8.6.2.1; RFC 1122 4.2.3.4), acknowledgment
 * processing (RFC 9293 3.10.7.4, fifth), retransmission on timeout (RFC 6298) and on three
 * duplicate ACKs (RFC 5681 3.2, RFC 6582) or, when SACK is in use, SACK-based loss recovery
 * (RFC 6675, {@link SackRecovery}), Limited Transmit on the first two duplicate ACKs
 * (RFC 3042), a tail loss probe when a flight's last segments or ACKs are lost (RFC 8985 7,
 * {@link TailLossProbe}), round-trip measurement from timestamps (RFC 7323 4.1,
 * 4.2) or one timed segment at a time (Karn), and the persist timer with zero-window
 * probes (RFC 9293 3.8.6.1, RFC 1122 4.2.2.17).
 *
 * <p>Sequence space: the SYN at ISS, the user's data from ISS+1 (held in {@link SendBuffer}
 * from SND.UNA on), then the FIN once the user closed the direction.
 *
 * <p>After a retransmission timeout the sender goes back to SND.UNA (SND.NXT = SND.UNA)
 * and resends in slow start; SND.MAX remembers the highest sequence number sent, so
 * acknowledgments of data sent before the timeout are still accepted.
 */
final class Sender {

    private final Connection conn;
    private final EventLoop loop;
    private final TcpCounters counters;
    private final int maxRetransmissions;

    /** ISS: our initial sequence number. */
    final int iss;
    /** SND.UNA: the oldest unacknowledged sequence number. */
    int sndUna;
    /** SND.NXT: the next sequence number to send. */
    int sndNxt;
    /** The highest sequence number sent, plus one. */
    int sndMax;
    /** SND.WND, scaled: the window the peer offers from SND.UNA. */
    int sndWnd;
    /** SND.WL1, SND.WL2: the segment that last updated the window. */
    int sndWl1;
    int sndWl2;
    /** The largest window the peer has offered (RFC 5961 5.2's MAX.SND.WND; RFC 9293 3.8.6.2.1). */
    int maxSndWnd;
    /** The peer's window shift count (RFC 7323 2.3), 0 when scaling is not in use. */
    int sndScale;
    /** Eff.snd.MSS (RFC 9293 3.7.1), less the Timestamps option when it is in use (RFC 7323 3.2). */
    int mss = 536;

    /** Unacknowledged data, from {@link #bufferSeq}; allocated when the connection is established. */
    SendBuffer buffer;
    /** The sequence number of the buffer's first byte. */
    private int bufferSeq;
    /** The user closed the direction: a FIN follows the data. */
    private boolean finQueued;
    /** Data up to this sequence number was written with writeNodelay: Nagle does not hold it. */
    private int pushUpTo;
    private boolean pushing;

    CongestionControl congestion;
    final RetransmissionTimer rtx;
    private final Timestamps timestamps;
    /** SACK-based loss recovery and the scoreboard, when SACK was agreed; else null. */
    SackRecovery sack;
    /** The tail loss probe (RFC 8985 7). */
    final TailLossProbe tlp;
    private final Timer persistTimer;
    private int persistBackoff;
    private int unansweredProbes;

    // Karn's algorithm (RFC 6298 3): one segment at a time is timed, never a retransmitted one.
    private boolean timing;
    private int timedSeq;
    private long timedAt;

    // Timestamps (RFC 7323 4.1): the TSval of the latest retransmission, while resent data is unacknowledged.
    private boolean resendPending;
    private int resentAtTs;
    private int resentEnd;

    // Loss recovery (RFC 5681 3.2, RFC 6582; RFC 6675 when SACK is in use).
    private int duplicateAcks;
    private boolean inRecovery;
    private boolean recoverValid;
    /** NewReno's "recover", RFC 6675's RecoveryPoint: SND.MAX when recovery began. */
    int recover;
    private int consecutiveTimeouts;

    Sender(Connection conn, EventLoop loop, TcpCounters counters, int iss, int maxRetransmissions) {
        this.conn = conn;
        this.loop = loop;
        this.counters = counters;
        this.iss = iss;
        this.maxRetransmissions = maxRetransmissions;
        this.sndUna = iss;
        this.sndNxt = iss;
        this.sndMax = iss;
        this.bufferSeq = iss + 1;
        this.rtx = new RetransmissionTimer(loop, conn::onRetransmissionTimeout);
        this.timestamps = conn.timestamps;
        this.persistTimer = loop.newTimer(this::onPersistTimeout);
        this.tlp = new TailLossProbe(this, loop, counters);
    }

    // ---- handshake -------------------------------------------------------------------

    /** Records that the SYN (or SYN-ACK) at ISS was sent. */
    void synSent() {
        sndNxt = iss + 1;
        sndMax = iss + 1;
    }

    /**
     * The handshake is over: the peer's SYN gave its window and MSS, and our SYN is
     * acknowledged. Allocates the send buffer.
     */
    void establish(int sendBufferSize, int effectiveMss, int peerScale, int window, int wl1, int wl2,
                   boolean sackAgreed) {
        this.mss = effectiveMss;
        this.sack = sackAgreed ? new SackRecovery(this) : null;
        this.sndScale = peerScale;
        this.sndUna = iss + 1;
        this.sndNxt = SeqNum.max(sndNxt, sndUna);
        this.sndMax = SeqNum.max(sndMax, sndUna);
        this.buffer = new SendBuffer(sendBufferSize);
        this.bufferSeq = iss + 1;
        this.congestion = new NewReno(effectiveMss);
        this.recover = iss;
        updateWindow(window, wl1, wl2);
        rtx.stop();
    }

    // ---- what the user and the connection ask ----------------------------------------

    /** The sequence number after the last byte the user queued. */
    int dataEnd() {
        return bufferSeq + (buffer == null ? 0 : buffer.size());
    }

    /** Marks data up to {@code seq} as written with writeNodelay. */
    void push(int seq) {
        pushUpTo = seq;
        pushing = true;
    }

    /** Queues the FIN after the data (RFC 9293 3.10.4). */
    void queueFin() {
        finQueued = true;
    }

    /** True when the FIN is queued. */
    boolean finQueued() {
        return finQueued;
    }

    /** True when our FIN has been acknowledged. */
    boolean finAcked() {
        return finQueued && SeqNum.gt(sndUna, dataEnd());
    }

    /** True when nothing sent is unacknowledged. */
    boolean allAcked() {
        return sndUna == sndMax;
    }

    /**
     * The sequence number for a segment carrying no data (RFC 9293 3.10.7.4 sends
     * {@code <SEQ=SND.NXT>}): the highest sent, unless that lies past the peer's window,
     * as after a timeout SND.NXT lags data the peer may already hold.
     */
    int ackSeq() {
        if (buffer == null) {
            return sndNxt;
        }
        int windowEnd = sndUna + sndWnd;
        return SeqNum.le(sndMax, windowEnd) ? sndMax : SeqNum.max(windowEnd, sndNxt);
    }

    // ---- acknowledgments (RFC 9293 3.10.7.4, fifth) --------------------------------------

    /**
     * Processes the acknowledgment, SACK blocks and window of an acceptable segment in a
     * synchronized state; the caller has checked that SEG.ACK is not beyond SND.MAX nor
     * too old (RFC 5961 5.2).
     */
    void onAck(ReceivedSegment seg) {
        int ack = seg.ack;
        int seq = seg.seq;
        int sequenceLength = seg.sequenceLength();
        int window = seg.window << sndScale;
        unansweredProbes = 0;
        int newlySacked = sack != null ? sack.scoreboard.update(seg.options, sndUna, sndMax) : 0;
        if (newlySacked > 0) {
            counters.rxSackedBytes.add(newlySacked);
        }
        // RFC 5681 2: a duplicate ACK carries no data, moves neither SND.UNA nor the window,
        // and arrives while data is outstanding. RFC 6675 2: with SACK, an ACK that
        // selectively acknowledges new data counts, whatever its window.
        boolean duplicate = ack == sndUna && sequenceLength == 0 && sndMax != sndUna
            && (seg.options.sackBlockCount() > 0 && sack != null ? newlySacked > 0 : window == sndWnd);
        boolean advanced = SeqNum.gt(ack, sndUna);
        if (advanced) {
            onNewAck(ack, seg);
        } else if (duplicate) {
            onDuplicateAck();
        }
        // RFC 9293 3.10.7.4: update the window only from a segment not older than the last
        // one that did (SND.WL1, SND.WL2).
        if (SeqNum.lt(sndWl1, seq) || (sndWl1 == seq && SeqNum.le(sndWl2, ack))) {
            updateWindow(window, seq, ack);
        }
        if (tlp.outstanding()) {
            onAckAfterProbe(ack, advanced, newlySacked, seg);
        }
        if (sack != null && sack.active()) {
            sack.detectLostRetransmissions(); // RFC 8985 6.2
        }
    }

    /**
     * An ACK while a tail loss probe is outstanding (RFC 8985 7.4): a SACK of the probe
     * above unacknowledged data starts SACK recovery with that data marked lost (6.2); an
     * acknowledgment showing that the probe alone repaired a loss reduces the window.
     */
    private void onAckAfterProbe(int ack, boolean advanced, int newlySacked, ReceivedSegment seg) {
        if (inRecovery) {
            tlp.onRecovery();
            return;
        }
        if (sack != null && sndNxt == sndMax && tlp.revealsLossBelow(sack.scoreboard) && mayStartRecovery(true)) {
            sack.markLostBelow(tlp.probeStart());
            startRecovery(true);
            return;
        }
        if (tlp.onAck(ack, advanced, newlySacked, seg.options)) {
            congestion.onLossRepairedByProbe(mss);
        }
    }

    private void onNewAck(int ack, ReceivedSegment seg) {
        int acked = ack - sndUna;
        int flightBefore = sndMax - sndUna;
        // Grow the congestion window only while at least half of it is in use, so that a
        // flow limited by the peer's window or by the application does not inflate it
        // without bound (Linux's tcp_is_cwnd_limited; RFC 7661 treats this fully).
        boolean cwndUsed = 2L * (sndMax - sndUna) >= congestion.cwnd();
        int dataAcked = acked;
        if (finQueued && SeqNum.gt(ack, dataEnd())) {
            dataAcked--; // the FIN takes one sequence number and no byte of the buffer
        }
        buffer.discard(dataAcked);
        bufferSeq += dataAcked;
        sndUna = ack;
        if (SeqNum.lt(sndNxt, sndUna)) {
            sndNxt = sndUna; // after a timeout the original segments arrived after all
        }
        if (sack != null) {
            sack.scoreboard.onCumulativeAck(ack);
        }
        long echoed = timestamps.rttNanos(seg);
        if (resendPending) {
            // An echo older than our latest retransmission names an earlier transmission
            // of what was resent: the ACK it rode was lost or held up, and the peer answers
            // the retransmission with its old TS.Recent (RFC 7323 5.3 R2 rejects the
            // duplicate before R3 could update it). The time since says how long the
            // recovery took, not the path's round trip, so it is not sampled (the same
            // comparison as the Eifel test, RFC 3522 3.2).
            if (echoed >= 0 && seg.options.timestampEcho() - resentAtTs < 0) {
                echoed = -1;
            }
            if (SeqNum.ge(ack, resentEnd)) {
                resendPending = false;
            }
        }
        if (echoed >= 0) {
            // RFC 7323 4.1: an ACK that advances SND.UNA times the segment it echoes; 4.2:
            // about FlightSize / (2 * SMSS) such samples arrive per round trip.
            rtx.sample(echoed, (flightBefore + 2 * mss - 1) / (2 * mss));
        } else if (timing && SeqNum.ge(ack, timedSeq)) {
            timing = false;
            rtx.sample(loop.nanoTime() - timedAt);
        }
        consecutiveTimeouts = 0;
        rtx.clearBackoff();
        if (recoverValid && SeqNum.gt(sndUna, recover) && !inRecovery) {
            recoverValid = false;
        }
        if (inRecovery) {
            if (SeqNum.ge(ack, recover)) {
                inRecovery = false;
                if (sack != null) {
                    sack.exit(); // RFC 6675 5 (A)
                }
                congestion.onRecoveryExit(sndMax - sndUna, mss);
            } else if (sack == null || !sack.active()) {
                // RFC 6582 3.2 step 3: a partial ACK, retransmit the next hole at once.
                congestion.onPartialAck(acked, mss);
                retransmitOneAt(sndUna);
            }
            // With SACK, a partial ACK only updates the scoreboard: output() goes on with
            // RFC 6675 (C), the holes first.
        } else if (cwndUsed) {
            congestion.onAck(acked, mss);
        }
        duplicateAcks = 0;
        if (sndUna == sndMax) {
            rtx.stop(); // RFC 6298 5.2
        } else {
            rtx.restart(); // RFC 6298 5.3
        }
        tlp.reschedule(probeEligible()); // RFC 8985 7.2: on an ACK of new data
        conn.onSendSpace();
    }

    private void onDuplicateAck() {
        counters.rxDuplicateAcks.increment();
        duplicateAcks++;
        boolean sackRecovery = sack != null && sndNxt == sndMax;
        if (inRecovery) {
            if (sack == null || !sack.active()) {
                congestion.onDuplicateAckInRecovery(mss); // RFC 5681 3.2 step 4
            }
        } else if ((duplicateAcks == 3 || (sackRecovery && duplicateAcks < 3 && sack.scoreboard.isLost(sndUna, mss)))
                && mayStartRecovery(sackRecovery)) {
            // RFC 6675 5 (2): with SACK, also as soon as the scoreboard shows the first byte lost.
            startRecovery(sackRecovery);
        }
    }

    /**
     * RFC 6582 3.2 step 2: a new recovery only when the ACK covers more than "recover"
     * (RFC 6675 5: "beyond the last value of RecoveryPoint"), so that the duplicates of a
     * go-back-N resend after a timeout do not start one. With SACK, duplicate ACKs count
     * only when they SACK new data, so those duplicates (D-SACKs) cannot, and an ACK at
     * "recover" itself may start one: everything sent before the timeout is acknowledged,
     * and the new holes are in data sent after it (as Linux leaves its Loss state when
     * SND.UNA reaches high_seq).
     */
    private boolean mayStartRecovery(boolean sackRecovery) {
        return !recoverValid || SeqNum.gt(sndUna, recover) || (sackRecovery && sndUna == recover);
    }

    /** Enters fast recovery (RFC 6582 3.2 step 2) or SACK-based loss recovery (RFC 6675 5). */
    private void startRecovery(boolean sackRecovery) {
        inRecovery = true;
        recover = sndMax;
        recoverValid = true;
        counters.txFastRetransmits.increment();
        timing = false;
        tlp.onRecovery();
        if (sackRecovery) {
            counters.txSackRecoveries.increment();
            congestion.onLossRecovery(sndMax - sndUna, mss);
            sack.enter();
        } else {
            congestion.onFastRetransmit(sndMax - sndUna, mss);
            retransmitOneAt(sndUna);
        }
    }

    private void updateWindow(int window, int seq, int ack) {
        sndWnd = window;
        sndWl1 = seq;
        sndWl2 = ack;
        if (window > maxSndWnd) {
            maxSndWnd = window;
        }
        if (window > 0 && persistBackoff > 0) {
            persistBackoff = 0; // the window opened: probing is over
        }
    }

    // ---- sending (RFC 9293 3.8.6, 3.7.4) --------------------------------------------------

    /** Sends what the windows, Nagle and silly window avoidance allow. */
    void output() {
        if (buffer == null || !conn.sends()) {
            return;
        }
        if (sack != null && sack.active()) {
            sack.transmit(); // RFC 6675 5 (C): pipe, not the window, paces recovery
        } else {
            while (sendNew(usableWindow()) > 0) {
                // one segment per round
            }
        }
        armPersistIfStalled();
    }

    /**
     * Sends one segment of new data (and the FIN once the data is all sent) at SND.NXT, of
     * at most {@code usable} bytes, when Nagle and silly window avoidance let it go.
     *
     * @return the sequence numbers it took, 0 when nothing was sent
     */
    int sendNew(int usable) {
        int unsent = dataEnd() - sndNxt; // -1 once the FIN is sent
        boolean finPending = finQueued && unsent >= 0;
        if (unsent <= 0 && !finPending) {
            return 0;
        }
        int len = Math.max(0, Math.min(Math.min(unsent, usable), segmentSize()));
        // The FIN takes a sequence number of the peer's window too (RFC 9293 3.10.7.4's
        // acceptability test would drop it in a zero window).
        boolean fin = finPending && len == unsent && len < usable;
        if (len == 0 && !fin) {
            return 0;
        }
        if (!worthSending(len, unsent, fin)) {
            return 0;
        }
        sendAt(sndNxt, len, fin);
        return len + (fin ? 1 : 0);
    }

    /**
     * The payload of a full segment now: Eff.snd.MSS, less the SACK blocks the segment
     * carries while we hold out-of-order data (RFC 9293 3.7.1: the MSS counts options out).
     */
    int segmentSize() {
        int blocks = conn.dataSackBlocks();
        return blocks == 0 ? mss : mss - TcpOptions.sackLength(blocks);
    }

    /** Bytes the peer's window allows from SND.NXT; may be negative. */
    int peerWindowLeft() {
        return sndUna + sndWnd - sndNxt;
    }

    /** Bytes the peer's window and the congestion window still allow from SND.NXT; may be negative. */
    private int usableWindow() {
        int window = Math.min(sndWnd, congestion.cwnd() + limitedTransmitAllowance());
        return sndUna + window - sndNxt;
    }

    /**
     * Limited Transmit (RFC 3042 2; RFC 5681 3.2, a SHOULD): on the first and second
     * duplicate ACK outside recovery, one new segment each may go if the peer's window
     * allows, as long as the data outstanding stays within cwnd + 2 * SMSS. cwnd itself does
     * not change. As SND.UNA stays put across duplicate ACKs, an allowance of one SMSS per
     * duplicate ACK lets exactly one more full segment out for each.
     */
    private int limitedTransmitAllowance() {
        if (inRecovery || duplicateAcks <= 0 || duplicateAcks >= SackScoreboard.DUP_THRESH || sndNxt != sndMax) {
            return 0;
        }
        return duplicateAcks * mss;
    }

    /**
     * Nagle (RFC 896; RFC 1122 4.2.3.4) and sender-side silly window avoidance (RFC 9293
     * 3.8.6.2.1): send a full segment, or all that is queued when nothing is in flight or
     * the data was written with writeNodelay, or at least half the largest window the
     * peer ever offered; otherwise wait for an ACK or the persist (override) timer.
     */
    private boolean worthSending(int len, int unsent, boolean fin) {
        if (len >= segmentSize() || fin) {
            return true;
        }
        boolean idle = sndNxt == sndUna;
        boolean nodelay = pushing && SeqNum.lt(sndNxt, pushUpTo);
        if (len == unsent && (idle || nodelay)) {
            return true;
        }
        return idle && maxSndWnd > 0 && len >= maxSndWnd / 2;
    }

    /** Sends {@code len} bytes (and the FIN) at {@code seq} == SND.NXT and advances SND.NXT. */
    private void sendAt(int seq, int len, boolean fin) {
        boolean retransmission = SeqNum.lt(seq, sndMax);
        int end = seq + len + (fin ? 1 : 0);
        conn.transmitData(seq, len, fin, seq - bufferSeq, SeqNum.ge(end, dataEnd()));
        if (retransmission) {
            counters.txRetransmits.increment();
            onResent(SeqNum.min(end, sndMax));
        }
        if (SeqNum.gt(end, sndMax)) {
            int newBytes = seq + len - sndMax; // data past SND.MAX, the FIN not counted
            if (newBytes > 0) {
                counters.txBytes.add(Math.min(len, newBytes));
            }
            if (!timing && !retransmission && !timestamps.enabled()) {
                timing = true;
                timedSeq = end;
                timedAt = loop.nanoTime();
            }
            sndMax = end;
            conn.onTransmitted();
        }
        sndNxt = end;
        if (pushing && SeqNum.ge(sndNxt, pushUpTo)) {
            pushing = false;
        }
        rtx.startIfStopped(); // RFC 6298 5.1
        persistTimer.cancel();
        if (!retransmission) {
            tlp.reschedule(probeEligible()); // RFC 8985 7.2: after new data
        }
    }

    /** Resends one segment at {@code seq} (fast retransmit, partial ACK) without moving SND.NXT. */
    private void retransmitOneAt(int seq) {
        retransmit(seq, sndMax);
    }

    /**
     * Resends one segment of what was sent from {@code seq}, ending at {@code limit} at the
     * latest (the next SACKed byte), with the FIN when it reaches the end of the data and
     * the FIN was sent. SND.NXT does not move.
     *
     * @return the sequence numbers resent, 0 when there was nothing
     */
    int retransmit(int seq, int limit) {
        int dataLimit = SeqNum.min(limit, dataEnd());
        int len = Math.max(0, Math.min(dataLimit - seq, segmentSize()));
        boolean fin = finQueued && seq + len == dataEnd() && SeqNum.gt(sndMax, dataEnd()) && SeqNum.gt(limit, dataEnd());
        if (len == 0 && !fin) {
            return 0;
        }
        if (timing && SeqNum.lt(seq, timedSeq)) {
            timing = false; // Karn (RFC 6298 3): the timed segment's ACK may now be the resent one's
        }
        conn.transmitData(seq, len, fin, seq - bufferSeq, SeqNum.ge(seq + len, dataEnd()));
        counters.txRetransmits.increment();
        onResent(seq + len + (fin ? 1 : 0));
        rtx.startIfStopped();
        return len + (fin ? 1 : 0);
    }

    /** Remembers when data up to {@code end} was last resent, to judge the echoes that follow. */
    private void onResent(int end) {
        if (!timestamps.enabled()) {
            return;
        }
        resentAtTs = timestamps.now();
        resentEnd = resendPending ? SeqNum.max(resentEnd, end) : end;
        resendPending = true;
    }

    // ---- timers -----------------------------------------------------------------------------

    /**
     * The retransmission timer expired with data outstanding (RFC 6298 5.4-5.7, RFC 5681 3.1):
     * back off, shrink to the loss window, and resend from SND.UNA.
     *
     * @return false when the retry bound is reached and the connection must fail
     */
    boolean onRetransmissionTimeout() {
        if (sndUna == sndMax) {
            return true;
        }
        tlp.onRetransmissionTimeout();
        counters.txTimeouts.increment();
        if (++consecutiveTimeouts > maxRetransmissions) {
            return false;
        }
        congestion.onRetransmissionTimeout(sndMax - sndUna, mss);
        inRecovery = false;
        if (sack != null) {
            sack.onRetransmissionTimeout();
        }
        duplicateAcks = 0;
        recover = sndMax; // RFC 6582 3.2 step 1 after a timeout
        recoverValid = true;
        timing = false; // Karn: the timed segment is being resent
        rtx.backOff();
        sndNxt = sndUna;
        int unsent = dataEnd() - sndNxt;
        int len = Math.max(0, Math.min(unsent, segmentSize()));
        boolean fin = finQueued && len == unsent;
        // Resend one segment whatever the windows say: the peer's may have opened.
        sendAt(sndNxt, len, fin);
        rtx.restart();
        output();
        return true;
    }

    /** Arms the persist timer when data waits, nothing is in flight, and nothing else will wake us. */
    private void armPersistIfStalled() {
        boolean waiting = SeqNum.lt(sndNxt, dataEnd()) || (finQueued && SeqNum.le(sndNxt, dataEnd()));
        if (waiting && !rtx.running() && !persistTimer.isScheduled()) {
            persistTimer.schedule(persistDelay());
        }
    }

    private long persistDelay() {
        long delay = Math.max(rtx.rto(), RetransmissionTimer.MIN_RTO);
        for (int i = 0; i < persistBackoff && delay < RetransmissionTimer.MAX_RTO; i++) {
            delay *= 2;
        }
        return Math.min(delay, RetransmissionTimer.MAX_RTO);
    }

    /**
     * The persist timer expired (RFC 9293 3.8.6.1; RFC 1122 4.2.2.17): with room in the
     * peer's window, send what silly window avoidance held back; with none, probe the
     * zero window with an already acknowledged byte's sequence number (SND.UNA - 1, no
     * data), which the peer must answer with an ACK carrying its window. The peer may keep
     * its window shut as long as it answers; {@code maxRetransmissions} unanswered probes
     * end the connection.
     */
    private void onPersistTimeout() {
        if (buffer == null || !conn.sends()) {
            return;
        }
        int usable = usableWindow();
        int unsent = dataEnd() - sndNxt;
        if (usable > 0 && unsent > 0) {
            int len = Math.min(Math.min(unsent, usable), segmentSize());
            sendAt(sndNxt, len, finQueued && len == unsent && len < usable);
            output();
            return;
        }
        if (usable > 0 && finQueued && unsent == 0) {
            sendAt(sndNxt, 0, true);
            return;
        }
        if (++unansweredProbes > maxRetransmissions) {
            conn.onPeerUnresponsive();
            return;
        }
        counters.txWindowProbes.increment();
        conn.sendProbe();
        persistBackoff++;
        persistTimer.schedule(persistDelay());
    }

    /** The loop's clock, in nanoseconds. */
    long now() {
        return loop.nanoTime();
    }

    /** A retransmission was found lost again during SACK recovery (RFC 8985 6.2). */
    void onLostRetransmission() {
        counters.txLostRetransmits.increment();
    }

    /** Stops the timers. */
    void stopTimers() {
        rtx.stop();
        persistTimer.cancel();
        tlp.cancel();
    }

    // ---- tail loss probe (RFC 8985 7) --------------------------------------------------------

    /**
     * RFC 8985 7.2: a probe may be scheduled while data is in flight and neither fast
     * recovery nor recovery after a timeout (until its recovery point) is under way.
     */
    private boolean probeEligible() {
        return buffer != null && sndUna != sndMax && !inRecovery && sndNxt == sndMax
            && !(recoverValid && SeqNum.lt(sndUna, recover));
    }

    /** True when the probe timer may send a probe now (RFC 8985 7.3). */
    boolean probeAllowed() {
        return conn.sends() && probeEligible();
    }

    /**
     * The end of the highest data not SACKed (RFC 8985 7.3 resends "the last segment sent";
     * one the peer already SACKed needs no probe): SND.MAX, or the start of the last SACKed
     * range when it reaches SND.MAX.
     */
    int highestUnsackedEnd() {
        int end = sndMax;
        if (sack != null && !sack.scoreboard.isEmpty() && SeqNum.ge(sack.scoreboard.highestSacked(), end)) {
            end = sack.scoreboard.rangeStart(sack.scoreboard.rangeCount() - 1);
        }
        return end;
    }

    /** The start of the last segment below {@link #highestUnsackedEnd()}, at SND.UNA at the lowest. */
    int highestUnsackedSegmentStart() {
        int dataEnd = SeqNum.min(highestUnsackedEnd(), dataEnd());
        int start = SeqNum.max(sndUna, dataEnd - segmentSize());
        return sack == null ? start : sack.scoreboard.skipSacked(start);
    }

    /** True while the persist timer is armed (for tests). */
    boolean persisting() {
        return persistTimer.isScheduled();
    }

    /** The congestion window (for tests and diagnostics). */
    int cwnd() {
        return congestion == null ? 0 : congestion.cwnd();
    }

    /** True during fast recovery (for tests). */
    boolean inRecovery() {
        return inRecovery;
    }

    /** The SACK scoreboard, or null when SACK is not in use (for tests and diagnostics). */
    SackScoreboard scoreboard() {
        return sack == null ? null : sack.scoreboard;
    }
}
