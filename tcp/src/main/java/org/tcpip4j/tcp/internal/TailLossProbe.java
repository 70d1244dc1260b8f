package org.tcpip4j.tcp.internal;

import org.tcpip4j.netif.loop.EventLoop;
import org.tcpip4j.tcp.internal.wire.TcpOptions;

/**
 * Tail Loss Probe (RFC 8985 7) for one {@link Sender}: when the last segments of a flight,
 * or their ACKs, are lost, nothing is left to bring duplicate ACKs, and only the
 * retransmission timer would notice. A probe timeout (PTO) of about two round trips sends
 * one segment, the probe, whose acknowledgment either shows that nothing was lost or
 * reveals the loss to SACK recovery.
 *
 * <ul>
 *   <li>Scheduling (7.2): after new data is sent (not itself a probe) and on each ACK of new
 *       data, while data is in flight, no recovery is under way and no probe is
 *       outstanding. PTO = 2 * SRTT, at least {@value #MIN_PTO_MILLIS} ms (as Linux adds that
 *       much for timer granularity), plus WCDelAckT when one segment or less is in
 *       flight, its ACK possibly delayed; 1 s before any RTT sample. When the
 *       retransmission timer expires no later, the probe is not armed at all: RFC 8985
 *       would fire the probe in its place and push the RTO one more RTO out, while we let
 *       the RTO recover the tail as before.
 *   <li>The probe (7.3): new data if there is some and the peer's window allows,
 *       otherwise the highest segment not SACKed is resent; then the retransmission timer,
 *       not the PTO, is re-armed. One probe is outstanding at a time (TLP.end_seq). New
 *       data goes as two full segments where RFC 8985 sends one: the silence a probe
 *       breaks is most often a lost ACK, after which the receiver holds nothing it has not
 *       acknowledged but the probe, and a receiver that delays ACKs (RFC 5681 4.2; Linux
 *       acknowledges a bulk flow about once per read, its delayed-ACK timer 40 to 200 ms)
 *       answers a single segment only when that timer fires, a second one at once.
 *   <li>What the probe's acknowledgment tells of the data below it is RACK's to judge
 *       ({@link Rack}): that data was sent at least a PTO, more than a round trip plus a
 *       reordering window, before the probe, so a SACK of the probe marks it lost.
 *   <li>Loss detection of the probe (7.4): when the probe was a retransmission and is
 *       acknowledged without a D-SACK saying the original arrived too, the probe repaired a
 *       loss, and congestion control halves the window. A pure duplicate ACK at the probe's
 *       end says the original arrived first; nothing is done.
 * </ul>
 *
 * <p>As RFC 8985 7.2 asks, no probe is scheduled outside recovery while data is SACKed:
 * RACK's reordering timer watches the holes below it. Unlike RFC 8985 7.2, a probe is also
 * scheduled during fast recovery, and after a timeout once an ACK showed the peer alive: there the ACK clock is all that
 * reveals a lost retransmission (RACK needs a later segment delivered), and when the one
 * ACK a receiver sends for a retransmission, or the one SACK it sends for a burst (Linux
 * compresses them), is lost, nothing else would come for a whole RTO, and then for a
 * doubled one. After one PTO without an ACK, the probe sends new data (or resends
 * the highest not SACKed) to draw an ACK; as that ACK may be lost too, a second
 * follows a doubled PTO later, and no more: the RTO takes over. On a lossy path with a sub-millisecond RTT this turns a 200 to 400 ms stall into
 * a few milliseconds. The timer is the loop's reusable timer, moved
 * lazily as {@link RetransmissionTimer} does; nothing here allocates after construction.
 * Loop only.
 */
final class TailLossProbe extends TimerOwner {

