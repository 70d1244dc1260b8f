package org.tcpip4j.netty;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.UnresolvedAddressException;
import java.nio.channels.UnsupportedAddressTypeException;
import org.tcpip4j.netif.IpAddress;
import org.tcpip4j.netif.IpEndpoint;
import org.tcpip4j.netif.Ipv4Address;
import org.tcpip4j.netif.Ipv6Address;

/** Conversions between java.net's addresses, which Netty speaks, and ours. */
final class Addresses {

    private Addresses() {
    }

    /** Our address of {@code a}. */
    static IpAddress ip(InetAddress a) {
        ByteBuffer b = ByteBuffer.wrap(a.getAddress());
        return a instanceof Inet4Address ? Ipv4Address.read(b, 0) : Ipv6Address.read(b, 0);
    }

    /** {@code address} as a resolved socket address, or the exception java.nio throws for it. */
    static InetSocketAddress inet(SocketAddress address) {
        if (!(address instanceof InetSocketAddress a)) {
            throw new UnsupportedAddressTypeException();
        }
        if (a.isUnresolved()) {
            throw new UnresolvedAddressException();
        }
        return a;
    }

    /** java.net's form of {@code endpoint}. */
    static InetSocketAddress inet(IpEndpoint endpoint) {
        return new InetSocketAddress(inet(endpoint.address()), endpoint.port());
    }

    /** java.net's form of {@code address}. */
    static InetAddress inet(IpAddress address) {
        try {
            return InetAddress.getByAddress(address.toBytes());
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
