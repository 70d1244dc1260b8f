package org.tcpip4j.udp;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import org.tcpip4j.ip.IcmpError;
import org.tcpip4j.netif.Counters;
import org.tcpip4j.netif.IpAddress;

/**
 * UDP (RFC 768, RFC 1122; Mirage's {@code Udp.S}): datagrams to and from ports.
 *
 * <p>Every method may be called from any thread; callbacks run on the event loop.
 */
public interface Udp {

    /** {@link #listen(int, int, UdpCallback)}: both IP versions. */
    int ANY_VERSION = 0;

    /**
     * Delivers datagrams arriving on {@code port}, over both IP versions, to
     * {@code callback}. A second listener on a port replaces the first (callbacks do not
     * chain).
     *
     * @throws IllegalArgumentException when {@code port} is not in 0..65535
     */
    void listen(int port, UdpCallback callback);

    /**
     * Delivers datagrams arriving on {@code port} over IP version {@code ipVersion} (4 or
     * 6), or both ({@link #ANY_VERSION}), to {@code callback}, as a socket bound to an IPv4
     * address, or an IPv6 socket with Linux's {@code IPV6_V6ONLY}, receives one version
     * only: a datagram of the other version finds no listener (and draws a port
     * unreachable). A listener on one version replaces only that version's listener on the
     * port, so an IPv4 and an IPv6 listener may share it. The default, for a layer that
     * cannot tell, accepts {@link #ANY_VERSION} only.
     *
     * @throws IllegalArgumentException when {@code port} is not in 0..65535 or
     *     {@code ipVersion} is not 0, 4 or 6
     */
    default void listen(int port, int ipVersion, UdpCallback callback) {
        if (ipVersion != ANY_VERSION) {
            throw new IllegalArgumentException("this UDP layer listens on both IP versions only");
        }
        listen(port, callback);
    }

    /** Stops delivering datagrams on {@code port}, over both versions; nothing happens when none listens. */
    void unlisten(int port);

    /**
     * Delivers the ICMP errors about datagrams sent from {@code port} to {@code callback}
     * (RFC 1122 4.1.3.3: UDP passes ICMP errors up to the application), replacing the
     * callback set before; {@code null} removes it. Errors for a port with no callback are
     * counted and dropped. Independent of {@link #listen}: a port may have either or both,
     * and {@link #unlisten} leaves the callback in place. Send from a fixed port (not 0) to
     * hear about the datagrams it sent.
     *
     * <p>The default does nothing: an implementation that cannot observe ICMP errors (the
     * socket stack over unconnected channels) never calls the callback.
     *
     * @throws IllegalArgumentException when {@code port} is not in 0..65535
     */
    default void onError(int port, UdpErrorCallback callback) {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port out of 0..65535: " + port);
        }
    }

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

    /**
     * Handles one received datagram (position..limit, UDP header first). A datagram for a
     * port nobody listens on is reported to the IP layer with
     * {@link org.tcpip4j.ip.Ip#portUnreachable}, for an ICMP port unreachable. Loop only.
     */
    void input(IpAddress src, IpAddress dst, ByteBuffer datagram);

    /**
     * Handles a received ICMP error about a UDP datagram we sent: hands it to the callback
     * {@link #onError} set for its source port. The stack calls it for every error whose
     * quoted protocol is UDP. The default ignores it. Loop only.
     */
    default void icmpError(IcmpError error) {
    }

    /** The layer's counters. */
    Counters counters();

    /** Stops the layer: listeners are dropped. */
    CompletableFuture<Void> disconnect();
}
