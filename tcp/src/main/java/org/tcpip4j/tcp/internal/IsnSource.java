package org.tcpip4j.tcp.internal;

import org.tcpip4j.netif.IpAddress;

/**
 * Where a TCP layer takes the per-4-tuple secrets of new connections from: initial
 * sequence numbers and timestamp clock offsets ({@link IsnGenerator}; fixed ones in tests).
 */
@FunctionalInterface
interface IsnSource {

    /** The ISN for a new connection of this 4-tuple, of either IP version (RFC 6528). */
    int isn(IpAddress localAddress, int localPort, IpAddress remoteAddress, int remotePort);

    /** The offset of the timestamp clock for a connection of this 4-tuple (RFC 7323 5.4); 0 unless overridden. */
    default int timestampOffset(IpAddress localAddress, int localPort, IpAddress remoteAddress, int remotePort) {
        return 0;
    }
}
