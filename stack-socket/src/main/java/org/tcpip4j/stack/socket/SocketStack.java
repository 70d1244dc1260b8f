package org.tcpip4j.stack.socket;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tcpip4j.netif.IpAddress;
import org.tcpip4j.netif.loop.EventLoop;
import org.tcpip4j.netif.loop.RealTimeEventLoop;
import org.tcpip4j.stack.Stack;
import org.tcpip4j.stack.socket.internal.LoopHandoff;
import org.tcpip4j.stack.socket.internal.SocketSettings;
import org.tcpip4j.stack.socket.internal.SocketTcp;
import org.tcpip4j.stack.socket.internal.SocketUdp;
import org.tcpip4j.tcp.Tcp;
import org.tcpip4j.udp.Udp;

/**
 * The socket stack (Mirage's {@code tcpip_stack_socket}): {@link Stack} over the host
 * kernel's sockets, so an application written against {@code Stack} runs here or on the
 * direct stack unchanged. Blocking socket I/O runs on virtual threads; every callback and
 * every completion is handed to the stack's {@link EventLoop}, so user code sees the same
 * threading as on the direct stack: on the loop, which it must not block.
 *
 * <pre>{@code
 * try (SocketStack stack = SocketStack.open(Ipv4Address.LOCALHOST, Ipv6Address.LOOPBACK)) {
 *     stack.listenTcp(7, flow -> echo(flow));
 *     stack.listen().join();
 * }
 * }</pre>
 *
 * <h2>Where the kernel cannot match the direct stack's contract</h2>
 *
 * <p>UDP:
 * <ul>
 *   <li>{@code ttl} is ignored for unicast destinations: Java has no unicast TTL socket
 *       option, so the kernel's default TTL applies. For a multicast destination it sets
 *       {@code IP_MULTICAST_TTL} (default 1).
 *   <li>Source port 0 sends from one port the kernel picked for the stack, the same for
 *       every such datagram, rather than a fresh random port each time. A non-zero source
 *       port binds that port (if not bound already) and keeps it open, so replies reach it.
 *   <li>A write completes when the kernel has taken the datagram. Over 65,507 bytes it
 *       fails with {@code IpError.TooLarge}; the kernel's EMSGSIZE gives
 *       {@code IpError.WouldFragment} with an MTU of 0 (Java cannot read the path MTU);
 *       EHOSTUNREACH and ENETUNREACH give {@code IpError.NoRoute}; any other kernel error
 *       {@code IpError.Link} with its text.
 *   <li>{@code onError} callbacks are never called: the stack's datagram sockets are
 *       unconnected (one serves every peer), and Linux reports ICMP errors to an
 *       unconnected socket only with {@code IP_RECVERR}, which Java does not expose. The
 *       kernel still answers datagrams to closed ports with ICMP port unreachable.
 *   <li>There is no {@code UdpConfig}: ephemeral ports come from the kernel's
 *       {@code ip_local_port_range}, and whether a large datagram is fragmented from its
 *       path MTU discovery settings.
 *   <li>The callback's {@code dst} is the address the socket is bound to, so
 *       {@code 0.0.0.0} for a stack bound to every address (Java gives no
 *       {@code IP_PKTINFO}).
 *   <li>Counters: {@code rx.datagrams}, {@code rx.no_listener}, {@code rx.delivered},
 *       {@code tx.datagrams}, {@code tx.bytes}, {@code tx.errors} as on the direct stack
 *       (the kernel drops malformed datagrams before they could be counted), plus
 *       {@code rx.bytes} and {@code rx.callback_errors}.
 * </ul>
 *
 * <p>TCP:
 * <ul>
 *   <li>A flow's send and receive buffers (the TCP configuration's sizes) sit in front of
 *       the kernel's socket buffers, so more data is in flight before {@code write} waits
 *       than on the direct stack. {@code writeNodelay} completes when the kernel has taken
 *       the data ({@code TCP_NODELAY} on while it is written), not when it is on the wire.
 *   <li>{@code close} waits for the peer's FIN while keeping what arrives for reading; it
 *       is bounded by the close timeout ({@link SocketStackBuilder#closeTimeout}), after
 *       which the socket is closed anyway and reads fail with {@code Timeout}.
 *   <li>{@code shutdown(READ)} is not passed to the kernel: the stack keeps reading and
 *       discarding, so the peer is not stalled and a later close still sees its FIN.
 *   <li>The kernel reports failed retransmissions and unanswered keepalive probes alike
 *       (ETIMEDOUT): reads fail with {@code Timeout} in both cases, where the direct stack
 *       ends a flow whose keepalive went unanswered with Eof.
 *   <li>Keepalive times are whole seconds, rounded up to at least 1 s, at most 32,767 s,
 *       and at most 127 probes (the kernel's units and limits).
 *   <li>SYN retries, retransmission limits and MSL come from the kernel's settings, not
 *       from {@code TcpConfig}; without a connect timeout
 *       ({@link SocketStackBuilder#connectTimeout}) a connect to a silent host waits for
 *       the kernel's SYN retries. The listen backlog (the configuration's SYN backlog)
 *       counts established connections waiting to be accepted, capped by the kernel.
 *   <li>A read gives what one read from the kernel returned, at most 64 KiB.
 *   <li>{@code disconnect} closes every flow with {@code SO_LINGER} 0 so the kernel sends
 *       RST, as the direct stack resets its flows.
 *   <li>Counters: those of the direct stack's TCP that the kernel's sockets can see
 *       ({@code conn.active_opens}, {@code conn.passive_opens}, {@code conn.established},
 *       {@code conn.refused}, {@code conn.timeouts}, {@code conn.resets_received},
 *       {@code conn.closed}, {@code rx.bytes}, {@code tx.bytes}), none per segment; and
 *       {@code conn.no_route}, {@code conn.listener_errors} of its own.
 * </ul>
 *
 * <p>Both:
 * <ul>
 *   <li>Other programs on the host share the port space: listening on a port the host
 *       already uses fails with {@link java.io.UncheckedIOException}.
 *   <li>Listening on port 0 has the kernel pick a free port ({@link #boundUdpPort(int)},
 *       {@link #boundTcpPort(int)} tell which; listening on 0 again replaces that
 *       listener), where the direct stack listens on port 0 itself.
 *   <li>A source address that is not one of the stack's is an
 *       {@link IllegalArgumentException} (the kernel binds only local addresses), where the
 *       direct stack writes it into the header as given.
 *   <li>{@code Udp.input} and {@code Tcp.input} throw {@link UnsupportedOperationException}:
 *       the kernel receives, there is no IP layer below to feed them.
 * </ul>
 *
 * <p>IPv4 and IPv6:
 * <ul>
 *   <li>The stack binds the addresses it was built with, of either version; a connection
 *       or a datagram leaves from the first address of its destination's version (where
 *       there is none, it fails with {@code NoRoute}). Link-local addresses carry their
 *       zone, the interface index, which is the socket's scope id.
 *   <li>Built with {@code ::}, the stack listens and sends through one dual-stack socket
 *       per port ({@code IPV6_V6ONLY} off), for every address of both versions. IPv4 peers
 *       reach it as IPv4-mapped addresses ({@code ::ffff:198.18.0.1}), which the stack
 *       reports as the plain IPv4 addresses they are; a UDP callback's {@code dst} is then
 *       {@code 0.0.0.0} for an IPv4 datagram, {@code ::} for an IPv6 one.
 *   <li>The hop limit of unicast IPv6 datagrams is the kernel's, as the TTL is for IPv4;
 *       a UDP payload over 65,527 bytes to an IPv6 destination fails with
 *       {@code IpError.TooLarge} (no jumbograms).
 *   <li>A listener on one IP version ({@code Tcp.listenWith} with
 *       {@code FlowOptions.withIpVersion}, {@code Udp.listen(port, version, callback)}) shares
 *       the port's dual-stack socket (Java has no {@code IPV6_V6ONLY}): a TCP connection of
 *       the other version is reset once the kernel has accepted it (counted as
 *       {@code conn.refused_ip_version}) where the direct stack refuses its SYN, and a
 *       datagram of the other version is dropped (counted as {@code rx.no_listener}) where
 *       the direct stack answers a port unreachable.
 * </ul>
 *
 * <p>The stack TCK (module {@code tck}) runs one suite on this stack and on the direct
 * stack. The differences its cases can observe (UDP: one ephemeral port, closed ports the
 * kernel drops unseen, ICMP errors nobody hears, port 0, source addresses; TCP: the close
 * timeout, {@code writeNodelay} completing when the kernel takes the data) are
 * {@code Feature}s there, each with a case asserting what this stack does instead.
 */
