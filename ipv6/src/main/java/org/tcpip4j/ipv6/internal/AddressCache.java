package org.tcpip4j.ipv6.internal;

import org.tcpip4j.netif.Ipv6Address;

/**
 * The address objects handed up with received datagrams, reused while the same 128 bits
 * come again: a small direct-mapped table, so that the peers of a few flows at once cost no
 * allocation per datagram. Loop only.
 */
final class AddressCache {

    private final Ipv6Address[] slots;
    private final int mask;

    /** A cache of {@code size} slots, a power of two. */
    AddressCache(int size) {
        if (Integer.bitCount(size) != 1) {
            throw new IllegalArgumentException("not a power of two: " + size);
        }
        this.slots = new Ipv6Address[size];
        this.mask = size - 1;
    }

    private int slot(long high, long low) {
        long h = (high ^ low) * 0x9E37_79B9_7F4A_7C15L;
        return (int) (h >>> 48) & mask;
    }

    /** The cached object of these bits, or {@code null}. */
    Ipv6Address find(long high, long low) {
        Ipv6Address a = slots[slot(high, low)];
        return a != null && a.high() == high && a.low() == low ? a : null;
    }

    /** The cached object of these bits, made and cached when missing. */
    Ipv6Address get(long high, long low) {
        int i = slot(high, low);
        Ipv6Address a = slots[i];
        if (a == null || a.high() != high || a.low() != low) {
            a = new Ipv6Address(high, low);
            slots[i] = a;
        }
        return a;
    }

    /** Caches {@code address} (without a zone) in its slot. */
    void put(Ipv6Address address) {
        slots[slot(address.high(), address.low())] = address;
    }
}
