package org.tcpip4j.ipv6.internal;

import org.tcpip4j.ipv6.Ipv6Config;

/**
 * The path MTUs learned from Packet Too Big messages (RFC 8201 4), per destination: a
 * bounded open-addressing table keyed by the 128 bits of the address, each entry valid
 * until its expiry, after which the link MTU is tried again (RFC 8201 4: at least five
 * minutes later).
 *
 * <p>A lookup allocates nothing, and an empty table (the usual case) costs one comparison.
 * When full, expired entries are purged, then the entry closest to expiry is evicted.
 * Loop only.
 */
final class PathMtuTable {

    /**
     * The smallest path MTU accepted: a Packet Too Big reporting less than the IPv6 minimum
     * link MTU raises it to 1280 (RFC 8201 4; RFC 8200 5 no longer has hosts add a fragment
     * header to every datagram then, per RFC 6946 and RFC 8021).
     */
    static final int MIN_PATH_MTU = Ipv6Config.MIN_MTU;

    private final int maxEntries;
    private final long lifetimeNanos;
    private final long[] highs;
    private final long[] lows;
    private final int[] mtus;
    private final long[] expiries;
    private final boolean[] used;
    private final int mask;
    private int size;

    /** A table of at most {@code maxEntries} destinations, each kept {@code lifetimeNanos}. */
    PathMtuTable(int maxEntries, long lifetimeNanos) {
        this.maxEntries = maxEntries;
        this.lifetimeNanos = lifetimeNanos;
        int slots = Integer.highestOneBit(Math.max(2, maxEntries) * 2 - 1) * 2;
        this.highs = new long[slots];
        this.lows = new long[slots];
        this.mtus = new int[slots];
        this.expiries = new long[slots];
        this.used = new boolean[slots];
        this.mask = slots - 1;
    }

    private int home(long high, long low) {
        long h = (high ^ Long.rotateLeft(low, 29)) * 0x9E37_79B9_7F4A_7C15L;
        return (int) (h >>> 40) & mask;
    }

    private int find(long high, long low) {
        for (int i = home(high, low); used[i]; i = (i + 1) & mask) {
            if (highs[i] == high && lows[i] == low) {
                return i;
            }
        }
        return -1;
    }

    /** True when no destination has a remembered path MTU. */
    boolean isEmpty() {
        return size == 0;
    }

    /** Destinations remembered now, expired ones not yet looked up included. */
    int size() {
        return size;
    }

    /** The path MTU to the destination at {@code now}, or 0 when none is remembered. */
    int get(long high, long low, long now) {
        if (size == 0) {
            return 0;
        }
        int i = find(high, low);
        if (i < 0) {
            return 0;
        }
        if (now - expiries[i] >= 0) {
            removeAt(i);
            return 0;
        }
        return mtus[i];
    }

    /**
     * Lowers the path MTU to the destination to {@code mtu} (raised to
     * {@link #MIN_PATH_MTU}) when that is below what is used now, {@code linkMtu} when
     * nothing is remembered.
     *
     * @return the path MTU now in use for the destination
     */
    int lower(long high, long low, int mtu, int linkMtu, long now) {
        int current = get(high, low, now);
        int inUse = current == 0 ? linkMtu : Math.min(current, linkMtu);
        int wanted = Math.max(mtu, MIN_PATH_MTU);
        if (wanted >= inUse || maxEntries == 0) {
            return inUse;
        }
        int i = find(high, low);
        if (i < 0) {
            if (size >= maxEntries) {
                makeRoom(now);
            }
            i = home(high, low);
            while (used[i]) {
                i = (i + 1) & mask;
            }
            used[i] = true;
            highs[i] = high;
            lows[i] = low;
            size++;
        }
        mtus[i] = wanted;
        expiries[i] = now + lifetimeNanos;
        return wanted;
    }

    /** Forgets every destination. */
    void clear() {
        java.util.Arrays.fill(used, false);
        size = 0;
    }

    private void makeRoom(long now) {
        for (int i = 0; i <= mask; i++) {
            // Removing shifts later entries back into slot i: look at it again.
            while (used[i] && now - expiries[i] >= 0) {
                removeAt(i);
            }
        }
        if (size < maxEntries) {
            return;
        }
        int soonest = -1;
        for (int i = 0; i <= mask; i++) {
            if (used[i] && (soonest < 0 || expiries[i] - expiries[soonest] < 0)) {
                soonest = i;
            }
        }
        removeAt(soonest);
    }

    /** Removes slot {@code hole}, shifting back the entries whose probe sequence crossed it. */
    private void removeAt(int hole) {
        used[hole] = false;
        size--;
        for (int j = (hole + 1) & mask; used[j]; j = (j + 1) & mask) {
            int fromHome = (j - home(highs[j], lows[j])) & mask;
            int fromHole = (j - hole) & mask;
            if (fromHome >= fromHole) {
                highs[hole] = highs[j];
                lows[hole] = lows[j];
                mtus[hole] = mtus[j];
                expiries[hole] = expiries[j];
                used[hole] = true;
                used[j] = false;
                hole = j;
            }
        }
    }
}
