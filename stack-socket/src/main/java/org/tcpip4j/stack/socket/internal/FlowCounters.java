package org.tcpip4j.stack.socket.internal;

import org.tcpip4j.netif.Counters;

/**
 * The counters of the TCP layer that its flows add to, on the event loop; named as the
 * direct stack's TCP names them.
 *
 * @param rxBytes payload bytes read from the kernel ("rx.bytes")
 * @param txBytes payload bytes written to the kernel ("tx.bytes")
 * @param resetsReceived flows the peer reset ("conn.resets_received")
 * @param timeouts flows and connects that ended for lack of answers ("conn.timeouts")
 * @param closed flows whose socket was closed, however they ended ("conn.closed")
 */
record FlowCounters(Counters.Counter rxBytes, Counters.Counter txBytes, Counters.Counter resetsReceived,
                    Counters.Counter timeouts, Counters.Counter closed) {

    /** The counters, created in {@code counters}. */
    static FlowCounters in(Counters counters) {
        return new FlowCounters(counters.counter("rx.bytes"), counters.counter("tx.bytes"),
                counters.counter("conn.resets_received"), counters.counter("conn.timeouts"),
                counters.counter("conn.closed"));
    }
}
