package org.tcpip4j.tcp.internal;

import org.tcpip4j.netif.loop.EventLoop;
import org.tcpip4j.tcp.congestion.CongestionControl;
import org.tcpip4j.tcp.internal.wire.TcpOptions;

/**
 * The send half of a connection (gVisor's snd.go): the send sequence variables of
 * RFC 9293 3.3.1, segmentation at the effective MSS within the peer's window and what
 * congestion control allows (RFC 9293 3.7.1, 3.8.6; RFC 5681), Nagle's algorithm and
 * sender-side silly window avoidance (RFC 9293 3.7.4, 3.8.6.2.1; RFC 1122 4.2.3.4), and the
 * processing of acknowledgments (RFC 9293 3.10.7.4, fifth). The rest is split by concern:
 *
 * <ul>
 *   <li>{@link TransmitQueue}: every segment in flight, with its SACK, loss and
 *       retransmission marks and send time;
 *   <li>{@link Rack}: time-based loss detection and the reordering timer (RFC 8985 6);
 *   <li>{@link TailLossProbe}: the probe timeout (RFC 8985 7);
 *   <li>{@link LossRecovery} and {@link Prr}: the loss states, fast recovery paced by
 *       Proportional Rate Reduction (RFC 6937), recovery after a timeout with the
 *       scoreboard kept (RFC 6675 5.1), and undoing spurious reductions;
 *   <li>{@link CongestionControl}: the window, a policy chosen by name (CUBIC by default);
 *   <li>{@link AckDelivery}: what the segments an ACK delivered tell (round-trip samples,
 *       delivery rate, RACK's updates);
 *   <li>{@link RetransmissionTimer} (RFC 6298) and {@link PersistTimer} (zero windows).
 * </ul>
 *
 * <p>Without SACK (a peer that does not offer it) losses are found by three duplicate ACKs
 * (RFC 5681 3.2) and each partial ACK in recovery marks the next segment lost (NewReno,
 * RFC 6582); duplicate ACKs count as delivered segments for the flight estimate, as Linux
 * does, which gives Limited Transmit (RFC 3042).
 *
 * <p>Sequence space: the SYN at ISS, the user's data from ISS+1 (held in {@link SendBuffer}
 * from SND.UNA on), then the FIN once the user closed the direction. Nothing is resent by
 * moving SND.NXT back: SND.NXT is always the highest sequence number sent (SND.MAX), and
 * retransmissions are of segments the queue marks lost.
 */
final class Sender {

    /** The window of the minimum round-trip filter (RACK's min_RTT, HyStart's, CUBIC's). */
    static final long MIN_RTT_WINDOW = 10_000_000_000L;

    private final Connection conn;
    private final EventLoop loop;
    final TcpCounters counters;
    private final int maxRetransmissions;

    /** ISS: our initial sequence number. */
    final int iss;
    /** SND.UNA: the oldest unacknowledged sequence number. */
    int sndUna;
    /** SND.NXT: the next sequence number to send; always the highest sent. */
    int sndNxt;
    /** The highest sequence number sent, plus one (equal to SND.NXT). */
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
    /** The MSS {@link #segmentationBytes} was computed for, -1 before it was. */
    private int segmentationMss = -1;
    private int segmentationBytes;

    /** Unacknowledged data, from {@link #bufferSeq}; allocated when the connection is established. */
    SendBuffer buffer;
    /** The sequence number of the buffer's first byte. */
    private int bufferSeq;
    /** The user closed the direction: a FIN follows the data. */
    private boolean finQueued;
    /** Data up to this sequence number was written with writeNodelay: Nagle does not hold it. */
    private int pushUpTo;
    private boolean pushing;
    /**
     * The end of the last segment sent with less than a full segment's data (Linux's
     * {@code snd_sml}): Nagle holds a small segment only while this one is unacknowledged.
     */
    private int sndSml;
    /**
     * The user's writes wait for room in the send buffer: what the buffer holds is not the
     * end of what was written, so its tail is no reason for a small segment.
     */
    boolean writesWaiting;

    private CongestionControl congestion;
    private String congestionName = "";
    final RetransmissionTimer rtx;
    private final Timestamps timestamps;
    /** SACK was agreed (RFC 2018 2). */
    private boolean sackEnabled;
    /** The segments in flight. */
    final TransmitQueue queue = new TransmitQueue();
    /** RACK (RFC 8985 6). */
    final Rack rack;
    /** The tail loss probe (RFC 8985 7). */
    final TailLossProbe tlp;
    /** The loss states, PRR, undo. */
    final LossRecovery recovery = new LossRecovery(this);
    /** The path MTU the MSS follows, and black-hole detection (RFC 1191, RFC 4821). */
    final PathMtu pathMtu = new PathMtu();
    private final PersistTimer persist;
    private final AckSample sample = new AckSample();
    private final AckDelivery delivery;

    /** Duplicate ACKs since the last new ACK (RFC 5681 2). */
    private int duplicateAcks;
    private int consecutiveTimeouts;
    /** No segment before this sequence number needs retransmission. */
    private int retransmitHint;
    /** Why the sender is in {@link LossRecovery.State#LOSS}: a timeout or a lower path MTU (for events). */
    private String lossReason = TcpEvents.RTO;

