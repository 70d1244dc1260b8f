package org.tcpip4j.ethernet.internal.wire;

/**
 * What parsing a byte string as an Ethernet II header gives: the {@link EthernetHeader},
 * or the {@link EthernetRejection} saying why not. Parsing is total: every input maps to
 * one of the two, never to an exception.
 */
public sealed interface EthernetParseResult permits EthernetHeader, EthernetRejection {
}
