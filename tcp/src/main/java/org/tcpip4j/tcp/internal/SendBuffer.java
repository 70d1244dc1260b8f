package org.tcpip4j.tcp.internal;

import java.nio.ByteBuffer;

/**
 * The bytes of one connection's send direction that are not yet acknowledged: those sent
 * and in flight, then those waiting to be sent (RFC 9293 3.3.1, the send sequence space
 * from SND.UNA on). A ring of bytes: the user's data is copied in once, and each segment
 * copies out of it straight into the frame the device lends.
 *
 * <p>Memory is committed as it is used. The buffer holds at most {@link #limit} bytes
 * (the send buffer size, which auto-tuning raises with the congestion window, as Linux's
 * tcp_sndbuf_expand raises sk_sndbuf), but the ring starts empty and is allocated when the
 * first bytes are appended, at {@value #MIN_RING} bytes at least, then doubled (never past
 * the limit) whenever an append needs more room: a connection that sends little holds
 * little. {@link #release} gives an empty buffer's ring back. Growing allocates and copies
 * the bytes held once; nothing else does.
 */
final class SendBuffer {

    /** The smallest ring allocated, when the first bytes arrive. */
    static final int MIN_RING = 4096;
    private static final byte[] NONE = new byte[0];

    private byte[] ring = NONE;
    private int head;
    private int size;
    private int limit;

    /** A buffer holding at most {@code limit} bytes, with nothing allocated yet. */
    SendBuffer(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit " + limit);
        }
        this.limit = limit;
    }

    /** Bytes held. */
    int size() {
        return size;
    }

    /** Bytes that can still be appended: the limit less the bytes held. */
    int free() {
        return Math.max(0, limit - size);
    }

    /** The bytes the ring takes now (memory committed); at most {@link #limit}. */
    int capacity() {
        return ring.length;
    }

    /** The most the buffer holds: the send buffer size. */
    int limit() {
        return limit;
    }

    /** Raises the limit to {@code bytes} (never lowers it); the ring grows only as appends need. */
    void raiseLimit(int bytes) {
        if (bytes > limit) {
            limit = bytes;
        }
    }

    /**
     * Appends as much of {@code src} (position..limit) as fits under {@link #limit}, growing
     * the ring when it is too small, and advances the source's position.
     *
     * @return the bytes appended
     */
    int append(ByteBuffer src) {
        int n = Math.min(src.remaining(), free());
        if (n <= 0) {
            return 0;
        }
        if (size + n > ring.length) {
            grow(size + n);
        }
        int tail = (head + size) % ring.length;
        int first = Math.min(n, ring.length - tail);
        src.get(src.position(), ring, tail, first);
        if (n > first) {
            src.get(src.position() + first, ring, 0, n - first);
        }
        src.position(src.position() + n);
        size += n;
        return n;
    }

    /** Replaces the ring by one of at least {@code needed} bytes (doubling), the bytes held copied to its start. */
    private void grow(int needed) {
        long doubled = 2L * ring.length;
        int capacity = (int) Math.min(limit, Math.max(Math.max(needed, MIN_RING), doubled));
        byte[] bigger = new byte[capacity];
        if (size > 0) {
            int first = Math.min(size, ring.length - head);
            System.arraycopy(ring, head, bigger, 0, first);
            System.arraycopy(ring, 0, bigger, first, size - first);
        }
        ring = bigger;
        head = 0;
    }

    /**
     * Gives the ring back when nothing is held (an idle connection), so that the buffer
     * takes no memory until the next append.
     *
     * @return true when a ring was released
     */
    boolean release() {
        if (size > 0 || ring.length == 0) {
            return false;
        }
        ring = NONE;
        head = 0;
        return true;
    }

    /** Forgets the first {@code n} bytes, now acknowledged. */
    void discard(int n) {
        if (n < 0 || n > size) {
            throw new IllegalArgumentException("discard " + n + " of " + size);
        }
        if (n == 0) {
            return;
        }
        size -= n;
        head = size == 0 ? 0 : (head + n) % ring.length;
    }

    /**
     * Copies {@code length} bytes starting {@code from} bytes after the first into
     * {@code dst} at absolute index {@code dstIndex}.
     */
    void copyTo(int from, int length, ByteBuffer dst, int dstIndex) {
        if (from < 0 || length < 0 || from + length > size) {
            throw new IndexOutOfBoundsException("copy " + from + "+" + length + " of " + size);
        }
        if (length == 0) {
            return;
        }
        int start = (head + from) % ring.length;
        int first = Math.min(length, ring.length - start);
        dst.put(dstIndex, ring, start, first);
        if (length > first) {
            dst.put(dstIndex + first, ring, 0, length - first);
        }
    }
}
