package org.tcpip4j.stack.socket.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tcpip4j.ip.IpError;
import org.tcpip4j.netif.Counters;
import org.tcpip4j.netif.InetAddresses;
import org.tcpip4j.netif.IpAddress;
import org.tcpip4j.tcp.FlowOptions;
import org.tcpip4j.tcp.Keepalive;
import org.tcpip4j.tcp.Tcp;
import org.tcpip4j.tcp.TcpException;
import org.tcpip4j.tcp.TcpFlow;
import org.tcpip4j.tcp.TcpListener;

/**
 * TCP over the kernel's stream sockets: {@code connect} on a virtual thread, an accept
 * loop per listening socket on a virtual thread, and flows ({@link SocketFlow}) that keep
 * their state on the event loop. Listener calls and every completion happen on the loop.
 *
 * <p>Where it differs from the direct stack's TCP, see {@code SocketStack}'s Javadoc.
 */
public final class SocketTcp implements Tcp {

    private static final Logger LOG = LoggerFactory.getLogger(SocketTcp.class);

    private final SocketSettings settings;
    private final LoopHandoff handoff;

    // Named as the direct stack's TCP names them, where they apply.
    private final Counters counters = new Counters("tcp");
    private final FlowCounters flowCounters = FlowCounters.in(counters);
    private final Counters.Counter activeOpens = counters.counter("conn.active_opens");
    private final Counters.Counter passiveOpens = counters.counter("conn.passive_opens");
    private final Counters.Counter established = counters.counter("conn.established");
    private final Counters.Counter refused = counters.counter("conn.refused");
    private final Counters.Counter noRoute = counters.counter("conn.no_route");
    private final Counters.Counter listenerErrors = counters.counter("conn.listener_errors");
    private final Counters.Counter refusedVersion = counters.counter("conn.refused_ip_version");

    private final Object lock = new Object();
    /** Listening ports by local port number. Guarded by {@link #lock}. */
    private final Map<Integer, ListeningPort> listening = new HashMap<>();
    /** The port {@code listen(0)} had the kernel pick. Guarded by {@link #lock}. */
    private ListeningPort kernelChosen;
    private final Set<SocketFlow> flows = ConcurrentHashMap.newKeySet();
    private final Set<SocketChannel> connecting = ConcurrentHashMap.newKeySet();
    private volatile boolean disconnected;

    /** TCP on {@code settings}' addresses, completing on {@code handoff}'s loop. */
    public SocketTcp(SocketSettings settings, LoopHandoff handoff) {
        this.settings = settings;
        this.handoff = handoff;
    }

