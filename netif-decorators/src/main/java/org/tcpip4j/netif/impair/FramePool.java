package org.tcpip4j.netif.impair;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * Direct buffers for the frames an {@link ImpairedNetif} keeps past the call that brought
 * them (delayed, queued, held, duplicated, modified): a device's buffer is valid only
 * during its callback. Buffers are reused, so steady traffic allocates nothing. Loop only.
 */
final class FramePool {

    /** Free buffers kept beyond this are left to the garbage collector after a burst. */
    private static final int MAX_FREE = 4096;

    private final ArrayDeque<ByteBuffer> free = new ArrayDeque<>();
    private final int bufferSize;

    FramePool(int bufferSize) {
        this.bufferSize = bufferSize;
    }

    /** A buffer of at least {@code minCapacity} bytes, position 0, limit at its capacity. */
    ByteBuffer acquire(int minCapacity) {
        if (minCapacity > bufferSize) {
            return ByteBuffer.allocateDirect(minCapacity); // a frame larger than the device's MTU: rare
        }
        ByteBuffer b = free.pollLast();
        return b == null ? ByteBuffer.allocateDirect(bufferSize) : b.clear();
    }

    /** A pooled copy of {@code frame}'s position..limit, with room for {@code extra} more bytes; position 0. */
    ByteBuffer copyOf(ByteBuffer frame, int extra) {
        int length = frame.remaining();
        ByteBuffer copy = acquire(length + extra);
        copy.put(0, frame, frame.position(), length);
        return copy.limit(length);
    }

    /** Gives a buffer back. */
    void release(ByteBuffer b) {
        if (b.capacity() == bufferSize && free.size() < MAX_FREE) {
            free.addLast(b);
        }
    }
}
