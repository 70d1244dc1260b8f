package org.tcpip4j.ip.support;

import java.util.Arrays;

/**
 * The path MTUs learned from ICMP (fragmentation needed, RFC 1191 6.3; Packet Too Big,
 * RFC 8201 4), per destination: a bounded open-addressing table keyed by the 128 bits of the
 * address ({@link AddressBits}), each entry valid until its expiry, after which the link MTU
 * is tried again. Each IP layer gives its own floor, the smallest path MTU it accepts.
 *
 * <p>A lookup allocates nothing, and an empty table (the usual case) costs one comparison.
 * When full, expired entries are purged, then the entry closest to expiry is evicted.
 * Loop only.
 */
public final class PathMtuTable {

    private final int maxEntries;
    private final long lifetimeNanos;
    private final int minPathMtu;
    private final long[] highs;
    private final long[] lows;
    private final int[] mtus;
    private final long[] expiries;
    private final boolean[] used;
    private final int mask;
    private int size;

    /**
     * A table of at most {@code maxEntries} destinations, each kept {@code lifetimeNanos};
     * reports below {@code minPathMtu} are raised to it.
     */
    public PathMtuTable(int maxEntries, long lifetimeNanos, int minPathMtu) {
        this.maxEntries = maxEntries;
        this.lifetimeNanos = lifetimeNanos;
        this.minPathMtu = minPathMtu;
        int slots = Integer.highestOneBit(Math.max(2, maxEntries) * 2 - 1) * 2;
        this.highs = new long[slots];
        this.lows = new long[slots];
        this.mtus = new int[slots];
        this.expiries = new long[slots];
        this.used = new boolean[slots];
        this.mask = slots - 1;
    }

    private int home(long high, long low) {
        if (AddressBits.isIpv4(high, low)) {
            // Fibonacci hashing of the 32 bits spreads the addresses of one subnet.
            return ((int) low * 0x9E37_79B9 >>> 16) & mask;
        }
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

    /** The smallest path MTU this table accepts. */
    public int minPathMtu() {
        return minPathMtu;
    }

    /** True when no destination has a remembered path MTU. */
    public boolean isEmpty() {
        return size == 0;
    }

    /** Destinations remembered now, expired ones not yet looked up included. */
    public int size() {
        return size;
    }

    /** The path MTU to the destination {@code high:low} at {@code now}, or 0 when none is remembered. */
    public int get(long high, long low, long now) {
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
     * Lowers the path MTU to the destination {@code high:low} to {@code mtu} (raised to the
     * table's floor) when that is below what is used now, {@code linkMtu} when nothing is
     * remembered.
     *
     * @return the path MTU now in use for the destination
     */
    public int lower(long high, long low, int mtu, int linkMtu, long now) {
        int current = get(high, low, now);
        int inUse = current == 0 ? linkMtu : Math.min(current, linkMtu);
        int wanted = Math.max(mtu, minPathMtu);
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

    /**
     * The MTU towards the destination {@code high:low} at {@code now}: the link's
     * {@code linkMtu}, or the lower one learned.
     */
    public int pathMtu(long high, long low, int linkMtu, long now) {
        if (size == 0) {
            return linkMtu;
        }
        int learned = get(high, low, now);
        return learned == 0 ? linkMtu : Math.min(learned, linkMtu);
    }

    /**
     * {@link #lower Lowers} the path MTU to the destination {@code high:low} on a report of
     * {@code mtu}.
     *
     * @return whether the MTU towards it went down
     */
    public boolean update(long high, long low, int mtu, int linkMtu, long now) {
        int before = pathMtu(high, low, linkMtu, now);
        return lower(high, low, mtu, linkMtu, now) < before;
    }

    /** Forgets every destination. */
    public void clear() {
        Arrays.fill(used, false);
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