    /**
     * {@inheritDoc}
     *
     * <p>The socket is bound to the stack's first address. Without a connect timeout on
     * the stack, the kernel's SYN retries bound the wait ({@code net.ipv4.tcp_syn_retries},
     * about two minutes on Linux). As on the direct stack, a port outside 1..65535 throws
     * {@link IllegalArgumentException} and a disconnected layer fails the future with
     * {@link TcpException.Closed}; any other local failure (no free port, say) fails it
     * with {@link TcpException.NoRoute} carrying {@link IpError.Link}.
     */
    @Override
    public CompletableFuture<TcpFlow> connect(IpAddress dst, int port, Keepalive keepalive) {
        Objects.requireNonNull(dst, "dst");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of 1..65535: " + port);
        }
        CompletableFuture<TcpFlow> result = new CompletableFuture<>();
        if (disconnected) {
            handoff.fail(result, disconnectedError());
            return result;
        }
        Thread.ofVirtual().name("tcpip4j-" + settings.name() + "-tcp-connect-" + dst + ":" + port)
                .start(() -> connectBlocking(dst, port, keepalive, result));
        return result;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Binds the port on every stack address unless it already listens (then only the
     * listener and keepalive change). Port 0 has the kernel pick a free port;
     * {@link #boundPort(int)} tells which. The listen backlog is the TCP configuration's
     * SYN backlog, capped by the kernel ({@code net.core.somaxconn}).
     *
     * After {@link #disconnect()} it does nothing, as on the direct stack.
     *
     * @throws UncheckedIOException when the kernel refuses the bind (the port is taken by
     *     another socket of the host)
     */
    @Override
    public void listen(int port, Keepalive keepalive, TcpListener listener) {
        listen(port, keepalive, listener, IpVersions.BOTH);
    }

    /**
     * {@inheritDoc} Keepalive and the IP version are honoured; congestion control is the
     * kernel's.
     */
    @Override
    public void listenWith(int port, FlowOptions options, TcpListener listener) {
        listen(port, options.keepalive(), listener, IpVersions.of(options.ipVersion()));
    }

    /**
     * {@link #listen(int, Keepalive, TcpListener)} for the peers of {@code versions} only:
     * the port's sockets are the same (Java offers no {@code IPV6_V6ONLY}, so the kernel
     * accepts both versions on a dual-stack {@code ::}), and a connection from a version
     * nobody listens for is reset as soon as the kernel has accepted it (counted in
     * {@code conn.refused_ip_version}), where the direct stack would refuse its SYN.
     */
    void listen(int port, Keepalive keepalive, TcpListener listener, IpVersions versions) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of 0..65535: " + port);
        }
        Objects.requireNonNull(listener, "listener");
        ListeningPort.Registration registration = new ListeningPort.Registration(keepalive, listener);
        synchronized (lock) {
            if (disconnected) {
                LOG.debug("{}: TCP layer disconnected; not listening on port {}", settings.name(), port);
                return;
            }
            ListeningPort existing = port == 0 ? kernelChosen : listening.get(port);
            if (existing != null) {
                existing.replace(versions, registration);
                return;
            }
            ListeningPort p;
            try {
                p = ListeningPort.bind(settings.addresses(), port, settings.tcpConfig().synBacklog(), versions,
                        registration);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot listen on TCP port " + port + ": " + e.getMessage(), e);
            }
            listening.put(p.localPort(), p);
            if (port == 0) {
                kernelChosen = p;
            }
            for (ServerSocketChannel server : p.servers()) {
                p.addAcceptor(Thread.ofVirtual().name("tcpip4j-" + settings.name() + "-tcp-accept-" + p.localPort())
                        .start(() -> acceptLoop(p, server)));
            }
            LOG.debug("{}: TCP port {} listening on {}", settings.name(), p.localPort(), settings.addresses());
        }
    }

    /** {@inheritDoc} The listening sockets are closed. */
    @Override
    public void unlisten(int port) {
        ListeningPort p;
        synchronized (lock) {
            p = port == 0 ? kernelChosen : listening.get(port);
            if (p == null) {
                return;
            }
            listening.remove(p.localPort(), p);
            if (p == kernelChosen) {
                kernelChosen = null;
            }
        }
        p.close();
    }

    /**
     * The local port of the listener registered with {@code listen(port, ...)}: {@code port}
     * itself, or the kernel's choice for 0; -1 when nobody listens there.
     */
    public int boundPort(int port) {
        synchronized (lock) {
            ListeningPort p = port == 0 ? kernelChosen : listening.get(port);
            return p == null ? -1 : p.localPort();
        }
    }

    /**
     * Not supported: the kernel receives for the socket stack, which has no IP layer to
     * feed it.
     *
     * @throws UnsupportedOperationException always
     */
    @Override
    public void input(IpAddress src, IpAddress dst, ByteBuffer segment) {
        throw new UnsupportedOperationException("the socket stack's TCP receives from the kernel, not from an IP layer");
    }

    @Override
    public Counters counters() {
        return counters;
    }

