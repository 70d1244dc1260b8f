package org.tcpip4j.stack;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.tcpip4j.netif.IpAddress;
import org.tcpip4j.tcp.Keepalive;
import org.tcpip4j.tcp.Tcp;
import org.tcpip4j.tcp.TcpListener;
import org.tcpip4j.udp.Udp;
import org.tcpip4j.udp.UdpCallback;

/**
 * A TCP/IP stack (Mirage's {@code Tcpip.Stack.V4}): what an application is written
 * against, so that it runs unchanged on the direct stack (a device under our own layers)
 * or on the socket stack (the host kernel). Every method may be called from any thread.
 */
public interface Stack extends AutoCloseable {

    /** The UDP layer, to send datagrams. */
    Udp udp();

    /** The TCP layer, to open connections. */
    Tcp tcp();

    /** The stack's own addresses. */
    List<IpAddress> addresses();

    /**
     * Delivers datagrams on {@code port} to {@code callback} (Mirage's {@code listen_udp}):
     * a second listener replaces the first.
     *
     * @throws IllegalArgumentException when {@code port} is not in 0..65535
     */
    default void listenUdp(int port, UdpCallback callback) {
        udp().listen(port, callback);
    }

    /** Accepts connections on {@code port}; see {@link #listenTcp(int, Keepalive, TcpListener)}. */
    default void listenTcp(int port, TcpListener listener) {
        listenTcp(port, null, listener);
    }

    /**
     * Accepts connections on {@code port} (Mirage's {@code listen_tcp ?keepalive}), with
     * {@code keepalive} applied to each flow before {@code listener} sees it. A second
     * listener replaces the first.
     *
     * @throws IllegalArgumentException when {@code port} is not in 0..65535
     */
    default void listenTcp(int port, Keepalive keepalive, TcpListener listener) {
        tcp().listen(port, keepalive, listener);
    }

    /**
     * Makes the stack process traffic (Mirage's {@code listen}); assembly already starts
     * it, so calling it again changes nothing.
     *
     * @return a future that completes when the stack is disconnected
     */
    CompletableFuture<Void> listen();

    /**
     * Disconnects the stack and every layer (Mirage's {@code disconnect}). Idempotent.
     *
     * @return a future that completes when every layer has stopped; it never fails
     */
    CompletableFuture<Void> disconnect();

    /** Disconnects and waits for it. */
    @Override
    default void close() {
        disconnect().join();
    }
}
