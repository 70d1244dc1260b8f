package org.tcpip4j.tcp.congestion;

/**
 * What the sender knows at a congestion-control event: one reusable view, refilled by the
 * sender before each {@link CongestionControl} call (so reading it allocates nothing).
 * Times are the event loop's nanoseconds (virtual in a simulation); sizes are bytes.
 */
public interface CongestionSample {

    /** The loop's clock, nanoseconds. */
    long now();

    /** The sender's maximum segment size (payload bytes of a full segment). */
    int mss();

    /** Bytes this ACK acknowledged cumulatively for the first time (SND.UNA's advance). */
    int ackedBytes();

    /** Bytes this ACK selectively acknowledged for the first time (RFC 2018). */
    int sackedBytes();

    /** Bytes this ACK delivered for the first time: acked and SACKed, each byte once. */
    int deliveredBytes();

    /** Bytes in flight before this event (RFC 6675's pipe, or FlightSize without SACK). */
    int priorInFlight();

    /** Bytes in flight after it. */
    int inFlight();

    /** FlightSize (RFC 5681): bytes sent and not cumulatively acknowledged. */
    int flightSize();

    /**
     * True when the window, not the application or the peer's window, limited sending in
     * the last round trip (Linux's tcp_is_cwnd_limited, RFC 7661): grow only then.
     */
    boolean cwndLimited();

    /** The round-trip time this ACK measured, nanoseconds; -1 when it measured none. */
    long rttSample();

    /** The smallest round-trip time seen over the recent past, nanoseconds; -1 before any. */
    long minRtt();

    /** The smoothed round-trip time (RFC 6298), nanoseconds; -1 before any sample. */
    long srtt();

    /**
     * True when this ACK ends a round trip: it acknowledges data first sent after the
     * previous round's end (HyStart++'s rounds, RFC 9406 4.2).
     */
    boolean roundStart();

    /** The delivery rate over the last round trip, bytes per second; -1 when not yet known. */
    long deliveryRate();

    /** Retransmission timeouts in a row without progress, this one included (0 outside a timeout). */
    int consecutiveTimeouts();
}
