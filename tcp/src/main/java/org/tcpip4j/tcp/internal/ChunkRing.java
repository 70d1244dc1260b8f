package org.tcpip4j.tcp.internal;

import java.nio.ByteBuffer;
import org.tcpip4j.netif.InternetChecksum;

/**
 * Bytes addressed by their offset from a moving start, stored in chunks of a
 * {@link ChunkPool}: the storage under {@link SendBuffer} and {@link ReceiveBuffer}. A
 * chunk is taken when a byte is first stored in it and given back when the start moves
 * past it (or {@link #clear}), so only chunks holding bytes are held, and a sparse range
 * (out-of-order data far ahead of a hole) takes only the chunks its bytes touch. Growing
 * never copies bytes; the table of chunks doubles when offsets reach past it.
 *
 * <p>Offset {@code x} lies in chunk slot {@code (first + ((start + x) >> SHIFT)) & mask},
 * at {@code (start + x) & (SIZE - 1)}, where {@code start} is the position of offset 0 in
 * the first chunk. Loop only.
 */
final class ChunkRing {

    private static final ChunkPool.Chunk[] NO_SLOTS = new ChunkPool.Chunk[0];
    private static final int SHIFT = ChunkPool.SHIFT;
    private static final int SIZE = ChunkPool.SIZE;
    private static final int MASK = SIZE - 1;

    private ChunkPool pool;
    private ChunkPool.Chunk[] slots = NO_SLOTS;
    private int first;
    private int start;
    private int held;

    ChunkRing(ChunkPool pool) {
        this.pool = pool;
    }

    /** True when the table of chunk slots is allocated. */
    boolean hasTable() {
        return slots.length > 0;
    }

    /** Bytes of the chunks held. */
    int bytesHeld() {
        return held << SHIFT;
    }

    /**
     * Makes sure the chunks under offsets {@code [from, from + length)} are held, taking
     * those missing from the pool. The first chunk of an empty ring is owed; others may be
     * refused for the budget.
     *
     * @return the bytes from {@code from} on that are backed by chunks: {@code length} when
     *     all are, less when the pool refused one (the chunks before it stay held)
     */
    int reserve(int from, int length) {
        return reserve(from, length, false);
    }

    /**
     * As {@link #reserve(int, int)}; with {@code wholeOwed}, every chunk of a reservation
     * into an empty ring is owed, not just the first (a received segment larger than a
     * chunk, as Linux lets a socket below {@code tcp_rmem[0]} take a whole skb).
     */
    int reserve(int from, int length, boolean wholeOwed) {
        if (length <= 0) {
            return 0;
        }
        long end = (long) start + from + length;
        int needed = (int) ((end + MASK) >>> SHIFT);
        if (needed > slots.length) {
            growSlots(needed);
        }
        int m = slots.length - 1;
        int firstChunk = (start + from) >>> SHIFT;
        int lastChunk = (int) ((end - 1) >>> SHIFT);
        boolean owed = wholeOwed && held == 0;
        for (int k = firstChunk; k <= lastChunk; k++) {
            int slot = (first + k) & m;
            if (slots[slot] == null) {
                ChunkPool.Chunk chunk = pool.acquire(owed || held == 0);
                if (chunk == null) {
                    return Math.max(0, (k << SHIFT) - start - from);
                }
                slots[slot] = chunk;
                held++;
            }
        }
        return length;
    }

    private void growSlots(int needed) {
        int capacity = Math.max(4, Integer.highestOneBit(needed - 1) << 1);
        ChunkPool.Chunk[] bigger = new ChunkPool.Chunk[capacity];
        for (int k = 0; k < slots.length; k++) {
            bigger[k] = slots[(first + k) & (slots.length - 1)];
        }
        slots = bigger;
        first = 0;
    }

    /** Copies {@code length} bytes of {@code src} from absolute index {@code srcIndex} to offset {@code at}; reserved first. */
    void put(int at, ByteBuffer src, int srcIndex, int length) {
        int m = slots.length - 1;
        int pos = start + at;
        while (length > 0) {
            byte[] chunk = slots[(first + (pos >>> SHIFT)) & m].bytes;
            int in = pos & MASK;
            int n = Math.min(length, SIZE - in);
            src.get(srcIndex, chunk, in, n);
            srcIndex += n;
            pos += n;
            length -= n;
        }
    }

