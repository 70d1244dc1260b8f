package org.tcpip4j.tcp.internal;

/**
 * What the segments one ACK delivered tell the sender, collected as {@link TransmitQueue}
 * reports them (cumulatively acknowledged or newly SACKed), and the connection's delivery
 * rate (draft-cheng-iccrg-delivery-rate-estimation: the bytes delivered between the send
 * of the most recently sent segment delivered and now, over the time between): the bytes,
 * the send times that time round trips (Karn: never a resent segment's, RFC 6298 3), what
 * F-RTO needs (RFC 5682: was a segment never resent delivered?), and RACK's update of each
 * segment (RFC 8985 6.2 steps 2 and 3). One per connection, reset per ACK; nothing here
 * allocates. Loop only.
 */
final class AckDelivery implements TransmitQueue.AckVisitor {

    private final Rack rack;
    private int mss;
    private long minRtt;

    /** Bytes this ACK delivered. */
    int bytes;
    /** It acknowledged something cumulatively. */
    boolean ackedAny;
    /** A segment resent at least once was acknowledged cumulatively. */
    boolean ackedRetransmitted;
    long oldestAckedSentAt;
    long newestAckedSentAt;
    long newestSackedSentAt;
    /** Send time of the oldest never-retransmitted segment delivered (F-RTO); -1 when none. */
    long oldestOriginalSentAt;
    private long rateFrom;
    private long rateFromTime;
    /** True while the cumulative ACK removes segments, false while SACK blocks mark them. */
    boolean cumulativePhase;

    /** Bytes delivered (acknowledged or SACKed) over the connection, and when that last grew. */
    long delivered;
    long deliveredTime;
    /** The last delivery-rate sample, bytes per second; -1 before any. */
    long deliveryRate = -1;
    /**
     * The longest segment delivered since the sender last cleared it (the MSS fell): what
     * the path has shown it carries, below which black-hole detection never goes.
     */
    int largestDelivered;

    AckDelivery(Rack rack) {
        this.rack = rack;
    }

    /** Starts an ACK: forgets the last one's findings. */
    void reset(int mss, long minRtt) {
        this.mss = mss;
        this.minRtt = minRtt;
        bytes = 0;
        ackedAny = false;
        ackedRetransmitted = false;
        oldestAckedSentAt = -1;
        newestAckedSentAt = -1;
        newestSackedSentAt = -1;
        oldestOriginalSentAt = -1;
        rateFrom = -1;
        rateFromTime = 0;
    }

    /** Ends an ACK at {@code now}: adds what it delivered to the total and takes a rate sample. */
    void finish(long now) {
        if (bytes <= 0) {
            return;
        }
        delivered += bytes;
        deliveredTime = now;
        if (rateFrom >= 0 && now - rateFromTime > 0) {
            deliveryRate = (delivered - rateFrom) * 1_000_000_000L / (now - rateFromTime);
        }
    }

    /** The round trip of the most recently sent segment SACKed by this ACK, or -1. */
    long newestSackedRtt(long now) {
        return newestSackedSentAt >= 0 ? Math.max(0, now - newestSackedSentAt) : -1;
    }

    @Override
    public void delivered(int start, int end, long sentAt, int flags, long deliveredAtSend, long deliveredTimeAtSend) {
        bytes += end - start;
        largestDelivered = Math.max(largestDelivered, end - start);
        boolean everRetransmitted = (flags & TransmitQueue.EVER_RETRANS) != 0;
        if (!everRetransmitted) {
            if (oldestOriginalSentAt < 0 || sentAt < oldestOriginalSentAt) {
                oldestOriginalSentAt = sentAt;
            }
            if (cumulativePhase) {
                if (oldestAckedSentAt < 0) {
                    oldestAckedSentAt = sentAt;
                }
                newestAckedSentAt = Math.max(newestAckedSentAt, sentAt);
            } else {
                newestSackedSentAt = Math.max(newestSackedSentAt, sentAt);
            }
        }
        if (cumulativePhase) {
            ackedAny = true;
            ackedRetransmitted |= everRetransmitted;
        }
        if (deliveredAtSend > rateFrom) {
            rateFrom = deliveredAtSend;
            rateFromTime = deliveredTimeAtSend;
        }
        rack.onDelivered(start, end, sentAt, everRetransmitted, minRtt, mss);
    }
}
