package org.tcpip4j.tcp.congestion;

/**
 * HyStart++ (RFC 9406): the slow start of a connection's first slow start, which leaves
 * exponential growth when the round trip time rises by more than a threshold in one round
 * (RFC 9406 4.2), grows by a quarter for a few rounds in Conservative Slow Start (CSS),
 * returns to slow start if the rise was spurious, and hands over to congestion avoidance
 * after {@link #CSS_ROUNDS} rounds of CSS.
 *
 * <p>The helper only decides; the window belongs to {@link Cubic}, which asks
 * {@link #onAck} whether CSS has run its course (then ssthresh = cwnd) and
 * {@link #growth} how much an acknowledgment may add. A loss ends HyStart++ for the rest
 * of the connection ({@link #stop}), as RFC 9406 4.2 prescribes: HyStart++ serves the
 * initial slow start, and later slow starts stop at the ssthresh the loss set.
 */
final class HyStartPlusPlus {

    /** RFC 9406 4.3: the least delay increase that ends slow start, 4 ms. */
    static final long MIN_RTT_THRESH_NANOS = 4_000_000L;
    /** RFC 9406 4.3: the largest delay increase needed to end slow start, 16 ms. */
    static final long MAX_RTT_THRESH_NANOS = 16_000_000L;
    /** RFC 9406 4.3: the threshold is this fraction of the last round's minimum RTT. */
    static final int MIN_RTT_DIVISOR = 8;
    /** RFC 9406 4.3: RTT samples a round needs before its minimum is trusted. */
    static final int N_RTT_SAMPLE = 8;
    /** RFC 9406 4.3: CSS grows this many times slower than slow start. */
    static final int CSS_GROWTH_DIVISOR = 4;
    /** RFC 9406 4.3: rounds of CSS, the partial round CSS began in included, before congestion avoidance. */
    static final int CSS_ROUNDS = 5;
    /** RFC 9406 4.3: L, the most one ACK may grow the window, in segments, for a sender that does not pace. */
    static final int L_SEGMENTS = 8;

    private static final long NONE = Long.MAX_VALUE;

    private static final int SLOW_START = 0;
    private static final int CONSERVATIVE = 1;
    private static final int DONE = 2;

    private int phase;
    private long lastRoundMinRtt;
    private long currentRoundMinRtt;
    private int rttSampleCount;
    private long cssBaselineMinRtt;
    private int cssRoundsDone;

    /** HyStart++ for a connection's first slow start. */
    HyStartPlusPlus() {
        restart();
    }

    /** Starts over in slow start with no RTT history (RFC 9406 4.2's initialisation). */
    void restart() {
        phase = SLOW_START;
        lastRoundMinRtt = NONE;
        currentRoundMinRtt = NONE;
        rttSampleCount = 0;
        cssBaselineMinRtt = NONE;
        cssRoundsDone = 0;
    }

    /** Ends HyStart++ for good: a loss set ssthresh (RFC 9406 4.2, last paragraph). */
    void stop() {
        phase = DONE;
    }

    /** True while HyStart++ governs slow start (standard slow start or CSS). */
    boolean active() {
        return phase != DONE;
    }

    /** True in Conservative Slow Start (RFC 9406 4.2). */
    boolean inCss() {
        return phase == CONSERVATIVE;
    }

    /** The minimum RTT CSS compares against, nanoseconds; {@link Long#MAX_VALUE} outside CSS. */
    long cssBaselineMinRtt() {
        return cssBaselineMinRtt;
    }

    /**
     * Follows rounds and RTT samples for one acknowledgment in slow start or CSS
     * (RFC 9406 4.2): a new round rotates the per-round minimum; a round whose minimum rose
     * by the threshold enters CSS; a CSS round whose minimum fell below the baseline
     * resumes slow start. Returns true when CSS has lasted {@link #CSS_ROUNDS} rounds: the
     * caller then sets ssthresh to cwnd and HyStart++ is over.
     */
    boolean onAck(CongestionSample s) {
        if (phase == DONE) {
            return false;
        }
        if (s.roundStart()) {
            if (phase == CONSERVATIVE && ++cssRoundsDone >= CSS_ROUNDS) {
                phase = DONE;
                return true;
            }
            lastRoundMinRtt = currentRoundMinRtt;
            currentRoundMinRtt = NONE;
            rttSampleCount = 0;
        }
        long rtt = s.rttSample();
        if (rtt >= 0) {
            currentRoundMinRtt = Math.min(currentRoundMinRtt, rtt);
            rttSampleCount++;
        }
        if (rttSampleCount >= N_RTT_SAMPLE) {
            if (phase == SLOW_START) {
                checkDelayIncrease();
            } else {
                checkSpuriousExit();
            }
        }
        return false;
    }

    /** RFC 9406 4.2: a rise of the round's minimum RTT by RttThresh ends slow start into CSS. */
    private void checkDelayIncrease() {
        if (currentRoundMinRtt == NONE || lastRoundMinRtt == NONE) {
            return;
        }
        if (currentRoundMinRtt >= lastRoundMinRtt + rttThresh(lastRoundMinRtt)) {
            cssBaselineMinRtt = currentRoundMinRtt;
            cssRoundsDone = 0;
            phase = CONSERVATIVE;
        }
    }

    /** RFC 9406 4.2: a CSS round whose minimum RTT fell below the baseline shows the exit was spurious. */
    private void checkSpuriousExit() {
        if (currentRoundMinRtt < cssBaselineMinRtt) {
            cssBaselineMinRtt = NONE;
            phase = SLOW_START;
        }
    }

    /** RFC 9406 4.2: RttThresh = max(MIN_RTT_THRESH, min(lastRoundMinRTT / MIN_RTT_DIVISOR, MAX_RTT_THRESH)). */
    static long rttThresh(long lastRoundMinRtt) {
        return Math.max(MIN_RTT_THRESH_NANOS, Math.min(lastRoundMinRtt / MIN_RTT_DIVISOR, MAX_RTT_THRESH_NANOS));
    }

    /**
     * Bytes an acknowledgment of {@code acked} new bytes adds to the window: min(N, L * SMSS)
     * in slow start, a {@link #CSS_GROWTH_DIVISOR}th of it in CSS (RFC 9406 4.2).
     */
    int growth(int acked, int mss) {
        int grow = Math.min(acked, L_SEGMENTS * mss);
        return phase == CONSERVATIVE ? grow / CSS_GROWTH_DIVISOR : grow;
    }

    @Override
    public String toString() {
        return switch (phase) {
            case SLOW_START -> "hystart++ slow-start";
            case CONSERVATIVE -> "hystart++ css round " + cssRoundsDone;
            default -> "hystart++ done";
        };
    }
}