public final class SocketStack implements Stack {

    private static final Logger LOG = LoggerFactory.getLogger(SocketStack.class);

    private final SocketSettings settings;
    private final RealTimeEventLoop ownLoop;
    private final LoopHandoff handoff;
    private final SocketUdp udp;
    private final SocketTcp tcp;
    private final CompletableFuture<Void> disconnected = new CompletableFuture<>();
    private final AtomicBoolean disconnecting = new AtomicBoolean();

    SocketStack(SocketSettings settings, RealTimeEventLoop ownLoop) {
        this.settings = settings;
        this.ownLoop = ownLoop;
        this.handoff = new LoopHandoff(settings.loop());
        this.udp = new SocketUdp(settings, handoff);
        this.tcp = new SocketTcp(settings, handoff);
        LOG.info("{}: socket stack on {}", settings.name(), settings.addresses());
    }

    /** A builder; name at least one address. */
    public static SocketStackBuilder builder() {
        return new SocketStackBuilder();
    }

    /**
     * A stack bound to {@code addresses}, on its own event loop, with the default settings.
     *
     * @throws IllegalArgumentException as {@link SocketStackBuilder#build()}
     */
    public static SocketStack open(IpAddress... addresses) {
        SocketStackBuilder b = builder();
        for (IpAddress a : addresses) {
            b.address(a);
        }
        return b.build();
    }

