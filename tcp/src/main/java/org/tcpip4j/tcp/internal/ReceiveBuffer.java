package org.tcpip4j.tcp.internal;

import java.nio.ByteBuffer;

/**
 * The receive side's bytes (RFC 9293 3.3.1, the receive sequence space): those received in
 * order and not yet read, then, further on, out-of-order data waiting for the holes before
 * it to fill. Each byte is stored at its place in the sequence space, so reassembly (RFC
 * 9293 3.10.7.4, seventh: "segments with higher beginning sequence numbers may be held for
 * later processing") is a matter of bookkeeping which ranges are present; nothing is
 * copied twice.
 *
 * <p>Offsets of out-of-order data are counted from the end of the in-order data (RCV.NXT).
 * At most {@code maxRanges} disjoint out-of-order ranges are kept: a segment that would
 * open one more is refused, which bounds the work per segment whatever the peer sends;
 * the window bounds the bytes.
 *
 * <p>Memory follows the bytes held. The buffer stores at most {@link #limit} bytes (the
 * receive buffer size, which dynamic right-sizing raises; the window offered never reaches
 * past it), in chunks of the layer's {@link ChunkPool}: a chunk is taken when data is first
 * stored in it (out-of-order data far ahead takes only the chunks it touches) and given
 * back once the reader has consumed it; an empty buffer holds no chunk. The pool may refuse
 * chunks for the layer's memory budget: the segment is then not stored
 * ({@link #NO_MEMORY}), and under pressure the out-of-order data can be pruned. An empty
 * buffer is owed every chunk of the segment it stores, so that one larger than a chunk
 * (a jumbo frame) never waits on memory other connections hold.
 */
final class ReceiveBuffer {

    /** What {@link #store} returns when out-of-order data was refused for the range table. */
    static final int NO_RANGE = -1;
    /** What {@link #store} returns when the pool refused the memory. */
    static final int NO_MEMORY = -2;
    private static final int[] NONE = new int[0];

    private final ChunkRing ring;
    private final int maxRanges;
    private int limit;
    private int readable;
    // Out-of-order ranges [start, end) as offsets from RCV.NXT, sorted, disjoint, not touching.
    private int[] starts = NONE;
    private int[] ends = NONE;
    private int ranges;

    /**
     * A buffer storing at most {@code limit} bytes in chunks of {@code pool}, keeping at most
     * {@code maxRanges} holes' worth of ranges, with nothing held yet.
     */
    ReceiveBuffer(int limit, int maxRanges, ChunkPool pool) {
        if (limit < 1 || maxRanges < 1) {
            throw new IllegalArgumentException("limit " + limit + ", ranges " + maxRanges);
        }
        this.limit = limit;
        this.maxRanges = maxRanges;
        this.ring = new ChunkRing(pool);
    }

    /** A buffer of its own unbounded pool (tests). */
    ReceiveBuffer(int limit, int maxRanges) {
        this(limit, maxRanges, ChunkPool.unbounded());
    }

    /** The bytes of the chunks held now (memory committed). */
    int capacity() {
        return ring.bytesHeld();
    }

    /** True when the buffer takes memory (chunks, their table, or the range table). */
    boolean holdsMemory() {
        return ring.hasTable() || starts.length > 0;
    }

    /** The most the buffer stores: unread bytes plus what may arrive up to the window's edge. */
    int limit() {
        return limit;
    }

    /** Raises the limit to {@code bytes} (never lowers it); chunks are taken only as data needs them. */
    void raiseLimit(int bytes) {
        if (bytes > limit) {
            limit = bytes;
        }
    }

    /**
     * Drops the table of chunk slots and the range table when nothing is held (an idle
     * connection), so that the buffer takes no memory until data arrives again.
     *
     * @return true when something was released
     */
    boolean release() {
        if (readable > 0 || ranges > 0) {
            return false;
        }
        boolean released = ring.releaseTable() | starts.length > 0;
        starts = NONE;
        ends = NONE;
        return released;
    }

