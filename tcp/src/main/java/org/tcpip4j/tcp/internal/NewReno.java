package org.tcpip4j.tcp.internal;

/**
 * Slow start, congestion avoidance, fast retransmit and fast recovery (RFC 5681) with the
 * NewReno modification for partial acknowledgments (RFC 6582).
 *
 * <ul>
 *   <li>Initial window: RFC 5681 3.1, equation 1 (at most 4 segments of 1095 bytes or less).
 *   <li>Slow start grows by min(acked, SMSS) per ACK (RFC 5681 3.1, equation 2).
 *   <li>Congestion avoidance grows by SMSS*SMSS/cwnd per ACK (equation 3), at least 1 byte.
 *   <li>Loss halves: ssthresh = max(FlightSize/2, 2*SMSS) (equation 4).
 * </ul>
 */
final class NewReno implements CongestionControl {

    private int cwnd;
    private int ssthresh = Integer.MAX_VALUE;

    /** Starts with the initial window for {@code mss}. */
    NewReno(int mss) {
        this.cwnd = initialWindow(mss);
    }

    /** RFC 5681 3.1, equation 1. */
    static int initialWindow(int mss) {
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
    public void onAck(int ackedBytes, int mss) {
        if (cwnd < ssthresh) {
            cwnd = saturatedAdd(cwnd, Math.min(ackedBytes, mss));
        } else {
            cwnd = saturatedAdd(cwnd, Math.max(1, (int) ((long) mss * mss / cwnd)));
        }
    }

    @Override
    public void onFastRetransmit(int flightSize, int mss) {
        ssthresh = halve(flightSize, mss);
        cwnd = saturatedAdd(ssthresh, 3 * mss);
    }

    @Override
    public void onLossRecovery(int flightSize, int mss) {
        ssthresh = halve(flightSize, mss);
        cwnd = ssthresh;
    }

    @Override
    public void onDuplicateAckInRecovery(int mss) {
        cwnd = saturatedAdd(cwnd, mss);
    }

    @Override
    public void onPartialAck(int ackedBytes, int mss) {
        // RFC 6582 3.2 step 3: deflate by the amount acknowledged, add back one SMSS when
        // that amount was at least one SMSS.
        cwnd = Math.max(mss, cwnd - ackedBytes + (ackedBytes >= mss ? mss : 0));
    }

    @Override
    public void onRecoveryExit(int flightSize, int mss) {
        // RFC 6582 3.2 step 3, option (1): min(ssthresh, max(FlightSize, SMSS) + SMSS).
        cwnd = Math.min(ssthresh, Math.max(flightSize, mss) + mss);
    }

    @Override
    public void onRetransmissionTimeout(int flightSize, int mss) {
        ssthresh = halve(flightSize, mss);
        cwnd = mss; // RFC 5681 3.1: the loss window is one segment
    }

    @Override
    public void onLossRepairedByProbe(int mss) {
        ssthresh = halve(cwnd, mss);
        cwnd = ssthresh;
    }

    private static int halve(int flightSize, int mss) {
        return Math.max(flightSize / 2, 2 * mss);
    }

    private static int saturatedAdd(int a, int b) {
        int s = a + b;
        return s < 0 ? Integer.MAX_VALUE : s;
    }
}
