package org.tcpip4j.udp.internal;

import org.tcpip4j.udp.UdpCallback;

/**
 * The listener of each port, in pages of 256 ports allocated on first use: a lookup is
 * two array reads, with no boxing of the port and no hashing. Loop only.
 */
final class PortTable {

    private static final int PAGE_BITS = 8;
    private static final int PAGE_SIZE = 1 << PAGE_BITS;

    private final UdpCallback[][] pages = new UdpCallback[65_536 / PAGE_SIZE][];
    private int size;

    /** The listener of {@code port} (0..65535), or {@code null}. */
    UdpCallback get(int port) {
        UdpCallback[] page = pages[port >>> PAGE_BITS];
        return page == null ? null : page[port & (PAGE_SIZE - 1)];
    }

    /** Sets the listener of {@code port}, replacing any other. */
    void put(int port, UdpCallback callback) {
        UdpCallback[] page = pages[port >>> PAGE_BITS];
        if (page == null) {
            page = new UdpCallback[PAGE_SIZE];
            pages[port >>> PAGE_BITS] = page;
        }
        if (page[port & (PAGE_SIZE - 1)] == null) {
            size++;
        }
        page[port & (PAGE_SIZE - 1)] = callback;
    }

    /** Removes the listener of {@code port}, if any. */
    void remove(int port) {
        UdpCallback[] page = pages[port >>> PAGE_BITS];
        if (page != null && page[port & (PAGE_SIZE - 1)] != null) {
            page[port & (PAGE_SIZE - 1)] = null;
            size--;
        }
    }

    /** The number of ports listened on. */
    int size() {
        return size;
    }

    /** Removes every listener. */
    void clear() {
        java.util.Arrays.fill(pages, null);
        size = 0;
    }
}
