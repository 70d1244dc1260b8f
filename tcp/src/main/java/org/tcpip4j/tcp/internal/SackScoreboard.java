package org.tcpip4j.tcp.internal;

import org.tcpip4j.tcp.internal.wire.TcpOptions;

/**
 * A data sender's record of what the peer has selectively acknowledged (RFC 2018; the
 * scoreboard of RFC 6675 3): disjoint, sorted ranges of sequence numbers above SND.UNA,
 * and the questions RFC 6675 asks of them (IsLost, the holes between them, pipe).
 *
 * <p>Blocks are checked before they are believed (as Linux's tcp_is_sackblock_valid
 * does): a block must be non-empty, lie below SND.MAX, and end above SND.UNA; a part
 * below SND.UNA is cut off, and a block wholly below it (a D-SACK, RFC 2883, or a stale
 * report) is ignored. At most {@value #MAX_RANGES} ranges are kept; past that the
 * highest are forgotten, which only costs a needless retransmission. Loop only; nothing
 * here allocates.
 */
final class SackScoreboard {

    /** Ranges kept at most. */
    static final int MAX_RANGES = 64;
    /** RFC 6675 2: DupThresh. */
    static final int DUP_THRESH = 3;

    private final int[] starts = new int[MAX_RANGES];
    private final int[] ends = new int[MAX_RANGES];
    private int ranges;

    /** Ranges held. */
    int rangeCount() {
        return ranges;
    }

    /** The first sequence number of range {@code i}, in order of sequence. */
    int rangeStart(int i) {
        return starts[i];
    }

    /** The sequence number after range {@code i}. */
    int rangeEnd(int i) {
        return ends[i];
    }

    /** True when nothing is selectively acknowledged. */
    boolean isEmpty() {
        return ranges == 0;
    }

    /** Forgets everything (after a retransmission timeout, RFC 2018 8). */
    void clear() {
        ranges = 0;
    }

    /** The sequence number after the highest SACKed byte; meaningful when not empty. */
    int highestSacked() {
        return ends[ranges - 1];
    }

    /**
     * Records the SACK blocks of an ACK (RFC 6675 3, Update()).
     *
     * @return the number of bytes selectively acknowledged for the first time
     */
    int update(TcpOptions options, int sndUna, int sndMax) {
        int added = 0;
        for (int b = 0; b < options.sackBlockCount(); b++) {
            int start = options.sackStart(b);
            int end = options.sackEnd(b);
            if (!SeqNum.lt(start, end) || SeqNum.gt(end, sndMax) || SeqNum.le(end, sndUna)) {
                continue;
            }
            if (SeqNum.lt(start, sndUna)) {
                start = sndUna;
            }
            added += add(start, end);
        }
        return added;
    }

    /** The cumulative ACK reached {@code sndUna}: ranges below it go. */
    void onCumulativeAck(int sndUna) {
        int drop = 0;
        while (drop < ranges && SeqNum.le(ends[drop], sndUna)) {
            drop++;
        }
        if (drop > 0) {
            System.arraycopy(starts, drop, starts, 0, ranges - drop);
            System.arraycopy(ends, drop, ends, 0, ranges - drop);
            ranges -= drop;
        }
        if (ranges > 0 && SeqNum.lt(starts[0], sndUna)) {
            starts[0] = sndUna;
        }
    }

