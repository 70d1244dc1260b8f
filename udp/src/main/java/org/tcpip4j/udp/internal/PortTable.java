package org.tcpip4j.udp.internal;

/**
 * A value per port (the listener, the error callback), in pages of 256 ports allocated on
 * first use: a lookup is two array reads, with no boxing of the port and no hashing.
 * Loop only.
 *
 * @param <T> what is kept per port
 */
final class PortTable<T> {

    private static final int PAGE_BITS = 8;
    private static final int PAGE_SIZE = 1 << PAGE_BITS;

    private final Object[][] pages = new Object[65_536 / PAGE_SIZE][];
    private int size;

    /** The value of {@code port} (0..65535), or {@code null}. */
    @SuppressWarnings("unchecked")
    T get(int port) {
        Object[] page = pages[port >>> PAGE_BITS];
        return page == null ? null : (T) page[port & (PAGE_SIZE - 1)];
    }

    /** Sets the value of {@code port}, replacing any other. */
    void put(int port, T callback) {
        Object[] page = pages[port >>> PAGE_BITS];
        if (page == null) {
            page = new Object[PAGE_SIZE];
            pages[port >>> PAGE_BITS] = page;
        }
        if (page[port & (PAGE_SIZE - 1)] == null) {
            size++;
        }
        page[port & (PAGE_SIZE - 1)] = callback;
    }

    /** Removes the value of {@code port}, if any. */
    void remove(int port) {
        Object[] page = pages[port >>> PAGE_BITS];
        if (page != null && page[port & (PAGE_SIZE - 1)] != null) {
            page[port & (PAGE_SIZE - 1)] = null;
            size--;
        }
    }

    /** The number of ports with a value. */
    int size() {
        return size;
    }

    /** Removes every value. */
    void clear() {
        java.util.Arrays.fill(pages, null);
        size = 0;
    }
}
