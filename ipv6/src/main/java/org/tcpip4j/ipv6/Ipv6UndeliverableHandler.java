package org.tcpip4j.ipv6;

import java.nio.ByteBuffer;

/**
 * Receives the datagrams the IPv6 layer could not deliver, so that an ICMPv6 error answers
 * them (RFC 4443 2.4, 3): the stack registers the ICMPv6 layer's {@code sendError} here.
 * Called on the event loop.
 */
@FunctionalInterface
public interface Ipv6UndeliverableHandler {

    /**
     * Handles one datagram that could not be delivered.
     *
     * @param type the ICMPv6 error type to answer with: 1 destination unreachable (code 4,
     *     port unreachable, reported through {@code portUnreachable}; code 3, address
     *     unreachable, when neighbor discovery failed), 3 time exceeded (code 1, fragment
     *     reassembly time exceeded; the first fragment is given), or 4 parameter problem
     *     (code 0 erroneous header field, 1 unrecognized next header, 2 unrecognized option,
     *     3 the first fragment lacks the upper-layer header, RFC 7112)
     * @param code the error's code
     * @param pointer for a parameter problem, the offset in the datagram of the field at
     *     fault (RFC 4443 3.4); 0 otherwise
     * @param datagram the datagram from its IPv6 header on (position..limit); valid only
     *     during the call
     */
    void undeliverable(int type, int code, int pointer, ByteBuffer datagram);
}
