package org.tcpip4j.icmp.internal;

import org.tcpip4j.ip.IcmpError;
import org.tcpip4j.ip.IcmpErrorHandler;
import org.tcpip4j.netif.Counters;

/**
 * Where a verified ICMP error about a datagram of ours goes, for either IP version (RFC
 * 1122 3.2.2, RFC 4443 3: "passed to the upper-layer process"): to the ping it quotes when
 * it quotes one of the layer's echo requests, else to the handler the stack registered,
 * which routes it by the quoted protocol to UDP or TCP. Loop only.
 */
final class ErrorDelivery {

    private final int echoProtocol;
    private final Pings pings;
    private IcmpErrorHandler handler;
    private final Counters.Counter delivered;
    private final Counters.Counter unclaimed;
    private final Counters.Counter pingErrors;

    /** Delivery for a layer whose own messages have the protocol number {@code echoProtocol}. */
    ErrorDelivery(int echoProtocol, Pings pings, Counters counters) {
        this.echoProtocol = echoProtocol;
        this.pings = pings;
        this.delivered = counters.counter("rx.errors_delivered");
        this.unclaimed = counters.counter("rx.errors_unclaimed");
        this.pingErrors = counters.counter("ping.errors");
    }

    /** Sets where errors about our transports' datagrams go; {@code null} for nowhere. */
    void onError(IcmpErrorHandler errorHandler) {
        this.handler = errorHandler;
    }

    /** Hands {@code error} to the ping or the transport whose datagram it quotes. */
    void deliver(IcmpError error) {
        if (error.protocol() == echoProtocol) {
            if (pings.fail(error)) {
                pingErrors.increment();
            } else {
                unclaimed.increment();
            }
            return;
        }
        IcmpErrorHandler h = handler;
        if (h == null) {
            unclaimed.increment();
            return;
        }
        delivered.increment();
        h.icmpError(error);
    }
}
