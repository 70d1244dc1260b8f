/**
 * The TCP wire format (RFC 9293 3.1, 3.2): {@link org.tcpip4j.tcp.internal.wire.TcpHeader}, a
 * flyweight view with a getter and setter per field, and
 * {@link org.tcpip4j.tcp.internal.wire.TcpOptions}, the options parsed into a reusable holder
 * and encoded. Parsing is total: any bytes give a header or a
 * {@link org.tcpip4j.tcp.internal.wire.TcpRejection}, never an exception.
 */
package org.tcpip4j.tcp.internal.wire;