    /** UDP over the kernel's datagram sockets. */
    @Override
    public Udp udp() {
        return udp;
    }

    /** TCP over the kernel's stream sockets. */
    @Override
    public Tcp tcp() {
        return tcp;
    }

    /**
     * The addresses the stack binds, of both versions, in the order given; the first of
     * each version is that version's default source.
     */
    @Override
    public List<IpAddress> addresses() {
        return List.copyOf(settings.addresses());
    }

    /** The loop the stack's callbacks run on and its futures complete on. */
    public EventLoop loop() {
        return settings.loop();
    }

    /**
     * The local port of the UDP listener registered on {@code port}: {@code port} itself,
     * or the kernel's choice for 0; -1 when nobody listens there.
     */
    public int boundUdpPort(int port) {
        return udp.boundPort(port);
    }

    /**
     * The local port of the TCP listener registered on {@code port}: {@code port} itself,
     * or the kernel's choice for 0; -1 when nobody listens there.
     */
    public int boundTcpPort(int port) {
        return tcp.boundPort(port);
    }

    /** Every layer's counters, by layer ("udp", "tcp"), as the direct stack reports them. */
    public Map<String, Map<String, Long>> counters() {
        Map<String, Map<String, Long>> all = new LinkedHashMap<>();
        all.put("udp", udp.counters().snapshot());
        all.put("tcp", tcp.counters().snapshot());
        return all;
    }

    /**
     * {@inheritDoc} The kernel is always processing traffic, so this only returns the
     * future that completes when the stack is disconnected.
     */
    @Override
    public CompletableFuture<Void> listen() {
        return disconnected;
    }

    /**
     * {@inheritDoc} Closes every socket: flows are reset, listeners and UDP ports closed,
     * pending operations failed. The stack's own event loop, if it made one, is shut down
     * after the future has completed on it. Idempotent.
     */
    @Override
    public CompletableFuture<Void> disconnect() {
        if (disconnecting.compareAndSet(false, true)) {
            tcp.disconnect()
                    .thenCompose(v -> udp.disconnect())
                    .whenComplete((v, e) -> handoff.settle(() -> {
                        if (e != null) {
                            LOG.warn("{}: a layer failed to disconnect cleanly", settings.name(), e);
                        }
                        LOG.info("{}: socket stack disconnected", settings.name());
                        // The loop stops after this task, so what continues on the future still
                        // runs on it; anything that future code hands to the loop is refused.
                        if (ownLoop != null) {
                            ownLoop.shutdown();
                        }
                        disconnected.complete(null);
                    }));
        }
        return disconnected;
    }

    /**
     * {@inheritDoc} Never call it on the stack's loop, which the wait would block; use
     * {@link #disconnect()} there.
     */
    @Override
    public void close() {
        disconnect().join();
    }

    @Override
    public String toString() {
        return "SocketStack[" + settings.name() + " " + settings.addresses() + "]";
    }
}
