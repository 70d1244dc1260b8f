package org.tcpip4j.netif.memory;

/**
 * The switch's forwarding table: which port each unicast source address was last seen
 * on (IEEE 802.1D learning), with ageing, bounded in size.
 *
 * <p>Keys are the 48 address bits in a long, in an open-addressing table with linear
 * probing, so learning and looking up allocate nothing. When the table is full, expired
 * entries are purged; if it is still full, new addresses are not learned and frames to
 * them are flooded, as a real switch does when its table overflows (a MAC flood). Loop
 * only.
 */
final class MacTable {

    /** Marks a used slot, so that the all-zero address can be a key too. */
    private static final long USED = 1L << 63;

    private final int maxEntries;
    private final long agingNanos;
    private long[] keys;
    private MemoryNetif[] ports;
    private long[] lastSeen;
    private int size;

    MacTable(int maxEntries, long agingNanos) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("a MAC table needs room for one entry at least: " + maxEntries);
        }
        if (agingNanos <= 0) {
            throw new IllegalArgumentException("ageing time must be positive: " + agingNanos);
        }
        this.maxEntries = maxEntries;
        this.agingNanos = agingNanos;
        allocate(16);
    }

    private void allocate(int capacity) {
        keys = new long[capacity];
        ports = new MemoryNetif[capacity];
        lastSeen = new long[capacity];
        size = 0;
    }

    int size() {
        return size;
    }

    /** Records that {@code mac} was seen on {@code port} at {@code now}. */
    void learn(long mac, MemoryNetif port, long now) {
        int slot = find(mac);
        if (slot >= 0) {
            ports[slot] = port; // a station that moved is found on its new port at once
            lastSeen[slot] = now;
            return;
        }
        if (size >= maxEntries) {
            purge(now);
            if (size >= maxEntries) {
                return;
            }
        }
        if ((size + 1) * 2 > keys.length) {
            rehash(keys.length * 2, Long.MIN_VALUE);
        }
        insert(mac, port, now);
    }

    /** The port {@code mac} was last seen on, or null when unknown or aged out. */
    MemoryNetif lookup(long mac, long now) {
        int slot = find(mac);
        if (slot < 0 || now - lastSeen[slot] > agingNanos) {
            return null;
        }
        return ports[slot];
    }

    /** Forgets every address learned on {@code port} (the port left the switch). */
    void forget(MemoryNetif port) {
        long[] oldKeys = keys;
        MemoryNetif[] oldPorts = ports;
        long[] oldSeen = lastSeen;
        allocate(keys.length);
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != 0 && oldPorts[i] != port) {
                insert(oldKeys[i] & ~USED, oldPorts[i], oldSeen[i]);
            }
        }
    }

    /** Drops the entries older than the ageing time. */
    private void purge(long now) {
        rehash(keys.length, now);
    }

    /** Rebuilds the table at {@code capacity}, dropping entries aged out at {@code now} (none for MIN_VALUE). */
    private void rehash(int capacity, long now) {
        long[] oldKeys = keys;
        MemoryNetif[] oldPorts = ports;
        long[] oldSeen = lastSeen;
        allocate(capacity);
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != 0 && (now == Long.MIN_VALUE || now - oldSeen[i] <= agingNanos)) {
                insert(oldKeys[i] & ~USED, oldPorts[i], oldSeen[i]);
            }
        }
    }

    private void insert(long mac, MemoryNetif port, long seen) {
        int mask = keys.length - 1;
        int i = hash(mac) & mask;
        while (keys[i] != 0) {
            i = (i + 1) & mask;
        }
        keys[i] = mac | USED;
        ports[i] = port;
        lastSeen[i] = seen;
        size++;
    }

    private int find(long mac) {
        int mask = keys.length - 1;
        int i = hash(mac) & mask;
        long key = mac | USED;
        while (keys[i] != 0) {
            if (keys[i] == key) {
                return i;
            }
            i = (i + 1) & mask;
        }
        return -1;
    }

    private static int hash(long mac) {
        long h = mac * 0x9E37_79B9_7F4A_7C15L;
        return (int) (h ^ (h >>> 32));
    }
}
