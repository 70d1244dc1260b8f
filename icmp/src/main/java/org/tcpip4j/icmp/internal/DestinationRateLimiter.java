package org.tcpip4j.icmp.internal;

/**
 * A token bucket per destination in a bounded table (Linux's {@code icmp_ratelimit}, kept
 * per peer in its {@code inet_peer} cache): each destination's bucket is full at first,
 * holds {@code burst} tokens at most and refills at {@code perSecond}, as
 * {@link ErrorRateLimiter}'s.
 *
 * <p>The table is set-associative: a destination hashes, with a seed drawn per layer so a
 * stranger cannot aim addresses at one set, to a set of four slots. A destination not in
 * its set takes a free slot, else one whose bucket has refilled (forgetting a full bucket
 * loses nothing: a new one starts full), else the one with the most tokens left (counted
 * in {@link #evictedEarly()}). The table holds at most {@code size} destinations and
 * allocates nothing after construction. Loop only.
 */
final class DestinationRateLimiter {

    private static final long SECOND = 1_000_000_000L;
    private static final int WAYS = 4;

    private final long costNanos;
    private final long capacityNanos;
    private final int ways;
    private final int sets;
    private final int seed;
    private final int[] destinations;
    private final long[] credit;
    private final long[] lastRefill;
    private final boolean[] used;
    private int entries;
    private long evictedEarly;

    /**
     * Buckets of {@code burst} tokens refilled at {@code perSecond} (none ever allowed with
     * 0) for at most {@code size} destinations, hashed with {@code seed}.
     */
    DestinationRateLimiter(int perSecond, int burst, int size, int seed) {
        this.costNanos = perSecond == 0 ? Long.MAX_VALUE : SECOND / perSecond;
        this.capacityNanos = perSecond == 0 ? 0 : costNanos * burst;
        this.ways = Math.min(WAYS, size);
        this.sets = size / ways;
        this.seed = seed;
        int slots = sets * ways;
        this.destinations = new int[slots];
        this.credit = new long[slots];
        this.lastRefill = new long[slots];
        this.used = new boolean[slots];
    }

    /** Takes a token from {@code destination}'s bucket at {@code now} when it has one. */
    boolean tryAcquire(int destination, long now) {
        if (capacityNanos == 0) {
            return false;
        }
        int first = set(destination) * ways;
        int victim = -1;
        long victimCredit = -1;
        for (int i = first; i < first + ways; i++) {
            if (!used[i]) {
                if (victimCredit < Long.MAX_VALUE) {
                    victim = i;
                    victimCredit = Long.MAX_VALUE;
                }
                continue;
            }
            refill(i, now);
            if (destinations[i] == destination) {
                return take(i);
            }
            if (credit[i] > victimCredit) {
                victim = i;
                victimCredit = credit[i];
            }
        }
        if (!used[victim]) {
            used[victim] = true;
            entries++;
        } else if (credit[victim] < capacityNanos) {
            evictedEarly++;
        }
        destinations[victim] = destination;
        credit[victim] = capacityNanos;
        lastRefill[victim] = now;
        return take(victim);
    }

    private void refill(int i, long now) {
        long elapsed = now - lastRefill[i];
        if (elapsed > 0) {
            credit[i] = capacityNanos - credit[i] <= elapsed ? capacityNanos : credit[i] + elapsed;
            lastRefill[i] = now;
        }
    }

    private boolean take(int i) {
        if (credit[i] < costNanos) {
            return false;
        }
        credit[i] -= costNanos;
        return true;
    }

    private int set(int destination) {
        int h = (destination ^ seed) * 0x9e37_79b9;
        h ^= h >>> 16;
        return Math.floorMod(h, sets);
    }

    /** Destinations with a bucket now. */
    int size() {
        return entries;
    }

    /** The most destinations the table holds. */
    int capacity() {
        return destinations.length;
    }

    /** Destinations forgotten while their bucket still lacked tokens (the table was full). */
    long evictedEarly() {
        return evictedEarly;
    }
}
