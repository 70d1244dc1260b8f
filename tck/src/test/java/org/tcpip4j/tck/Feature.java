package org.tcpip4j.tck;

/**
 * A behaviour the {@code Stack} contract allows but not every stack has: the documented
 * differences between the direct stack and the socket stack. A case that needs one runs
 * only where the fixture {@linkplain StackFixture#supports supports} it and is skipped
 * elsewhere with {@link #reason()}; a companion case asserts what the other stacks do
 * instead, so each difference is tested, not only skipped.
 */
public enum Feature {

    /**
     * Each datagram written without a source port leaves from a fresh random ephemeral
     * port (RFC 6056 3.3.1).
     */
    EPHEMERAL_PORT_PER_DATAGRAM("the socket stack sends every datagram without a source port from one port the"
            + " kernel picked for the stack: Java gives no way to draw a port per datagram short of binding a new"
            + " socket for each, and replies must find the socket they answer"),

    /**
     * A datagram to a port nobody listens on reaches the stack's UDP layer and is counted
     * in its {@code rx.no_listener} counter.
     */
    COUNTS_DATAGRAMS_TO_CLOSED_PORTS("the socket stack has no socket on a closed port: the kernel drops the datagram"
            + " (and answers with ICMP port unreachable) before the stack's counters could see it"),

    /**
     * Port 0 is a port like any other: listening on it receives datagrams sent to port 0,
     * and a datagram can be sent to it.
     */
    PORT_ZERO_IS_A_PORT("on the socket stack listening on port 0 has the kernel pick a free port, as bind(0) does,"
            + " and Java refuses to send to port 0 (\"Can't send to port 0\")"),

    /**
     * A write may name any source address, which goes into the datagram as given (raw
     * datagrams, as a test tool or a router needs).
     */
    ANY_SOURCE_ADDRESS("the socket stack sends through sockets bound to its own addresses: the kernel binds only"
            + " local addresses, so another source is an IllegalArgumentException"),

    /**
     * An ICMP error about a datagram the stack sent (port unreachable from a closed port)
     * reaches the error callback of the port it was sent from ({@code Udp.onError},
     * RFC 1122 4.1.3.3).
     */
    ICMP_ERRORS_TO_SENDER("the socket stack's datagram sockets are unconnected (one socket serves every peer), and"
            + " Linux passes ICMP errors to an unconnected UDP socket only with IP_RECVERR, which Java does not"
            + " expose: the kernel still answers a closed port with port unreachable, but no callback hears it"),

    /**
     * {@code TcpFlow.close()} completes only once the peer has closed too, however long the
     * peer keeps its direction open, and reading stays possible until then (Mirage's
     * {@code close}; a live peer in FIN_WAIT_2 is waited for).
     */
    CLOSE_WAITS_FOR_THE_PEER("the socket stack bounds close by its close timeout (SocketStackBuilder.closeTimeout):"
            + " it must hold the socket open to see the peer's FIN, and once the timeout passes it closes the socket"
            + " anyway, completes the close and fails later reads with Timeout"),

    /**
     * {@code TcpFlow.writeNodelay} completes when its data has been transmitted, so not while
     * the peer's window is shut, though a plain {@code write} behind it is accepted at once.
     */
    NODELAY_WAITS_FOR_TRANSMISSION("on the socket stack writeNodelay completes when the kernel has taken the data"
            + " (TCP_NODELAY on while it is written): Java cannot tell when the kernel puts bytes on the wire, and"
            + " the kernel's socket buffers take megabytes while the peer's window is shut");

    private final String reason;

    Feature(String reason) {
        this.reason = reason;
    }

    /** Why a stack may lack the feature: the difference as documented. */
    public String reason() {
        return reason;
    }
}
