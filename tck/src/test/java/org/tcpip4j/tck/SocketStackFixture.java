package org.tcpip4j.tck;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.tcpip4j.netif.IpAddress;
import org.tcpip4j.netif.Ipv4Address;
import org.tcpip4j.netif.Ipv6Address;
import org.tcpip4j.stack.Stack;
import org.tcpip4j.stack.socket.SocketStack;

/**
 * Two socket stacks on the host's loopback, in real time. Over IPv4 the client is on
 * 127.0.0.1 and the server on 127.0.0.2 (both local on Linux, whose loopback is the whole
 * 127.0.0.0/8); over IPv6 both are on {@code ::1}, the one loopback address IPv6 has, on
 * ports of their own. They have none of the {@link Feature}s: each is one of the
 * documented ways the kernel differs from the direct stack.
 */
public final class SocketStackFixture implements StackFixture {

    static final Ipv4Address CLIENT = Ipv4Address.parse("127.0.0.1");
    static final Ipv4Address SERVER = Ipv4Address.parse("127.0.0.2");
    /** Local to the host, but neither stack's. */
    static final Ipv4Address FOREIGN = Ipv4Address.parse("127.0.0.99");
    /** Neither stack's (nor, in the benchmarking range of RFC 5180, the host's). */
    static final Ipv6Address FOREIGN6 = Ipv6Address.parse("2001:2::99");
    /** A step on loopback takes microseconds; this bound only stops a case that hangs. */
    private static final Duration BOUND = Duration.ofSeconds(10);

    private final IpVersion version;
    private final SocketStack client;
    private final SocketStack server;

    /** Both stacks over IPv4. */
    public SocketStackFixture() {
        this(IpVersion.IPV4);
    }

    /** Opens both stacks on loopback addresses of {@code version}; they bind sockets only when a case listens or writes. */
    public SocketStackFixture(IpVersion version) {
        this.version = version;
        IpAddress clientAddress = version == IpVersion.IPV4 ? CLIENT : Ipv6Address.LOOPBACK;
        IpAddress serverAddress = version == IpVersion.IPV4 ? SERVER : Ipv6Address.LOOPBACK;
        client = SocketStack.builder().name("tck-client").address(clientAddress).connectTimeout(BOUND)
                .closeTimeout(Duration.ofSeconds(2)).build();
        server = SocketStack.builder().name("tck-server").address(serverAddress).connectTimeout(BOUND)
                .closeTimeout(Duration.ofSeconds(2)).build();
    }

    @Override
    public String description() {
        return "socket stacks on loopback over " + version;
    }

    @Override
    public Stack client() {
        return client;
    }

    @Override
    public Stack server() {
        return server;
    }

    @Override
    public IpAddress foreignAddress() {
        return version == IpVersion.IPV4 ? FOREIGN : FOREIGN6;
    }

    /** A port the kernel finds free on the stack's address, by binding port 0 and letting go. */
    @Override
    public int freeUdpPort(Stack stack) {
        IpAddress address = stack.addresses().getFirst();
        try (DatagramChannel probe = DatagramChannel.open(family(address))) {
            probe.bind(new InetSocketAddress(InetAddress.getByAddress(address.toBytes()), 0));
            return ((InetSocketAddress) probe.getLocalAddress()).getPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A TCP port the kernel finds free on the stack's address, by binding port 0 and letting go. */
    @Override
    public int freeTcpPort(Stack stack) {
        IpAddress address = stack.addresses().getFirst();
        try (ServerSocketChannel probe = ServerSocketChannel.open(family(address))) {
            probe.bind(new InetSocketAddress(InetAddress.getByAddress(address.toBytes()), 0));
            return ((InetSocketAddress) probe.getLocalAddress()).getPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static StandardProtocolFamily family(IpAddress address) {
        return address.version() == 4 ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6;
    }

    @Override
    public <T> T await(CompletableFuture<T> future) {
        try {
            return future.get(BOUND.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("the future failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("the future did not complete within " + BOUND + " (" + description() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    @Override
    public boolean supports(Feature feature) {
        return false;
    }

    @Override
    public void close() {
        try {
            client.close();
        } finally {
            server.close();
        }
    }
}
