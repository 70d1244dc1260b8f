package org.tcpip4j.tcp.congestion;

/**
 * Slow start and congestion avoidance with Appropriate Byte Counting (RFC 5681, RFC 3465),
 * halving on loss (RFC 5681 3.2 equation 4; the NewReno loss response of RFC 6582, whose
 * partial-ACK handling is the sender's).
 *
 * <ul>
 *   <li>Initial window: RFC 5681 3.1, equation 1 (at most 4 segments of 1095 bytes or less).
 *   <li>Slow start grows by the bytes acknowledged, at most L = 2 SMSS per ACK (RFC 3465
 *       2.2), so that delayed and stretch ACKs do not slow it down.
 *   <li>Congestion avoidance counts the bytes acknowledged and grows by one SMSS once a
 *       window's worth has been (RFC 3465 2.1, RFC 5681 3.1's recommended form).
 *   <li>Only while the window limits sending (RFC 7661's cwnd-limited test).
 *   <li>Loss: ssthresh = max(FlightSize / 2, 2 SMSS); cwnd = ssthresh at the end of
 *       recovery; one segment after a timeout.
 *   <li>Undo restores the window and threshold held before the last reduction.
 * </ul>
 */
public final class NewReno implements CongestionControl {

    /** RFC 3465 2.2: L, the most slow start grows per ACK, in segments. */
    static final int ABC_LIMIT_SEGMENTS = 2;

    private int cwnd;
    private int ssthresh = Integer.MAX_VALUE;
    private long bytesAcked;
    private int priorCwnd;
    private int priorSsthresh;
    private boolean reduced;
    /** Between onRecoveryStart and its end (or a timeout, or an undo). */
    private boolean inRecovery;

    /** Starts with the initial window for {@code mss}. */
    public NewReno(int mss) {
        this.cwnd = initialWindow(mss);
    }

    /** RFC 5681 3.1, equation 1. */
    public static int initialWindow(int mss) {
        if (mss > 2190) {
            return 2 * mss;
        }
        if (mss > 1095) {
            return 3 * mss;
        }
        return 4 * mss;
    }

    @Override
    public int cwnd() {
        return cwnd;
    }

    @Override
    public int ssthresh() {
        return ssthresh;
    }

    @Override
    public void onAck(CongestionSample s) {
        int mss = s.mss();
        if (!s.cwndLimited()) {
            return;
        }
        int acked = s.deliveredBytes();
        if (cwnd < ssthresh) {
            int grow = Math.min(acked, ABC_LIMIT_SEGMENTS * mss);
            cwnd = saturatedAdd(cwnd, Math.min(grow, Math.max(0, ssthresh - cwnd) + mss));
            return;
        }
        bytesAcked += acked;
        if (bytesAcked >= cwnd) {
            bytesAcked -= cwnd;
            cwnd = saturatedAdd(cwnd, mss);
        }
    }

    @Override
    public void onRecoveryStart(CongestionSample s) {
        remember();
        ssthresh = halve(s.flightSize(), s.mss());
        bytesAcked = 0;
        inRecovery = true;
    }

    @Override
    public void onRecoveryEnd(CongestionSample s) {
        cwnd = ssthresh;
        inRecovery = false;
    }

    @Override
    public void onRetransmissionTimeout(CongestionSample s) {
        // RFC 5681 3.1 equation 4, once per loss event: not again for a repeated timeout, nor
        // for one during fast recovery, whose reduction is already made (and whose undo state,
        // from before it, is kept), as Linux's tcp_enter_loss does.
        if (s.consecutiveTimeouts() <= 1 && !inRecovery) {
            remember();
            ssthresh = halve(s.flightSize(), s.mss());
        }
        inRecovery = false;
        cwnd = s.mss();
        bytesAcked = 0;
    }

    @Override
    public void onUndo(CongestionSample s) {
        inRecovery = false;
        if (!reduced) {
            return;
        }
        reduced = false;
        cwnd = Math.max(cwnd, priorCwnd);
        ssthresh = Math.max(ssthresh, priorSsthresh);
    }

    private void remember() {
        priorCwnd = cwnd;
        priorSsthresh = ssthresh;
        reduced = true;
    }

    private static int halve(int flightSize, int mss) {
        return Math.max(flightSize / 2, 2 * mss);
    }

    private static int saturatedAdd(int a, int b) {
        int s = a + b;
        return s < 0 ? Integer.MAX_VALUE : s;
    }

    @Override
    public String toString() {
        return "newreno cwnd=" + cwnd + " ssthresh=" + ssthresh;
    }
}
