package org.tcpip4j.stack.socket.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.tcpip4j.netif.Ipv4Address;
import org.tcpip4j.udp.UdpCallback;

/**
 * One local UDP port of the socket stack: a {@link DatagramChannel} bound to it on each of
 * the stack's addresses, and the callback (if any) its datagrams go to. A port exists
 * because someone listens on it or because datagrams were sent from it; either way it is
 * the one socket that port has, so replies come back to where requests went out.
 */
final class UdpPort {

    private final int localPort;
    private final Map<Ipv4Address, DatagramChannel> channels;
    private final List<Thread> receivers = new CopyOnWriteArrayList<>();
    private volatile UdpCallback callback;
    private volatile boolean closed;

    private UdpPort(int localPort, Map<Ipv4Address, DatagramChannel> channels) {
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
    static UdpPort bind(List<Ipv4Address> addresses, int port) throws IOException {
        Map<Ipv4Address, DatagramChannel> channels = new LinkedHashMap<>();
        int chosen = port;
        try {
            for (Ipv4Address address : addresses) {
                DatagramChannel channel = DatagramChannel.open(StandardProtocolFamily.INET);
                channels.put(address, channel);
                // The direct stack sends to 255.255.255.255 like to any address; the kernel
                // wants to be asked first.
                channel.setOption(StandardSocketOptions.SO_BROADCAST, true);
                channel.bind(new InetSocketAddress(SocketAddresses.toInet(address), chosen));
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
    Map<Ipv4Address, DatagramChannel> channels() {
        return channels;
    }

    /** The channel bound to {@code address}, one of the stack's addresses. */
    DatagramChannel channel(Ipv4Address address) {
        DatagramChannel channel = channels.get(address);
        if (channel == null) {
            throw new IllegalArgumentException(address + " is not bound on port " + localPort);
        }
        return channel;
    }

    /** The callback datagrams go to, or {@code null} when nobody listens. */
    UdpCallback callback() {
        return callback;
    }

    /** Sets the callback, replacing the one before. */
    void listen(UdpCallback callback) {
        this.callback = callback;
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
        callback = null;
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
