package org.tcpip4j.stack.socket.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.tcpip4j.netif.Ipv4Address;
import org.tcpip4j.tcp.Keepalive;
import org.tcpip4j.tcp.TcpListener;

/**
 * One listening TCP port of the socket stack: a {@link ServerSocketChannel} per stack
 * address, and the listener (with its keepalive) that accepted flows go to. Replacing the
 * listener leaves the sockets bound.
 */
final class ListeningPort {

    /**
     * Who gets the flows a port accepts.
     *
     * @param keepalive applied to each flow before the listener sees it, or {@code null}
     * @param listener the listener
     */
    record Registration(Keepalive keepalive, TcpListener listener) {
    }

    private final int localPort;
    private final List<ServerSocketChannel> servers;
    private volatile Registration registration;
    private final List<Thread> acceptors = new CopyOnWriteArrayList<>();

    private ListeningPort(int localPort, List<ServerSocketChannel> servers, Registration registration) {
        this.localPort = localPort;
        this.servers = List.copyOf(servers);
        this.registration = registration;
    }

    /**
     * Binds {@code port} on every one of {@code addresses} with {@code backlog}. For port 0
     * the kernel picks on the first address and the others are bound to the same port.
     *
     * @throws IOException when a bind fails; nothing stays bound then
     */
    static ListeningPort bind(List<Ipv4Address> addresses, int port, int backlog, Registration registration)
            throws IOException {
        List<ServerSocketChannel> servers = new ArrayList<>();
        int chosen = port;
        try {
            for (Ipv4Address address : addresses) {
                ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.INET);
                servers.add(server);
                // A listener started again must bind while its old connections sit in TIME_WAIT.
                server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                server.bind(new InetSocketAddress(SocketAddresses.toInet(address), chosen), backlog);
                chosen = ((InetSocketAddress) server.getLocalAddress()).getPort();
            }
        } catch (IOException | RuntimeException e) {
            for (ServerSocketChannel s : servers) {
                try {
                    s.close();
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
        return new ListeningPort(chosen, servers, registration);
    }

    /** The port the sockets are bound to. */
    int localPort() {
        return localPort;
    }

    /** The bound server channels, one per address. */
    List<ServerSocketChannel> servers() {
        return servers;
    }

    /** Who gets the flows accepted from now on. */
    Registration registration() {
        return registration;
    }

    /** Replaces the listener and its keepalive; the sockets stay as they are. */
    void replace(Registration registration) {
        this.registration = registration;
    }

    /** Records the thread running the accept loop of one of the server sockets. */
    void addAcceptor(Thread acceptor) {
        acceptors.add(acceptor);
    }

    /**
     * Closes the server sockets and waits (briefly) for the accept loops to end, so that
     * the port is free when this returns (the JDK closes a socket a thread is blocked on
     * once that thread has left it). Accepted flows are unaffected.
     */
    void close() {
        for (ServerSocketChannel s : servers) {
            try {
                s.close();
            } catch (IOException ignored) {
                // Closing a listening socket has nothing to flush; nothing is lost.
            }
        }
        Threads.awaitEnd(acceptors);
    }
}
