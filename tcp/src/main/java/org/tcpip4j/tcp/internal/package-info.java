/**
 * The default TCP (RFC 9293), split by concern so that each file is named by what it
 * implements:
 *
 * <table>
 *   <caption>Files and the sections they implement</caption>
 *   <tr><th>File</th><th>Implements</th></tr>
 *   <tr><td>{@link org.tcpip4j.tcp.internal.DefaultTcp}</td>
 *       <td>the layer: demultiplexing by 4-tuple, segments for no connection (RFC 9293 3.10.7.1),
 *       OPEN (3.10.1), reopening from TIME_WAIT (3.6.1, RFC 6191)</td></tr>
 *   <tr><td>{@code Listener}, {@code SynQueue}</td><td>LISTEN (3.10.7.2), bounded half-open queue</td></tr>
 *   <tr><td>{@code Connection}, {@code TcpState}</td><td>the TCB (3.3.1), the states (3.3.2),
 *       CLOSE and ABORT (3.10.4, 3.10.5), timeouts (3.10.8)</td></tr>
 *   <tr><td>{@code SegmentArrival}</td><td>SEGMENT ARRIVES (3.10.7.3, 3.10.7.4) with RFC 5961, PAWS
 *       (RFC 7323 5.3) and the TIME_WAIT test of RFC 6191</td></tr>
 *   <tr><td>{@code ChallengeAckLimiter}</td><td>the challenge ACK budget (RFC 5961 7)</td></tr>
 *   <tr><td>{@code Timestamps}</td><td>RFC 7323 3-5: TSopt negotiation, TS.Recent (4.3), RTT from
 *       TSecr (4.1), PAWS (5.3, 5.5)</td></tr>
 *   <tr><td>{@code Sender}</td><td>send sequence space, segmentation, Nagle and SWS avoidance (3.7.4,
 *       3.8.6), ACK processing, fast retransmit (RFC 5681 3.2, RFC 6582), Limited Transmit (RFC 3042),
 *       persist timer (3.8.6.1)</td></tr>
 *   <tr><td>{@code SackScoreboard}, {@code SackRecovery}, {@code ResentSegments}</td><td>the sender's SACK
 *       scoreboard (RFC 2018, RFC 6675 3-4), SACK-based loss recovery (RFC 6675 5), and lost
 *       retransmissions found by RACK's rule (RFC 8985 6.2)</td></tr>
 *   <tr><td>{@code Receiver}, {@code ReceiveBuffer}</td><td>acceptability and trimming (3.10.7.4),
 *       reassembly, offered window (3.8.6.2.2, RFC 7323), delayed ACKs (RFC 1122 4.2.3.2)</td></tr>
 *   <tr><td>{@code SackBlocks}</td><td>the SACK blocks a receiver sends (RFC 2018 4), D-SACK (RFC 2883)</td></tr>
 *   <tr><td>{@code SendBuffer}</td><td>the unacknowledged bytes, a ring</td></tr>
 *   <tr><td>{@code BufferAutoTuning}</td><td>buffers growing with use: the receiver's dynamic
 *       right-sizing (Linux's tcp_rcv_space_adjust) with its own RTT estimate (RFC 7323 4.1 TSecr, or
 *       a window's receive time), the send buffer following the congestion window (tcp_sndbuf_expand)</td></tr>
 *   <tr><td>{@code TailLossProbe}</td><td>Tail Loss Probe (RFC 8985 7), the probe's SACK as a loss
 *       signal (RFC 8985 6.2)</td></tr>
 *   <tr><td>{@code RetransmissionTimer}</td><td>RFC 6298</td></tr>
 *   <tr><td>{@code CongestionControl}, {@code NewReno}</td><td>RFC 5681, RFC 6582</td></tr>
 *   <tr><td>{@code KeepaliveTimer}</td><td>RFC 1122 4.2.3.6</td></tr>
 *   <tr><td>{@code IsnGenerator}</td><td>RFC 6528; timestamp clock offsets (RFC 7323 5.4, 7.1)</td></tr>
 *   <tr><td>{@code EphemeralPorts}</td><td>RFC 6056 3.3.4, RFC 6335 6</td></tr>
 *   <tr><td>{@code SeqNum}</td><td>sequence arithmetic modulo 2^32 (3.4)</td></tr>
 *   <tr><td>{@code ConnectionTable}</td><td>4-tuple lookup by packed primitive keys</td></tr>
 *   <tr><td>{@code SegmentOutput}, {@code ReceivedSegment}</td><td>building and holding segments
 *       without allocating</td></tr>
 *   <tr><td>{@code DefaultTcpFlow}</td><td>the user's side: Mirage_flow semantics over futures</td></tr>
 * </table>
 *
 * <p>Everything here runs on the stack's event loop. The wire format is in
 * {@link org.tcpip4j.tcp.internal.wire}.
 */
package org.tcpip4j.tcp.internal;
