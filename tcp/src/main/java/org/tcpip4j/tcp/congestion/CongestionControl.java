package org.tcpip4j.tcp.congestion;

/**
 * A connection's congestion control (RFC 5681, RFC 9438, ...): how large the congestion
 * window is and how it answers acknowledgments, losses and timeouts. One instance per
 * connection, created by a {@link CongestionControlProvider}; every call comes from the
 * stack's event loop, so an implementation needs no synchronisation, and it must not
 * allocate per call (it is asked on every ACK).
 *
 * <p>The sender owns loss detection (SACK, RACK-TLP, duplicate ACKs) and what is sent
 * during recovery (Proportional Rate Reduction, RFC 6937): the algorithm decides the
 * window before and after a recovery ({@link #onRecoveryStart} sets ssthresh, PRR brings
 * the flight down to it, and {@link #onRecoveryEnd} settles cwnd), grows it on
 * acknowledgments outside recovery ({@link #onAck}), collapses it on a retransmission
 * timeout, and restores it when the sender finds a reduction was spurious
 * ({@link #onUndo}).
 *
 * <p>Every callback receives the same {@link CongestionSample}, a view the sender refills
 * for each event: read what you need during the call, and keep nothing of it.
 */
public interface CongestionControl {

    /** The congestion window in bytes: how much may be in flight outside recovery. */
    int cwnd();

    /** The slow-start threshold in bytes; {@link Integer#MAX_VALUE} until the first loss. */
    int ssthresh();

    /** True while the window grows by slow start (cwnd below ssthresh). */
    default boolean inSlowStart() {
        return cwnd() < ssthresh();
    }

    /**
     * An acknowledgment delivered data (cumulatively or by SACK) while no recovery is under
     * way. Grow the window here, typically only when {@link CongestionSample#cwndLimited()}.
     */
    void onAck(CongestionSample sample);

    /**
     * An acknowledgment during recovery delivered data. The sender paces recovery itself;
     * most algorithms only track time and round trips here. The default does nothing.
     */
    default void onAckInRecovery(CongestionSample sample) {
    }

    /**
     * Loss was detected and fast recovery starts (RFC 5681 3.2, RFC 6675 5, RFC 8985):
     * set ssthresh to the window to reduce to (NewReno: half the flight, CUBIC: beta times
     * cwnd). The sender then sends by PRR until {@link #onRecoveryEnd}.
     */
    void onRecoveryStart(CongestionSample sample);

    /** Recovery ended (the cumulative ACK passed the recovery point): settle cwnd, normally at ssthresh. */
    void onRecoveryEnd(CongestionSample sample);

    /**
     * The retransmission timer expired (RFC 5681 3.1): reduce ssthresh (unless the timeout
     * repeats one already reacted to, see {@link CongestionSample#consecutiveTimeouts()})
     * and set cwnd to the loss window, one segment.
     */
    void onRetransmissionTimeout(CongestionSample sample);

    /**
     * The last reduction (recovery or timeout) was spurious: the lost-looking data had
     * arrived (D-SACK, RFC 3708; timestamps, RFC 3522; F-RTO, RFC 5682). Restore the
     * window and threshold held before it (Linux's undo).
     */
    void onUndo(CongestionSample sample);

    /**
     * The connection sent nothing for more than a retransmission timeout and starts again
     * (RFC 5681 4.1, RFC 7661): the default leaves the window alone.
     */
    default void onRestartAfterIdle(CongestionSample sample) {
    }
}
