package org.tcpip4j.tcp.internal;

/**
 * The retransmissions of one SACK recovery, in the order they were sent, to find those that
 * were lost again (RACK's rule, RFC 8985 6.2, applied to retransmissions only): a segment
 * resent at time t is lost when a segment sent after t has been delivered (SACKed, or
 * first sent after it and SACKed) and more than a round trip plus a reordering window
 * has passed since t. RFC 6675 alone resends each hole once, so such a loss waited for the
 * retransmission timer.
 *
 * <p>Up to {@value #CAPACITY} retransmissions are remembered; past that, new ones are not,
 * which only leaves their loss to the retransmission timer. The reordering window is
 * SRTT / 4 (RFC 8985 6.2 uses min_RTT / 4; we keep no minimum). Parallel arrays, allocated
 * once; loop only.
 */
final class ResentSegments {

    /** Retransmissions remembered at most. */
    static final int CAPACITY = 64;

    private final int[] starts = new int[CAPACITY];
    private final int[] ends = new int[CAPACITY];
    /** SND.MAX when the segment was resent: data from there on was first sent after it. */
    private final int[] sentBefore = new int[CAPACITY];
    private final long[] sentAt = new long[CAPACITY];
    private int count;

    /** Forgets everything (recovery ended). */
    void clear() {
        count = 0;
    }

    /** Records that [start, end) was resent at {@code now}, with SND.MAX at {@code sndMax}. */
    void record(int start, int end, int sndMax, long now) {
        if (count == CAPACITY || !SeqNum.lt(start, end)) {
            return;
        }
        starts[count] = start;
        ends[count] = end;
        sentBefore[count] = sndMax;
        sentAt[count] = now;
        count++;
    }

    /**
     * Finds the earliest-sent retransmission lost again, forgets it and every one
     * acknowledged or SACKed, and returns its start; the caller resends it (and records it
     * anew).
     *
     * @return the first sequence number of a lost retransmission; {@code sndUna - 1} (never
     *     outstanding) when there is none
     */
    int takeLost(SackScoreboard scoreboard, int sndUna, long now, long rtt) {
        long window = rtt + rtt / 4; // RTT + reordering window (RFC 8985 6.2, step 5)
        int highestSacked = scoreboard.isEmpty() ? sndUna : scoreboard.highestSacked();
        boolean laterDelivered = false;
        int lost = -1;
        // Newest first: whether one sent later was delivered is known when an older one is judged.
        for (int i = count - 1; i >= 0; i--) {
            boolean acked = SeqNum.le(ends[i], sndUna);
            boolean delivered = acked || scoreboard.isSacked(starts[i]);
            if (!delivered && (laterDelivered || SeqNum.gt(highestSacked, sentBefore[i]))
                    && now - sentAt[i] >= window) {
                lost = i; // keep looking: the earliest sent goes first
            }
            laterDelivered |= delivered;
        }
        int lostStart = lost >= 0 ? starts[lost] : sndUna - 1;
        // Compact: drop what was delivered, and the lost one.
        int kept = 0;
        for (int i = 0; i < count; i++) {
            boolean delivered = SeqNum.le(ends[i], sndUna) || scoreboard.isSacked(starts[i]);
            if (delivered || i == lost) {
                continue;
            }
            starts[kept] = SeqNum.max(starts[i], sndUna);
            ends[kept] = ends[i];
            sentBefore[kept] = sentBefore[i];
            sentAt[kept] = sentAt[i];
            kept++;
        }
        count = kept;
        return lostStart;
    }

    /** Retransmissions remembered (for tests). */
    int size() {
        return count;
    }
}
