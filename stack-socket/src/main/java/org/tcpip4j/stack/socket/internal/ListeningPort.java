package org.tcpip4j.stack.socket.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.tcpip4j.netif.InetAddresses;
import org.tcpip4j.netif.IpAddress;
import org.tcpip4j.tcp.Keepalive;
import org.tcpip4j.tcp.TcpListener;

/**
 * One listening TCP port of the socket stack: a {@link ServerSocketChannel} per stack
 * address (on {@code ::} one dual-stack socket, which accepts IPv4 peers as IPv4-mapped
 * addresses), and the listener (with its keepalive) that accepted flows go to, one per IP
 * version. Replacing a listener leaves the sockets bound.
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
    private volatile Registration forIpv4;
    private volatile Registration forIpv6;
    private final List<Thread> acceptors = new CopyOnWriteArrayList<>();

    private ListeningPort(int localPort, List<ServerSocketChannel> servers) {
        this.localPort = localPort;
        this.servers = List.copyOf(servers);
    }

    /**
     * Binds {@code port} on every one of {@code addresses} with {@code backlog}, for
     * {@code registration} to get the flows of {@code versions}. For port 0 the kernel
     * picks on the first address and the others are bound to the same port.
     *
     * @throws IOException when a bind fails; nothing stays bound then
     */
    static ListeningPort bind(List<IpAddress> addresses, int port, int backlog, IpVersions versions,
                              Registration registration) throws IOException {
        List<ServerSocketChannel> servers = new ArrayList<>();
        int chosen = port;
        try {
            for (IpAddress address : addresses) {
                // An INET6 channel of the JDK is dual-stack (IPV6_V6ONLY off).
                ServerSocketChannel server = ServerSocketChannel.open(SocketAddresses.family(address));
                servers.add(server);
                // A listener started again must bind while its old connections sit in TIME_WAIT.
                server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                server.bind(new InetSocketAddress(InetAddresses.toInet(address), chosen), backlog);
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
        ListeningPort bound = new ListeningPort(chosen, servers);
        bound.replace(versions, registration);
        return bound;
    }

    /** The port the sockets are bound to. */
    int localPort() {
        return localPort;
    }

    /** The bound server channels, one per address. */
    List<ServerSocketChannel> servers() {
        return servers;
    }

    /** Who gets the flows from {@code peer} accepted from now on, or {@code null} when nobody does. */
    Registration registration(IpAddress peer) {
        return peer.version() == 4 ? forIpv4 : forIpv6;
    }

    /** Replaces the listener and its keepalive for {@code versions}; the sockets stay as they are. */
    void replace(IpVersions versions, Registration registration) {
        if (versions != IpVersions.IPV6_ONLY) {
            forIpv4 = registration;
        }
        if (versions != IpVersions.IPV4_ONLY) {
            forIpv6 = registration;
        }
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
