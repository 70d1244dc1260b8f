package org.tcpip4j.icmp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ErrorRateLimiterTest {

    private static final long MILLI = 1_000_000L;

    private static int allowed(ErrorRateLimiter limiter, long now, int tries) {
        int n = 0;
        for (int i = 0; i < tries; i++) {
            if (limiter.tryAcquire(now)) {
                n++;
            }
        }
        return n;
    }

    @Test
    void aFullBucketAllowsItsBurstThenNothing() {
        ErrorRateLimiter limiter = new ErrorRateLimiter(10, 3, 0);
        assertEquals(3, allowed(limiter, 0, 10));
    }

    @Test
    void tokensComeBackAtTheRate() {
        ErrorRateLimiter limiter = new ErrorRateLimiter(10, 3, 0);
        allowed(limiter, 0, 3);
        assertFalse(limiter.tryAcquire(100 * MILLI - 1));
        assertTrue(limiter.tryAcquire(100 * MILLI));
        assertFalse(limiter.tryAcquire(150 * MILLI));
        assertEquals(2, allowed(limiter, 350 * MILLI, 10));
    }

    @Test
    void aLongQuietSpellRefillsNoMoreThanTheBurst() {
        ErrorRateLimiter limiter = new ErrorRateLimiter(10, 3, 0);
        allowed(limiter, 0, 3);
        assertEquals(3, allowed(limiter, 3_600_000 * MILLI, 10));
    }

    @Test
    void aSustainedFloodGetsTheRateAndNoMore() {
        ErrorRateLimiter limiter = new ErrorRateLimiter(100, 20, 0);
        int sent = 0;
        for (long t = 0; t < 10_000 * MILLI; t += MILLI) {
            sent += allowed(limiter, t, 5);
        }
        assertEquals(20 + 999, sent, "the burst, then one every 10 ms for ten seconds");
    }

    @Test
    void aZeroRateAllowsNothing() {
        ErrorRateLimiter limiter = new ErrorRateLimiter(0, 5, 0);
        assertEquals(0, allowed(limiter, 0, 5));
        assertEquals(0, allowed(limiter, 3_600_000 * MILLI, 5));
    }
}
