package org.tcpip4j.udp.internal.wire;

/**
 * What parsing a byte string as a UDP datagram gives: the {@link UdpHeader}, or the
 * {@link UdpRejection} saying why not. Parsing is total: never an exception.
 */
public sealed interface UdpParseResult permits UdpHeader, UdpRejection {
}
