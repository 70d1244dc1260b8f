package org.tcpip4j.tcp;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import org.tcpip4j.ip.IcmpError;
import org.tcpip4j.netif.Counters;
import org.tcpip4j.netif.IpAddress;

/**
 * TCP (RFC 9293; Mirage's {@code Tcp.S}): connections to and from ports, each a
 * {@link TcpFlow}.
 *
 * <p>Every method may be called from any thread; listener callbacks run on the event loop
 * and must not block it.
 */
public interface Tcp {

    /**
     * Opens a connection to {@code dst}:{@code port} from an ephemeral port.
     *
     * @return a future completing with the established flow, or failing with
     *     {@link TcpException.Refused} when the peer answers with a reset,
     *     {@link TcpException.Timeout} when the SYNs go unanswered,
     *     {@link TcpException.NoRoute} when the IP layer has no route, or
     *     {@link TcpException.Closed} after {@link #disconnect()}
     * @throws IllegalArgumentException when {@code port} is not in 1..65535, or {@code dst} is
     *     a broadcast or multicast address (RFC 1122 4.2.3.10)
     */
    default CompletableFuture<TcpFlow> connect(IpAddress dst, int port) {
        return connect(dst, port, null);
    }

    /**
     * Opens a connection (Mirage's {@code create_connection ?keepalive t (dst, port)}),
     * with TCP keepalive when {@code keepalive} is not null.
     *
     * @see #connect(IpAddress, int)
     */
    CompletableFuture<TcpFlow> connect(IpAddress dst, int port, Keepalive keepalive);

    /**
     * Opens a connection with per-connection {@code options} (keepalive, the congestion
     * control algorithm by name). A stack that cannot honour an option ignores it; the
     * default honours keepalive only.
     *
     * @see #connect(IpAddress, int)
     * @throws IllegalArgumentException also when the options name a congestion control the
     *     stack does not have
     */
    default CompletableFuture<TcpFlow> connectWith(IpAddress dst, int port, FlowOptions options) {
        return connect(dst, port, options.keepalive());
    }

    /** Accepts connections on {@code port}; see {@link #listen(int, Keepalive, TcpListener)}. */
    default void listen(int port, TcpListener listener) {
        listen(port, null, listener);
    }

    /**
     * Accepts connections on {@code port}, over both IP versions, and hands each
     * established flow to {@code listener}, with {@code keepalive} applied first when not
     * null. A second listener on a port replaces the first. Connections to a port nobody
     * listens on are refused with a reset.
     *
     * @throws IllegalArgumentException when {@code port} is not in 0..65535
     */
    void listen(int port, Keepalive keepalive, TcpListener listener);

    /**
     * Accepts connections on {@code port} with per-connection {@code options} applied to
     * each (keepalive, congestion control), over the IP versions the options name
     * ({@link FlowOptions#ipVersion}); see {@link #listen(int, Keepalive, TcpListener)}.
     * A listener on one version replaces only that version's listener on the port, so an
     * IPv4 and an IPv6 listener may share it (as an IPv4 socket and an {@code IPV6_V6ONLY}
     * IPv6 socket do); one on both versions replaces both. The default honours keepalive
     * only.
     */
    default void listenWith(int port, FlowOptions options, TcpListener listener) {
        listen(port, options.keepalive(), listener);
    }

    /** Stops accepting on {@code port}; established flows are not affected. */
    void unlisten(int port);

    /** Handles one received segment (position..limit, TCP header first). Loop only. */
    void input(IpAddress src, IpAddress dst, ByteBuffer segment);

    /**
     * Handles a received ICMP error about a TCP segment we sent (RFC 1122 4.2.3.9, RFC 5927):
     * the stack calls it for every error whose quoted protocol is TCP. What a connection
     * does with it (abort a connect on a hard error, re-segment on fragmentation needed) is
     * the implementation's; the default ignores it. Loop only.
     */
    default void icmpError(IcmpError error) {
    }

    /** The layer's counters. */
    Counters counters();

    /** Stops the layer: every flow is reset, listeners dropped, timers stopped. */
    CompletableFuture<Void> disconnect();
}
