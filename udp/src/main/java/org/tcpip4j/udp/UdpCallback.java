package org.tcpip4j.udp;

import java.nio.ByteBuffer;
import org.tcpip4j.netif.IpAddress;

/**
 * Receives the datagrams of a port, on the event loop (Mirage's {@code callback ~src ~dst
 * ~src_port buf}). The payload buffer is valid only during the call: keep a copy.
 */
@FunctionalInterface
public interface UdpCallback {

    /** Handles one datagram's payload (position..limit). */
    void datagram(IpAddress src, IpAddress dst, int srcPort, ByteBuffer payload);
}
