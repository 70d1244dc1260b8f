package org.tcpip4j.arp.internal.wire;

/**
 * What parsing a byte string as an ARP packet gives: the {@link ArpMessage}, or the
 * {@link ArpRejection} saying why not. Parsing is total: never an exception.
 */
public sealed interface ArpParseResult permits ArpMessage, ArpRejection {
}
