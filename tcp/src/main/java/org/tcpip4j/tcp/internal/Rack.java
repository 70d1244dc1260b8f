package org.tcpip4j.tcp.internal;

import org.tcpip4j.netif.loop.EventLoop;

/**
 * RACK, time-based loss detection (RFC 8985 6): a segment is lost when a segment sent
 * after it has been delivered and more than a round trip plus a reordering window has
 * passed since it was sent. Unlike counting duplicate ACKs, this finds lost
 * retransmissions, losses at the tail of a small flight, and tolerates reordering.
 *
 * <ul>
 *   <li>6.2 step 2 (RACK_update): each newly delivered segment updates RACK.rtt and the
 *       send time and end of the most recently sent delivered segment; a delivered segment
 *       that was retransmitted is ignored when its round trip is shorter than the minimum
 *       round trip (the original's delivery, not the retransmission's).
 *   <li>Step 3: a segment never retransmitted delivered below the highest delivered
 *       sequence (RACK.fack) shows reordering: the reordering window opens, and the degree
 *       (in segments) is kept for diagnostics.
 *   <li>Step 4: the reordering window is 0 before any reordering was seen once in
 *       recovery or DupThresh segments are SACKed, else min_RTT / 4 times a multiplier
 *       that each round with a D-SACK raises and 16 D-SACK-free recoveries reset, at most
 *       SRTT.
 *   <li>Step 5: every outstanding segment sent before the most recently delivered one is
 *       lost once its send time plus RACK.rtt plus the window has passed; for those not yet
 *       due, the reordering timer is armed for the earliest (6.3).
 * </ul>
 *
 * <p>The walk in step 5 goes in sequence order from SND.UNA and stops at the first
 * segment never retransmitted that was sent after RACK.xmit_ts: segments never
 * retransmitted were sent in sequence order, and a retransmission beyond it was sent
 * later still. Loop only; nothing allocates after construction.
 */
final class Rack extends TimerOwner {

    /** RFC 6675 2, RFC 8985 6.2 step 4: DupThresh. */
    static final int DUP_THRESH = 3;
    /** RFC 8985 6.2 step 4: D-SACK-free recoveries after which the multiplier resets. */
    static final int REO_WND_PERSIST = 16;

    private final Runnable onTimeout;

    /** RACK.xmit_ts: the send time of the most recently sent segment delivered. */
    private long xmitTs;
    /** RACK.end_seq: that segment's end. */
    private int endSeq;
    /** RACK.rtt: the round trip of that segment. */
    private long rtt;
    private boolean valid;
    /** RACK.fack: the highest sequence number delivered. */
    private int fack;
    private boolean fackValid;
    /** RACK.reordering_seen. */
    private boolean reorderingSeen;
    /** The largest reordering seen, in segments. */
    private int reorderingDegree;
    private int reoWndMult = 1;
    private int reoWndPersist;
    private int dsackRound;
    /** Retransmissions among the segments the last {@link #detectLoss} marked lost. */
    private int lostRetransmissions;
    private boolean dsackRoundValid;

    Rack(EventLoop loop, Runnable onTimeout) {
        super(loop);
        this.onTimeout = onTimeout;
    }

    /**
     * Steps 2 and 3 for one newly delivered segment.
     *
     * @param minRtt the minimum round trip seen, nanoseconds (-1 before any)
     */
    void onDelivered(int start, int end, long sentAt, boolean everRetransmitted, long minRtt, int mss) {
        if (fackValid && SeqNum.lt(end, fack) && !everRetransmitted) {
            reorderingSeen = true;
            int degree = (int) Math.min(Integer.MAX_VALUE, (long) (fack - start + mss - 1) / Math.max(1, mss));
            reorderingDegree = Math.max(reorderingDegree, degree);
        }
        if (!fackValid || SeqNum.gt(end, fack)) {
            fack = end;
            fackValid = true;
        }
        long segmentRtt = Math.max(0, loop.nanoTime() - sentAt);
        if (everRetransmitted && minRtt >= 0 && segmentRtt < minRtt) {
            return; // the original's delivery, not the retransmission's
        }
        rtt = segmentRtt;
        if (!valid || sentAfter(sentAt, end, xmitTs, endSeq)) {
            xmitTs = sentAt;
            endSeq = end;
            valid = true;
        }
    }

