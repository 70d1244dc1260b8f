package org.tcpip4j.tcp.internal;

import org.tcpip4j.tcp.internal.wire.TcpOptions;

/**
 * The segments sent and not yet cumulatively acknowledged, in sequence order, each with
 * what loss detection and recovery need to know of it (Linux's retransmission queue and
 * its per-segment "sacked" bits; RFC 6675's scoreboard kept per segment; RFC 8985's
 * per-segment transmission times):
 *
 * <ul>
 *   <li>its sequence range, FIN included, fixed when it is first sent: a retransmission
 *       resends the same range, so SACK blocks, which the peer builds from what it
 *       received, cover whole segments;
 *   <li>when it was last (re)sent, for RACK (RFC 8985 6.2) and for round-trip samples;
 *   <li>SACKED (the peer holds it), LOST (presumed lost, to be resent), RETRANS (a
 *       retransmission of it is in flight), EVER_RETRANS (resent at least once: Karn);
 *   <li>the connection's delivered-bytes count and its time when it was sent, for delivery
 *       rate samples.
 * </ul>
 *
 * <p>The sums of SACKed, lost and retransmitted-in-flight bytes are kept as segments
 * change, so that the bytes in flight (RFC 6675's pipe, Linux's
 * {@code packets_out - sacked_out - lost_out + retrans_out}) cost nothing to ask for.
 *
 * <p>A ring of parallel arrays, starting small and doubling as the flight grows, up to
 * {@value #MAX_CAPACITY} segments; the sender sends no new segment while it is full.
 * Nothing here allocates but that growth. Loop only.
 */
final class TransmitQueue {

    static final byte SACKED = 1;
    static final byte LOST = 2;
    static final byte RETRANS = 4;
    static final byte EVER_RETRANS = 8;
    static final byte FIN = 16;

    /** The initial capacity in segments. */
    static final int INITIAL_CAPACITY = 16;
    /** The most segments held: the flight of a 64 MiB window of 1 KiB segments. */
    static final int MAX_CAPACITY = 1 << 16;

    private int[] starts;
    private int[] ends;
    private long[] sentAt;
    private long[] deliveredAtSend;
    private long[] deliveredTimeAtSend;
    private byte[] flags;
    private int head;
    private int count;
    private int mask;

    private int sackedBytes;
    private int lostBytes;
    private int retransBytes;

    private static final int[] NO_INTS = new int[0];
    private static final long[] NO_LONGS = new long[0];
    private static final byte[] NO_BYTES = new byte[0];

    /** An empty queue, taking no memory for segments until the first is appended. */
    TransmitQueue() {
        releaseArrays();
    }

    /**
     * Gives the arrays back when nothing is outstanding (an idle connection); they are
     * allocated again, at the initial capacity, with the next segment.
     *
     * @return true when arrays were released
     */
    boolean release() {
        if (count > 0 || mask < 0) {
            return false;
        }
        releaseArrays();
        return true;
    }

    private void releaseArrays() {
        starts = NO_INTS;
        ends = NO_INTS;
        sentAt = NO_LONGS;
        deliveredAtSend = NO_LONGS;
        deliveredTimeAtSend = NO_LONGS;
        flags = NO_BYTES;
        mask = -1;
        head = 0;
    }

    private void allocate(int capacity) {
        starts = new int[capacity];
        ends = new int[capacity];
        sentAt = new long[capacity];
        deliveredAtSend = new long[capacity];
        deliveredTimeAtSend = new long[capacity];
        flags = new byte[capacity];
        mask = capacity - 1;
        head = 0;
    }

    // ---- shape ---------------------------------------------------------------------------

    /** Segments held. */
    int size() {
        return count;
    }

    /** True when nothing is outstanding. */
    boolean isEmpty() {
        return count == 0;
    }

    /** True when no segment can be added. */
    boolean isFull() {
        return count == MAX_CAPACITY;
    }

    /** The current capacity in segments, 0 before the first segment (for tests and memory accounting). */
    int capacity() {
        return mask + 1;
    }

