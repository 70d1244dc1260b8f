package org.tcpip4j.icmp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DestinationRateLimiterTest {

    private static final long MILLI = 1_000_000L;
    private static final int A = 0xc612_0002;
    private static final int B = 0xc612_0003;

    private static int allowed(DestinationRateLimiter limiter, int destination, long now, int tries) {
        int n = 0;
        for (int i = 0; i < tries; i++) {
            if (limiter.tryAcquire(destination, now)) {
                n++;
            }
        }
        return n;
    }

    @Test
    void eachDestinationHasItsOwnBucket() {
        DestinationRateLimiter limiter = new DestinationRateLimiter(1, 6, 16, 7);
        assertEquals(6, allowed(limiter, A, 0, 20));
        assertEquals(6, allowed(limiter, B, 0, 20), "A's flood leaves B's budget alone");
        assertEquals(0, allowed(limiter, A, 1000 * MILLI - 1, 1));
        assertEquals(1, allowed(limiter, A, 1000 * MILLI, 5), "one token a second");
        assertEquals(6, allowed(limiter, A, 60_000 * MILLI, 20), "a quiet minute refills the burst and no more");
        assertEquals(2, limiter.size());
    }

    @Test
    void aZeroRateAllowsNothing() {
        DestinationRateLimiter limiter = new DestinationRateLimiter(0, 1, 16, 7);
        assertFalse(limiter.tryAcquire(A, 0));
        assertFalse(limiter.tryAcquire(A, 1_000_000 * MILLI));
    }

    @Test
    void theTableStaysWithinItsSizeUnderAFloodOfDestinations() {
        DestinationRateLimiter limiter = new DestinationRateLimiter(1, 6, 100, 7);
        assertEquals(100, limiter.capacity());
        for (int i = 0; i < 100_000; i++) {
            assertTrue(limiter.tryAcquire(0xc612_0000 + i, i * MILLI / 10), "a new destination starts full");
        }
        assertEquals(100, limiter.size());
        assertTrue(limiter.evictedEarly() > 0, "buckets still refilling were forgotten");
    }

    @Test
    void aRefilledBucketIsForgottenBeforeOneStillLimitingItsDestination() {
        // One set of four: the victim is flooded, three others are used once long ago.
        DestinationRateLimiter limiter = new DestinationRateLimiter(1, 6, 4, 7);
        for (int d = 1; d <= 3; d++) {
            assertTrue(limiter.tryAcquire(d, 0));
        }
        long now = 10_000 * MILLI;
        assertEquals(6, allowed(limiter, A, now, 50));
        for (int d = 10; d < 1000; d++) {
            limiter.tryAcquire(d, now);
        }
        // Newcomers arriving at the same instant took the refilled slots, and then each other's,
        // but never the one whose bucket was empty: it still has no token.
        assertFalse(limiter.tryAcquire(A, now));
        assertTrue(limiter.evictedEarly() > 0, "newcomers evicted each other early");
    }
}
