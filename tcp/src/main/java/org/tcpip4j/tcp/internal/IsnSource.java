package org.tcpip4j.tcp.internal;

/**
 * Where a TCP layer takes the per-4-tuple secrets of new connections from: initial
 * sequence numbers and timestamp clock offsets ({@link IsnGenerator}; fixed ones in tests).
 */
@FunctionalInterface
interface IsnSource {

    /** The ISN for a new connection of this 4-tuple (IPv4 addresses as ints), RFC 6528. */
    int isn(int localAddress, int localPort, int remoteAddress, int remotePort);

    /** The offset of the timestamp clock for a connection of this 4-tuple (RFC 7323 5.4); 0 unless overridden. */
    default int timestampOffset(int localAddress, int localPort, int remoteAddress, int remotePort) {
        return 0;
    }
}
