package org.tcpip4j.tcp.internal;

import java.nio.ByteBuffer;

/**
 * The memory of one TCP layer's send and receive buffers, in chunks of {@value #SIZE}
 * bytes, with the layer's budget (Linux's {@code tcp_mem}). Buffers take chunks as data
 * fills them and give each back as soon as nothing in it is held any more, so a
 * connection's memory follows the bytes it holds, and an idle connection holds none.
 *
 * <p>The budget: past {@link #pressureChunks} the layer is under memory pressure (receive
 * windows stop growing, buffers stop auto-tuning up, out-of-order data is pruned first);
 * at {@link #limitChunks} new chunks are refused, except a buffer's first, which every
 * buffer is owed (as Linux's {@code tcp_rmem[0]} and {@code tcp_wmem[0]} are, "due to the
 * fact of its birth"), so that a connection can always make progress and nothing waits on
 * memory another connection holds.
 *
 * <p>Chunks given back are kept for reuse up to {@link #maxFree}; beyond that they are
 * left to the garbage collector, so memory taken for a burst goes back after it. Loop only.
 */
final class ChunkPool {

    /** log2 of the chunk size. */
    static final int SHIFT = 12;
    /** Bytes in a chunk. */
    static final int SIZE = 1 << SHIFT;
    /** Chunks kept for reuse at most by default: 16 MiB. */
    static final int DEFAULT_MAX_FREE = 4096;

    private final long limitChunks;
    private final long pressureChunks;
    private final int maxFree;
    private Chunk[] free = new Chunk[64];
    private int freeCount;
    private long inUse;
    private long refused;
    private org.tcpip4j.netif.Counters.Counter bytesGauge;
    private org.tcpip4j.netif.Counters.Counter refusedCounter;

    /** A pool of at most {@code limitBytes}, under pressure past {@code pressureBytes}. */
    ChunkPool(long pressureBytes, long limitBytes, int maxFree) {
        if (limitBytes < SIZE || pressureBytes < 0 || pressureBytes > limitBytes || maxFree < 0) {
            throw new IllegalArgumentException("pool of " + pressureBytes + "/" + limitBytes + " bytes");
        }
        this.limitChunks = limitBytes >>> SHIFT;
        this.pressureChunks = pressureBytes >>> SHIFT;
        this.maxFree = maxFree;
    }

    /** Publishes the bytes held and the refusals in the layer's counters. */
    void countIn(org.tcpip4j.netif.Counters.Counter bytes, org.tcpip4j.netif.Counters.Counter refusals) {
        this.bytesGauge = bytes;
        this.refusedCounter = refusals;
    }

    /** A pool with no budget to speak of (tests of a single buffer). */
    static ChunkPool unbounded() {
        return new ChunkPool(Long.MAX_VALUE / 2, Long.MAX_VALUE / 2, DEFAULT_MAX_FREE);
    }

    /**
     * One chunk's bytes and, made the first time they are lent to a reader, a read-only
     * view of them; both are reused with the chunk, so lending allocates nothing once a
     * chunk has been lent before.
     */
    static final class Chunk {
        final byte[] bytes = new byte[SIZE];
        private ByteBuffer view;

        /** The read-only view of the whole chunk; its position and limit are the borrower's to set. */
        ByteBuffer view() {
            ByteBuffer v = view;
            if (v == null) {
                v = ByteBuffer.wrap(bytes).asReadOnlyBuffer();
                view = v;
            }
            return v;
        }
    }

    /**
     * A chunk, or null when the budget is spent and the buffer asking already holds one
     * ({@code owed} false). The chunk's bytes are not cleared.
     */
    Chunk acquire(boolean owed) {
        if (!owed && inUse >= limitChunks) {
            refused++;
            if (refusedCounter != null) {
                refusedCounter.increment();
            }
            return null;
        }
        inUse++;
        publish();
        if (freeCount > 0) {
            Chunk chunk = free[--freeCount];
            free[freeCount] = null;
            return chunk;
        }
        return new Chunk();
    }

    /** Takes a chunk back. */
    void release(Chunk chunk) {
        inUse--;
        publish();
        if (freeCount < maxFree) {
            if (freeCount == free.length) {
                free = java.util.Arrays.copyOf(free, Math.min(maxFree, free.length * 2));
            }
            free[freeCount++] = chunk;
        }
    }

    /**
     * Hands {@code n} chunks held by a buffer over to {@code other} without copying them:
     * this pool stops counting them, {@code other} counts them from now on.
     */
    void handOver(int n, ChunkPool other) {
        inUse -= n;
        publish();
        other.inUse += n;
    }

    private void publish() {
        if (bytesGauge != null) {
            bytesGauge.set(inUse << SHIFT);
        }
    }

    /**
     * True past the pressure threshold, or at the limit (the threshold may equal it):
     * windows and buffers stop growing, out-of-order data goes first.
     */
    boolean underPressure() {
        return inUse > pressureChunks || inUse >= limitChunks;
    }

    /** True when no chunk beyond a buffer's first would be given. */
    boolean exhausted() {
        return inUse >= limitChunks;
    }

    /** Chunks held by buffers now. */
    long inUse() {
        return inUse;
    }

    /** Chunks refused for the budget. */
    long refused() {
        return refused;
    }
}