    /**
     * The connection is over but the reader has not read everything: out-of-order data is
     * dropped (nothing will fill its holes) and the unread bytes leave the layer's pool
     * ({@link ChunkRing#detach}), so that the layer's memory accounting does not wait on a
     * reader that may never come; the reader still gets them.
     */
    void detach() {
        if (ranges > 0) {
            pruneOutOfOrder();
        }
        ring.detach();
    }

    /** Gives every chunk back (the connection is over). */
    void dispose() {
        readable = 0;
        ranges = 0;
        ring.free();
        starts = NONE;
        ends = NONE;
    }

    /**
     * Drops every out-of-order range and gives back the chunks that held only them (memory
     * pressure: Linux prunes its out-of-order queue first too).
     *
     * @return the bytes dropped
     */
    int pruneOutOfOrder() {
        int dropped = 0;
        for (int i = 0; i < ranges; i++) {
            dropped += ends[i] - starts[i];
        }
        ranges = 0;
        if (readable == 0) {
            ring.clear();
        } else {
            ring.releaseFrom(readable);
        }
        return dropped;
    }

    /** True when nothing is held, neither unread nor out of order. */
    boolean isEmpty() {
        return readable == 0 && ranges == 0;
    }

    /** In-order bytes waiting to be read. */
    int readable() {
        return readable;
    }

    /** Bytes from RCV.NXT on that can be stored: the limit less the unread bytes. */
    int space() {
        return limit - readable;
    }

    /** True when out-of-order data is held. */
    boolean hasOutOfOrder() {
        return ranges > 0;
    }

    /** The end of the furthest out-of-order range, as an offset from RCV.NXT; 0 when none. */
    int outOfOrderEnd() {
        return ranges == 0 ? 0 : ends[ranges - 1];
    }

    /** Out-of-order ranges held. */
    int rangeCount() {
        return ranges;
    }

    /**
     * Stores {@code length} bytes of {@code src} (from absolute index {@code srcIndex}) at
     * {@code offset} bytes past RCV.NXT, growing the ring when they lie beyond its end.
     * The caller has trimmed them to {@link #space}.
     *
     * @return how far RCV.NXT advances (0 for out-of-order data; more than {@code length}
     *     when the data fills a hole before stored ranges), or -1 when out-of-order data
     *     was refused because the range table is full
     */
    int store(int offset, ByteBuffer src, int srcIndex, int length) {
        if (offset < 0 || length <= 0 || offset + length > space()) {
            throw new IllegalArgumentException("store " + offset + "+" + length + " in " + space());
        }
        if (offset > 0 && ranges == maxRanges && !mergesWithRange(offset, offset + length)) {
            return NO_RANGE;
        }
        if (ring.reserve(readable + offset, length, true) < length) {
            if (readable == 0 && ranges == 0) {
                ring.clear();
            } else {
                ring.releaseFrom(readable + outOfOrderEnd());
            }
            return NO_MEMORY;
        }
        if (offset > 0 && !addRange(offset, offset + length)) {
            return NO_RANGE;
        }
        ring.put(readable + offset, src, srcIndex, length);
        if (offset > 0) {
            return 0;
        }
        int advance = length;
        // Data at RCV.NXT: absorb every stored range it reaches.
        int absorbed = 0;
        while (absorbed < ranges && starts[absorbed] <= advance) {
            advance = Math.max(advance, ends[absorbed]);
            absorbed++;
        }
        removeFirstRanges(absorbed, advance);
        readable += advance;
        return advance;
    }

    /** True when [start, end) overlaps or touches a range held (so it opens none). */
    private boolean mergesWithRange(int start, int end) {
        for (int i = 0; i < ranges; i++) {
            if (starts[i] <= end && start <= ends[i]) {
                return true;
            }
        }
        return false;
    }

    /** Copies up to {@code max} in-order bytes into a new buffer the reader owns, and consumes them. */
    ByteBuffer read(int max) {
        int n = Math.min(max, readable);
        ByteBuffer out = ByteBuffer.allocate(n);
        ring.get(0, out, 0, n);
        consume(n);
        return out;
    }

