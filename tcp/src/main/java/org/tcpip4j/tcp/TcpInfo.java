package org.tcpip4j.tcp;

import java.time.Duration;

/**
 * A snapshot of one connection, as Linux's {@code ss -ti} shows it ({@code struct
 * tcp_info}): taken on the event loop by {@link TcpFlow#info()}. Sizes are bytes; a value
 * a stack cannot know is -1 (times: {@link Duration#ZERO} and the flag below).
 *
 * @param state the RFC 9293 state, upper case ({@code "ESTABLISHED"}, {@code "TIME_WAIT"})
 * @param congestionControl the algorithm's name ({@code "cubic"}, {@code "newreno"})
 * @param congestionState the sender's loss state as Linux names it: {@code "open"}
 *     (nothing amiss), {@code "disorder"} (SACKs or duplicate ACKs, no loss yet),
 *     {@code "recovery"} (fast recovery), {@code "loss"} (after a retransmission timeout)
 * @param mss the sender's maximum segment size
 * @param cwnd the congestion window
 * @param ssthresh the slow-start threshold; {@link Integer#MAX_VALUE} before any loss
 * @param srtt the smoothed round-trip time
 * @param rttvar the round-trip time variation
 * @param minRtt the smallest round-trip time seen
 * @param rto the retransmission timeout, backoff included
 * @param bytesSent data bytes sent, retransmissions included
 * @param bytesRetransmitted data bytes retransmitted
 * @param bytesAcked data bytes cumulatively acknowledged
 * @param bytesReceived data bytes received in order
 * @param segmentsLost segments marked lost by any detector (SACK, RACK, timeouts)
 * @param bytesSacked bytes SACKed and not yet cumulatively acknowledged
 * @param inFlight bytes presumed in the network (pipe)
 * @param reordering the largest reordering seen, in segments (Linux's {@code reordering});
 *     0 when none was seen
 * @param spuriousRecoveries window reductions undone because they were spurious
 * @param sendWindow the peer's window (SND.WND)
 * @param receiveWindow the window we offer (RCV.WND)
 * @param sendBuffer the send buffer's current capacity
 * @param receiveBuffer the receive buffer's current capacity
 * @param deliveryRate the delivery rate over the last round trip, bits per second; -1 unknown
 * @param timestamps the Timestamps option (RFC 7323) is in use
 * @param selectiveAcks SACK (RFC 2018) is in use
 */
public record TcpInfo(String state, String congestionControl, String congestionState, int mss, int cwnd,
                      int ssthresh, Duration srtt, Duration rttvar, Duration minRtt, Duration rto, long bytesSent,
                      long bytesRetransmitted, long bytesAcked, long bytesReceived, long segmentsLost,
                      int bytesSacked, int inFlight, int reordering, int spuriousRecoveries, int sendWindow,
                      int receiveWindow, int sendBuffer, int receiveBuffer, long deliveryRate, boolean timestamps,
                      boolean selectiveAcks) {

    /** One line in the manner of {@code ss -ti}. */
    public String summary() {
        StringBuilder sb = new StringBuilder();
        sb.append(state.toLowerCase()).append(' ').append(congestionControl)
            .append(" ca:").append(congestionState)
            .append(" mss:").append(mss)
            .append(" cwnd:").append(cwnd);
        if (ssthresh != Integer.MAX_VALUE) {
            sb.append(" ssthresh:").append(ssthresh);
        }
        sb.append(String.format(" rtt:%.3f/%.3f minrtt:%.3f rto:%d", millis(srtt), millis(rttvar), millis(minRtt),
            rto.toMillis()));
        sb.append(" bytes_sent:").append(bytesSent)
            .append(" bytes_retrans:").append(bytesRetransmitted)
            .append(" bytes_acked:").append(bytesAcked)
            .append(" bytes_received:").append(bytesReceived)
            .append(" lost:").append(segmentsLost)
            .append(" sacked:").append(bytesSacked)
            .append(" inflight:").append(inFlight)
            .append(" reordering:").append(reordering)
            .append(" spurious:").append(spuriousRecoveries)
            .append(" snd_wnd:").append(sendWindow)
            .append(" rcv_wnd:").append(receiveWindow)
            .append(" sndbuf:").append(sendBuffer)
            .append(" rcvbuf:").append(receiveBuffer);
        if (deliveryRate >= 0) {
            sb.append(String.format(" delivery_rate:%.1fMbps", deliveryRate / 1e6));
        }
        if (timestamps) {
            sb.append(" ts");
        }
        if (selectiveAcks) {
            sb.append(" sack");
        }
        return sb.toString();
    }

    private static double millis(Duration d) {
        return d.toNanos() / 1e6;
    }
}
