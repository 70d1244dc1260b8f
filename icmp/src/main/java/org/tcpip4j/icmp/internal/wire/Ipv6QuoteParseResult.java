package org.tcpip4j.icmp.internal.wire;

/**
 * What parsing the data of an ICMPv6 error message gives: the {@link Ipv6Quote}, or the
 * {@link Ipv6QuoteRejection} saying why it does not quote a usable datagram. Parsing is
 * total.
 */
public sealed interface Ipv6QuoteParseResult permits Ipv6Quote, Ipv6QuoteRejection {
}
