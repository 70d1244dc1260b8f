package org.tcpip4j.ipv4.internal.wire;

/**
 * What parsing a byte string as an IPv4 header gives: the {@link Ipv4Header}, or the
 * {@link Ipv4Rejection} saying why not. Parsing is total: never an exception.
 */
public sealed interface Ipv4ParseResult permits Ipv4Header, Ipv4Rejection {
}
