package org.tcpip4j.ipv4.internal;

/**
 * The path MTUs learned from ICMP fragmentation needed messages (RFC 1191 6.3), per
 * destination: a bounded open-addressing table keyed by the address as an int, each entry
 * valid until its expiry, after which the link MTU is tried again.
 *
 * <p>A lookup allocates nothing, and an empty table (the usual case) costs one comparison.
 * When full, expired entries are purged, then the entry closest to expiry is evicted.
 * Loop only.
 */
final class PathMtuTable {

    /**
     * The smallest path MTU accepted from a message: RFC 791 lets every host take 576-byte
     * datagrams, and Linux's {@code min_pmtu} is 552, so that a forged message cannot make
     * us send a flood of tiny fragments. RFC 1191 3 sets the absolute floor at 68.
     */
    static final int MIN_PATH_MTU = 552;

    private final int maxEntries;
    private final long lifetimeNanos;
    private final int[] keys;
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
        this.keys = new int[slots];
        this.mtus = new int[slots];
        this.expiries = new long[slots];
        this.used = new boolean[slots];
        this.mask = slots - 1;
    }

    private int home(int key) {
        // Fibonacci hashing spreads the addresses of one subnet.
        return (key * 0x9E37_79B9 >>> 16) & mask;
    }

    private int find(int key) {
        for (int i = home(key); used[i]; i = (i + 1) & mask) {
            if (keys[i] == key) {
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

    /** The path MTU to {@code destination} at {@code now}, or 0 when none is remembered. */
    int get(int destination, long now) {
        if (size == 0) {
            return 0;
        }
        int i = find(destination);
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
     * Lowers the path MTU to {@code destination} to {@code mtu} (raised to
     * {@link #MIN_PATH_MTU}) when that is below what is used now, {@code linkMtu} when
     * nothing is remembered.
     *
     * @return the path MTU now in use for the destination
     */
    int lower(int destination, int mtu, int linkMtu, long now) {
        int current = get(destination, now);
        int inUse = current == 0 ? linkMtu : Math.min(current, linkMtu);
        int wanted = Math.max(mtu, MIN_PATH_MTU);
        if (wanted >= inUse || maxEntries == 0) {
            return inUse;
        }
        int i = find(destination);
        if (i < 0) {
            if (size >= maxEntries) {
                makeRoom(now);
            }
            i = home(destination);
            while (used[i]) {
                i = (i + 1) & mask;
            }
            used[i] = true;
            keys[i] = destination;
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
            int fromHome = (j - home(keys[j])) & mask;
            int fromHole = (j - hole) & mask;
            if (fromHome >= fromHole) {
                keys[hole] = keys[j];
                mtus[hole] = mtus[j];
                expiries[hole] = expiries[j];
                used[hole] = true;
                used[j] = false;
                hole = j;
            }
        }
    }
}