    /**
     * The floor of the probe timeout: Linux's allowance for timer granularity and the
     * receiver's scheduling (TCP_TIMEOUT_MIN_US, 2 ms, which it adds to 2 * SRTT). Where the
     * round trip is well under a millisecond, a lost ACK stalls the sender for this long.
     */
    static final int MIN_PTO_MILLIS = 2;
    private static final long MIN_PTO = MIN_PTO_MILLIS * 1_000_000L;
    /** RFC 8985 7.2: WCDelAckT, the worst-case delayed-ACK time, 200 ms. */
    static final long WORST_CASE_DELAYED_ACK = 200_000_000L;
    /** RFC 8985 7.2: the PTO before any RTT sample. */
    static final long UNMEASURED_PTO = 1_000_000_000L;

    private final Sender snd;
    private final TcpCounters counters;
    /** Armed: a probe is due one PTO after {@link #restartedAt}. */
    private boolean armed;
    /** When the PTO was last restarted (RFC 8985 7.2). */
    private long restartedAt;

    /** A probe is outstanding (TLP.end_seq is set). */
    private boolean outstanding;
    /** The probe's first sequence number. */
    private int probeStart;
    /** TLP.end_seq: SND.NXT after the probe. */
    private int probeEnd;
    /** The probe resent data rather than sending new data (TLP.is_retrans). */
    private boolean probeResent;
    /** True while the probe itself is being sent, so that it does not re-arm the PTO. */
    private boolean probing;
    /** The timer guards a recovery's ACK clock rather than a flight's tail. */
    private boolean recoveryMode;
    /** Recovery probes sent since the last ACK. */
    private int recoveryProbes;
    /** Recovery probes per silence at most, each a doubled PTO after the one before. */
    static final int MAX_RECOVERY_PROBES = 2;
    /**
     * Full segments of new data a probe sends at most: two, as a receiver that delays its
     * ACKs acknowledges every second full-sized segment at once (RFC 5681 4.2) but holds
     * the ACK of a single one for its delayed-ACK timer.
     */
    static final int PROBE_SEGMENTS = 2;

    TailLossProbe(Sender snd, EventLoop loop, TcpCounters counters) {
        super(loop);
        this.snd = snd;
        this.counters = counters;
    }

    // ---- scheduling (RFC 8985 7.2) ------------------------------------------------------

    /**
     * New data was sent or new data acknowledged: (re)schedules the probe when the sender is
     * eligible, else leaves it off.
     *
     * @param eligible data is in flight and no recovery (fast or RTO) is under way
     */
    void reschedule(boolean eligible) {
        reschedule(eligible, false);
    }

    /**
     * As {@link #reschedule(boolean)}; {@code recovery} says the sender is in fast recovery
     * or recovering from a timeout, where the probe guards the ACK clock itself (see the
     * class comment) and no delayed ACK is waited for: a receiver acknowledges at once the
     * data that fills a hole or arrives out of order (RFC 5681 4.2).
     */
    void reschedule(boolean eligible, boolean recovery) {
        if (probing) {
            return;
        }
        if (!eligible || outstanding) {
            cancel();
            return;
        }
        recoveryMode = recovery;
        recoveryProbes = 0;
        // The restart time is recorded; the timer moves only when the probe is now due
        // earlier. When it fires early, it works out the PTO again and sleeps for the rest.
        long now = loop.nanoTime();
        long pto = timeout();
        restartedAt = now;
        armed = true;
        if (!timerScheduled() || timerDeadline() - (now + pto) > 0) {
            timer().schedule(pto);
        }
    }

    /** The PTO now: RFC 8985 7.2's, without the delayed-ACK allowance in recovery. */
    private long timeout() {
        return probeTimeout(snd.rtx, recoveryMode ? Integer.MAX_VALUE : snd.sndMax - snd.sndUna, snd.mss);
    }

    /** RFC 8985 7.2, the PTO for {@code flight} bytes in flight. */
    static long probeTimeout(RetransmissionTimer rtx, int flight, int mss) {
        if (!rtx.measured()) {
            return UNMEASURED_PTO;
        }
        long pto = Math.max(2 * rtx.srtt(), MIN_PTO);
        if (flight <= mss) {
            pto += WORST_CASE_DELAYED_ACK;
        }
        return pto;
    }

    /** Stops the probe timer; an outstanding probe stays outstanding. */
    void cancel() {
        armed = false;
        if (timerScheduled()) {
            cancelTimer();
        }
    }

