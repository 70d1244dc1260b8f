package org.tcpip4j.udp;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import org.tcpip4j.netif.Counters;
import org.tcpip4j.netif.IpAddress;

/**
 * UDP (RFC 768, RFC 1122; Mirage's {@code Udp.S}): datagrams to and from ports.
 *
 * <p>Every method may be called from any thread; callbacks run on the event loop.
 */
public interface Udp {

    /**
     * Delivers datagrams arriving on {@code port} to {@code callback}. A second listener
     * on a port replaces the first (callbacks do not chain).
     *
     * @throws IllegalArgumentException when {@code port} is not in 0..65535
     */
    void listen(int port, UdpCallback callback);

    /** Stops delivering datagrams on {@code port}; nothing happens when none listens. */
    void unlisten(int port);

    /**
     * Sends {@code payload} (position..limit) from an ephemeral port.
     *
     * @see #write(IpAddress, int, IpAddress, int, int, ByteBuffer)
     */
    default CompletableFuture<Void> write(IpAddress dst, int dstPort, ByteBuffer payload) {
        return write(null, 0, dst, dstPort, -1, payload);
    }

    /**
     * Sends one datagram carrying {@code payload} (position..limit). The buffer must not
     * be changed until the future completes.
     *
     * @param src the source address, or {@code null} for the IP layer's choice
     * @param srcPort the source port, or 0 for a random ephemeral port (RFC 6056)
     * @param ttl the TTL, or -1 for the default
     * @return a future completing when the datagram is handed to the IP layer (sent, or
     *     queued for address resolution), or failing with {@link UdpException.Ip} carrying
     *     the IP layer's error, or {@link IllegalArgumentException} for an invalid port
     */
    CompletableFuture<Void> write(IpAddress src, int srcPort, IpAddress dst, int dstPort, int ttl, ByteBuffer payload);

    /** Handles one received datagram (position..limit, UDP header first). Loop only. */
    void input(IpAddress src, IpAddress dst, ByteBuffer datagram);

    /** The layer's counters. */
    Counters counters();

    /** Stops the layer: listeners are dropped. */
    CompletableFuture<Void> disconnect();
}
