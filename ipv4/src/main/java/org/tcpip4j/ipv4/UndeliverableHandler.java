package org.tcpip4j.ipv4;

import java.nio.ByteBuffer;
import org.tcpip4j.ip.IcmpError;

/**
 * Receives the datagrams the IPv4 layer could not deliver, so that an ICMP error answers
 * them (RFC 1122 3.2.2): the stack registers the ICMP layer's
 * {@code Icmpv4.sendError} here. Called on the event loop.
 */
@FunctionalInterface
public interface UndeliverableHandler {

    /**
     * Handles one datagram that could not be delivered.
     *
     * @param kind {@link IcmpError.Kind#PROTOCOL_UNREACHABLE} (no handler for its protocol),
     *     {@link IcmpError.Kind#PORT_UNREACHABLE} (a transport found no receiver), or
     *     {@link IcmpError.Kind#REASSEMBLY_TIME_EXCEEDED} (its fragments did not all come in
     *     time; the first fragment is given)
     * @param datagram the datagram from its IP header on (position..limit), at least its
     *     header and the first bytes of its payload; valid only during the call
     */
    void undeliverable(IcmpError.Kind kind, ByteBuffer datagram);
}
