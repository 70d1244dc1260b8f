package org.tcpip4j.tcp.internal;

import org.tcpip4j.tcp.internal.wire.TcpOptions;

/**
 * The SACK blocks a data receiver reports (RFC 2018 4), built from the out-of-order
 * ranges the {@link ReceiveBuffer} holds.
 *
 * <p>RFC 2018 4: the first block must be the one holding the segment that triggered the
 * ACK (unless that segment advanced RCV.NXT), and the others repeat the most recently
 * reported first blocks, so that a sender who lost some ACKs still hears of every range.
 * This class remembers a byte of each of the last four ranges that received data, most
 * recent first; a block is the whole range holding that byte now (ranges merge as holes
 * fill, and leave once RCV.NXT passes them). Slots the remembered ranges do not fill are
 * given to the other held ranges, lowest first.
 *
 * <p>A duplicate segment is reported once, in a D-SACK block (RFC 2883 4): the first block
 * of the next ACK names the duplicated bytes, below the cumulative ACK or inside a held
 * range (then that range follows it), so that the sender can tell a needless
 * retransmission. Loop only; nothing here allocates.
 */
final class SackBlocks {

    private final int[] recent = new int[TcpOptions.MAX_SACK_BLOCKS];
    private int recentCount;
    private final int[] starts = new int[TcpOptions.MAX_SACK_BLOCKS];
    private final int[] ends = new int[TcpOptions.MAX_SACK_BLOCKS];
    private int count;
    private boolean duplicatePending;
    private int duplicateStart;
    private int duplicateEnd;

    /** Bytes [start, end) arrived again: the next ACK reports them first (RFC 2883 4). */
    void onDuplicate(int start, int end) {
        duplicatePending = true;
        duplicateStart = start;
        duplicateEnd = end;
    }

    /** The out-of-order data was dropped (memory pressure): no block names it any more. */
    void clear() {
        recentCount = 0;
    }

    /** An ACK left: a D-SACK block is reported once. */
    void onAckSent() {
        duplicatePending = false;
    }

    /**
     * Out-of-order data starting at {@code seq} was stored, or found already stored: its
     * range becomes the first block. Entries in the same range, or passed by RCV.NXT, are
     * dropped so that the four slots name four distinct ranges.
     */
    void onOutOfOrder(int seq, int rcvNxt, ReceiveBuffer buffer) {
        int range = buffer.rangeHolding(seq - rcvNxt);
        int kept = 0;
        for (int i = 0; i < recentCount; i++) {
            int offset = recent[i] - rcvNxt;
            if (offset <= 0) {
                continue;
            }
            int r = buffer.rangeHolding(offset);
            if (r < 0 || r == range) {
                continue;
            }
            recent[kept++] = recent[i];
        }
        int n = Math.min(kept, recent.length - 1);
        System.arraycopy(recent, 0, recent, 1, n);
        recent[0] = seq;
        recentCount = n + 1;
    }

    /**
     * Builds at most {@code max} blocks for an ACK of {@code rcvNxt}.
     *
     * @return the number of blocks, read with {@link #start} and {@link #end}
     */
    int build(int rcvNxt, ReceiveBuffer buffer, int max) {
        count = 0;
        if (duplicatePending && max > 0) {
            starts[0] = duplicateStart;
            ends[0] = duplicateEnd;
            count = 1;
        }
        if (buffer == null || !buffer.hasOutOfOrder()) {
            recentCount = 0;
            return count;
        }
        long used = 0;
        for (int i = 0; i < recentCount && count < max; i++) {
            int offset = recent[i] - rcvNxt;
            int r = offset > 0 ? buffer.rangeHolding(offset) : -1;
            if (r >= 0 && r < 64 && (used & (1L << r)) == 0) {
                used |= 1L << r;
                add(rcvNxt, buffer, r);
            }
        }
        int ranges = buffer.rangeCount();
        for (int r = 0; r < ranges && count < max; r++) {
            if (r >= 64 || (used & (1L << r)) == 0) {
                add(rcvNxt, buffer, r);
            }
        }
        return count;
    }

    private void add(int rcvNxt, ReceiveBuffer buffer, int range) {
        starts[count] = rcvNxt + buffer.rangeStart(range);
        ends[count] = rcvNxt + buffer.rangeEnd(range);
        count++;
    }

    /** The left edge of block {@code i} of the last {@link #build}. */
    int start(int i) {
        return starts[i];
    }

    /** The right edge (exclusive) of block {@code i} of the last {@link #build}. */
    int end(int i) {
        return ends[i];
    }
}
