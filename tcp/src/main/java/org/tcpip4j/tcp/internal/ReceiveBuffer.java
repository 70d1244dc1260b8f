package org.tcpip4j.tcp.internal;

import java.nio.ByteBuffer;

/**
 * The receive side's bytes (RFC 9293 3.3.1, the receive sequence space): those received in
 * order and not yet read, then, further on, out-of-order data waiting for the holes before
 * it to fill. A ring of bytes in which each byte is stored at its place in the sequence
 * space, so reassembly (RFC 9293 3.10.7.4, seventh: "segments with higher beginning
 * sequence numbers may be held for later processing") is a matter of bookkeeping which
 * ranges are present; nothing is copied twice, except when the ring grows.
 *
 * <p>Offsets of out-of-order data are counted from the end of the in-order data (RCV.NXT).
 * At most {@code maxRanges} disjoint out-of-order ranges are kept: a segment that would
 * open one more is refused, which bounds the work per segment whatever the peer sends;
 * the window bounds the bytes.
 *
 * <p>Memory is committed as it is used. The buffer stores at most {@link #limit} bytes (the
 * receive buffer size, which dynamic right-sizing raises; the window offered never reaches
 * past it), but the ring starts empty and is allocated when the first bytes arrive, at
 * {@value #MIN_RING} bytes at least, then doubled (never past the limit) whenever data to
 * store lies beyond its end; growing copies the unread bytes and the out-of-order ranges,
 * each to the same place relative to the first unread byte. {@link #release} gives an
 * empty buffer's ring back. Only growing allocates.
 */
final class ReceiveBuffer {

    /** The smallest ring allocated, when the first bytes arrive. */
    static final int MIN_RING = 4096;
    private static final byte[] NONE = new byte[0];

    private byte[] ring = NONE;
    private int limit;
    private int readPos;
    private int readable;
    // Out-of-order ranges [start, end) as offsets from RCV.NXT, sorted, disjoint, not touching.
    private final int[] starts;
    private final int[] ends;
    private int ranges;

    /**
     * A buffer storing at most {@code limit} bytes, keeping at most {@code maxRanges} holes'
     * worth of ranges, with no ring allocated yet.
     */
    ReceiveBuffer(int limit, int maxRanges) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit " + limit);
        }
        this.limit = limit;
        this.starts = new int[maxRanges];
        this.ends = new int[maxRanges];
    }

    /** The bytes the ring takes now (memory committed); at most {@link #limit}. */
    int capacity() {
        return ring.length;
    }

    /** The most the buffer stores: unread bytes plus what may arrive up to the window's edge. */
    int limit() {
        return limit;
    }

    /** Raises the limit to {@code bytes} (never lowers it); the ring grows only as data needs. */
    void raiseLimit(int bytes) {
        if (bytes > limit) {
            limit = bytes;
        }
    }

    /**
     * Gives the ring back when nothing is held, neither unread nor out of order (an idle
     * connection), so that the buffer takes no memory until data arrives again.
     *
     * @return true when a ring was released
     */
    boolean release() {
        if (readable > 0 || ranges > 0 || ring.length == 0) {
            return false;
        }
        ring = NONE;
        readPos = 0;
        return true;
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
        int held = readable + outOfOrderEnd(); // what a growth copies: before this range joins
        if (offset > 0 && !addRange(offset, offset + length)) {
            return -1;
        }
        int extent = readable + offset + length;
        if (extent > ring.length) {
            grow(extent, held);
        }
        int pos = (readPos + readable + offset) % ring.length;
        int first = Math.min(length, ring.length - pos);
        src.get(srcIndex, ring, pos, first);
        if (length > first) {
            src.get(srcIndex + first, ring, 0, length - first);
        }
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

    /**
     * Replaces the ring by one of at least {@code needed} bytes (doubling): the first
     * {@code held} bytes from the first unread one (the unread bytes and everything up to
     * the end of the furthest out-of-order range, holes included) are copied to its start,
     * so that each stored byte keeps its offset from the first unread one.
     */
    private void grow(int needed, int held) {
        long doubled = 2L * ring.length;
        int capacity = (int) Math.min(limit, Math.max(Math.max(needed, MIN_RING), doubled));
        byte[] bigger = new byte[capacity];
        if (held > 0) {
            int first = Math.min(held, ring.length - readPos);
            System.arraycopy(ring, readPos, bigger, 0, first);
            System.arraycopy(ring, 0, bigger, first, held - first);
        }
        ring = bigger;
        readPos = 0;
    }

    /** Copies up to {@code max} in-order bytes into a new buffer the reader owns, and consumes them. */
    ByteBuffer read(int max) {
        int n = Math.min(max, readable);
        byte[] out = new byte[n];
        int first = Math.min(n, ring.length - readPos);
        System.arraycopy(ring, readPos, out, 0, first);
        if (n > first) {
            System.arraycopy(ring, 0, out, first, n - first);
        }
        consume(n);
        return ByteBuffer.wrap(out);
    }

    /** Drops every in-order byte not yet read (shutdown of the read direction). */
    void discardReadable() {
        consume(readable);
    }

    private void consume(int n) {
        if (n == 0) {
            return;
        }
        readPos = (readPos + n) % ring.length;
        readable -= n;
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
            if (ranges == starts.length) {
                return false;
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