    /**
     * Copies as many in-order bytes as {@code dst} has room for into it at its position,
     * advances the position, and consumes them.
     *
     * @return the bytes copied
     */
    int read(ByteBuffer dst) {
        int n = Math.min(dst.remaining(), readable);
        int at = dst.position();
        ring.get(0, dst, at, n);
        dst.position(at + n);
        consume(n);
        return n;
    }

    /**
     * The first in-order bytes, up to the end of the chunk holding the first: a read-only
     * view (position..limit) lent until the buffer next changes, from which a reader takes
     * without a copy, then {@link #skip skips} what it took. Only when {@link #readable} is
     * not 0.
     */
    ByteBuffer firstRun() {
        return ring.view(0, readable);
    }

    /** Consumes the first {@code n} in-order bytes, taken through {@link #firstRun}. */
    void skip(int n) {
        if (n < 0 || n > readable) {
            throw new IllegalArgumentException("skip " + n + " of " + readable);
        }
        consume(n);
    }

    /** Drops every in-order byte not yet read (shutdown of the read direction). */
    void discardReadable() {
        consume(readable);
    }

    private void consume(int n) {
        if (n == 0) {
            return;
        }
        readable -= n;
        if (readable == 0 && ranges == 0) {
            ring.clear();
        } else {
            ring.advance(n);
        }
    }

    /** Shifts the ranges left by {@code shift} after dropping the first {@code count}. */
    private void removeFirstRanges(int count, int shift) {
        int keep = ranges - count;
        for (int i = 0; i < keep; i++) {
            starts[i] = starts[i + count] - shift;
            ends[i] = ends[i + count] - shift;
        }
        ranges = keep;
    }

    /** Merges [start, end) into the ranges; false when that would need more ranges than allowed. */
    private boolean addRange(int start, int end) {
        // First range that ends at or after start (could merge or lies after).
        int i = 0;
        while (i < ranges && ends[i] < start) {
            i++;
        }
        // Ranges i..j-1 overlap or touch [start, end).
        int j = i;
        int newStart = start;
        int newEnd = end;
        while (j < ranges && starts[j] <= end) {
            newStart = Math.min(newStart, starts[j]);
            newEnd = Math.max(newEnd, ends[j]);
            j++;
        }
        int merged = j - i;
        if (merged == 0) {
            if (ranges == maxRanges) {
                return false;
            }
            if (ranges == starts.length) {
                int grown = Math.min(maxRanges, Math.max(4, starts.length * 2));
                starts = java.util.Arrays.copyOf(starts, grown);
                ends = java.util.Arrays.copyOf(ends, grown);
            }
            System.arraycopy(starts, i, starts, i + 1, ranges - i);
            System.arraycopy(ends, i, ends, i + 1, ranges - i);
            ranges++;
        } else if (merged > 1) {
            System.arraycopy(starts, j, starts, i + 1, ranges - j);
            System.arraycopy(ends, j, ends, i + 1, ranges - j);
            ranges -= merged - 1;
        }
        starts[i] = newStart;
        ends[i] = newEnd;
        return true;
    }

    /** The start of out-of-order range {@code i} (in order of sequence), as an offset from RCV.NXT. */
    int rangeStart(int i) {
        return starts[i];
    }

    /** The end (exclusive) of out-of-order range {@code i}, as an offset from RCV.NXT. */
    int rangeEnd(int i) {
        return ends[i];
    }

    /** The out-of-order range holding the byte at {@code offset} past RCV.NXT, or -1. */
    int rangeHolding(int offset) {
        for (int i = 0; i < ranges; i++) {
            if (starts[i] <= offset && offset < ends[i]) {
                return i;
            }
        }
        return -1;
    }

    /** True when the byte at {@code offset} past RCV.NXT is already stored out of order. */
    boolean covers(int offset, int length) {
        for (int i = 0; i < ranges; i++) {
            if (starts[i] <= offset && offset + length <= ends[i]) {
                return true;
            }
        }
        return false;
    }
}
