package org.tcpip4j.icmp.internal.wire;

/**
 * What parsing the data of an ICMP error message gives: the {@link QuotedDatagram}, or the
 * {@link QuoteRejection} saying why it does not quote one. Parsing is total.
 */
public sealed interface QuoteParseResult permits QuotedDatagram, QuoteRejection {
}
