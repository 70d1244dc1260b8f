package org.tcpip4j.tcp;

import java.time.Duration;
import java.util.Objects;

/**
 * How a TCP layer behaves.
 *
 * @param sendBufferSize bytes a flow buffers for sending before write waits
 * @param receiveBufferSize bytes a flow buffers for the reader (the largest window offered)
 * @param msl maximum segment lifetime; TIME_WAIT lasts two of them (RFC 9293 3.4.2)
 * @param synRetries SYNs sent before connect fails with a timeout
 * @param maxRetransmissions retransmissions of one segment before the flow fails
 * @param synBacklog half-open connections a listening port holds at most
 * @param timestamps offer the Timestamps option (RFC 7323 3: round-trip measurement and
 *     PAWS); used on a connection only when both ends offer it
 * @param selectiveAcks offer SACK-Permitted (RFC 2018); used on a connection only when both
 *     ends offer it
 * @param challengeAcksPerSecond the layer's budget of challenge ACKs (RFC 5961 7) per
 *     second, over all connections; each second's budget is drawn at random around it
 */
public record TcpConfig(int sendBufferSize, int receiveBufferSize, Duration msl, int synRetries,
                        int maxRetransmissions, int synBacklog, boolean timestamps, boolean selectiveAcks,
                        int challengeAcksPerSecond) {

    /**
     * 256 KiB buffers, MSL 30 s (TIME_WAIT 60 s), 6 SYN retries, 12 retransmissions, backlog
     * 1024, timestamps and SACK offered, 1000 challenge ACKs per second.
     */
    public static final TcpConfig DEFAULT = new TcpConfig(256 * 1024, 256 * 1024, Duration.ofSeconds(30), 6, 12, 1024);

    /** The default budget of challenge ACKs per second (Linux's historical tcp_challenge_ack_limit). */
    public static final int DEFAULT_CHALLENGE_ACKS_PER_SECOND = 1000;

    /** Checks the values. */
    public TcpConfig {
        Objects.requireNonNull(msl, "msl");
        if (sendBufferSize < 1 || receiveBufferSize < 1 || synRetries < 0 || maxRetransmissions < 1 || synBacklog < 1
                || challengeAcksPerSecond < 1 || msl.isNegative()) {
            throw new IllegalArgumentException("invalid TCP configuration");
        }
    }

    /**
     * The configuration of the first six values, with timestamps and SACK offered and the
     * default challenge ACK budget (the constructor of earlier versions).
     */
    public TcpConfig(int sendBufferSize, int receiveBufferSize, Duration msl, int synRetries, int maxRetransmissions,
                     int synBacklog) {
        this(sendBufferSize, receiveBufferSize, msl, synRetries, maxRetransmissions, synBacklog, true, true,
            DEFAULT_CHALLENGE_ACKS_PER_SECOND);
    }

    /** This configuration, offering timestamps (RFC 7323) or not. */
    public TcpConfig withTimestamps(boolean offer) {
        return new TcpConfig(sendBufferSize, receiveBufferSize, msl, synRetries, maxRetransmissions, synBacklog, offer,
            selectiveAcks, challengeAcksPerSecond);
    }

    /** This configuration, offering selective acknowledgments (RFC 2018) or not. */
    public TcpConfig withSelectiveAcks(boolean offer) {
        return new TcpConfig(sendBufferSize, receiveBufferSize, msl, synRetries, maxRetransmissions, synBacklog,
            timestamps, offer, challengeAcksPerSecond);
    }

    /** This configuration with another challenge ACK budget (RFC 5961 7). */
    public TcpConfig withChallengeAcksPerSecond(int perSecond) {
        return new TcpConfig(sendBufferSize, receiveBufferSize, msl, synRetries, maxRetransmissions, synBacklog,
            timestamps, selectiveAcks, perSecond);
    }
}
