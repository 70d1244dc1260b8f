package org.tcpip4j.tcp.internal;

import org.tcpip4j.netif.loop.EventLoop;

/**
 * The retransmission timer of one connection and the estimator behind it (RFC 6298).
 *
 * <ul>
 *   <li>RTO starts at 1 s (RFC 6298 2.1), and is SRTT + max(G, 4 RTTVAR) after the
 *       first measurement (2.2, 2.3), with a clock granularity G of 1 ms.
 *   <li>The floor is 200 ms, not the 1 s of RFC 6298 2.4: Linux's choice, which the RFC
 *       allows for ("a lower minimum"); on fast links and in simulation one second per
 *       loss would dominate. The ceiling is 60 s (2.5).
 *   <li>Each expiry doubles the RTO (5.5), up to the ceiling; an acknowledgment of new
 *       data, or a fresh sample, clears the backoff.
 *   <li>Karn's algorithm (RFC 6298 3) is the caller's: only segments sent once are timed.
 * </ul>
 *
 * <p>RFC 6298 5.3 restarts the timer on every ACK of new data. Moving a loop timer costs a
 * heap operation, so a restart only records the new expiry when the timer is armed to fire
 * earlier; the timer then fires early, finds the expiry moved, and re-arms for the rest.
 * The timeout still happens exactly one RTO after the last restart.
 */
final class RetransmissionTimer extends TimerOwner {

    static final long INITIAL_RTO = 1_000_000_000L;
    static final long MIN_RTO = 200_000_000L;
    static final long MAX_RTO = 60_000_000_000L;
    /** RFC 6298 5.7: after a SYN was retransmitted, RTO is at least 3 s once established. */
    static final long POST_SYN_RETRANSMIT_RTO = 3_000_000_000L;
    private static final long GRANULARITY = 1_000_000L;

    private final Runnable onExpiry;
    /** Armed: an RTO is pending, expiring at {@link #expiresAt}. */
    private boolean armed;
    private long expiresAt;
    private long srtt;
    private long rttvar;
    private long rto = INITIAL_RTO;
    private int backoff;
    private boolean measured;

    /** A stopped timer on {@code loop} that runs {@code onExpiry} when it expires. */
    RetransmissionTimer(EventLoop loop, Runnable onExpiry) {
        super(loop);
        this.onExpiry = onExpiry;
    }

    @Override
    void onTimer() {
        if (!armed) {
            return;
        }
        long left = expiresAt - loop.nanoTime();
        if (left > 0) {
            timer().schedule(left); // restarted since it was armed
            return;
        }
        armed = false;
        onExpiry.run();
    }

    /** Feeds one round-trip measurement in nanoseconds (RFC 6298 2.2, 2.3). */
    void sample(long rtt) {
        sample(rtt, 1);
    }

    /**
     * Feeds one of about {@code expectedSamples} measurements taken in one round trip
     * (RFC 7323 4.2: with timestamps every ACK gives one, so the gains alpha = 1/8 and
     * beta = 1/4 of RFC 6298 are divided by the number of samples expected per RTT, and a
     * window's worth of samples moves the estimate as much as one sample per RTT would).
     */
    void sample(long rtt, int expectedSamples) {
        if (rtt < 0) {
            return;
        }
        if (!measured) {
            srtt = rtt;
            rttvar = rtt / 2;
            measured = true;
        } else {
            long n = Math.max(1, expectedSamples);
            long delta = Math.abs(srtt - rtt);
            rttvar += (delta - rttvar) / (4 * n);
            srtt += (rtt - srtt) / (8 * n);
        }
        rto = Math.clamp(srtt + Math.max(GRANULARITY, 4 * rttvar), MIN_RTO, MAX_RTO);
        backoff = 0;
    }

    /** True once a round trip has been measured. */
    boolean measured() {
        return measured;
    }

    /** The smoothed round-trip time in nanoseconds, 0 before any measurement. */
    long srtt() {
        return srtt;
    }

    /** The round-trip time variation in nanoseconds (for tests and diagnostics). */
    long rttvar() {
        return rttvar;
    }

    /** RFC 6298 5.7: raises the RTO to 3 s when the SYN was retransmitted and nothing was measured. */
    void afterSynRetransmitted() {
        if (!measured) {
            rto = Math.max(rto, POST_SYN_RETRANSMIT_RTO);
        }
        backoff = 0;
    }

    /** The current timeout, backoff included. */
    long rto() {
        long value = rto;
        for (int i = 0; i < backoff && value < MAX_RTO; i++) {
            value *= 2;
        }
        return Math.min(value, MAX_RTO);
    }

    /** Doubles the timeout (RFC 6298 5.5). */
    void backOff() {
        if (backoff < 30) {
            backoff++;
        }
    }

    /** Forgets the backoff, as new data was acknowledged. */
    void clearBackoff() {
        backoff = 0;
    }

    /** Times of doubling since the last progress. */
    int backoffCount() {
        return backoff;
    }

    /** Arms the timer for one RTO unless it runs (RFC 6298 5.1). */
    void startIfStopped() {
        if (!armed) {
            restart();
        }
    }

    /** Re-arms the timer for one RTO from now (RFC 6298 5.3, 5.6). */
    void restart() {
        long delay = rto();
        armed = true;
        expiresAt = loop.nanoTime() + delay;
        if (!timerScheduled() || timerDeadline() - expiresAt > 0) {
            timer().schedule(delay);
        }
    }

    /** Stops the timer (RFC 6298 5.2). */
    void stop() {
        armed = false;
        cancelTimer();
    }

    /** When the armed timer expires, in loop nanoseconds; meaningful while {@link #running()}. */
    long expiresAt() {
        return expiresAt;
    }

    /** True while armed. */
    boolean running() {
        return armed;
    }

}