    // Round trips and rates.
    private long minRtt = -1;
    private long minRttAt;
    private int roundEnd;
    /** The turns of a bulk sender on the loop; made the first time one output writes a whole quantum. */
    private OutputTurns turns;
    private boolean cwndLimitedThisRound;
    private boolean cwndLimitedLastRound;
    private int maxFlightThisRound;

    /** The send time of the last transmission; every transmission gets a later one. */
    private long lastStamp = Long.MIN_VALUE;

    // Timestamps (RFC 7323 4.1): the TSval of the latest retransmission, while resent data is unacknowledged.
    private boolean resendPending;
    private int resentAtTs;
    private int resentEnd;

    // Totals for TcpInfo.
    long bytesSent;
    long bytesRetransmitted;
    long bytesAcked;
    long segmentsLost;

    Sender(Connection conn, EventLoop loop, TcpCounters counters, int iss, int maxRetransmissions) {
        this.conn = conn;
        this.loop = loop;
        this.counters = counters;
        this.iss = iss;
        this.maxRetransmissions = maxRetransmissions;
        this.sndUna = iss;
        this.sndNxt = iss;
        this.sndMax = iss;
        this.sndSml = iss;
        this.bufferSeq = iss + 1;
        this.rtx = new RetransmissionTimer(loop, conn::onRetransmissionTimeout);
        this.timestamps = conn.timestamps;
        this.persist = new PersistTimer(this, loop, maxRetransmissions);
        this.tlp = new TailLossProbe(this, loop, counters);
        this.rack = new Rack(loop, this::onReorderTimeout);
        this.delivery = new AckDelivery(rack);
    }

    // ---- handshake -------------------------------------------------------------------

    /** Records that the SYN (or SYN-ACK) at ISS was sent. */
    void synSent() {
        sndNxt = iss + 1;
        sndMax = iss + 1;
    }

    /**
     * The handshake is over: the peer's SYN gave its window and MSS, and our SYN is
     * acknowledged. Allocates the send buffer; {@code congestion} governs the window.
     */
    void establish(SendBuffer sendBuffer, int effectiveMss, int peerScale, int window, int wl1, int wl2,
                   boolean sackAgreed, CongestionControl congestion, String congestionName) {
        this.mss = effectiveMss;
        this.sackEnabled = sackAgreed;
        this.sndScale = peerScale;
        this.sndUna = iss + 1;
        this.sndNxt = SeqNum.max(sndNxt, sndUna);
        this.sndMax = SeqNum.max(sndMax, sndUna);
        this.buffer = sendBuffer;
        this.bufferSeq = iss + 1;
        this.congestion = congestion;
        this.congestionName = congestionName;
        this.recovery.recover = iss;
        this.retransmitHint = sndUna;
        this.roundEnd = sndMax;
        this.delivery.deliveredTime = loop.nanoTime();
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
     * {@code <SEQ=SND.NXT>}): the highest sent, unless that lies past the peer's window.
     */
    int ackSeq() {
        if (buffer == null) {
            return sndNxt;
        }
        int windowEnd = sndUna + sndWnd;
        return SeqNum.le(sndMax, windowEnd) ? sndMax : SeqNum.max(windowEnd, sndUna);
    }

    /** The congestion control of this connection. */
    CongestionControl cc() {
        return congestion;
    }

    // ---- acknowledgments (RFC 9293 3.10.7.4, fifth) --------------------------------------

