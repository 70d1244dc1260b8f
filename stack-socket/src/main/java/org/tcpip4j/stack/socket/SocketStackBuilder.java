package org.tcpip4j.stack.socket;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import org.tcpip4j.netif.InetAddresses;
import org.tcpip4j.netif.IpAddress;
import org.tcpip4j.netif.Ipv4Address;
import org.tcpip4j.netif.Ipv6Address;
import org.tcpip4j.netif.loop.EventLoop;
import org.tcpip4j.netif.loop.RealTimeEventLoop;
import org.tcpip4j.stack.socket.internal.SocketAddresses;
import org.tcpip4j.stack.socket.internal.SocketSettings;
import org.tcpip4j.tcp.TcpConfig;

/**
 * Configures a {@link SocketStack}: the local addresses its sockets bind to (at least
 * one, of either IP version), the event loop, TCP buffer sizes and timeouts.
 *
 * <pre>{@code
 * SocketStack stack = SocketStack.builder()
 *         .address(Ipv4Address.LOCALHOST)
 *         .address(Ipv6Address.LOOPBACK)
 *         .build();
 * }</pre>
 */
public final class SocketStackBuilder {

    /** How long {@code TcpFlow.close()} waits for the peer by default: Linux's {@code tcp_fin_timeout}. */
    public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(60);

    private final List<IpAddress> addresses = new ArrayList<>();
    private EventLoop loop;
    private String name = "socket";
    private TcpConfig tcpConfig = TcpConfig.DEFAULT;
    private Duration connectTimeout;
    private Duration closeTimeout = DEFAULT_CLOSE_TIMEOUT;

    SocketStackBuilder() {
    }

    /**
     * Adds a local address to bind to, IPv4 or IPv6. The first of each version is the
     * source of connections and of datagrams to that version that name no source;
     * listening binds every one. A link-local IPv6 address needs its zone, the interface
     * index ({@code fe80::1%2}). A wildcard must be the only address: {@code 0.0.0.0}
     * means every IPv4 address of the host; {@code ::} every address of both versions,
     * through dual-stack sockets that see IPv4 peers as the IPv4 addresses they are.
     */
    public SocketStackBuilder address(IpAddress address) {
        addresses.add(Objects.requireNonNull(address, "address"));
        return this;
    }

    /**
     * Runs callbacks and completes futures on {@code loop}, which the stack does not close.
     * Without one the stack starts its own {@code RealTimeEventLoop} and shuts it down on
     * disconnect.
     */
    public SocketStackBuilder loop(EventLoop loop) {
        this.loop = Objects.requireNonNull(loop, "loop");
        return this;
    }

    /** Names the stack in logs and thread names ("socket" unless set). */
    public SocketStackBuilder name(String name) {
        this.name = Objects.requireNonNull(name, "name");
        return this;
    }

    /**
     * Sets the TCP configuration. The socket stack uses its send and receive buffer sizes
     * (each flow's own buffers, in front of the kernel's) and its SYN backlog (the listen
     * backlog); the kernel's settings govern the rest.
     */
    public SocketStackBuilder tcpConfig(TcpConfig config) {
        this.tcpConfig = Objects.requireNonNull(config, "config");
        return this;
    }

    /**
     * Bounds how long a TCP connect may take before it fails with a timeout; without it
     * the kernel's SYN retries decide (about two minutes on Linux).
     */
    public SocketStackBuilder connectTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("connect timeout must be positive: " + timeout);
        }
        this.connectTimeout = timeout;
        return this;
    }

    /**
     * Bounds how long {@code TcpFlow.close()} waits for the peer to close its direction
     * before closing the socket anyway ({@link #DEFAULT_CLOSE_TIMEOUT} unless set).
     */
    public SocketStackBuilder closeTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("close timeout must not be negative: " + timeout);
        }
        this.closeTimeout = timeout;
        return this;
    }

    /**
     * Creates the stack. It binds nothing yet: sockets are opened by listening, sending and
     * connecting.
     *
     * @throws IllegalStateException when no address was given
     * @throws IllegalArgumentException when an address is given twice, a wildcard
     *     ({@code 0.0.0.0}, {@code ::}) is given with others, or an address is not one the
     *     host can bind
     */
    public SocketStack build() {
        if (addresses.isEmpty()) {
            throw new IllegalStateException("a socket stack needs an address to bind (:: for every address)");
        }
        if (new LinkedHashSet<>(addresses).size() != addresses.size()) {
            throw new IllegalArgumentException("an address is given twice: " + addresses);
        }
        if (addresses.size() > 1 && addresses.contains(Ipv4Address.ANY)) {
            throw new IllegalArgumentException("0.0.0.0 already means every IPv4 address; give it alone: " + addresses);
        }
        if (addresses.size() > 1 && addresses.contains(Ipv6Address.ANY)) {
            throw new IllegalArgumentException(":: already means every address of both versions; give it alone: "
                    + addresses);
        }
        for (IpAddress a : addresses) {
            checkBindable(a);
        }
        RealTimeEventLoop ownLoop = loop == null ? new RealTimeEventLoop("tcpip4j-" + name + "-loop") : null;
        EventLoop chosen = loop == null ? ownLoop : loop;
        return new SocketStack(new SocketSettings(name, addresses, chosen, tcpConfig, connectTimeout, closeTimeout),
                ownLoop);
    }

    /** Asks the kernel, by binding a throwaway socket, whether {@code address} is local. */
    private static void checkBindable(IpAddress address) {
        if (address instanceof Ipv6Address v6 && v6.isLinkLocal() && v6.zone() == 0) {
            throw new IllegalArgumentException("the link-local address " + address
                    + " needs its zone, the interface's index (" + address + "%2)");
        }
        try (DatagramChannel probe = DatagramChannel.open(SocketAddresses.family(address))) {
            probe.bind(new InetSocketAddress(InetAddresses.toInet(address), 0));
        } catch (IOException | UnsupportedOperationException e) {
            throw new IllegalArgumentException(address + " is not an address of this host: " + e.getMessage(), e);
        }
    }
}
