package org.tcpip4j.ip;

import java.nio.ByteBuffer;
import org.tcpip4j.netif.IpAddress;

/**
 * Receives datagrams of protocols other than TCP and UDP (Mirage's {@code default
 * ~proto}), ICMP among them, on the event loop.
 */
@FunctionalInterface
public interface OtherProtocolHandler {

    /**
     * Handles the payload (position..limit) of one datagram.
     *
     * @param header the received datagram's IP header, for ICMP errors that quote it;
     *     valid only during the call
     */
    void input(int protocol, IpAddress src, IpAddress dst, ByteBuffer header, ByteBuffer payload);
}