    /**
     * Processes the acknowledgment, SACK blocks and window of an acceptable segment in a
     * synchronized state; the caller has checked that SEG.ACK is not beyond SND.MAX nor
     * too old (RFC 5961 5.2).
     */
    void onAck(ReceivedSegment seg) {
        int ack = seg.ack;
        int window = seg.window << sndScale;
        persist.onAck();
        int priorUna = sndUna;
        int priorInFlight = inFlight();
        long now = loop.nanoTime();
        delivery.reset(mss, minRtt);

        boolean dsack = sackEnabled && isDsack(seg.options, ack);
        if (dsack) {
            rack.onDsack(sndUna, sndMax);
            recovery.onDsack(seg.options.sackStart(0), seg.options.sackEnd(0), priorUna, mss);
        }
        int newlySacked = sackEnabled ? queue.sack(seg.options, sndUna, sndMax, delivery) : 0;
        if (newlySacked > 0) {
            counters.rxSackedBytes.add(newlySacked);
        }
        boolean advanced = SeqNum.gt(ack, sndUna);
        int acked = 0;
        if (advanced) {
            acked = onCumulativeAck(ack);
            // RFC 4861 7.3.1: new data acknowledged is forward progress; an IPv6 layer
            // need not probe the peer's (or its router's) reachability.
            conn.tcp.ip.confirmReachable(conn.remoteAddress);
        } else if (isDuplicateAck(seg, window)) {
            counters.rxDuplicateAcks.increment();
            duplicateAcks++;
        }
        // RFC 9293 3.10.7.4: update the window only from a segment not older than the last
        // one that did (SND.WL1, SND.WL2).
        if (SeqNum.lt(sndWl1, seg.seq) || (sndWl1 == seg.seq && SeqNum.le(sndWl2, ack))) {
            updateWindow(window, seg.seq, ack);
        }
        int deliveredBytes = delivery.bytes;
        delivery.finish(now);
        long rttSample = roundTripSample(seg, now);
        boolean roundStart = false;
        if (advanced && SeqNum.ge(sndUna, roundEnd)) {
            roundStart = true;
            roundEnd = sndMax;
            cwndLimitedLastRound = cwndLimitedThisRound;
            cwndLimitedThisRound = false;
            maxFlightThisRound = 0;
        }

        // Loss detection: RACK with SACK (RFC 8985 6.2), duplicate ACKs and partial ACKs without.
        int newlyLost = detectLosses(advanced);
        fillSample(now, acked, newlySacked, deliveredBytes, priorInFlight, rttSample, roundStart);
        boolean undone = recovery.onAck(sample, seg.options.hasTimestamps(), seg.options.timestampEcho(),
            delivery.oldestOriginalSentAt, advanced, dsack);
        if (undone) {
            retransmitHint = sndUna;
        }
        if (!inEpisode() && queue.lostBytes() > 0) {
            enterFastRecovery();
        }
        if (recovery.inRecovery()) {
            if (deliveredBytes > 0 || newlyLost > 0 || duplicateAcks > 0) {
                recovery.prrQuota = recovery.prr.sendQuota(Math.max(deliveredBytes, dupAckDelivered(advanced)),
                    inFlight(), mss, advanced && newlyLost == 0);
            }
            if (deliveredBytes > 0) {
                congestion.onAckInRecovery(sample);
            }
        } else {
            recovery.settle(queue.sackedBytes() > 0 || duplicateAcks > 0);
            // Grow only on in-order progress (RFC 5681; Linux's tcp_may_raise_cwnd), by all
            // that the ACK delivered; on any delivery once heavy reordering was seen.
            if (acked > 0 || deliveredBytes > 0 && rack.reorderingDegree() > Rack.DUP_THRESH) {
                sample.inFlight = inFlight();
                congestion.onAck(sample);
            }
        }
        if (advanced) {
            consecutiveTimeouts = 0;
            rtx.clearBackoff();
            if (sndUna == sndMax) {
                rtx.stop(); // RFC 6298 5.2
            } else {
                rtx.restart(); // RFC 6298 5.3
            }
        }
        if (tlp.outstanding()) {
            onAckAfterProbe(ack, advanced, newlySacked, seg, dsack);
        }
        if (advanced || deliveredBytes > 0 && inEpisode()) {
            rescheduleProbe(); // RFC 8985 7.2: on an ACK of new data
        }
        if (advanced) {
            conn.onSendSpace();
        }
    }

    /**
     * A loss was detected outside an episode: fast recovery starts, with the sample just
     * filled (RFC 6675 5, RFC 6937), and the tail loss probe's episode ends.
     */
    private void enterFastRecovery() {
        counters.txFastRetransmits.increment();
        if (sackEnabled) {
            counters.txSackRecoveries.increment();
        }
        int cwndBefore = congestion.cwnd();
        recovery.enterRecovery(sample);
        tlp.onRecovery();
        TcpEvents.recovery(conn, lossDetection(), cwndBefore, congestion.ssthresh(), congestionName);
    }

    /** How losses are found outside a timeout: RACK with SACK, duplicate and partial ACKs without. */
    private String lossDetection() {
        return sackEnabled ? TcpEvents.RACK : TcpEvents.FAST;
    }

    /** True in fast recovery or in recovery from a timeout. */
    private boolean inEpisode() {
        return recovery.inRecovery() || recovery.inLoss();
    }

    /** (Re)arms the probe timer as the sender's state allows: a tail loss probe, or a recovery probe. */
    private void rescheduleProbe() {
        if (inEpisode()) {
            tlp.reschedule(buffer != null && sndUna != sndMax, true);
        } else {
            tlp.reschedule(probeEligible());
        }
    }

    /** A dupack delivered one segment in the NewReno sense (RFC 6675's DeliveredData without SACK). */
    private int dupAckDelivered(boolean advanced) {
        return !sackEnabled && !advanced && duplicateAcks > 0 ? mss : 0;
    }

    /** RFC 5681 2: a duplicate ACK carries no data, moves neither SND.UNA nor the window, and arrives while data is outstanding. */
    private boolean isDuplicateAck(ReceivedSegment seg, int window) {
        if (seg.ack != sndUna || seg.sequenceLength() != 0 || sndMax == sndUna) {
            return false;
        }
        if (sackEnabled && seg.options.sackBlockCount() > 0) {
            return delivery.bytes > 0; // RFC 6675 2: it SACKs new data
        }
        return window == sndWnd;
    }

    /** Removes what the cumulative ACK covers; returns the bytes newly acknowledged. */
    private int onCumulativeAck(int ack) {
        int acked = ack - sndUna;
        delivery.cumulativePhase = true;
        queue.acknowledge(ack, delivery);
        delivery.cumulativePhase = false;
        int dataAcked = acked;
        if (finQueued && SeqNum.gt(ack, dataEnd())) {
            dataAcked--; // the FIN takes one sequence number and no byte of the buffer
        }
        buffer.discard(dataAcked);
        bufferSeq += dataAcked;
        bytesAcked += dataAcked;
        sndUna = ack;
        if (SeqNum.lt(retransmitHint, sndUna)) {
            retransmitHint = sndUna;
        }
        if (!sackEnabled) {
            // Acknowledged segments take back the duplicate ACKs they caused (Linux's tcp_remove_reno_sacks).
            duplicateAcks = recovery.inRecovery() ? Math.max(0, duplicateAcks - (acked + mss - 1) / mss) : 0;
        } else {
            duplicateAcks = 0;
        }
        return acked;
    }

