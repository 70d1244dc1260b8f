package org.tcpip4j.ip;

import java.nio.ByteBuffer;
import org.tcpip4j.netif.IpAddress;

/**
 * Receives the payload of a datagram for a transport protocol, on the event loop
 * (Mirage's {@code callback ~src ~dst buf}). The buffer is valid only during the call.
 */
@FunctionalInterface
public interface IpHandler {

    /** Handles the payload (position..limit) of one datagram from {@code src} to {@code dst}. */
    void input(IpAddress src, IpAddress dst, ByteBuffer payload);
}
