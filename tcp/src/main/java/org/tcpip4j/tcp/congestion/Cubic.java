package org.tcpip4j.tcp.congestion;

/**
 * CUBIC (RFC 9438) with HyStart++ (RFC 9406) for its first slow start: the congestion
 * window follows a cubic function of the time since the last reduction, flattening out
 * around the window where loss last struck and probing beyond it ever faster, while never
 * growing slower than Reno would.
 *
 * <ul>
 *   <li>Initial window: RFC 5681 3.1, equation 1, as {@link NewReno#initialWindow}.
 *   <li>First slow start: HyStart++ (RFC 9406 4.2; RFC 9438 4.10), at most L = 8 SMSS per
 *       ACK since the sender does not pace; leaving it without a loss enters congestion
 *       avoidance with ssthresh = cwnd, W_max undefined and K = 0 (RFC 9438 4.10).
 *   <li>Later slow starts (after a timeout): byte counting with L = 2 SMSS (RFC 3465 2.2),
 *       up to ssthresh; the bytes beyond it count for congestion avoidance.
 *   <li>Congestion avoidance (RFC 9438 4.2 to 4.5): W_cubic(t) = C * (t - K)^3 + W_max with
 *       C = 0.4 and K = cbrt((W_max - cwnd_epoch) / C), K = 0 when cwnd_epoch is not below
 *       W_max (then the curve starts at cwnd_epoch); each ACK of N bytes adds
 *       (target - cwnd) * N / cwnd bytes, target being W_cubic(t + RTT) clamped to
 *       [cwnd, 1.5 cwnd], fractions carried to the next ACK; where the Reno estimate W_est
 *       (alpha_cubic = 3 (1 - beta) / (1 + beta), then 1 once W_est reaches cwnd_prior) is
 *       above W_cubic(t), cwnd follows W_est instead (4.3).
 *   <li>t is the time since the epoch began: the first window-limited ACK of a congestion
 *       avoidance stage. The epoch restarts after a reduction, a timeout, an idle restart,
 *       and whenever the application or the peer rather than the window limits sending, so
 *       the window grows only while it is what limits the flow (RFC 9438 5.8, RFC 7661).
 *   <li>Loss (4.6, 4.7): ssthresh = max(beta_cubic * cwnd, 2 SMSS) with beta_cubic = 0.7,
 *       computed from cwnd as Linux does (growth is already held back while not
 *       cwnd-limited, as 4.6 requires of that choice); W_max = cwnd, or
 *       cwnd * (1 + beta) / 2 by fast convergence when cwnd had not regained W_max; cwnd =
 *       ssthresh when recovery ends.
 *   <li>Timeout (4.8): ssthresh as for a loss on the first of consecutive timeouts only;
 *       cwnd = 1 SMSS; W_max is forgotten, so the next congestion avoidance starts with
 *       K = 0 from the window it starts with.
 *   <li>Spurious reduction (4.9): cwnd, ssthresh, W_max, K, the epoch and W_est are saved
 *       before each reduction and restored on {@link #onUndo} unless cwnd has already grown
 *       back past the saved window.
 * </ul>
 *
 * <p>Windows are bytes; the curve works in segments of the current SMSS (C is in segments
 * per second cubed) and in seconds of the sample's clock. Nothing is allocated per call.
 */
public final class Cubic implements CongestionControl {

    /** RFC 9438 4.6: beta_cubic, the multiplicative decrease factor. */
    static final double BETA = 0.7;
    /** RFC 9438 4.2 and 5: C, the aggressiveness of the cubic function, segments per second cubed. */
    static final double C = 0.4;
    /** RFC 9438 4.3: alpha_cubic = 3 (1 - beta) / (1 + beta), Reno's average window at beta_cubic. */
    static final double ALPHA = 3 * (1 - BETA) / (1 + BETA);
    /** RFC 9438 4.7: fast convergence, on as on Linux (a sender cannot tell it is alone on the path). */
    static final boolean FAST_CONVERGENCE = true;
    /** RFC 3465 2.2: L for the slow starts HyStart++ does not govern, in segments. */
    static final int ABC_LIMIT_SEGMENTS = 2;

    private static final double NANOS_PER_SECOND = 1e9;
    private static final long NO_EPOCH = Long.MIN_VALUE;

    private final HyStartPlusPlus hyStart = new HyStartPlusPlus();
    private int mss;
    private int cwnd;
    private int ssthresh = Integer.MAX_VALUE;
    private boolean inRecovery;

    // RFC 9438 4.1.2's variables, in bytes and seconds.
    private double wMax;
    private double cwndPrior;
    private long epochStart = NO_EPOCH;
    private double k;
    private double origin;
    private double wEst;
    private double carry;

