package org.tcpip4j.netif;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;

/**
 * Converts between the stack's address types and {@code java.net}'s, without name lookups
 * (the socket stack and the Netty transport speak {@code java.net}'s).
 * The zone of a link-local {@link Ipv6Address} is the numeric scope id of its
 * {@link Inet6Address} (RFC 4007 11: {@code fe80::1%2} is interface index 2), and an
 * IPv4-mapped IPv6 address ({@code ::ffff:198.18.0.1}, RFC 4291 2.5.5.2), which is how a
 * dual-stack socket sees an IPv4 peer, is the plain {@link Ipv4Address}.
 */
public final class InetAddresses {

    private InetAddresses() {
    }

    /** The {@link InetAddress} of {@code address}, with the zone as the scope id. */
    public static InetAddress toInet(IpAddress address) {
        try {
            if (address instanceof Ipv6Address v6 && v6.zone() != 0) {
                return Inet6Address.getByAddress(null, v6.toBytes(), v6.zone());
            }
            // An IPv4-mapped IPv6 address comes back as an Inet4Address, which every socket takes.
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

    /** The socket address of {@code endpoint}. */
    public static InetSocketAddress toSocketAddress(IpEndpoint endpoint) {
        return toSocketAddress(endpoint.address(), endpoint.port());
    }

    /**
     * The stack's address for {@code address}: an {@link Ipv4Address} for an IPv4 or an
     * IPv4-mapped IPv6 address, an {@link Ipv6Address} otherwise, with the scope id as its
     * zone when the address is link-scoped (a scope id on any other address, which the
     * kernel never reports, is dropped).
     */
    public static IpAddress fromInet(InetAddress address) {
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            return Ipv4Address.of(b[0], b[1], b[2], b[3]);
        }
        Ipv6Address v6 = new Ipv6Address(longAt(b, 0), longAt(b, 8));
        if (v6.isIpv4Mapped()) {
            return new Ipv4Address((int) v6.low());
        }
        int scope = ((Inet6Address) address).getScopeId();
        boolean linkScoped = v6.isLinkLocal() || (v6.high() >>> 48) == 0xff02L;
        return scope > 0 && linkScoped ? v6.withZone(scope) : v6;
    }

    /** The endpoint of a bound or connected channel's {@code address}. */
    public static IpEndpoint endpoint(SocketAddress address) {
        InetSocketAddress inet = (InetSocketAddress) address;
        return new IpEndpoint(fromInet(inet.getAddress()), inet.getPort());
    }

    private static long longAt(byte[] b, int offset) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[offset + i] & 0xff);
        }
        return v;
    }
}
