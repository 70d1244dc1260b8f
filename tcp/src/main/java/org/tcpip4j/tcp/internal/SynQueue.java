package org.tcpip4j.tcp.internal;

/**
 * The half-open connections of one listening port, bounded by
 * {@link org.tcpip4j.tcp.TcpConfig#synBacklog()}: a SYN beyond the bound is dropped
 * (RFC 4987 3.1's "increasing backlog" is the opposite; a SYN flood then costs a bounded
 * amount of memory), or, with {@link org.tcpip4j.tcp.TcpLimits#synCookies()}, answered
 * with a cookie (RFC 4987 3.6, {@link SynCookies}) that costs nothing to hold.
 */
final class SynQueue {

    private final int backlog;
    private int halfOpen;
    /** Connections of the port open now, half-open ones included ({@link org.tcpip4j.tcp.TcpLimits#maxListenerConnections()}). */
    int open;

    SynQueue(int backlog) {
        this.backlog = backlog;
    }

    /** Takes a slot for a new half-open connection; false when full. */
    boolean tryAdmit() {
        if (halfOpen >= backlog) {
            return false;
        }
        halfOpen++;
        return true;
    }

    /** Frees a slot: the connection was established or dropped. */
    void release() {
        if (halfOpen > 0) {
            halfOpen--;
        }
    }

    /** Half-open connections held. */
    int size() {
        return halfOpen;
    }
}