    /** The retransmission timer expired: no probe, and the outstanding one is forgotten. */
    void onRetransmissionTimeout() {
        cancel();
        outstanding = false;
    }

    /** Recovery started: it handles the losses, so the probe timer stops and its episode ends. */
    void onRecovery() {
        cancel();
        outstanding = false;
        recoveryProbes = 0;
    }

    // ---- the probe (RFC 8985 7.3) ---------------------------------------------------------

    @Override
    void onTimer() {
        if (!armed) {
            return;
        }
        RetransmissionTimer rtx = snd.rtx;
        long dueAt = restartedAt + (timeout() << (recoveryMode ? recoveryProbes : 0));
        if (rtx.running() && rtx.expiresAt() - dueAt <= 0) {
            armed = false; // the RTO comes no later (see the class comment)
            return;
        }
        long left = dueAt - loop.nanoTime();
        if (left > 0) {
            timer().schedule(left); // restarted since it was armed
            return;
        }
        armed = false;
        if (!snd.probeAllowed()) {
            return;
        }
        probing = true;
        try {
            int start = snd.sndNxt;
            int sent = snd.sendProbeData(PROBE_SEGMENTS);
            boolean resent = false;
            if (sent <= 0) {
                long probe = snd.probeRetransmit();
                if (probe < 0) {
                    return;
                }
                start = (int) (probe >>> 32);
                sent = (int) probe;
                resent = true;
            }
            if (sent <= 0) {
                return;
            }
            counters.txTailLossProbes.increment();
            outstanding = true;
            probeStart = start;
            probeEnd = snd.sndMax; // TLP.end_seq = SND.NXT (the highest sent)
            probeResent = resent;
        } finally {
            probing = false;
        }
        snd.rtx.restart(); // 7.3: re-arm the RTO timer, not the PTO timer
        if (recoveryMode && ++recoveryProbes < MAX_RECOVERY_PROBES) {
            // The ACK a recovery probe draws may be lost too: one more, a doubled PTO later.
            armed = true;
            restartedAt = loop.nanoTime();
            timer().schedule(timeout() << recoveryProbes);
        }
    }

    // ---- the probe's acknowledgment (RFC 8985 6.2, 7.4) ---------------------------------------

    /** True when a probe is outstanding (for tests). */
    boolean outstanding() {
        return outstanding;
    }

    /** The probe's first sequence number; meaningful while {@link #outstanding()}. */
    int probeStart() {
        return probeStart;
    }

    /**
     * RFC 8985 7.4: judges the ACK against the outstanding probe.
     *
     * @param ack SEG.ACK
     * @param advanced the ACK moved SND.UNA
     * @param newlySacked the bytes it SACKed for the first time
     * @param options the ACK's options, for its first SACK block
     * @param dsack that block is a D-SACK (RFC 2883 4, {@link Sender#isDsack})
     * @return true when the probe repaired a loss, and congestion control must react
     */
    boolean onAck(int ack, boolean advanced, int newlySacked, TcpOptions options, boolean dsack) {
        if (!outstanding || SeqNum.lt(ack, probeEnd)) {
            return false;
        }
        if (!probeResent) {
            outstanding = false; // new data: its acknowledgment says nothing of a loss
            return false;
        }
        if (dsack && dsacksProbe(options)) {
            outstanding = false; // the original arrived too: no loss
            return false;
        }
        if (SeqNum.gt(ack, probeEnd)) {
            outstanding = false; // acknowledged beyond without a D-SACK: the probe repaired a loss
            return true;
        }
        if (!advanced && newlySacked == 0) {
            outstanding = false; // a pure duplicate at TLP.end_seq: the original arrived first
        }
        return false;
    }

    /** True when the ACK's first SACK block, a D-SACK, overlaps the probe. */
    private boolean dsacksProbe(TcpOptions options) {
        return SeqNum.lt(options.sackStart(0), probeEnd) && SeqNum.gt(options.sackEnd(0), probeStart);
    }

}
