package org.tcpip4j.tcp.internal;

import java.nio.ByteBuffer;

/**
 * The bytes of one connection's send direction that are not yet acknowledged: those sent
 * and in flight, then those waiting to be sent (RFC 9293 3.3.1, the send sequence space
 * from SND.UNA on). A ring of bytes of fixed capacity: the user's data is copied in once,
 * and each segment copies out of it straight into the frame the device lends.
 */
final class SendBuffer {

    private final byte[] ring;
    private int head;
    private int size;

    /** A buffer holding at most {@code capacity} bytes. */
    SendBuffer(int capacity) {
        this.ring = new byte[capacity];
    }

    /** Bytes held. */
    int size() {
        return size;
    }

    /** Bytes that can still be appended. */
    int free() {
        return ring.length - size;
    }

    /** The capacity. */
    int capacity() {
        return ring.length;
    }

    /**
     * Appends as much of {@code src} (position..limit) as fits, advancing its position.
     *
     * @return the bytes appended
     */
    int append(ByteBuffer src) {
        int n = Math.min(src.remaining(), free());
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

    /** Forgets the first {@code n} bytes, now acknowledged. */
    void discard(int n) {
        if (n < 0 || n > size) {
            throw new IllegalArgumentException("discard " + n + " of " + size);
        }
        head = (head + n) % ring.length;
        size -= n;
    }

    /**
     * Copies {@code length} bytes starting {@code from} bytes after the first into
     * {@code dst} at absolute index {@code dstIndex}.
     */
    void copyTo(int from, int length, ByteBuffer dst, int dstIndex) {
        if (from < 0 || length < 0 || from + length > size) {
            throw new IndexOutOfBoundsException("copy " + from + "+" + length + " of " + size);
        }
        int start = (head + from) % ring.length;
        int first = Math.min(length, ring.length - start);
        dst.put(dstIndex, ring, start, first);
        if (length > first) {
            dst.put(dstIndex + first, ring, 0, length - first);
        }
    }
}
