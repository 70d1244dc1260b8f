package org.tcpip4j.icmp.internal.wire;

/**
 * What parsing a byte string as an ICMPv4 message gives: the {@link IcmpHeader}, or the
 * {@link IcmpRejection} saying why not. Parsing is total: never an exception.
 */
public sealed interface IcmpParseResult permits IcmpHeader, IcmpRejection {
}
