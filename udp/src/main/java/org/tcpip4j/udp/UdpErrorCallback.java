package org.tcpip4j.udp;

import org.tcpip4j.ip.IcmpError;

/**
 * Receives the ICMP errors about datagrams sent from a port (port unreachable, host
 * unreachable, fragmentation needed, ...), on the event loop. The error says where the
 * datagram went: {@link IcmpError#destination()} and {@link IcmpError#destinationPort()}.
 */
@FunctionalInterface
public interface UdpErrorCallback {

    /** Handles one error about a datagram sent from the port. */
    void error(IcmpError error);
}
