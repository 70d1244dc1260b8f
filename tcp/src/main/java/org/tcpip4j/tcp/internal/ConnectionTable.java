package org.tcpip4j.tcp.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The connections of one TCP layer by their 4-tuple (RFC 9293 3.3.1: a connection is named
 * by its pair of sockets), packed into two longs so that a lookup per received segment
 * allocates nothing: {@link #addressKey} holds the local and remote IPv4 addresses and
 * {@link #portKey} the two ports.
 *
 * <p>Open addressing with linear probing and backward-shift deletion (no tombstones), at
 * most half full. The hash is keyed with a random seed, so a peer choosing 4-tuples cannot
 * aim them at one chain. An IPv6 layer will need wider keys: that is one more pair of
 * longs here, not a change to the callers' shape.
 *
 * @param <V> the connection type
 */
final class ConnectionTable<V> {

    private long[] addressKeys;
    private long[] portKeys;
    private Object[] values;
    private int size;
    private int mask;
    private final long seed;

    /** An empty table whose hash is keyed with {@code seed}. */
    ConnectionTable(long seed) {
        this.seed = seed;
        allocate(64);
    }

    /** The local and remote IPv4 addresses as one key. */
    static long addressKey(int localAddress, int remoteAddress) {
        return ((long) localAddress << 32) | (remoteAddress & 0xffff_ffffL);
    }

    /** The local and remote ports as one key. */
    static long portKey(int localPort, int remotePort) {
        return ((long) localPort << 16) | remotePort;
    }

    /** Connections held. */
    int size() {
        return size;
    }

    /** The connection of this 4-tuple, or null. */
    @SuppressWarnings("unchecked")
    V get(long addressKey, long portKey) {
        int i = slot(addressKey, portKey);
        while (true) {
            Object v = values[i];
            if (v == null) {
                return null;
            }
            if (addressKeys[i] == addressKey && portKeys[i] == portKey) {
                return (V) v;
            }
            i = (i + 1) & mask;
        }
    }

    /**
     * Adds a connection.
     *
     * @throws IllegalStateException when the 4-tuple is taken
     */
    void put(long addressKey, long portKey, V value) {
        if ((size + 1) * 2 > values.length) {
            grow();
        }
        int i = slot(addressKey, portKey);
        while (values[i] != null) {
            if (addressKeys[i] == addressKey && portKeys[i] == portKey) {
                throw new IllegalStateException("4-tuple already in use");
            }
            i = (i + 1) & mask;
        }
        addressKeys[i] = addressKey;
        portKeys[i] = portKey;
        values[i] = value;
        size++;
    }

    /** Removes the connection of this 4-tuple when it is {@code value}; true when removed. */
    boolean remove(long addressKey, long portKey, V value) {
        int i = slot(addressKey, portKey);
        while (true) {
            Object v = values[i];
            if (v == null) {
                return false;
            }
            if (addressKeys[i] == addressKey && portKeys[i] == portKey) {
                if (v != value) {
                    return false;
                }
                deleteAt(i);
                return true;
            }
            i = (i + 1) & mask;
        }
    }

    /** Every connection, in no particular order (a copy: callers may remove while iterating). */
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

    /** Calls {@code action} on a snapshot of every connection. */
    void forEach(Consumer<V> action) {
        snapshot().forEach(action);
    }

    private void deleteAt(int hole) {
        // Backward-shift deletion: move later members of the probe run into the hole so
        // that every remaining key stays reachable from its home slot.
        values[hole] = null;
        size--;
        int i = (hole + 1) & mask;
        while (values[i] != null) {
            int home = slot(addressKeys[i], portKeys[i]);
            // Move the entry at i into the hole when its home is not in (hole, i] cyclically.
            boolean movable = hole <= i ? (home <= hole || home > i) : (home <= hole && home > i);
            if (movable) {
                addressKeys[hole] = addressKeys[i];
                portKeys[hole] = portKeys[i];
                values[hole] = values[i];
                values[i] = null;
                hole = i;
            }
            i = (i + 1) & mask;
        }
    }

    private int slot(long addressKey, long portKey) {
        long h = addressKey * 0x9E37_79B9_7F4A_7C15L + (portKey ^ seed);
        h ^= h >>> 33;
        h *= 0xFF51_AFD7_ED55_8CCDL;
        h ^= h >>> 33;
        h *= 0xC4CE_B9FE_1A85_EC53L;
        h ^= h >>> 33;
        return (int) h & mask;
    }

    private void allocate(int capacity) {
        addressKeys = new long[capacity];
        portKeys = new long[capacity];
        values = new Object[capacity];
        mask = capacity - 1;
    }

    @SuppressWarnings("unchecked")
    private void grow() {
        long[] oldAddresses = addressKeys;
        long[] oldPorts = portKeys;
        Object[] oldValues = values;
        allocate(oldValues.length * 2);
        size = 0;
        for (int i = 0; i < oldValues.length; i++) {
            if (oldValues[i] != null) {
                put(oldAddresses[i], oldPorts[i], (V) oldValues[i]);
            }
        }
    }
}
