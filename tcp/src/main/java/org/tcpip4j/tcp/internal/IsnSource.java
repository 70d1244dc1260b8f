package org.tcpip4j.tcp.internal;

/** Where a TCP layer takes its initial sequence numbers from ({@link IsnGenerator}; fixed ones in tests). */
@FunctionalInterface
interface IsnSource {

    /** The ISN for a new connection of this 4-tuple (IPv4 addresses as ints). */
    int isn(int localAddress, int localPort, int remoteAddress, int remotePort);
}