    /**
     * {@inheritDoc} Listening sockets are closed, connects in progress fail, and every flow
     * is closed with {@code SO_LINGER} 0, so the kernel sends RST: pending reads fail with
     * {@link TcpException.Reset}, writes with {@link TcpException.Closed}.
     */
    @Override
    public CompletableFuture<Void> disconnect() {
        List<ListeningPort> ports;
        synchronized (lock) {
            if (disconnected) {
                return CompletableFuture.completedFuture(null);
            }
            disconnected = true;
            ports = new ArrayList<>(listening.values());
            listening.clear();
            kernelChosen = null;
        }
        ports.forEach(ListeningPort::close);
        for (SocketChannel c : connecting) {
            closeQuietly(c);
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        handoff.settle(() -> {
            TcpException.Reset why = new TcpException.Reset("stack disconnected");
            for (SocketFlow flow : List.copyOf(flows)) {
                flow.abort(why, true);
            }
            done.complete(null);
        });
        return done;
    }

    /** The connecting thread: socket, bind, connect, keepalive, then the flow to the loop. */
    private void connectBlocking(IpAddress dst, int port, Keepalive keepalive, CompletableFuture<TcpFlow> result) {
        SocketChannel channel = null;
        try {
            IpAddress local = settings.sourceFor(null, dst);
            if (local == null) {
                throw new NoRouteToHostException("the stack has no IPv" + dst.version() + " address "
                        + settings.addresses());
            }
            // Unbound (a wildcard), the socket is of the destination's version; bound, of the address's.
            channel = SocketChannel.open(SocketAddresses.family(local.isUnspecified() ? dst : local));
            connecting.add(channel);
            if (disconnected) {
                // disconnect() may have swept the set before this channel joined it.
                throw new ClosedChannelException();
            }
            if (!local.isUnspecified()) {
                channel.bind(new InetSocketAddress(InetAddresses.toInet(local), 0));
            }
            InetSocketAddress target = InetAddresses.toSocketAddress(dst, port);
            Duration timeout = settings.connectTimeout();
            if (timeout == null) {
                channel.connect(target);
            } else {
                channel.socket().connect(target, Math.clamp(timeout.toMillis(), 1, Integer.MAX_VALUE));
            }
            if (keepalive != null) {
                KeepaliveOptions.apply(channel, keepalive);
            }
            SocketFlow flow = newFlow(channel);
            connecting.remove(channel);
            handoff.settle(() -> {
                activeOpens.increment();
                if (disconnected) {
                    flow.abort(new TcpException.Reset("stack disconnected"), true);
                    result.completeExceptionally(disconnectedError());
                } else {
                    established.increment();
                    result.complete(flow);
                }
            });
        } catch (IOException e) {
            if (channel != null) {
                connecting.remove(channel);
                closeQuietly(channel);
            }
            TcpException why = disconnected ? disconnectedError() : KernelErrors.connect(e, dst);
            handoff.settle(() -> {
                activeOpens.increment();
                switch (why) {
                    case TcpException.Refused r -> refused.increment();
                    case TcpException.Timeout t -> flowCounters.timeouts().increment();
                    default -> noRoute.increment();
                }
                result.completeExceptionally(why);
            });
        }
    }

    /** The accepting thread of one listening socket, until it is closed. */
    private void acceptLoop(ListeningPort port, ServerSocketChannel server) {
        while (server.isOpen()) {
            SocketChannel channel;
            try {
                channel = server.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                // Out of file descriptors, say: wait a little rather than spin.
                LOG.warn("{}: accept on TCP port {} failed: {}", settings.name(), port.localPort(), e.toString());
                pause();
                continue;
            }
            ListeningPort.Registration registration;
            try {
                registration = port.registration(InetAddresses.endpoint(channel.getRemoteAddress()).address());
            } catch (IOException e) {
                closeQuietly(channel);
                continue;
            }
            if (registration == null) {
                // Nobody listens for the peer's IP version on this port: as refused as the kernel lets us.
                refuseAccepted(channel);
                continue;
            }
            try {
                if (registration.keepalive() != null) {
                    KeepaliveOptions.apply(channel, registration.keepalive());
                }
                SocketFlow flow = newFlow(channel);
                handoff.settle(() -> deliver(flow, registration));
            } catch (IOException e) {
                LOG.debug("{}: dropping a connection accepted on port {}: {}", settings.name(), port.localPort(),
                        e.toString());
                closeQuietly(channel);
            }
        }
    }

    /** On the loop: an accepted flow to the listener it was accepted for. */
    private void deliver(SocketFlow flow, ListeningPort.Registration registration) {
        if (disconnected) {
            flow.abort(new TcpException.Reset("stack disconnected"), true);
            return;
        }
        passiveOpens.increment();
        established.increment();
        try {
            registration.listener().accept(flow);
        } catch (RuntimeException e) {
            listenerErrors.increment();
            LOG.warn("{}: TCP listener threw for {}", settings.name(), flow, e);
        }
    }

    private SocketFlow newFlow(SocketChannel channel) throws IOException {
        SocketFlow flow = new SocketFlow(channel, settings, handoff, flowCounters, flows::remove);
        flows.add(flow);
        flow.start(settings.name());
        return flow;
    }

    /** Resets a connection the kernel accepted for a version nobody listens for. */
    private void refuseAccepted(SocketChannel channel) {
        try {
            channel.setOption(StandardSocketOptions.SO_LINGER, 0);
        } catch (IOException e) {
            LOG.debug("{}: cannot set SO_LINGER: {}", settings.name(), e.toString());
        }
        closeQuietly(channel);
        handoff.post(refusedVersion::increment);
    }

    private static TcpException disconnectedError() {
        return new TcpException.Closed("TCP layer disconnected");
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // Nothing was sent on it that closing could lose.
        }
    }
}
