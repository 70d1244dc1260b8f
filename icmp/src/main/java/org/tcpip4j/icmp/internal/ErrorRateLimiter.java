package org.tcpip4j.icmp.internal;

/**
 * A token bucket in the loop's time (RFC 1812 4.3.2.8): full at first, {@code burst}
 * tokens at most, refilled at {@code perSecond}. Credit is kept in nanoseconds of
 * refill, so the arithmetic is exact and allocates nothing. Loop only.
 */
final class ErrorRateLimiter {

    private static final long SECOND = 1_000_000_000L;

    private final long costNanos;
    private final long capacityNanos;
    private long credit;
    private long lastRefill;

    /**
     * A bucket of {@code burst} tokens refilled at {@code perSecond}; with {@code perSecond}
     * 0 it never allows anything.
     */
    ErrorRateLimiter(int perSecond, int burst, long now) {
        this.costNanos = perSecond == 0 ? Long.MAX_VALUE : SECOND / perSecond;
        this.capacityNanos = perSecond == 0 ? 0 : costNanos * burst;
        this.credit = capacityNanos;
        this.lastRefill = now;
    }

    /** Takes a token at {@code now} when there is one. */
    boolean tryAcquire(long now) {
        if (!hasToken(now)) {
            return false;
        }
        credit -= costNanos;
        return true;
    }

    /** True when a token is there at {@code now}, without taking it. */
    boolean hasToken(long now) {
        if (capacityNanos == 0) {
            return false;
        }
        long elapsed = now - lastRefill;
        if (elapsed > 0) {
            credit = capacityNanos - credit <= elapsed ? capacityNanos : credit + elapsed;
            lastRefill = now;
        }
        return credit >= costNanos;
    }
}
