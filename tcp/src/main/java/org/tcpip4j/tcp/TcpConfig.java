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
 * @param maxSendBufferSize the largest the send buffer grows to with the congestion window
 *     (auto-tuning; at least {@code sendBufferSize})
 * @param maxReceiveBufferSize the largest the receive buffer, and so the window offered,
 *     grows to with the measured bandwidth-delay product (dynamic right-sizing; at least
 *     {@code receiveBufferSize}); the window scale offered is chosen to cover it
 * @param congestionControl the name of the congestion-control algorithm connections use
 *     unless one names its own ({@link FlowOptions}); null for the system property
 *     {@code tcpip4j.tcp.congestion}, else {@code "cubic"}
 * @param limits what the layer holds at most (connections, buffer memory, TIME_WAIT) and
 *     whether it answers a full half-open queue with SYN cookies; null for
 *     {@link TcpLimits#DEFAULT}
 * @param portShares into how many shares the ephemeral ports are divided: 1, the whole
 *     range, unless several TCP layers connect from the same addresses (the queues of one
 *     multi-queue device), when each takes the ports of its own share
 * @param portShare which share of the ephemeral ports this layer takes, from 0: the
 *     ports {@code p} with {@code p % portShares == portShare}
 */
public record TcpConfig(int sendBufferSize, int receiveBufferSize, Duration msl, int synRetries,
                        int maxRetransmissions, int synBacklog, boolean timestamps, boolean selectiveAcks,
                        int challengeAcksPerSecond, int maxSendBufferSize, int maxReceiveBufferSize,
                        String congestionControl, TcpLimits limits, int portShares, int portShare) {

    /** The longest MSL: TIME_WAIT's 2 MSL and FIN_WAIT_2's wait stay within two hours (before DEFAULT, which is checked against it). */
    public static final Duration MAX_MSL = Duration.ofHours(1);

    /**
     * 256 KiB buffers growing to 6 MiB with use (auto-tuning), MSL 30 s (TIME_WAIT 60 s),
     * 6 SYN retries, 12 retransmissions, backlog 1024, timestamps and SACK offered, 1000
     * challenge ACKs per second, the default congestion control (CUBIC).
     */
    public static final TcpConfig DEFAULT = new TcpConfig(256 * 1024, 256 * 1024, Duration.ofSeconds(30), 6, 12, 1024,
        true, true, 1000, 6 * 1024 * 1024, 6 * 1024 * 1024, null, TcpLimits.DEFAULT);

    /** The default budget of challenge ACKs per second (Linux's historical tcp_challenge_ack_limit). */
    public static final int DEFAULT_CHALLENGE_ACKS_PER_SECOND = 1000;

    /** The default largest send and receive buffers: 6 MiB, Linux's tcp_rmem maximum. */
    public static final int DEFAULT_MAX_BUFFER_SIZE = 6 * 1024 * 1024;

    /**
     * The largest buffer a configuration may name: 1 GiB, about the most a scaled window
     * covers (65535 << 14) and what keeps windows below 2^30 (RFC 7323 2.3), so that
     * sequence-number comparisons hold.
     */
    public static final int MAX_BUFFER_SIZE = 1 << 30;

    /** The most SYN retries (Linux's MAX_TCP_SYNCNT). */
    public static final int MAX_SYN_RETRIES = 127;

    /** The most retransmissions of one segment (the RTO backs off to its 120 s cap long before). */
    public static final int MAX_RETRANSMISSIONS = 255;

    /** The largest SYN backlog of one port. */
    public static final int MAX_SYN_BACKLOG = 1 << 20;

    /** The largest challenge ACK budget: each second's draw, up to 1.5 times it, stays an int. */
    public static final int MAX_CHALLENGE_ACKS_PER_SECOND = 1 << 30;

    /**
     * Checks the values: each must lie in its range, so that window, timer and budget
     * arithmetic cannot overflow; an IllegalArgumentException names the field and range.
     * The maximum buffer sizes are raised to the initial ones when below them.
     */
    public TcpConfig {
        Objects.requireNonNull(msl, "msl");
        check("sendBufferSize", sendBufferSize, 1, MAX_BUFFER_SIZE);
        check("receiveBufferSize", receiveBufferSize, 1, MAX_BUFFER_SIZE);
        if (msl.isNegative() || msl.isZero() || msl.compareTo(MAX_MSL) > 0) {
            throw new IllegalArgumentException("TcpConfig.msl must be more than 0 and at most " + MAX_MSL + ": " + msl);
        }
        check("synRetries", synRetries, 0, MAX_SYN_RETRIES);
        check("maxRetransmissions", maxRetransmissions, 1, MAX_RETRANSMISSIONS);
        check("synBacklog", synBacklog, 1, MAX_SYN_BACKLOG);
        check("challengeAcksPerSecond", challengeAcksPerSecond, 1, MAX_CHALLENGE_ACKS_PER_SECOND);
        check("maxSendBufferSize", maxSendBufferSize, Integer.MIN_VALUE, MAX_BUFFER_SIZE);
        check("maxReceiveBufferSize", maxReceiveBufferSize, Integer.MIN_VALUE, MAX_BUFFER_SIZE);
        maxSendBufferSize = Math.clamp(maxSendBufferSize, sendBufferSize, MAX_BUFFER_SIZE);
        maxReceiveBufferSize = Math.clamp(maxReceiveBufferSize, receiveBufferSize, MAX_BUFFER_SIZE);
        if (congestionControl != null && congestionControl.isBlank()) {
            congestionControl = null;
        }
        if (limits == null) {
            limits = TcpLimits.DEFAULT;
        }
        check("portShares", portShares, 1, MAX_PORT_SHARES);
        check("portShare", portShare, 0, portShares - 1);
    }

    /** The most shares the ephemeral ports may be divided into. */
    public static final int MAX_PORT_SHARES = 256;

    /** The configuration of the first thirteen values, taking every ephemeral port (the constructor of earlier versions). */
    public TcpConfig(int sendBufferSize, int receiveBufferSize, Duration msl, int synRetries, int maxRetransmissions,
                     int synBacklog, boolean timestamps, boolean selectiveAcks, int challengeAcksPerSecond,
                     int maxSendBufferSize, int maxReceiveBufferSize, String congestionControl, TcpLimits limits) {
        this(sendBufferSize, receiveBufferSize, msl, synRetries, maxRetransmissions, synBacklog, timestamps,
            selectiveAcks, challengeAcksPerSecond, maxSendBufferSize, maxReceiveBufferSize, congestionControl, limits,
            1, 0);
    }

    /** The configuration of the first eleven values with the default limits (the constructor of earlier versions). */
    public TcpConfig(int sendBufferSize, int receiveBufferSize, Duration msl, int synRetries, int maxRetransmissions,
                     int synBacklog, boolean timestamps, boolean selectiveAcks, int challengeAcksPerSecond,
                     int maxSendBufferSize, int maxReceiveBufferSize, String congestionControl) {
        this(sendBufferSize, receiveBufferSize, msl, synRetries, maxRetransmissions, synBacklog, timestamps,
            selectiveAcks, challengeAcksPerSecond, maxSendBufferSize, maxReceiveBufferSize, congestionControl,
            TcpLimits.DEFAULT);
    }

    private static void check(String field, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException("TcpConfig." + field + " must be "
                + (min == Integer.MIN_VALUE ? "at most " + max : "in " + min + ".." + max) + ": " + value);
        }
    }

    /**
     * The configuration of the first nine values with buffers fixed at the sizes given (no
     * auto-tuning; {@link #withBuffers} lets them grow) and the default congestion control.
     */
    public TcpConfig(int sendBufferSize, int receiveBufferSize, Duration msl, int synRetries, int maxRetransmissions,
                     int synBacklog, boolean timestamps, boolean selectiveAcks, int challengeAcksPerSecond) {
        this(sendBufferSize, receiveBufferSize, msl, synRetries, maxRetransmissions, synBacklog, timestamps,
            selectiveAcks, challengeAcksPerSecond, sendBufferSize, receiveBufferSize, null, TcpLimits.DEFAULT);
    }

    /**
     * The configuration of the first six values, with timestamps and SACK offered, the
     * default challenge ACK budget and buffers fixed at the sizes given (the constructor of
     * earlier versions).
     */
    public TcpConfig(int sendBufferSize, int receiveBufferSize, Duration msl, int synRetries, int maxRetransmissions,
                     int synBacklog) {
        this(sendBufferSize, receiveBufferSize, msl, synRetries, maxRetransmissions, synBacklog, true, true,
            DEFAULT_CHALLENGE_ACKS_PER_SECOND);
    }

    /** This configuration, offering timestamps (RFC 7323) or not. */
    public TcpConfig withTimestamps(boolean offer) {
        return new TcpConfig(sendBufferSize, receiveBufferSize, msl, synRetries, maxRetransmissions, synBacklog, offer,
            selectiveAcks, challengeAcksPerSecond, maxSendBufferSize, maxReceiveBufferSize, congestionControl, limits,
            portShares, portShare);
    }

    /** This configuration, offering selective acknowledgments (RFC 2018) or not. */
    public TcpConfig withSelectiveAcks(boolean offer) {
        return new TcpConfig(sendBufferSize, receiveBufferSize, msl, synRetries, maxRetransmissions, synBacklog,
            timestamps, offer, challengeAcksPerSecond, maxSendBufferSize, maxReceiveBufferSize, congestionControl,
            limits, portShares, portShare);
    }

    /** This configuration with another challenge ACK budget (RFC 5961 7). */
    public TcpConfig withChallengeAcksPerSecond(int perSecond) {
        return new TcpConfig(sendBufferSize, receiveBufferSize, msl, synRetries, maxRetransmissions, synBacklog,
            timestamps, selectiveAcks, perSecond, maxSendBufferSize, maxReceiveBufferSize, congestionControl,
            limits, portShares, portShare);
    }

    /** This configuration with connections using the congestion-control algorithm named {@code name}. */
    public TcpConfig withCongestionControl(String name) {
        return new TcpConfig(sendBufferSize, receiveBufferSize, msl, synRetries, maxRetransmissions, synBacklog,
            timestamps, selectiveAcks, challengeAcksPerSecond, maxSendBufferSize, maxReceiveBufferSize, name, limits,
            portShares, portShare);
    }

    /**
     * This configuration with buffers starting at {@code initial} bytes and growing to at
     * most {@code max} (auto-tuning); {@code initial == max} fixes them.
     */
    public TcpConfig withBuffers(int sendInitial, int sendMax, int receiveInitial, int receiveMax) {
        return new TcpConfig(sendInitial, receiveInitial, msl, synRetries, maxRetransmissions, synBacklog,
            timestamps, selectiveAcks, challengeAcksPerSecond, sendMax, receiveMax, congestionControl, limits,
            portShares, portShare);
    }

    /** This configuration with other limits (connections, buffer memory, TIME_WAIT, SYN cookies). */
    public TcpConfig withLimits(TcpLimits newLimits) {
        return new TcpConfig(sendBufferSize, receiveBufferSize, msl, synRetries, maxRetransmissions, synBacklog,
            timestamps, selectiveAcks, challengeAcksPerSecond, maxSendBufferSize, maxReceiveBufferSize,
            congestionControl, newLimits, portShares, portShare);
    }

    /**
     * This configuration taking share {@code share} of {@code shares} of the ephemeral
     * ports, for one of several TCP layers that connect from the same addresses.
     */
    public TcpConfig withPortShare(int share, int shares) {
        return new TcpConfig(sendBufferSize, receiveBufferSize, msl, synRetries, maxRetransmissions, synBacklog,
            timestamps, selectiveAcks, challengeAcksPerSecond, maxSendBufferSize, maxReceiveBufferSize,
            congestionControl, limits, shares, share);
    }
}