    /**
     * RFC 2883 4: the first SACK block is a D-SACK when it lies below the cumulative ACK, or
     * within the second block.
     */
    static boolean isDsack(TcpOptions options, int ack) {
        if (options.sackBlockCount() == 0) {
            return false;
        }
        int start = options.sackStart(0);
        int end = options.sackEnd(0);
        if (!SeqNum.lt(start, end)) {
            return false;
        }
        return SeqNum.le(end, ack) || options.sackBlockCount() > 1 && SeqNum.ge(start, options.sackStart(1))
            && SeqNum.le(end, options.sackEnd(1));
    }

    /**
     * A round-trip sample: from the send time of the oldest segment this ACK acknowledged
     * that was sent once (Karn, RFC 6298 3), else from the timestamp echo (RFC 7323 4.1)
     * unless the echo predates our latest retransmission (the Eifel comparison, RFC 3522
     * 3.2). Feeds the RTO estimator and the minimum filter.
     *
     * @return the sample for congestion control (the newest segment's round trip), or -1
     */
    private long roundTripSample(ReceivedSegment seg, long now) {
        long echoed = timestamps.rttNanos(seg);
        if (resendPending) {
            if (echoed >= 0 && seg.options.timestampEcho() - resentAtTs < 0) {
                echoed = -1;
            }
            if (SeqNum.ge(sndUna, resentEnd)) {
                resendPending = false;
            }
        }
        long rtoSample = -1;
        long ccSample = -1;
        // Karn (RFC 6298 3), as Linux applies it: an ACK that acknowledges any resent data
        // times nothing by send times, as the segments it also covers may have waited at the
        // receiver behind the hole since long before; the echo of the segment that filled the
        // hole times it instead (RFC 7323 4.3).
        if (delivery.oldestAckedSentAt >= 0 && !delivery.ackedRetransmitted) {
            rtoSample = Math.max(0, now - delivery.oldestAckedSentAt);
            ccSample = Math.max(0, now - delivery.newestAckedSentAt);
        } else if (echoed >= 0 && delivery.ackedAny) {
            rtoSample = echoed;
            ccSample = echoed;
        }
        if (rtoSample >= 0) {
            int flight = sndMax - sndUna + delivery.bytes;
            // RFC 7323 4.2: about FlightSize / (2 * SMSS) samples per round trip.
            rtx.sample(rtoSample, (flight + 2 * mss - 1) / (2 * mss));
        }
        long minCandidate = ccSample >= 0 ? ccSample : delivery.newestSackedRtt(now);
        if (minCandidate >= 0 && (minRtt < 0 || minCandidate <= minRtt || now - minRttAt > MIN_RTT_WINDOW)) {
            minRtt = minCandidate;
            minRttAt = now;
        }
        return ccSample;
    }

    private int detectLosses(boolean advanced) {
        int marked = 0;
        if (sackEnabled) {
            boolean dupThreshSacked = queue.sackedBytes() > (Rack.DUP_THRESH - 1) * mss;
            long reoWnd = rack.reorderingWindow(inEpisode(), dupThreshSacked, minRtt,
                rtx.measured() ? rtx.srtt() : -1);
            marked = rack.detectLoss(queue, reoWnd);
            if (marked > 0) {
                counters.txRackLost.add(marked);
                if (rack.lostRetransmissions() > 0) {
                    counters.txLostRetransmits.add(rack.lostRetransmissions());
                }
            }
        } else if (!queue.isEmpty()) {
            // RFC 5681 3.2: the third duplicate ACK; RFC 6582 3.2 step 3: a partial ACK in recovery.
            boolean third = !inEpisode() && duplicateAcks >= Rack.DUP_THRESH;
            boolean partial = recovery.inRecovery() && advanced && SeqNum.lt(sndUna, recovery.recover);
            if ((third || partial) && queue.markLost(0)) {
                marked = 1;
            }
        }
        if (marked > 0) {
            segmentsLost += marked;
            retransmitHint = sndUna;
        }
        return marked;
    }

    private void fillSample(long now, int acked, int sacked, int deliveredBytes, int priorInFlight, long rttSample,
                            boolean roundStart) {
        AckSample s = sample;
        s.now = now;
        s.mss = mss;
        s.ackedBytes = acked;
        s.sackedBytes = sacked;
        s.deliveredBytes = deliveredBytes;
        s.priorInFlight = priorInFlight;
        s.inFlight = inFlight();
        s.flightSize = sndMax - sndUna;
        s.cwndLimited = cwndLimited();
        s.rttSample = rttSample;
        s.minRtt = minRtt;
        s.srtt = rtx.measured() ? rtx.srtt() : -1;
        s.roundStart = roundStart;
        s.deliveryRate = delivery.deliveryRate;
        s.consecutiveTimeouts = consecutiveTimeouts;
    }