    private int slot(int i) {
        return (head + i) & mask;
    }

    int start(int i) {
        return starts[slot(i)];
    }

    int end(int i) {
        return ends[slot(i)];
    }

    /** The sequence numbers segment {@code i} takes, its FIN included. */
    int length(int i) {
        int s = slot(i);
        return ends[s] - starts[s];
    }

    /** The data bytes of segment {@code i} (its FIN not counted). */
    int dataLength(int i) {
        int s = slot(i);
        return ends[s] - starts[s] - ((flags[s] & FIN) != 0 ? 1 : 0);
    }

    long sentAt(int i) {
        return sentAt[slot(i)];
    }

    long deliveredAtSend(int i) {
        return deliveredAtSend[slot(i)];
    }

    long deliveredTimeAtSend(int i) {
        return deliveredTimeAtSend[slot(i)];
    }

    boolean has(int i, byte flag) {
        return (flags[slot(i)] & flag) != 0;
    }

    /** True when segment {@code i} is presumed lost and no retransmission of it is in flight. */
    boolean needsRetransmission(int i) {
        int f = flags[slot(i)];
        return (f & LOST) != 0 && (f & (RETRANS | SACKED)) == 0;
    }

    // ---- sums ------------------------------------------------------------------------------

    int sackedBytes() {
        return sackedBytes;
    }

    int lostBytes() {
        return lostBytes;
    }

    int retransBytes() {
        return retransBytes;
    }

    /**
     * The bytes presumed in the network (RFC 6675 4 SetPipe(), as Linux counts it): those
     * outstanding, less the SACKed and the lost, plus the retransmissions in flight.
     */
    int inFlight(int sndUna, int sndMax) {
        return Math.max(0, (sndMax - sndUna) - sackedBytes - lostBytes + retransBytes);
    }

    // ---- changes ----------------------------------------------------------------------------

    /** Appends a segment first sent at {@code now}; the caller checked {@link #isFull()}. */
    void append(int start, int end, boolean fin, long now, long delivered, long deliveredTime) {
        if (count == mask + 1) {
            grow();
        }
        int s = slot(count);
        starts[s] = start;
        ends[s] = end;
        sentAt[s] = now;
        deliveredAtSend[s] = delivered;
        deliveredTimeAtSend[s] = deliveredTime;
        flags[s] = fin ? FIN : 0;
        count++;
    }

    private void grow() {
        int[] os = starts;
        int[] oe = ends;
        long[] ot = sentAt;
        long[] od = deliveredAtSend;
        long[] odt = deliveredTimeAtSend;
        byte[] of = flags;
        int oldMask = mask;
        int oldHead = head;
        allocate(oldMask < 0 ? INITIAL_CAPACITY : (oldMask + 1) * 2);
        for (int i = 0; i < count; i++) {
            int o = (oldHead + i) & oldMask;
            starts[i] = os[o];
            ends[i] = oe[o];
            sentAt[i] = ot[o];
            deliveredAtSend[i] = od[o];
            deliveredTimeAtSend[i] = odt[o];
            flags[i] = of[o];
        }
    }

    /**
     * Splits segment {@code i} in two, its first {@code firstLength} sequence numbers and
     * the rest, when the path MTU fell below it (Linux's tcp_fragment): both keep its send
     * times and marks, the FIN goes with the second, and the sums do not change. Later
     * segments move up one place: this costs the flight's length, and happens only for
     * segments sent before the path MTU fell.
     *
     * @return false when the queue is full and nothing was split
     */
    boolean split(int i, int firstLength) {
        int s = slot(i);
        if (firstLength <= 0 || firstLength >= dataLength(i)) {
            throw new IllegalArgumentException("split of " + this + " at segment " + i + " after " + firstLength);
        }
        if (isFull()) {
            return false;
        }
        if (count == mask + 1) {
            grow();
            s = slot(i);
        }
        for (int j = count; j > i + 1; j--) {
            int to = slot(j);
            int from = slot(j - 1);
            starts[to] = starts[from];
            ends[to] = ends[from];
            sentAt[to] = sentAt[from];
            deliveredAtSend[to] = deliveredAtSend[from];
            deliveredTimeAtSend[to] = deliveredTimeAtSend[from];
            flags[to] = flags[from];
        }
        int t = slot(i + 1);
        int cut = starts[s] + firstLength;
        starts[t] = cut;
        ends[t] = ends[s];
        sentAt[t] = sentAt[s];
        deliveredAtSend[t] = deliveredAtSend[s];
        deliveredTimeAtSend[t] = deliveredTimeAtSend[s];
        flags[t] = flags[s];
        ends[s] = cut;
        flags[s] &= ~FIN;
        count++;
        return true;
    }