    // RFC 9438 4.9: the state before the last reduction.
    private boolean undoValid;
    private int undoCwnd;
    private int undoSsthresh;
    private double undoWMax;
    private double undoCwndPrior;
    private long undoEpochStart;
    private double undoK;
    private double undoOrigin;
    private double undoWEst;

    /** Starts in slow start (HyStart++) with the initial window for {@code mss} (RFC 5681 3.1). */
    public Cubic(int mss) {
        this.mss = mss;
        this.cwnd = NewReno.initialWindow(mss);
    }

    /** The congestion window in bytes. */
    @Override
    public int cwnd() {
        return cwnd;
    }

    /** The slow-start threshold in bytes; {@link Integer#MAX_VALUE} until the first loss or HyStart++'s exit. */
    @Override
    public int ssthresh() {
        return ssthresh;
    }

    /**
     * Grows the window for an acknowledgment outside recovery: by slow start below ssthresh
     * (HyStart++, RFC 9406 4.2, in the first; RFC 3465 byte counting after a timeout), by the
     * cubic or Reno-friendly rule above it (RFC 9438 4.2 to 4.5), and not at all when the
     * window did not limit sending (RFC 9438 5.8), which also restarts the cubic epoch.
     */
    @Override
    public void onAck(CongestionSample s) {
        mss = s.mss();
        if (cwnd < ssthresh && hyStart.onAck(s)) {
            leaveSlowStart();
        }
        if (!s.cwndLimited()) {
            epochStart = NO_EPOCH;
            return;
        }
        int acked = s.deliveredBytes();
        if (cwnd < ssthresh) {
            acked = slowStart(acked);
        }
        if (acked > 0 && cwnd >= ssthresh) {
            congestionAvoidance(s, acked);
        }
    }

    /**
     * Loss starts fast recovery (RFC 9438 4.6, 4.7): saves the state for a possible undo
     * (4.9), updates W_max with fast convergence and sets ssthresh = max(0.7 cwnd, 2 SMSS).
     * A loss in the first slow start ends HyStart++ (RFC 9406 4.2).
     */
    @Override
    public void onRecoveryStart(CongestionSample s) {
        mss = s.mss();
        saveForUndo();
        reduce();
        inRecovery = true;
    }

    /**
     * Recovery ended: cwnd = ssthresh, the reduced window (RFC 9438 4.6), where the next
     * epoch starts. A timeout or an undo that ended the recovery first has set the window already.
     */
    @Override
    public void onRecoveryEnd(CongestionSample s) {
        if (inRecovery) {
            inRecovery = false;
            cwnd = ssthresh;
        }
    }

    /**
     * The retransmission timer expired (RFC 9438 4.8): on the first of consecutive timeouts,
     * and unless a recovery already reduced ssthresh for this loss, ssthresh = max(0.7 cwnd,
     * 2 SMSS); cwnd = 1 SMSS (RFC 5681 3.1); W_max is forgotten so that the next congestion
     * avoidance has K = 0 and starts its curve at its own first window.
     */
    @Override
    public void onRetransmissionTimeout(CongestionSample s) {
        mss = s.mss();
        if (s.consecutiveTimeouts() <= 1 && !inRecovery) {
            saveForUndo();
            cwndPrior = cwnd;
            ssthresh = reducedSsthresh();
        }
        inRecovery = false;
        wMax = 0;
        epochStart = NO_EPOCH;
        carry = 0;
        hyStart.stop();
        cwnd = mss;
    }

    /**
     * The last reduction was spurious (RFC 9438 4.9): restores cwnd, ssthresh, W_max, K, the
     * epoch and W_est held before it, unless cwnd has meanwhile grown past the saved window;
     * restored to the first slow start, HyStart++ starts over.
     */
    @Override
    public void onUndo(CongestionSample s) {
        if (!undoValid) {
            return;
        }
        undoValid = false;
        if (!inRecovery && cwnd >= undoCwnd) {
            return;
        }
        inRecovery = false;
        restoreForUndo();
        if (ssthresh == Integer.MAX_VALUE) {
            hyStart.restart();
        }
    }

    /**
     * The connection restarts after an idle period: the window stays (RFC 7661) and the
     * epoch restarts, so the idle time does not count in t (RFC 9438 5.8).
     */
    @Override
    public void onRestartAfterIdle(CongestionSample s) {
        epochStart = NO_EPOCH;
    }

    /** RFC 9406 4.2: CSS is over; RFC 9438 4.10: congestion avoidance from here with cwnd_prior = cwnd. */
    private void leaveSlowStart() {
        ssthresh = cwnd;
        cwndPrior = cwnd;
        epochStart = NO_EPOCH;
    }

