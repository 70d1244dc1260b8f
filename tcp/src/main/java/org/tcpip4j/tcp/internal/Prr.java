package org.tcpip4j.tcp.internal;

/**
 * Proportional Rate Reduction (RFC 6937): how much a sender may send on each ACK during
 * fast recovery, so that the data in flight comes down smoothly from the flight at the
 * start of recovery to ssthresh, instead of stopping (RFC 6675) or bursting (RFC 5681's
 * inflation). With the slow-start reduction bound (PRR-SSRB) once the flight is below
 * ssthresh, as Linux uses it (tcp_cwnd_reduction): the flight grows back towards ssthresh
 * by at most the data delivered plus one segment per ACK, and only while ACKs advance
 * SND.UNA and reveal no new loss; otherwise by what was delivered (conservative).
 *
 * <p>All quantities are bytes. Loop only; nothing allocates.
 */
final class Prr {

    /** RecoverFS: the flight when recovery started. */
    private long recoverFs;
    /** prr_delivered: bytes delivered to the receiver since recovery started. */
    private long delivered;
    /** prr_out: bytes sent since recovery started. */
    private long out;
    private int ssthresh;

    /** Recovery starts with {@code flightSize} bytes outstanding and the algorithm's new {@code ssthresh}. */
    void start(int flightSize, int ssthresh) {
        this.recoverFs = Math.max(1, flightSize);
        this.ssthresh = ssthresh;
        this.delivered = 0;
        this.out = 0;
    }

    /**
     * RFC 6937 3, on each ACK during recovery: the bytes that may be sent now.
     *
     * @param deliveredData the bytes this ACK delivered (cumulatively or by SACK)
     * @param pipe the bytes in flight after the ACK was processed
     * @param mss the sender's maximum segment size
     * @param unaAdvancedNoNewLoss the ACK advanced SND.UNA and marked nothing newly lost
     *     (then PRR-SSRB may grow the flight by one extra segment)
     */
    int sendQuota(int deliveredData, int pipe, int mss, boolean unaAdvancedNoNewLoss) {
        delivered += deliveredData;
        long sndcnt;
        if (pipe > ssthresh) {
            // Proportional part: sndcnt = CEIL(prr_delivered * ssthresh / RecoverFS) - prr_out.
            sndcnt = ceilDiv(delivered * ssthresh, recoverFs) - out;
        } else if (unaAdvancedNoNewLoss) {
            // PRR-SSRB: limit = MAX(prr_delivered - prr_out, DeliveredData) + MSS.
            long limit = Math.max(delivered - out, deliveredData) + mss;
            sndcnt = Math.min((long) ssthresh - pipe, limit);
        } else {
            // Conservative reduction bound: no more than was delivered.
            sndcnt = Math.min((long) ssthresh - pipe, deliveredData);
        }
        if (out == 0 && sndcnt < mss) {
            sndcnt = mss; // the fast retransmit goes out at once (Linux forces one segment on entry)
        }
        return (int) Math.clamp(sndcnt, 0, Integer.MAX_VALUE);
    }

    /** Bytes were sent during recovery (prr_out). */
    void onSent(int bytes) {
        out += bytes;
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }
}
