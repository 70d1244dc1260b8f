package org.tcpip4j.ipv6.internal.nd;

/** What {@link NdMessage#parse} makes of an ICMPv6 message: a message, or why it was dropped. */
public sealed interface NdParseResult permits NdMessage, NdRejection {
}
