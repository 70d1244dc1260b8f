package org.tcpip4j.tcp.internal;

/** The connection states of RFC 9293 3.3.2 (LISTEN lives in {@link Listener}). */
enum TcpState {
    /** Sent a SYN, waiting for the peer's (RFC 9293 3.10.7.3). */
    SYN_SENT,
    /** Received a SYN, sent ours, waiting for its acknowledgment. */
    SYN_RECEIVED,
    /** Open: data flows both ways. */
    ESTABLISHED,
    /** We sent FIN (or queued it behind data), not yet acknowledged. */
    FIN_WAIT_1,
    /** Our FIN is acknowledged; waiting for the peer's. */
    FIN_WAIT_2,
    /** The peer sent FIN; we may still send. */
    CLOSE_WAIT,
    /** Both sent FIN at once; waiting for the acknowledgment of ours. */
    CLOSING,
    /** The peer closed first, then we did; waiting for the acknowledgment of our FIN. */
    LAST_ACK,
    /** Both closed; lingering 2 MSL to absorb old segments (RFC 9293 3.4.2). */
    TIME_WAIT,
    /** No connection. */
    CLOSED;

    /** True in the synchronized states of RFC 9293 3.5.2: ESTABLISHED through TIME_WAIT. */
    boolean isSynchronized() {
        return this != SYN_SENT && this != SYN_RECEIVED && this != CLOSED;
    }

    /** True in the states where received data is delivered (RFC 9293 3.10.7.4, seventh). */
    boolean receivesData() {
        return this == ESTABLISHED || this == FIN_WAIT_1 || this == FIN_WAIT_2;
    }

    /** True in the states where the user may still queue data to send. */
    boolean acceptsWrites() {
        return this == ESTABLISHED || this == CLOSE_WAIT;
    }

    /** True when our FIN has been queued (the send direction is closed). */
    boolean finQueued() {
        return this == FIN_WAIT_1 || this == FIN_WAIT_2 || this == CLOSING || this == LAST_ACK
            || this == TIME_WAIT;
    }
}