    /** Segment {@code i} was resent at {@code now}: a retransmission of it is in flight. */
    void onRetransmitted(int i, long now, long delivered, long deliveredTime) {
        int s = slot(i);
        if ((flags[s] & RETRANS) == 0) {
            retransBytes += ends[s] - starts[s];
        }
        flags[s] |= RETRANS | EVER_RETRANS;
        sentAt[s] = now;
        deliveredAtSend[s] = delivered;
        deliveredTimeAtSend[s] = deliveredTime;
    }

    /**
     * Marks segment {@code i} lost. When a retransmission of it was in flight, that one is
     * lost too (RFC 8985 6.2 judges the latest transmission): it is resent again.
     *
     * @return true when it was not marked lost before or its retransmission was in flight
     */
    boolean markLost(int i) {
        int s = slot(i);
        int f = flags[s];
        if ((f & SACKED) != 0) {
            return false;
        }
        int len = ends[s] - starts[s];
        boolean changed = false;
        if ((f & RETRANS) != 0) {
            retransBytes -= len;
            f &= ~RETRANS;
            changed = true;
        }
        if ((f & LOST) == 0) {
            lostBytes += len;
            f |= LOST;
            changed = true;
        }
        flags[s] = (byte) f;
        return changed;
    }

    /** Takes back the LOST marks of segments never resent (an undo: nothing was lost). */
    void unmarkLostNotRetransmitted() {
        for (int i = 0; i < count; i++) {
            int s = slot(i);
            int f = flags[s];
            if ((f & LOST) != 0 && (f & RETRANS) == 0) {
                lostBytes -= ends[s] - starts[s];
                flags[s] = (byte) (f & ~LOST);
            }
        }
    }

    /** Forgets every SACK mark (the peer may have reneged, RFC 2018 8). */
    void clearSacked() {
        for (int i = 0; i < count; i++) {
            flags[slot(i)] &= ~SACKED;
        }
        sackedBytes = 0;
    }

    private void setSacked(int s) {
        int f = flags[s];
        int len = ends[s] - starts[s];
        if ((f & LOST) != 0) {
            lostBytes -= len;
        }
        if ((f & RETRANS) != 0) {
            retransBytes -= len;
        }
        sackedBytes += len;
        flags[s] = (byte) ((f & ~(LOST | RETRANS)) | SACKED);
    }

    /**
     * Removes the segments the cumulative ACK {@code ack} covers, trimming one it covers in
     * part, and reports what they tell through {@code visitor}.
     */
    void acknowledge(int ack, AckVisitor visitor) {
        while (count > 0) {
            int s = head;
            if (SeqNum.le(ends[s], ack)) {
                int f = flags[s];
                int len = ends[s] - starts[s];
                if ((f & SACKED) != 0) {
                    sackedBytes -= len;
                } else {
                    if ((f & LOST) != 0) {
                        lostBytes -= len;
                    }
                    if ((f & RETRANS) != 0) {
                        retransBytes -= len;
                    }
                    visitor.delivered(starts[s], ends[s], sentAt[s], f, deliveredAtSend[s], deliveredTimeAtSend[s]);
                }
                head = (head + 1) & mask;
                count--;
                continue;
            }
            if (SeqNum.lt(starts[s], ack)) {
                int cut = ack - starts[s];
                int f = flags[s];
                if ((f & SACKED) != 0) {
                    sackedBytes -= cut;
                } else {
                    if ((f & LOST) != 0) {
                        lostBytes -= cut;
                    }
                    if ((f & RETRANS) != 0) {
                        retransBytes -= cut;
                    }
                    visitor.delivered(starts[s], ack, sentAt[s], f, deliveredAtSend[s], deliveredTimeAtSend[s]);
                }
                starts[s] = ack;
            }
            return;
        }
    }

