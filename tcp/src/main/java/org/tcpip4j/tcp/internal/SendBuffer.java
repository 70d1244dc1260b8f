package org.tcpip4j.tcp.internal;

import java.nio.ByteBuffer;

/**
 * The bytes of one connection's send direction that are not yet acknowledged: those sent
 * and in flight, then those waiting to be sent (RFC 9293 3.3.1, the send sequence space
 * from SND.UNA on). The user's data is copied in once, and each segment copies out of it
 * straight into the frame the device lends.
 *
 * <p>Memory follows the bytes held. The buffer holds at most {@link #limit} bytes (the
 * send buffer size, which auto-tuning raises with the congestion window, as Linux's
 * tcp_sndbuf_expand raises sk_sndbuf), in chunks of the layer's {@link ChunkPool} taken as
 * appends need them and given back as acknowledgments pass them; an empty buffer holds no
 * chunk. The pool may refuse chunks for the layer's memory budget: an append then takes
 * what fits in the chunks held (every buffer is owed one), and the writer waits for
 * acknowledgments to make room.
 */
final class SendBuffer {

    private final ChunkRing ring;
    private int size;
    private int limit;

    /** A buffer holding at most {@code limit} bytes in chunks of {@code pool}, with nothing held yet. */
    SendBuffer(int limit, ChunkPool pool) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit " + limit);
        }
        this.limit = limit;
        this.ring = new ChunkRing(pool);
    }

    /** A buffer of its own unbounded pool (tests). */
    SendBuffer(int limit) {
        this(limit, ChunkPool.unbounded());
    }

    /** Bytes held. */
    int size() {
        return size;
    }

    /** Bytes that can still be appended: the limit less the bytes held. */
    int free() {
        return Math.max(0, limit - size);
    }

    /** The bytes of the chunks held now (memory committed). */
    int capacity() {
        return ring.bytesHeld();
    }

    /** True when the buffer takes memory (chunks, or the table of their slots). */
    boolean holdsMemory() {
        return ring.hasTable();
    }

    /** The most the buffer holds: the send buffer size. */
    int limit() {
        return limit;
    }

    /**
     * Sets the limit to {@code bytes}, lower or higher; what the buffer holds past a lower
     * limit stays until acknowledged, and appends wait for the size to fall below it.
     */
    void setLimit(int bytes) {
        if (bytes < 1) {
            throw new IllegalArgumentException("limit " + bytes);
        }
        limit = bytes;
    }

    /** Raises the limit to {@code bytes} (never lowers it); chunks are taken only as appends need them. */
    void raiseLimit(int bytes) {
        if (bytes > limit) {
            limit = bytes;
        }
    }

    /**
     * Appends as much of {@code src} (position..limit) as fits under {@link #limit} and in
     * the chunks the pool gives, and advances the source's position.
     *
     * @return the bytes appended
     */
    int append(ByteBuffer src) {
        int n = Math.min(src.remaining(), free());
        if (n <= 0) {
            return 0;
        }
        n = ring.reserve(size, n);
        if (n <= 0) {
            return 0;
        }
        ring.put(size, src, src.position(), n);
        src.position(src.position() + n);
        size += n;
        return n;
    }

    /**
     * Drops the table of chunk slots when nothing is held (an idle connection), so that the
     * buffer takes no memory until the next append.
     *
     * @return true when something was released
     */
    boolean release() {
        return size == 0 && ring.releaseTable();
    }

    /** Gives every chunk back (the connection is over). */
    void dispose() {
        size = 0;
        ring.free();
    }

    /** Forgets the first {@code n} bytes, now acknowledged; chunks they emptied go back. */
    void discard(int n) {
        if (n < 0 || n > size) {
            throw new IllegalArgumentException("discard " + n + " of " + size);
        }
        if (n == 0) {
            return;
        }
        size -= n;
        if (size == 0) {
            ring.clear();
        } else {
            ring.advance(n);
        }
    }

    /**
     * Copies {@code length} bytes starting {@code from} bytes after the first into
     * {@code dst} at absolute index {@code dstIndex}.
     */
    void copyTo(int from, int length, ByteBuffer dst, int dstIndex) {
        if (from < 0 || length < 0 || from + length > size) {
            throw new IndexOutOfBoundsException("copy " + from + "+" + length + " of " + size);
        }
        ring.get(from, dst, dstIndex, length);
    }

    /**
     * As {@link #copyTo}, computing the Internet checksum of the bytes while copying them.
     *
     * @return their partial sum, as if they began on an even offset
     */
    long copyToAndSum(int from, int length, ByteBuffer dst, int dstIndex) {
        if (from < 0 || length < 0 || from + length > size) {
            throw new IndexOutOfBoundsException("copy " + from + "+" + length + " of " + size);
        }
        return ring.getAndSum(from, dst, dstIndex, length);
    }
}