    /** RFC 8985 6.2: RACK_sent_after(t1, seq1, t2, seq2). */
    static boolean sentAfter(long t1, int seq1, long t2, int seq2) {
        return t1 > t2 || (t1 == t2 && SeqNum.gt(seq1, seq2));
    }

    /** An ACK carried a D-SACK (RFC 2883): step 4 widens the window once per round. */
    void onDsack(int sndUna, int sndMax) {
        if (dsackRoundValid && SeqNum.ge(sndUna, dsackRound)) {
            dsackRoundValid = false;
        }
        if (!dsackRoundValid) {
            dsackRound = sndMax;
            dsackRoundValid = true;
            reoWndMult++;
            reoWndPersist = REO_WND_PERSIST;
        }
    }

    /** Recovery (fast or after a timeout) ended: step 4 counts down to resetting the multiplier. */
    void onRecoveryEnd() {
        if (reoWndPersist > 0 && --reoWndPersist == 0) {
            reoWndMult = 1;
        }
    }

    /** Step 4: the reordering window in nanoseconds. */
    long reorderingWindow(boolean inRecovery, boolean dupThreshSacked, long minRtt, long srtt) {
        if (!reorderingSeen && (inRecovery || dupThreshSacked)) {
            return 0;
        }
        if (minRtt < 0) {
            return 0;
        }
        long window = reoWndMult * (minRtt / 4);
        return srtt > 0 ? Math.min(window, srtt) : window;
    }

    /**
     * Step 5: marks lost every segment of {@code queue} sent before the most recently
     * delivered one whose time is up, and arms the reordering timer for the earliest of
     * those not yet due.
     *
     * @return the number of segments newly marked lost
     */
    int detectLoss(TransmitQueue queue, long reoWnd) {
        if (!valid) {
            return 0;
        }
        long now = loop.nanoTime();
        long timeout = 0;
        int marked = 0;
        lostRetransmissions = 0;
        for (int i = 0; i < queue.size(); i++) {
            boolean retransmitted = queue.has(i, TransmitQueue.RETRANS);
            long sentAt = queue.sentAt(i);
            if (!sentAfter(xmitTs, endSeq, sentAt, queue.end(i))) {
                if (!queue.has(i, TransmitQueue.EVER_RETRANS)) {
                    break; // sent in order after it, as is all that follows but later retransmissions
                }
                continue;
            }
            if (queue.has(i, TransmitQueue.SACKED) || (queue.has(i, TransmitQueue.LOST) && !retransmitted)) {
                continue;
            }
            long remaining = sentAt + rtt + reoWnd - now;
            if (remaining <= 0) {
                if (queue.markLost(i)) {
                    marked++;
                    if (retransmitted) {
                        lostRetransmissions++;
                    }
                }
            } else {
                timeout = Math.max(timeout, remaining);
            }
        }
        if (timeout > 0) {
            timer().schedule(timeout);
        } else if (timerScheduled()) {
            cancelTimer();
        }
        return marked;
    }

    /** Retransmissions among the segments the last {@link #detectLoss} marked lost (RFC 8985 6.2: lost again). */
    int lostRetransmissions() {
        return lostRetransmissions;
    }

    /** Stops the reordering timer. */
    void cancel() {
        if (timerScheduled()) {
            cancelTimer();
        }
    }

    /** True while the reordering timer is armed. */
    boolean timerArmed() {
        return timerScheduled();
    }

    @Override
    void onTimer() {
        onTimeout.run();
    }

    /** True once reordering was seen on this connection. */
    boolean reorderingSeen() {
        return reorderingSeen;
    }

    /** The largest reordering seen, in segments; 0 when none. */
    int reorderingDegree() {
        return reorderingDegree;
    }

    /** The current D-SACK multiplier of the window (for tests). */
    int reoWndMult() {
        return reoWndMult;
    }

}