    /** Copies {@code length} bytes from offset {@code at} into {@code dst} at absolute index {@code dstIndex}. */
    void get(int at, ByteBuffer dst, int dstIndex, int length) {
        int m = slots.length - 1;
        int pos = start + at;
        while (length > 0) {
            byte[] chunk = slots[(first + (pos >>> SHIFT)) & m].bytes;
            int in = pos & MASK;
            int n = Math.min(length, SIZE - in);
            dst.put(dstIndex, chunk, in, n);
            dstIndex += n;
            pos += n;
            length -= n;
        }
    }

    /**
     * As {@link #get}, adding the bytes copied to an Internet checksum as they are copied
     * (one pass over them, not a copy and then a sum).
     *
     * @return the partial sum of the bytes copied, as if they began on an even offset
     */
    long getAndSum(int at, ByteBuffer dst, int dstIndex, int length) {
        int m = slots.length - 1;
        int pos = start + at;
        long acc = 0;
        int done = 0;
        while (length > 0) {
            byte[] chunk = slots[(first + (pos >>> SHIFT)) & m].bytes;
            int in = pos & MASK;
            int n = Math.min(length, SIZE - in);
            long part = InternetChecksum.copyAndSum(chunk, in, dst, dstIndex, n, 0);
            // A piece that starts an odd number of bytes in has its 16-bit words shifted by one.
            acc += (done & 1) == 0 ? InternetChecksum.fold16(part) : InternetChecksum.swapped(part);
            dstIndex += n;
            pos += n;
            done += n;
            length -= n;
        }
        return acc;
    }

    /**
     * The bytes from offset {@code at} on, at most {@code length} and no further than the
     * end of the chunk holding offset {@code at}, as the position..limit of that chunk's
     * read-only view: a loan valid until the ring next changes. The bytes are held.
     */
    ByteBuffer view(int at, int length) {
        int pos = start + at;
        ByteBuffer view = slots[(first + (pos >>> SHIFT)) & (slots.length - 1)].view();
        int in = pos & MASK;
        view.limit(in + Math.min(length, SIZE - in)).position(in);
        return view;
    }

    /** Moves the start {@code n} bytes on: chunks wholly before the new start go back to the pool. */
    void advance(int n) {
        if (n <= 0) {
            return;
        }
        if (slots.length == 0) {
            start = (start + n) & MASK;
            return;
        }
        int m = slots.length - 1;
        int pos = start + n;
        int passed = pos >>> SHIFT;
        for (int k = 0; k < passed; k++) {
            int slot = (first + k) & m;
            if (slots[slot] != null) {
                pool.release(slots[slot]);
                slots[slot] = null;
                held--;
            }
        }
        first = (first + passed) & m;
        start = pos & MASK;
    }

    /**
     * Gives back every chunk holding no byte before offset {@code from} (out-of-order data
     * pruned under memory pressure).
     */
    void releaseFrom(int from) {
        if (held == 0) {
            return;
        }
        int m = slots.length - 1;
        long firstFree = ((long) start + from + MASK) >>> SHIFT;
        for (long k = firstFree; k < slots.length; k++) {
            int slot = (int) ((first + k) & m);
            if (slots[slot] != null) {
                pool.release(slots[slot]);
                slots[slot] = null;
                held--;
            }
        }
    }

    /** Gives every chunk back and restarts at offset 0; the table of slots stays. */
    void clear() {
        if (held > 0) {
            for (int i = 0; i < slots.length; i++) {
                if (slots[i] != null) {
                    pool.release(slots[i]);
                    slots[i] = null;
                }
            }
            held = 0;
        }
        first = 0;
        start = 0;
    }

    /**
     * Moves the chunks held out of the layer's pool into one of their own, without copying:
     * the layer's budget and leak accounting forget them, and the garbage collector takes
     * them with this ring.
     */
    void detach() {
        ChunkPool own = ChunkPool.unbounded();
        pool.handOver(held, own);
        pool = own;
    }

    /**
     * Drops the table of slots when no chunk is held (an idle buffer), so that it takes no
     * memory at all; it is rebuilt when bytes arrive.
     *
     * @return true when a table was dropped
     */
    boolean releaseTable() {
        if (held > 0 || slots.length == 0) {
            return false;
        }
        slots = NO_SLOTS;
        first = 0;
        return true;
    }

    /** Gives every chunk back and drops the table of slots too (a closed buffer). */
    void free() {
        clear();
        slots = NO_SLOTS;
    }
}
