package org.tcpip4j.netif.memory;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.IdentityHashMap;

/**
 * The switch's free list of frame buffers: direct buffers, all as large as the largest
 * frame any port accepts, reused so that forwarding a frame allocates nothing once the
 * pool has grown to the traffic's high-water mark. Each buffer has a read-only twin, made
 * with it, which is what receivers get ({@link #readOnly}). Loop only.
 */
final class FrameBufferPool {

    /** Buffers kept beyond this are left to the garbage collector, so a burst does not pin memory. */
    private static final int MAX_FREE = 1024;

    private final ArrayDeque<ByteBuffer> free = new ArrayDeque<>();
    /** The read-only twin of every buffer of this pool not yet left to the collector. */
    private final IdentityHashMap<ByteBuffer, ByteBuffer> twins = new IdentityHashMap<>();
    private int bufferSize;

    FrameBufferPool(int bufferSize) {
        this.bufferSize = bufferSize;
    }

    /** Makes every buffer handed out from now on hold at least {@code size} bytes. */
    void ensureBufferSize(int size) {
        if (size > bufferSize) {
            bufferSize = size;
            for (ByteBuffer b : free) {
                twins.remove(b);
            }
            free.clear();
        }
    }

    int bufferSize() {
        return bufferSize;
    }

    /** A buffer of {@link #bufferSize()} bytes, position 0, limit at its capacity. */
    ByteBuffer acquire() {
        ByteBuffer b = free.pollLast();
        if (b == null) {
            b = ByteBuffer.allocateDirect(bufferSize);
            twins.put(b, b.asReadOnlyBuffer());
            return b;
        }
        return b.clear();
    }

    /** Gives a buffer back; one smaller than the current size (the MTU grew) is dropped. */
    void release(ByteBuffer b) {
        if (b.capacity() >= bufferSize && free.size() < MAX_FREE) {
            free.addLast(b);
        } else {
            twins.remove(b);
        }
    }

    /**
     * The read-only twin of {@code b} (same memory, its own position and limit), or null
     * when {@code b} is not this pool's.
     */
    ByteBuffer readOnly(ByteBuffer b) {
        return twins.get(b);
    }

    int freeBuffers() {
        return free.size();
    }
}
