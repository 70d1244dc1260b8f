package org.tcpip4j.stack.socket.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.tcpip4j.netif.InetAddresses;
import org.tcpip4j.netif.IpAddress;
import org.tcpip4j.udp.UdpCallback;

/**
 * One local UDP port of the socket stack: a {@link DatagramChannel} bound to it on each of
 * the stack's addresses (on {@code ::} one dual-stack channel, which receives IPv4
 * datagrams from IPv4-mapped sources and sends to IPv4 destinations), and the callback (if
 * any) its datagrams go to, one per IP version of their source. A port exists
 * because someone listens on it or because datagrams were sent from it; either way it is
 * the one socket that port has, so replies come back to where requests went out.
 */
final class UdpPort {

    private final int localPort;
    private final Map<IpAddress, DatagramChannel> channels;
    private final List<Thread> receivers = new CopyOnWriteArrayList<>();
    private volatile UdpCallback forIpv4;
    private volatile UdpCallback forIpv6;
    private volatile boolean closed;

    private UdpPort(int localPort, Map<IpAddress, DatagramChannel> channels) {
        this.localPort = localPort;
        this.channels = channels;
    }

    /**
     * Binds {@code port} on every one of {@code addresses}. For port 0 the kernel picks a
     * port on the first address and the others are bound to the same one, so the port is
     * one number whatever the address.
     *
     * @throws IOException when a bind fails (the port is taken, the address is not local);
     *     nothing stays bound then
     */
    static UdpPort bind(List<IpAddress> addresses, int port) throws IOException {
        Map<IpAddress, DatagramChannel> channels = new LinkedHashMap<>();
        int chosen = port;
        try {
            for (IpAddress address : addresses) {
                // An INET6 channel of the JDK is dual-stack (IPV6_V6ONLY off).
                DatagramChannel channel = DatagramChannel.open(SocketAddresses.family(address));
                channels.put(address, channel);
                // The direct stack sends to 255.255.255.255 like to any address; the kernel
                // wants to be asked first.
                channel.setOption(StandardSocketOptions.SO_BROADCAST, true);
                channel.bind(new InetSocketAddress(InetAddresses.toInet(address), chosen));
                chosen = ((InetSocketAddress) channel.getLocalAddress()).getPort();
            }
        } catch (IOException | RuntimeException e) {
            for (DatagramChannel c : channels.values()) {
                closeQuietly(c, e);
            }
            throw e;
        }
        return new UdpPort(chosen, channels);
    }

    /** The port the channels are bound to. */
    int localPort() {
        return localPort;
    }

    /** The channels, by the address each is bound to. */
    Map<IpAddress, DatagramChannel> channels() {
        return channels;
    }

    /** The channel bound to {@code address}, one of the stack's addresses. */
    DatagramChannel channel(IpAddress address) {
        DatagramChannel channel = channels.get(address);
        if (channel == null) {
            throw new IllegalArgumentException(address + " is not bound on port " + localPort);
        }
        return channel;
    }

    /** The callback datagrams from {@code src} go to, or {@code null} when nobody listens for its version. */
    UdpCallback callback(IpAddress src) {
        return src.version() == 4 ? forIpv4 : forIpv6;
    }

    /** True when a callback is set for either version. */
    boolean listened() {
        return forIpv4 != null || forIpv6 != null;
    }

    /** Sets the callback for the sources of {@code versions}, replacing the one before. */
    void listen(IpVersions versions, UdpCallback callback) {
        if (versions != IpVersions.IPV6_ONLY) {
            forIpv4 = callback;
        }
        if (versions != IpVersions.IPV4_ONLY) {
            forIpv6 = callback;
        }
    }

    /** True once closed. */
    boolean isClosed() {
        return closed;
    }

    /** Records the thread running the receive loop of one of the channels. */
    void addReceiver(Thread receiver) {
        receivers.add(receiver);
    }

    /**
     * Closes every channel and waits (briefly) for their receive loops to end: the JDK
     * closes a socket that a thread is blocked on only once that thread has left it, and
     * the port must be free again when this returns.
     */
    void close() {
        closed = true;
        forIpv4 = null;
        forIpv6 = null;
        for (DatagramChannel c : channels.values()) {
            closeQuietly(c, null);
        }
        Threads.awaitEnd(receivers);
    }

    private static void closeQuietly(DatagramChannel channel, Exception cause) {
        try {
            channel.close();
        } catch (IOException e) {
            if (cause != null) {
                cause.addSuppressed(e);
            }
        }
    }
}
