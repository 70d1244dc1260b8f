package org.tcpip4j.tcp.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The connections of one TCP layer by their 4-tuple (RFC 9293 3.3.1: a connection is named
 * by its pair of sockets), for both IP versions: a lookup per received segment takes the
 * 4-tuple as primitive words (each address as 128 bits, {@link FourTuple}) and compares
 * them with the fields of the stored entries, so it allocates nothing.
 *
 * <p>Open addressing with linear probing and backward-shift deletion (no tombstones), at
 * most half full. The table holds, per slot, the entry and 32 bits of its hash (compared
 * before the entry is looked at, and kept so that neither deletion nor growth hashes
 * again): eight bytes a slot, the 4-tuple living in the entry itself. The hash is
 * SipHash-2-4 of the whole 4-tuple under a key drawn from the stack's secrets
 * ({@link FourTuple#hash}), so a peer choosing addresses and ports cannot aim them at one
 * run of slots.
 *
 * @param <V> the entry type
 */
final class ConnectionTable<V extends FourTuple> {

    private final long k0;
    private final long k1;
    private Object[] values;
    private int[] hashes;
    private int size;
    private int mask;

    /** An empty table whose hash is keyed with {@code (k0, k1)}. */
    ConnectionTable(long k0, long k1) {
        this.k0 = k0;
        this.k1 = k1;
        allocate(64);
    }

    /** Connections held. */
    int size() {
        return size;
    }

    private int hash(long lh, long ll, long rh, long rl, int ports) {
        return (int) FourTuple.hash(k0, k1, lh, ll, rh, rl, ports);
    }

    /**
     * The entry of this 4-tuple, or null: the local and remote addresses as 128 bits
     * ({@link FourTuple#high}, {@link FourTuple#low}), the ports as {@link FourTuple#ports(int, int)}.
     */
    @SuppressWarnings("unchecked")
    V get(long lh, long ll, long rh, long rl, int ports) {
        int h = hash(lh, ll, rh, rl, ports);
        int i = h & mask;
        while (true) {
            Object v = values[i];
            if (v == null) {
                return null;
            }
            if (hashes[i] == h && ((FourTuple) v).is(lh, ll, rh, rl, ports)) {
                return (V) v;
            }
            i = (i + 1) & mask;
        }
    }

    /**
     * Adds an entry under its 4-tuple.
     *
     * @throws IllegalStateException when the 4-tuple is taken
     */
    void put(V value) {
        if ((size + 1) * 2 > values.length) {
            grow();
        }
        int h = hash(value.localHigh, value.localLow, value.remoteHigh, value.remoteLow, value.ports());
        int i = h & mask;
        while (values[i] != null) {
            if (hashes[i] == h && ((FourTuple) values[i]).is(value.localHigh, value.localLow, value.remoteHigh,
                    value.remoteLow, value.ports())) {
                throw new IllegalStateException("4-tuple already in use");
            }
            i = (i + 1) & mask;
        }
        insertAt(i, h, value);
    }

    /** Removes {@code value}; true when it was held. */
    boolean remove(V value) {
        int h = hash(value.localHigh, value.localLow, value.remoteHigh, value.remoteLow, value.ports());
        int i = h & mask;
        while (true) {
            Object v = values[i];
            if (v == null) {
                return false;
            }
            if (v == value) {
                deleteAt(i);
                return true;
            }
            i = (i + 1) & mask;
        }
    }

    /** Every entry, in no particular order (a copy: callers may remove while iterating). */
    @SuppressWarnings("unchecked")
    List<V> snapshot() {
        List<V> out = new ArrayList<>(size);
        for (Object v : values) {
            if (v != null) {
                out.add((V) v);
            }
        }
        return out;
    }

    /** Calls {@code action} on a snapshot of every entry. */
    void forEach(Consumer<V> action) {
        snapshot().forEach(action);
    }

    private void insertAt(int i, int h, Object value) {
        hashes[i] = h;
        values[i] = value;
        size++;
    }

    private void deleteAt(int hole) {
        // Backward-shift deletion: move later members of the probe run into the hole so
        // that every remaining key stays reachable from its home slot.
        values[hole] = null;
        size--;
        int i = (hole + 1) & mask;
        while (values[i] != null) {
            int home = hashes[i] & mask;
            // Move the entry at i into the hole when its home is not in (hole, i] cyclically.
            boolean movable = hole <= i ? (home <= hole || home > i) : (home <= hole && home > i);
            if (movable) {
                hashes[hole] = hashes[i];
                values[hole] = values[i];
                values[i] = null;
                hole = i;
            }
            i = (i + 1) & mask;
        }
    }

    private void allocate(int capacity) {
        values = new Object[capacity];
        hashes = new int[capacity];
        mask = capacity - 1;
    }

    private void grow() {
        Object[] oldValues = values;
        int[] oldHashes = hashes;
        allocate(oldValues.length * 2);
        for (int j = 0; j < oldValues.length; j++) {
            if (oldValues[j] != null) {
                int i = oldHashes[j] & mask;
                while (values[i] != null) {
                    i = (i + 1) & mask;
                }
                hashes[i] = oldHashes[j];
                values[i] = oldValues[j];
            }
        }
    }
}