    /**
     * True when the window limited sending lately (Linux's tcp_is_cwnd_limited, RFC 7661):
     * sending stopped for want of window in this round trip or the last, or, in slow start,
     * the flight reached half the window.
     */
    private boolean cwndLimited() {
        if (cwndLimitedThisRound || cwndLimitedLastRound) {
            return true;
        }
        return congestion.inSlowStart() && congestion.cwnd() < 2 * Math.max(maxFlightThisRound, sndMax - sndUna);
    }

    /**
     * An ACK while a tail loss probe is outstanding (RFC 8985 7.4): an acknowledgment
     * showing that the probe alone repaired a loss reduces the window.
     */
    private void onAckAfterProbe(int ack, boolean advanced, int newlySacked, ReceivedSegment seg, boolean dsack) {
        if (inEpisode()) {
            tlp.onRecovery();
            return;
        }
        if (tlp.onAck(ack, advanced, newlySacked, seg.options, dsack)) {
            recovery.onProbeRepairedLoss(sample);
        }
    }

    private void updateWindow(int window, int seq, int ack) {
        sndWnd = window;
        sndWl1 = seq;
        sndWl2 = ack;
        if (window > maxSndWnd) {
            maxSndWnd = window;
        }
        if (window > 0) {
            persist.onWindowOpen();
        }
    }

    /** RFC 6675 4's pipe: the bytes presumed in flight; without SACK, less one segment per duplicate ACK. */
    int inFlight() {
        int pipe = queue.inFlight(sndUna, sndMax);
        if (!sackEnabled && duplicateAcks > 0) {
            pipe = Math.max(0, pipe - Math.min(duplicateAcks * mss, Math.max(0, sndMax - sndUna - mss)));
        }
        return pipe;
    }

    // ---- sending (RFC 9293 3.8.6, 3.7.4) --------------------------------------------------

    /**
     * Sends what the windows, Nagle and silly window avoidance allow: segments marked lost
     * first (RFC 6675 5 NextSeg() rule 1), then new data. In fast recovery PRR's quota
     * bounds it, otherwise cwnd less the flight; and one call writes at most
     * {@link OutputTurns#QUANTUM} bytes of new data (and the segment that crosses it), the
     * rest following in the loop's next turn.
     */
    void output() {
        if (buffer == null || !conn.sends()) {
            return;
        }
        followPathMtu();
        boolean prrMode = recovery.inRecovery();
        int budget = prrMode ? recovery.prrQuota : congestion.cwnd() - inFlight();
        budget = retransmitLost(budget, prrMode);
        int written = 0;
        while (budget > 0) {
            if (written >= OutputTurns.QUANTUM) {
                // The rest in the loop's next turn, after the device was read (OutputTurns).
                if (turns == null) {
                    turns = new OutputTurns(this, loop);
                }
                turns.continueNextTurn();
                break;
            }
            int usable = Math.min(peerWindowLeft(), prrMode ? Math.max(budget, segmentSize()) : budget);
            int sent = sendNew(usable);
            if (sent <= 0) {
                break;
            }
            written += sent;
            budget -= sent;
            if (prrMode) {
                recovery.prr.onSent(sent);
            }
        }
        if (prrMode) {
            recovery.prrQuota = Math.max(0, budget);
        }
        noteCwndLimited(budget);
        persist.armIfStalled();
    }

    /** Records whether the window, rather than the data or the peer, stopped sending. */
    private void noteCwndLimited(int budget) {
        int flight = sndMax - sndUna;
        if (flight > maxFlightThisRound) {
            maxFlightThisRound = flight;
        }
        boolean dataWaits = SeqNum.lt(sndNxt, dataEnd());
        if (dataWaits && budget < segmentSize() && peerWindowLeft() >= Math.min(segmentSize(), dataEnd() - sndNxt)) {
            cwndLimitedThisRound = true;
        }
    }