    /** Merges [start, end); returns the bytes it newly covers. */
    private int add(int start, int end) {
        int i = 0;
        while (i < ranges && SeqNum.lt(ends[i], start)) {
            i++;
        }
        int j = i;
        int newStart = start;
        int newEnd = end;
        int covered = 0;
        while (j < ranges && SeqNum.le(starts[j], end)) {
            newStart = SeqNum.min(newStart, starts[j]);
            newEnd = SeqNum.max(newEnd, ends[j]);
            covered += ends[j] - starts[j];
            j++;
        }
        int merged = j - i;
        if (merged == 0) {
            if (ranges == MAX_RANGES) {
                if (i == ranges) {
                    return 0; // the highest: forget it
                }
                ranges--; // forget the highest to make room
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
        return (newEnd - newStart) - covered;
    }

    /** True when {@code seq} is selectively acknowledged. */
    boolean isSacked(int seq) {
        return rangeHolding(seq) >= 0;
    }

    /** The index of the range holding {@code seq}, or -1. */
    private int rangeHolding(int seq) {
        for (int i = 0; i < ranges; i++) {
            if (SeqNum.le(starts[i], seq) && SeqNum.lt(seq, ends[i])) {
                return i;
            }
            if (SeqNum.gt(starts[i], seq)) {
                break;
            }
        }
        return -1;
    }

    /** {@code seq}, or the end of the SACKed range holding it: the first byte from there not SACKed. */
    int skipSacked(int seq) {
        int r = rangeHolding(seq);
        return r < 0 ? seq : ends[r];
    }

    /** The start of the first range above {@code seq}, or {@code limit} when there is none below it. */
    int nextSackedAfter(int seq, int limit) {
        for (int i = 0; i < ranges; i++) {
            if (SeqNum.gt(starts[i], seq)) {
                return SeqNum.min(starts[i], limit);
            }
        }
        return limit;
    }

    /**
     * RFC 6675 4, IsLost(seq): at least DupThresh discontiguous SACKed ranges, or more than
     * (DupThresh - 1) * SMSS SACKed bytes, lie above {@code seq}.
     */
    boolean isLost(int seq, int mss) {
        int count = 0;
        long bytes = 0;
        for (int i = ranges - 1; i >= 0 && SeqNum.gt(ends[i], seq); i--) {
            count++;
            bytes += ends[i] - SeqNum.max(starts[i], seq + 1);
            if (count >= DUP_THRESH || bytes > (long) (DUP_THRESH - 1) * mss) {
                return true;
            }
        }
        return false;
    }

    /**
     * RFC 6675 4, SetPipe(): the bytes between {@code sndUna} and {@code sndMax} that are
     * presumed in the network: those not SACKed and not lost, plus those retransmitted
     * below {@code highRxt} (exclusive). A hole's bytes are all lost or all not, since the
     * same SACKed ranges lie above each of them, so this is a walk over the holes. Holes
     * starting below {@code lostBelow} are lost whatever lies above them (a loss found by
     * time, RFC 8985 6.2; {@code sndUna} when there is none).
     */
    int pipe(int sndUna, int sndMax, int highRxt, int mss, int lostBelow) {
        long pipe = 0;
        int count = 0;
        long bytesAbove = 0;
        int holeEnd = sndMax;
        for (int i = ranges - 1; i >= -1; i--) {
            int holeStart = i >= 0 ? ends[i] : sndUna;
            if (SeqNum.lt(holeStart, sndUna)) {
                holeStart = sndUna;
            }
            if (SeqNum.lt(holeStart, holeEnd)) {
                boolean lost = count >= DUP_THRESH || bytesAbove > (long) (DUP_THRESH - 1) * mss
                    || SeqNum.lt(holeStart, lostBelow);
                if (!lost) {
                    pipe += holeEnd - holeStart;
                }
                int retransmittedEnd = SeqNum.min(holeEnd, highRxt);
                if (SeqNum.lt(holeStart, retransmittedEnd)) {
                    pipe += retransmittedEnd - holeStart;
                }
            }
            if (i >= 0) {
                count++;
                bytesAbove += ends[i] - starts[i];
                holeEnd = starts[i];
            }
        }
        return (int) Math.min(pipe, Integer.MAX_VALUE);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("SackScoreboard[");
        for (int i = 0; i < ranges; i++) {
            sb.append(i == 0 ? "" : " ").append(SeqNum.toString(starts[i])).append('-')
                .append(SeqNum.toString(ends[i]));
        }
        return sb.append(']').toString();
    }
}
