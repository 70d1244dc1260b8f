package org.tcpip4j.tcp.internal;

/**
 * A sender's congestion control (RFC 5681): how large the congestion window is and how it
 * answers acknowledgments and losses. One instance per connection; the sender asks it
 * for {@link #cwnd()} before each segment. Other algorithms (CUBIC, RFC 9438) plug in
 * here.
 */
interface CongestionControl {

    /** The congestion window in bytes. */
    int cwnd();

    /** The slow-start threshold in bytes. */
    int ssthresh();

    /** New data was acknowledged outside fast recovery. */
    void onAck(int ackedBytes, int mss);

    /** The third duplicate ACK: fast retransmit starts (RFC 5681 3.2, steps 2-3; RFC 6582 3.2). */
    void onFastRetransmit(int flightSize, int mss);

    /**
     * SACK-based loss recovery starts (RFC 6675 5 (4.2)): ssthresh = cwnd = FlightSize / 2;
     * no inflation, as the sender paces recovery by its estimate of the pipe.
     */
    void onLossRecovery(int flightSize, int mss);

    /** One more duplicate ACK in fast recovery (RFC 5681 3.2 step 4). */
    void onDuplicateAckInRecovery(int mss);

    /** A partial ACK in fast recovery (RFC 6582 3.2 step 3). */
    void onPartialAck(int ackedBytes, int mss);

    /** The ACK that ends fast recovery (RFC 6582 3.2 step 3, full acknowledgment). */
    void onRecoveryExit(int flightSize, int mss);

    /**
     * A tail loss probe repaired a loss that no other recovery saw (RFC 8985 7.4.2: the
     * sender "MUST" react "as it would to any other loss"): ssthresh = cwnd = cwnd / 2, at
     * least 2 SMSS.
     */
    void onLossRepairedByProbe(int mss);

    /** The retransmission timer expired (RFC 5681 3.1, equation 4 and the loss window). */
    void onRetransmissionTimeout(int flightSize, int mss);
}
