package org.tcpip4j.stack.socket.internal;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import org.tcpip4j.netif.IpAddress;
import org.tcpip4j.netif.IpEndpoint;
import org.tcpip4j.netif.Ipv4Address;

/** Converts between the stack's address types and {@code java.net}'s, without name lookups. */
public final class SocketAddresses {

    private SocketAddresses() {
    }

    /** The {@link InetAddress} of {@code address}. */
    public static InetAddress toInet(IpAddress address) {
        try {
            return InetAddress.getByAddress(address.toBytes());
        } catch (UnknownHostException e) {
            // Only thrown for a byte array of the wrong length, which toBytes never gives.
            throw new IllegalArgumentException("not an IP address: " + address, e);
        }
    }

    /** The socket address of {@code address}:{@code port}. */
    public static InetSocketAddress toSocketAddress(IpAddress address, int port) {
        return new InetSocketAddress(toInet(address), port);
    }

    /**
     * The stack's address for {@code address}.
     *
     * @throws IllegalArgumentException for an address that is not IPv4 (every channel of
     *     the socket stack is opened for IPv4 only, so it never sees one)
     */
    public static Ipv4Address fromInet(InetAddress address) {
        if (address instanceof Inet4Address v4) {
            byte[] b = v4.getAddress();
            return Ipv4Address.of(b[0], b[1], b[2], b[3]);
        }
        throw new IllegalArgumentException("not an IPv4 address: " + address);
    }

    /** The endpoint of a bound or connected channel's {@code address}. */
    public static IpEndpoint endpoint(SocketAddress address) {
        InetSocketAddress inet = (InetSocketAddress) address;
        return new IpEndpoint(fromInet(inet.getAddress()), inet.getPort());
    }
}