    /**
     * Marks the segments that the ACK's SACK blocks cover wholly (RFC 2018; a block is
     * checked as Linux's tcp_is_sackblock_valid does: non-empty, above SND.UNA, not past
     * SND.MAX) and reports each newly SACKed one through {@code visitor}.
     *
     * @return the bytes SACKed for the first time
     */
    int sack(TcpOptions options, int sndUna, int sndMax, AckVisitor visitor) {
        int added = 0;
        for (int b = 0; b < options.sackBlockCount(); b++) {
            int start = options.sackStart(b);
            int end = options.sackEnd(b);
            if (!SeqNum.lt(start, end) || SeqNum.gt(end, sndMax) || SeqNum.le(end, sndUna)) {
                continue;
            }
            for (int i = firstEndingAfter(start); i < count; i++) {
                int s = slot(i);
                if (SeqNum.gt(ends[s], end)) {
                    break;
                }
                if (SeqNum.lt(starts[s], start) || (flags[s] & SACKED) != 0) {
                    continue;
                }
                int f = flags[s];
                visitor.delivered(starts[s], ends[s], sentAt[s], f, deliveredAtSend[s], deliveredTimeAtSend[s]);
                setSacked(s);
                added += ends[s] - starts[s];
            }
        }
        return added;
    }

    /** The index of the first segment ending after {@code seq} (binary search); {@link #size()} when none. */
    int firstEndingAfter(int seq) {
        int lo = 0;
        int hi = count;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (SeqNum.le(ends[slot(mid)], seq)) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** The index of the segment holding {@code seq}, or -1. */
    int indexOf(int seq) {
        int i = firstEndingAfter(seq);
        return i < count && SeqNum.le(starts[slot(i)], seq) ? i : -1;
    }

    /** The sequence number after the highest SACKed segment; {@code otherwise} when none is. */
    int highestSacked(int otherwise) {
        for (int i = count - 1; i >= 0; i--) {
            if ((flags[slot(i)] & SACKED) != 0) {
                return ends[slot(i)];
            }
        }
        return otherwise;
    }

    /** Segments SACKed above segment {@code i} (for RFC 6675's DupThresh and reordering degree). */
    int sackedSegmentsAbove(int i, int limit) {
        int n = 0;
        for (int j = count - 1; j > i && n < limit; j--) {
            if ((flags[slot(j)] & SACKED) != 0) {
                n++;
            }
        }
        return n;
    }

    /** What a segment leaving the queue or newly SACKed tells. */
    interface AckVisitor {
        /**
         * The bytes [start, end) of a segment were delivered (acknowledged or SACKed for the
         * first time); it was last sent at {@code sentAt}, with {@code flags} before this ACK.
         */
        void delivered(int start, int end, long sentAt, int flags, long deliveredAtSend, long deliveredTimeAtSend);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("TransmitQueue[");
        for (int i = 0; i < count; i++) {
            int s = slot(i);
            sb.append(i == 0 ? "" : " ").append(SeqNum.toString(starts[s])).append('-').append(SeqNum.toString(ends[s]));
            int f = flags[s];
            if ((f & SACKED) != 0) {
                sb.append('S');
            }
            if ((f & LOST) != 0) {
                sb.append('L');
            }
            if ((f & RETRANS) != 0) {
                sb.append('R');
            }
        }
        return sb.append(']').toString();
    }
}
