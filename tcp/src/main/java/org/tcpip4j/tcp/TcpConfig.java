package org.tcpip4j.tcp;

import java.time.Duration;

/**
 * How a TCP layer behaves.
 *
 * @param sendBufferSize bytes a flow buffers for sending before write waits
 * @param receiveBufferSize bytes a flow buffers for the reader (the largest window offered)
 * @param msl maximum segment lifetime; TIME_WAIT lasts two of them (RFC 9293 3.4.2)
 * @param synRetries SYNs sent before connect fails with a timeout
 * @param maxRetransmissions retransmissions of one segment before the flow fails
 * @param synBacklog half-open connections a listening port holds at most
 */
public record TcpConfig(int sendBufferSize, int receiveBufferSize, Duration msl, int synRetries,
                        int maxRetransmissions, int synBacklog) {

    /** 256 KiB buffers, MSL 30 s (TIME_WAIT 60 s), 6 SYN retries, 12 retransmissions, backlog 1024. */
    public static final TcpConfig DEFAULT = new TcpConfig(256 * 1024, 256 * 1024, Duration.ofSeconds(30), 6, 12, 1024);

    public TcpConfig {
        if (sendBufferSize < 1 || receiveBufferSize < 1 || synRetries < 0 || maxRetransmissions < 1 || synBacklog < 1) {
            throw new IllegalArgumentException("invalid TCP configuration");
        }
    }
}
