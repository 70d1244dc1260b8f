package org.tcpip4j.icmp.internal;

/**
 * A token bucket per destination in a bounded table (Linux's {@code icmp_ratelimit}, kept
 * per peer in its {@code inet_peer} cache): each destination's bucket is full at first,
 * holds {@code burst} tokens at most and refills at {@code perSecond}, as
 * {@link ErrorRateLimiter}'s.
 *
 * <p>A destination is an address of either version: its 128 bits as two longs, an IPv4
 * address in the low 32 bits of the second. The table is set-associative: a destination
 * hashes, with a seed drawn per layer so a stranger cannot aim addresses at one set, to a
 * set of four slots. A destination not in
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
    private final long[] highs;
    private final long[] lows;
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
        this.highs = new long[slots];
        this.lows = new long[slots];
        this.credit = new long[slots];
        this.lastRefill = new long[slots];
        this.used = new boolean[slots];
    }

    /** Takes a token from the IPv4 {@code destination}'s bucket at {@code now} when it has one. */
    boolean tryAcquire(int destination, long now) {
        return tryAcquire(0, destination & 0xffff_ffffL, now);
    }

    /**
     * Takes a token at {@code now}, when it has one, from the bucket of the destination
     * whose bits are {@code high} and {@code low}.
     */
    boolean tryAcquire(long high, long low, long now) {
        if (capacityNanos == 0) {
            return false;
        }
        int first = set(high, low) * ways;
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
            if (highs[i] == high && lows[i] == low) {
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
        highs[victim] = high;
        lows[victim] = low;
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

    /**
     * The set of a destination. The upper 96 bits, zero for IPv4, are mixed in with the seed
     * word by word, so that IPv6 addresses chosen to agree in some combination of their
     * words do not share a set.
     */
    private int set(long high, long low) {
        int upper = 0;
        if (high != 0 || low >>> 32 != 0) {
            upper = mix(mix(mix(seed, (int) (high >>> 32)), (int) high), (int) (low >>> 32));
        }
        int h = ((int) low ^ upper ^ seed) * 0x9e37_79b9;
        h ^= h >>> 16;
        return Math.floorMod(h, sets);
    }

    private static int mix(int h, int word) {
        int x = (h ^ word) * 0x85eb_ca6b;
        return x ^ x >>> 13;
    }

    /** Destinations with a bucket now. */
    int size() {
        return entries;
    }

    /** The most destinations the table holds. */
    int capacity() {
        return lows.length;
    }

    /** Destinations forgotten while their bucket still lacked tokens (the table was full). */
    long evictedEarly() {
        return evictedEarly;
    }
}
