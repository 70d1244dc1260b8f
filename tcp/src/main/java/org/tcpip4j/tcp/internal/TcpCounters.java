package org.tcpip4j.tcp.internal;

import org.tcpip4j.netif.Counters;
import org.tcpip4j.netif.Counters.Counter;

/**
 * The TCP layer's counters, looked up once so that counting on the data path is a field
 * increment. Names follow {@link Counters}: lower case, dotted, direction first.
 */
final class TcpCounters {

    final Counters counters = new Counters("tcp");

    /** Segments handed to {@code input}. */
    final Counter rxSegments = counters.counter("rx.segments");
    /** Payload bytes received in sequence. */
    final Counter rxBytes = counters.counter("rx.bytes");
    /**
     * Of those, the bytes a waiting reception took straight from the received frame, never
     * copied into the receive buffer ({@code TcpFlow.receive} over a device that delivers
     * read-only frames).
     */
    final Counter rxBytesLent = counters.counter("rx.bytes_lent");
    /** Segments whose checksum failed. */
    final Counter rxBadChecksum = counters.counter("rx.bad_checksum");
    /** Segments that are not TCP (too short, bad offset, bad options, port 0). */
    final Counter rxMalformed = counters.counter("rx.malformed");
    /** Segments to or from a broadcast or multicast address (RFC 9293 3.10.7.2). */
    final Counter rxBadAddress = counters.counter("rx.bad_address");
    /** Segments for no connection and no listener. */
    final Counter rxNoConnection = counters.counter("rx.no_connection");
    /** Segments (partly) outside the receive window, answered with an ACK (RFC 9293 3.10.7.4). */
    final Counter rxOutOfWindow = counters.counter("rx.out_of_window");
    /** Segments that arrived ahead of a hole and were queued. */
    final Counter rxOutOfOrder = counters.counter("rx.out_of_order");
    /** Out-of-order segments dropped because the reassembly queue was full. */
    final Counter rxOutOfOrderDropped = counters.counter("rx.out_of_order_dropped");
    /** Segments not stored because the layer's buffer memory was spent ({@link org.tcpip4j.tcp.TcpLimits#memoryLimit()}). */
    final Counter rxDroppedMemory = counters.counter("rx.dropped_memory");
    /** Out-of-order bytes dropped under memory pressure so that in-order data could be stored. */
    final Counter rxOutOfOrderPruned = counters.counter("rx.out_of_order_pruned");
    /** Segments whose payload we had already received. */
    final Counter rxDuplicate = counters.counter("rx.duplicate");
    /** Duplicate ACKs (RFC 5681 2). */
    final Counter rxDuplicateAcks = counters.counter("rx.duplicate_acks");
    /** Old duplicates dropped by PAWS (RFC 7323 5.3) and answered with an ACK. */
    final Counter rxPawsRejected = counters.counter("rx.paws_rejected");
    /** Segments dropped for lacking the Timestamps option once it was agreed (RFC 7323 3.2). */
    final Counter rxMissingTimestamps = counters.counter("rx.missing_timestamps");
    /** Bytes the peer selectively acknowledged for the first time (RFC 2018). */
    final Counter rxSackedBytes = counters.counter("rx.sacked_bytes");
    /** Resets received that were accepted. */
    final Counter rxResets = counters.counter("rx.resets");
    /** Segments sent. */
    final Counter txSegments = counters.counter("tx.segments");
    /** Payload bytes sent for the first time. */
    final Counter txBytes = counters.counter("tx.bytes");
    /** Segments sent again (timeouts and fast retransmits). */
    final Counter txRetransmits = counters.counter("tx.retransmits");
    /** Fast retransmits (RFC 5681 3.2). */
    final Counter txFastRetransmits = counters.counter("tx.fast_retransmits");
    /** Entries into SACK-based loss recovery (RFC 6675 5), also counted as fast retransmits. */
    final Counter txSackRecoveries = counters.counter("tx.sack_recoveries");
    /** Tail loss probes sent (RFC 8985 7.3). */
    final Counter txTailLossProbes = counters.counter("tx.tail_loss_probes");
    /** Retransmissions found lost again during SACK recovery and resent (RFC 8985 6.2). */
    final Counter txLostRetransmits = counters.counter("tx.lost_retransmits");
    /** Window reductions undone as spurious (D-SACK, RFC 3708; timestamps, RFC 3522; F-RTO, RFC 5682). */
    final Counter txSpuriousRecoveries = counters.counter("tx.spurious_recoveries");
    /** Segments marked lost by RACK's time rule (RFC 8985 6.2). */
    final Counter txRackLost = counters.counter("tx.rack_lost");
    /** Reordering timer expiries (RFC 8985 6.3). */
    final Counter txReorderTimeouts = counters.counter("tx.reorder_timeouts");
    /** Retransmission timer expiries (RFC 6298 5). */
    final Counter txTimeouts = counters.counter("tx.rto_expiries");
    /** Challenge ACKs (RFC 5961 3.2, 4.2). */
    final Counter txChallengeAcks = counters.counter("tx.challenge_acks");
    /**
     * Challenge ACKs not sent: the connection answered an unacceptable segment less than
     * 500 ms before, or the layer's budget was spent (RFC 5961 7).
     */
    final Counter txChallengeAcksSuppressed = counters.counter("tx.challenge_acks_suppressed");
    /** Zero-window probes (RFC 9293 3.8.6.1). */
    final Counter txWindowProbes = counters.counter("tx.window_probes");
    /** Keepalive probes (RFC 1122 4.2.3.6). */
    final Counter txKeepaliveProbes = counters.counter("tx.keepalive_probes");
    /** ICMP fragmentation needed quoting no connection of ours (RFC 5927 5.2). */
    final Counter rxIcmpFragNeededNoConnection = counters.counter("rx.icmp_frag_needed_no_connection");
    /** ICMP errors quoting a sequence number outside SND.UNA..SND.NXT (Linux's OutOfWindowIcmps). */
    final Counter rxIcmpOutOfWindow = counters.counter("rx.icmp_out_of_window");
    /** ICMP fragmentation needed for a connection with nothing in flight, or reporting no lower MTU. */
    final Counter rxIcmpFragNeededIgnored = counters.counter("rx.icmp_frag_needed_ignored");
    /** MSS reductions for a lower path MTU, reported by ICMP or learned by the IP layer (RFC 1191). */
    final Counter txPmtuReductions = counters.counter("tx.pmtu_reductions");
    /** Segments in flight marked lost because they no longer fit the path MTU. */
    final Counter txPmtuLost = counters.counter("tx.pmtu_lost");
    /** MSS reductions by black-hole detection after repeated timeouts (RFC 4821). */
    final Counter txPmtuBlackHoles = counters.counter("tx.pmtu_black_holes");
    /** Segments cut in two to fit a lower MSS when resent. */
    final Counter txResegmented = counters.counter("tx.resegmented");
    /** Segments the IP layer refused to send. */
    final Counter txErrors = counters.counter("tx.errors");
    /** Connections opened by connect. */
    final Counter activeOpens = counters.counter("conn.active_opens");
    /** Connections opened by a SYN to a listener. */
    final Counter passiveOpens = counters.counter("conn.passive_opens");
    /** Connections that reached ESTABLISHED. */
    final Counter established = counters.counter("conn.established");
    /** Connections refused by the peer (RST to our SYN). */
    final Counter refused = counters.counter("conn.refused");
    /** Resets sent, for a connection or for a segment to no connection. */
    final Counter resetsSent = counters.counter("conn.resets_sent");
    /** Resets not sent to a segment for no connection: its source's or the layer's budget was spent. */
    final Counter resetsRateLimited = counters.counter("conn.resets_rate_limited");
    /** Connections reset by the peer. */
    final Counter resetsReceived = counters.counter("conn.resets_received");
    /** Connections that ended for lack of answers (SYNs, retransmissions, keepalive). */
    final Counter timeouts = counters.counter("conn.timeouts");
    /** SYNs dropped because the listener's SYN queue was full. */
    final Counter synQueueOverflows = counters.counter("conn.syn_queue_overflows");
    /** Connections held now, every state but TIME_WAIT (a gauge). */
    final Counter connOpen = counters.gauge("conn.open");
    /** Connections in TIME_WAIT now, as compact records (a gauge). */
    final Counter connTimeWait = counters.gauge("conn.time_wait");
    /** Connections closed at once instead of entering TIME_WAIT, the records being at their bound. */
    final Counter timeWaitOverflow = counters.counter("conn.time_wait_overflow");
    /** TIME_WAIT ended by an acceptable reset (RFC 1337's assassination, as Linux allows by default). */
    final Counter timeWaitReset = counters.counter("conn.time_wait_reset");
    /** SYNs not answered and connects refused because the layer holds {@code maxConnections}. */
    final Counter connLimit = counters.counter("conn.limit_reached");
    /** SYNs not answered because the listener's port holds {@code maxListenerConnections}. */
    final Counter listenOverflows = counters.counter("listen.overflows");
    /** SYN-ACKs sent with a cookie, the half-open queue being full (RFC 4987 3.6). */
    final Counter synCookiesSent = counters.counter("syncookies.sent");
    /** ACKs whose cookie was valid: connections opened from a cookie. */
    final Counter synCookiesAccepted = counters.counter("syncookies.accepted");
    /** ACKs to a listener whose cookie was not valid, while cookies were in use. */
    final Counter synCookiesRejected = counters.counter("syncookies.rejected");
    /** Bytes of send and receive buffers held now (a gauge; chunks of the layer's pool). */
    final Counter memBytes = counters.gauge("mem.bytes");
    /** Times a buffer was refused a chunk for the layer's memory limit. */
    final Counter memRefused = counters.counter("mem.refused");
    /** Out-of-window segments in TIME_WAIT whose ACK the rate limit held back. */
    final Counter txOutOfWindowAcksSuppressed = counters.counter("tx.oow_acks_suppressed");
    /** TIME_WAIT connections ended early by a new SYN of the same 4-tuple (RFC 9293 3.6.1, RFC 6191). */
    final Counter timeWaitReopened = counters.counter("conn.time_wait_reopened");
    /** Connections that ended (every path to CLOSED). */
    final Counter closed = counters.counter("conn.closed");
}