    /** Grows by slow start up to ssthresh and returns the acknowledged bytes left beyond it. */
    private int slowStart(int acked) {
        int grow = hyStart.active() ? hyStart.growth(acked, mss) : Math.min(acked, ABC_LIMIT_SEGMENTS * mss);
        int room = ssthresh - cwnd;
        if (grow < room) {
            cwnd += grow;
            return 0;
        }
        cwnd = ssthresh;
        return Math.max(0, acked - room);
    }

    /** RFC 9438 4.2 to 4.5: one acknowledgment of {@code acked} bytes in congestion avoidance. */
    private void congestionAvoidance(CongestionSample s, int acked) {
        long now = s.now();
        if (epochStart == NO_EPOCH) {
            startEpoch(now);
        }
        double t = (now - epochStart) / NANOS_PER_SECOND;
        wEst += renoAlpha() * mss * acked / cwnd;
        if (wCubic(t) < wEst) {
            if (wEst > cwnd) {
                cwnd = (int) Math.min(wEst, Integer.MAX_VALUE);
            }
            return;
        }
        double target = Math.min(Math.max(wCubic(t + rttSeconds(s)), cwnd), 1.5 * cwnd);
        carry += (target - cwnd) * acked / cwnd;
        if (carry >= 1) {
            int whole = (int) Math.min(carry, (double) Integer.MAX_VALUE - cwnd);
            cwnd += whole;
            carry -= whole;
        }
    }

    /**
     * RFC 9438 4.2: a congestion avoidance stage begins at {@code now} with cwnd_epoch =
     * cwnd; K is the time the curve takes from there to W_max, or 0 with the curve starting
     * at cwnd when W_max is undefined or not above it (4.8, 4.10). W_est starts at cwnd (4.3).
     */
    private void startEpoch(long now) {
        epochStart = now;
        wEst = cwnd;
        carry = 0;
        if (wMax > cwnd) {
            k = Math.cbrt((wMax - cwnd) / (C * mss));
            origin = wMax;
        } else {
            k = 0;
            origin = cwnd;
        }
    }

    /** RFC 9438 4.2, figure 1: W_cubic(t) = C * (t - K)^3 + W_max, in bytes. */
    double wCubic(double t) {
        double d = t - k;
        return C * mss * d * d * d + origin;
    }

    /** RFC 9438 4.3: alpha_cubic until W_est reaches cwnd_prior, 1 (Reno's increase) after. */
    private double renoAlpha() {
        return wEst >= cwndPrior ? 1.0 : ALPHA;
    }

    /** RFC 9438 4.2's RTT: the smoothed round-trip time, else the minimum, in seconds. */
    private static double rttSeconds(CongestionSample s) {
        long rtt = s.srtt() > 0 ? s.srtt() : Math.max(0, s.minRtt());
        return rtt / NANOS_PER_SECOND;
    }

    /** RFC 9438 4.6 and 4.7: the reduction on loss; the epoch starts again after recovery. */
    private void reduce() {
        cwndPrior = cwnd;
        if (FAST_CONVERGENCE && cwnd < wMax) {
            wMax = cwnd * (1 + BETA) / 2;
        } else {
            wMax = cwnd;
        }
        ssthresh = reducedSsthresh();
        epochStart = NO_EPOCH;
        carry = 0;
        hyStart.stop();
    }

    /** RFC 9438 4.6: ssthresh = max(cwnd * beta_cubic, 2 SMSS). */
    private int reducedSsthresh() {
        return Math.max((int) (cwnd * BETA), 2 * mss);
    }

    private void saveForUndo() {
        undoValid = true;
        undoCwnd = cwnd;
        undoSsthresh = ssthresh;
        undoWMax = wMax;
        undoCwndPrior = cwndPrior;
        undoEpochStart = epochStart;
        undoK = k;
        undoOrigin = origin;
        undoWEst = wEst;
    }

    private void restoreForUndo() {
        cwnd = undoCwnd;
        ssthresh = undoSsthresh;
        wMax = undoWMax;
        cwndPrior = undoCwndPrior;
        epochStart = undoEpochStart;
        k = undoK;
        origin = undoOrigin;
        wEst = undoWEst;
        carry = 0;
    }

    /** K of the current epoch, seconds (RFC 9438 4.2). */
    double k() {
        return k;
    }

    /** W_max in bytes; 0 while undefined (RFC 9438 4.7, 4.8). */
    double wMax() {
        return wMax;
    }

    /** W_est in bytes (RFC 9438 4.3). */
    double wEst() {
        return wEst;
    }

    /** True while a congestion avoidance epoch runs (t is defined). */
    boolean epochRunning() {
        return epochStart != NO_EPOCH;
    }

    /** The HyStart++ state of the first slow start. */
    HyStartPlusPlus hyStart() {
        return hyStart;
    }

    @Override
    public String toString() {
        return "cubic cwnd=" + cwnd + " ssthresh=" + ssthresh + " wmax=" + (long) wMax + " k=" + k + " " + hyStart;
    }
}