    /** Resends segments marked lost while the budget lasts; returns what is left of it. */
    private int retransmitLost(int budget, boolean prrMode) {
        if (queue.lostBytes() == 0 || budget <= 0) {
            return budget;
        }
        int i = queue.firstEndingAfter(retransmitHint);
        for (; i < queue.size() && budget > 0; i++) {
            if (!queue.needsRetransmission(i)) {
                continue;
            }
            fitToMss(i);
            int len = queue.length(i);
            if (len > budget && !prrMode && budget < segmentSize()) {
                break;
            }
            retransmitIndex(i, recovery.inLoss() ? lossReason : lossDetection());
            budget -= len;
            if (prrMode) {
                recovery.prr.onSent(len);
            }
        }
        // Every segment before i that needed resending was resent (whoever marks one lost
        // moves the hint back to SND.UNA): the next call starts at i.
        retransmitHint = i < queue.size() ? queue.start(i) : sndMax;
        return budget;
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
        if ((unsent <= 0 && !finPending) || queue.isFull()) {
            return 0;
        }
        int cut = segmentationBytes();
        if (cut > 0 && segmentSize() == mss) {
            // A device that cuts segments (TSO) takes several full ones in one write; the
            // queue still holds each as the wire will carry it, for recovery and RACK.
            int k = Math.min(Math.min(Math.min(unsent, usable), cut) / mss,
                TransmitQueue.MAX_CAPACITY - queue.size());
            if (k >= 2) {
                sendNewAt(k * mss, false);
                return k * mss;
            }
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
        sendNewAt(len, fin);
        return len + (fin ? 1 : 0);
    }

    /**
     * The most new data one segment to a device that cuts segments (TSO) may carry, 0 when
     * the device does not cut to our MSS ({@link Connection#segmentationBytes}); looked up
     * again whenever the MSS changes.
     */
    private int segmentationBytes() {
        if (segmentationMss != mss) {
            segmentationMss = mss;
            segmentationBytes = conn.segmentationBytes(mss);
        }
        return segmentationBytes;
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

    /**
     * Nagle (RFC 896; RFC 1122 4.2.3.4) as Minshall refined it and Linux applies it, and
     * sender-side silly window avoidance (RFC 9293 3.8.6.2.1): send a full segment; or all
     * that is queued when nothing is in flight, or when it was written with writeNodelay,
     * or when no earlier segment of less than a full size is unacknowledged and no more of
     * the user's writes wait for room (full segments in flight do not hold the tail of a
     * response back); or at least half the largest window the peer ever offered when
     * nothing is in flight. Otherwise wait for an ACK or the persist (override) timer.
     */
    private boolean worthSending(int len, int unsent, boolean fin) {
        if (len >= segmentSize() || fin) {
            return true;
        }
        boolean idle = sndNxt == sndUna;
        if (len == unsent) {
            boolean nodelay = pushing && SeqNum.lt(sndNxt, pushUpTo);
            if (idle || nodelay || !writesWaiting && !smallSegmentUnacknowledged()) {
                return true;
            }
        }
        return idle && maxSndWnd > 0 && len >= maxSndWnd / 2;
    }

    /** A segment of less than a full segment's data is in flight (Minshall's test). */
    private boolean smallSegmentUnacknowledged() {
        return SeqNum.gt(sndSml, sndUna) && SeqNum.le(sndSml, sndNxt);
    }

    /** Sends {@code len} new bytes (and the FIN) at SND.NXT, and queues the segment. */
    void sendNewAt(int len, boolean fin) {
        int seq = sndNxt;
        int end = seq + len + (fin ? 1 : 0);
        long now = loop.nanoTime();
        if (sndUna == sndMax && now - delivery.deliveredTime > rtx.rto() && congestion != null) {
            fillSample(now, 0, 0, 0, 0, -1, false);
            congestion.onRestartAfterIdle(sample); // RFC 5681 4.1, RFC 7661
        }
        if (sndUna == sndMax) {
            delivery.deliveredTime = now; // an idle period does not count towards the delivery rate
        }
        conn.transmitData(seq, len, fin, seq - bufferSeq, SeqNum.ge(end, dataEnd()));
        // More than a segment went to a device that cuts it: queue each wire segment.
        for (int at = seq; len > mss && SeqNum.lt(at + mss, end); at += mss) {
            queue.append(at, at + mss, false, stamp(now), delivery.delivered, delivery.deliveredTime);
            seq = at + mss;
        }
        queue.append(seq, end, fin, stamp(now), delivery.delivered, delivery.deliveredTime);
        if (len > 0) {
            counters.txBytes.add(len);
            bytesSent += len;
        }
        sndMax = end;
        sndNxt = end;
        if (len < segmentSize()) {
            sndSml = end;
        }
        conn.onTransmitted();
        if (pushing && SeqNum.ge(sndNxt, pushUpTo)) {
            pushing = false;
        }
        rtx.startIfStopped(); // RFC 6298 5.1
        persist.cancel();
        rescheduleProbe(); // RFC 8985 7.2: after new data
    }

    /**
     * Resends segment {@code i} of the queue, whole, as first sent; one sent before the
     * path MTU fell is cut first to the MSS.
     */
    private void retransmitIndex(int i, String reason) {
        fitToMss(i);
        int start = queue.start(i);
        int len = queue.dataLength(i);
        boolean fin = queue.has(i, TransmitQueue.FIN);
        conn.transmitData(start, len, fin, start - bufferSeq, SeqNum.ge(start + len, dataEnd()));
        queue.onRetransmitted(i, stamp(loop.nanoTime()), delivery.delivered, delivery.deliveredTime);
        counters.txRetransmits.increment();
        TcpEvents.retransmission(conn, start, len, reason);
        bytesRetransmitted += len;
        bytesSent += len;
        recovery.onRetransmitted(timestamps.now(), timestamps.enabled());
        onResent(queue.end(i));
        rtx.startIfStopped();
    }

    /**
     * Sends up to {@code segments} segments of new data for a probe (RFC 8985 7.3), whatever
     * the congestion window says, within the peer's window, each at most a full segment.
     *
     * @return the sequence numbers they took, 0 when nothing was sent
     */
    int sendProbeData(int segments) {
        int sent = 0;
        for (int i = 0; i < segments; i++) {
            int size = segmentSize();
            int n = sendNew(Math.min(peerWindowLeft(), size));
            if (n <= 0) {
                break;
            }
            sent += n;
            if (n < size) {
                break; // the last of the data, or the FIN
            }
        }
        return sent;
    }

    /**
     * Resends the highest segment the peer has not SACKed, for a tail loss probe (RFC 8985
     * 7.3) when there is no new data to send.
     *
     * @return its first sequence number and length packed (start in the high half), or -1
     */
    long probeRetransmit() {
        for (int i = queue.size() - 1; i >= 0; i--) {
            if (!queue.has(i, TransmitQueue.SACKED)) {
                fitToMss(i);
                int start = queue.start(i);
                int length = queue.length(i);
                retransmitIndex(i, TcpEvents.TLP);
                return ((long) start << 32) | (length & 0xffffffffL);
            }
        }
        return -1;
    }

    /**
     * The send time recorded for a transmission at {@code now}: at least a nanosecond after
     * the previous one, so that transmissions in the same instant (a burst, or any run in
     * virtual time) stay ordered as RACK's "sent after" needs (RFC 8985 6.2), and a
     * retransmission never looks sent before the data that went out just ahead of it.
     */
    private long stamp(long now) {
        long t = now > lastStamp ? now : lastStamp + 1;
        lastStamp = t;
        return t;
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

    // ---- path MTU (RFC 1191, RFC 5927, RFC 4821) -----------------------------------------------

    /**
     * An ICMP "fragmentation needed" quoted our segment at {@code quotedSeq}, reporting a
     * path MTU of {@code mtu}: accepted only as RFC 5927 5.2 and Linux's tcp_v4_err check it,
     * while data may be outstanding and with the quoted sequence number within
     * SND.UNA..SND.NXT, where a segment of ours in flight must lie; a blind attacker has to
     * guess it. An MTU below the one in use lowers the MSS and resends at once what no
     * longer fits ({@link #reduceMss}).
     *
     * @return true when the message passed the checks, whether or not it lowered anything
     */
    boolean onFragmentationNeeded(int quotedSeq, int mtu) {
        if (buffer == null || !conn.sends()) {
            counters.rxIcmpFragNeededIgnored.increment();
            return false;
        }
        if (SeqNum.lt(quotedSeq, sndUna) || SeqNum.gt(quotedSeq, sndNxt)) {
            counters.rxIcmpOutOfWindow.increment();
            return false;
        }
        if (!pathMtu.lower(mtu)) {
            counters.rxIcmpFragNeededIgnored.increment();
            return true;
        }
        reduceMss(pathMtu.mss());
        output();
        return true;
    }

    /**
     * Follows a path MTU the IP layer learned below ours (Linux's tcp_current_mss), as
     * another connection to the same destination may have lowered it: segments that no
     * longer fit would be refused with DF set.
     */
    private void followPathMtu() {
        int mtu = conn.tcp.ip.mtu(conn.remoteAddress) + pathMtu.ipHeader();
        if (mtu < pathMtu.mtu() && pathMtu.lower(mtu)) {
            reduceMss(pathMtu.mss());
        }
    }

    /**
     * The MSS falls to {@code newMss} (Linux's tcp_sync_mss and tcp_simple_retransmit):
     * segments in flight larger than it, not SACKed, are marked lost, to be resent at the
     * new size as soon as the caller sends; the window is not reduced, as nothing says
     * the network is congested: only the unit changed. The loss state (without undo)
     * keeps the marks from looking like a new loss to fast recovery.
     */
    private void reduceMss(int newMss) {
        if (newMss >= mss) {
            return;
        }
        mss = newMss;
        counters.txPmtuReductions.increment();
        delivery.largestDelivered = 0;
        int marked = 0;
        for (int i = 0; i < queue.size(); i++) {
            if (queue.dataLength(i) > mss && queue.markLost(i)) {
                marked++;
            }
        }
        if (marked > 0) {
            segmentsLost += marked;
            counters.txPmtuLost.add(marked);
            retransmitHint = sndUna;
            if (!recovery.inLoss()) {
                lossReason = TcpEvents.PMTU;
            }
            recovery.enterPathMtuLoss();
        }
    }

    /**
     * The retransmission timer expired {@link PathMtu#BLACK_HOLE_TIMEOUTS} times or more in a
     * row with a segment of {@code headLength} bytes at SND.UNA (RFC 4821 as Linux's
     * tcp_mtu_probing): if the MSS black-hole detection allows next would cut that segment,
     * the MSS falls to it and the timeout's retransmission goes out at the new size. Never
     * below the longest segment delivered since the MSS last fell: a path that carried
     * segments of this size loses them to something else (RFC 4821 3: loss is not
     * evidence of a smaller MTU), which a lossy path would otherwise drive to the floor.
     */
    private void suspectBlackHole(int headLength) {
        int next = Math.max(PathMtu.blackHoleMss(mss), delivery.largestDelivered);
        if (next >= mss || headLength <= next) {
            return;
        }
        pathMtu.limit(next);
        counters.txPmtuBlackHoles.increment();
        mss = pathMtu.mss();
        delivery.largestDelivered = 0;
    }

    /** Cuts segment {@code i} to the MSS when it was sent before the MSS fell. */
    private void fitToMss(int i) {
        if (queue.dataLength(i) > mss && queue.split(i, mss)) {
            counters.txResegmented.increment();
        }
    }

    // ---- timers -----------------------------------------------------------------------------

    /**
     * The retransmission timer expired with data outstanding (RFC 6298 5.4-5.7, RFC 5681
     * 3.1): back off, collapse the window, mark every segment not SACKed lost (the
     * scoreboard stays, RFC 6675 5.1; on a second timeout in a row it goes too, in case the
     * peer reneged, RFC 2018 8), and resend from SND.UNA in slow start.
     *
     * @return false when the retry bound is reached and the connection must fail
     */
    boolean onRetransmissionTimeout() {
        if (sndUna == sndMax) {
            return true;
        }
        tlp.onRetransmissionTimeout();
        rack.cancel();
        counters.txTimeouts.increment();
        if (++consecutiveTimeouts > maxRetransmissions) {
            return false;
        }
        boolean newEpisode = consecutiveTimeouts == 1 && !recovery.inLoss();
        TcpEvents.rto(conn, rtx.rto(), rtx.backoffCount() + 1, conn.state.name());
        long now = loop.nanoTime();
        fillSample(now, 0, 0, 0, inFlight(), -1, false);
        int cwndBefore = congestion.cwnd();
        congestion.onRetransmissionTimeout(sample);
        if (consecutiveTimeouts >= 2) {
            queue.clearSacked();
        }
        for (int i = 0; i < queue.size(); i++) {
            if (queue.markLost(i)) {
                segmentsLost++;
            }
        }
        // F-RTO only with SACK (RFC 5682 3): without it, the cumulative ACK after the resent
        // hole also covers what the receiver held out of order, which looks like originals.
        recovery.enterLoss(newEpisode, sackEnabled);
        lossReason = TcpEvents.RTO;
        if (newEpisode) {
            TcpEvents.recovery(conn, TcpEvents.RTO, cwndBefore, congestion.ssthresh(), congestionName);
        }
        duplicateAcks = 0;
        retransmitHint = sndUna;
        rtx.backOff();
        int first = queue.firstEndingAfter(sndUna);
        if (consecutiveTimeouts >= PathMtu.BLACK_HOLE_TIMEOUTS && first < queue.size()) {
            suspectBlackHole(queue.dataLength(first));
        }
        // Resend the first segment whatever the windows say: the peer's may have opened.
        if (first < queue.size() && queue.needsRetransmission(first)) {
            retransmitIndex(first, TcpEvents.RTO);
        }
        rtx.restart();
        output();
        return true;
    }

    /** The reordering timer expired (RFC 8985 6.3): judge the outstanding segments again. */
    private void onReorderTimeout() {
        if (buffer == null || !conn.sends() || queue.isEmpty()) {
            return;
        }
        counters.txReorderTimeouts.increment();
        int marked = detectLosses(false);
        if (marked > 0 && !inEpisode()) {
            fillSample(loop.nanoTime(), 0, 0, 0, inFlight(), -1, false);
            enterFastRecovery();
            recovery.prrQuota = recovery.prr.sendQuota(0, inFlight(), mss, false);
        }
        output();
        rescheduleProbe();
    }

    /** The loop's clock, in nanoseconds. */
    long now() {
        return loop.nanoTime();
    }

    /** Stops the timers. */
    void stopTimers() {
        rtx.stop();
        persist.cancel();
        tlp.cancel();
        rack.cancel();
        if (turns != null) {
            turns.cancelTimer();
        }
    }

    // ---- what the persist timer asks ---------------------------------------------------------

    /** Bytes the peer's window and the congestion window allow from SND.NXT. */
    int usableWindow() {
        return Math.min(peerWindowLeft(), congestion.cwnd() - inFlight());
    }

    /** The connection, for the persist timer's probes. */
    Connection connection() {
        return conn;
    }

    // ---- tail loss probe (RFC 8985 7) --------------------------------------------------------

    /**
     * RFC 8985 7.2: a probe may be scheduled while data is in flight, no recovery is under
     * way, and nothing is SACKed (RACK's reordering timer watches holes below SACKed data).
     */
    private boolean probeEligible() {
        return buffer != null && sndUna != sndMax && recovery.state == LossRecovery.State.OPEN
            && queue.sackedBytes() == 0;
    }

    /** True when the probe timer may send a probe now (RFC 8985 7.3). */
    boolean probeAllowed() {
        return conn.sends() && (probeEligible() || inEpisode() && buffer != null && sndUna != sndMax);
    }

    // ---- diagnostics ---------------------------------------------------------------------------

    /** True while the persist timer is armed (for tests). */
    boolean persisting() {
        return persist.isArmed();
    }

    /** The congestion window in effect: PRR's during fast recovery (for tests and diagnostics). */
    int cwnd() {
        if (congestion == null) {
            return 0;
        }
        return recovery.inRecovery() ? inFlight() + recovery.prrQuota : congestion.cwnd();
    }

    /** The slow-start threshold. */
    int ssthresh() {
        return congestion == null ? Integer.MAX_VALUE : congestion.ssthresh();
    }

    /** True during fast recovery (for tests). */
    boolean inRecovery() {
        return recovery.inRecovery();
    }

    /** The name of the congestion-control algorithm. */
    String congestionName() {
        return congestionName;
    }

    /** The minimum round trip seen, nanoseconds; -1 before any. */
    long minRtt() {
        return minRtt;
    }

    /** The last delivery-rate sample, bytes per second; -1 before any. */
    long deliveryRate() {
        return delivery.deliveryRate;
    }

    /** True when SACK is in use. */
    boolean sackEnabled() {
        return sackEnabled;
    }
}
