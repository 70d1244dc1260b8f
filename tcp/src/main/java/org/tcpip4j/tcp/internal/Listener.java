package org.tcpip4j.tcp.internal;

import org.tcpip4j.tcp.Keepalive;
import org.tcpip4j.tcp.TcpListener;
import org.tcpip4j.tcp.internal.wire.TcpHeader;

/**
 * A listening port: the LISTEN state of RFC 9293 3.10.7.2, with the keepalive and
 * congestion control that its flows get before the callback sees them, and its
 * {@link SynQueue}.
 */
final class Listener {

    final int port;
    final Keepalive keepalive;
    /** The congestion control its connections use, or null for the stack's. */
    final String congestionControl;
    final TcpListener callback;
    final SynQueue synQueue;

    Listener(int port, Keepalive keepalive, String congestionControl, TcpListener callback, SynQueue synQueue) {
        this.port = port;
        this.keepalive = keepalive;
        this.congestionControl = congestionControl;
        this.callback = callback;
        this.synQueue = synQueue;
    }

    /** SEGMENT ARRIVES in LISTEN (RFC 9293 3.10.7.2), for a segment matching no connection. */
    void segmentArrives(DefaultTcp tcp, ReceivedSegment seg) {
        // First: a reset to a listener is ignored.
        if (seg.has(TcpHeader.RST)) {
            return;
        }
        // Second: an ACK here is for no connection: <SEQ=SEG.ACK><CTL=RST>, unless it
        // returns one of our SYN cookies (RFC 4987 3.6).
        if (seg.has(TcpHeader.ACK)) {
            if (!seg.has(TcpHeader.SYN) && tcp.acceptCookie(this, seg)) {
                return;
            }
            tcp.sendResetFor(seg);
            return;
        }
        // Third: a SYN opens a connection (data on the SYN is not kept: the peer resends it).
        if (!seg.has(TcpHeader.SYN)) {
            return;
        }
        if (!tcp.admitsConnection(this)) {
            return;
        }
        if (!synQueue.tryAdmit()) {
            tcp.counters.synQueueOverflows.increment();
            if (tcp.limits.synCookies()) {
                tcp.sendCookie(seg);
            }
            return;
        }
        tcp.acceptSyn(this, seg);
    }
}
