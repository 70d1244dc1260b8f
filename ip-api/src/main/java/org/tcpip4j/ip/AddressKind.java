package org.tcpip4j.ip;

import java.util.List;
import org.tcpip4j.netif.IpAddress;
import org.tcpip4j.netif.Ipv4Address;
import org.tcpip4j.netif.Ipv6Address;
import org.tcpip4j.netif.Ipv4Cidr;

/**
 * What an address names, seen from one host: the one definition of broadcast and
 * multicast that every layer uses ({@link Ip#addressKind}), so that ARP, IP, ICMP, UDP and
 * TCP agree on which datagrams many hosts receive.
 *
 * <p>For IPv4 (RFC 1122 3.2.1.3, RFC 919, RFC 922, RFC 1112, RFC 5735):
 * <ul>
 *   <li>{@link #UNSPECIFIED}: 0.0.0.0, "this host", a source only while a host learns its
 *       address, never a destination;
 *   <li>{@link #LIMITED_BROADCAST}: 255.255.255.255;
 *   <li>{@link #SUBNET_BROADCAST}: the directed broadcast of a subnet the host is
 *       configured on (host part all ones); /31 and /32 subnets have none (RFC 3021);
 *   <li>{@link #MULTICAST}: 224.0.0.0/4;
 *   <li>{@link #LOOPBACK}: 127.0.0.0/8;
 *   <li>{@link #RESERVED}: 240.0.0.0/4 but the limited broadcast (class E), and 0.0.0.0/8
 *       but 0.0.0.0 ("this network"): no single host is named;
 *   <li>{@link #UNICAST}: every other address.
 * </ul>
 *
 * <p>A host knows the directed broadcast only of its own subnets; the directed broadcast
 * of another network looks like any unicast address to it (RFC 1122 3.3.6: only a
 * gateway can tell).
 */
public enum AddressKind {
    /** One host. */
    UNICAST,
    /** 0.0.0.0: no address. */
    UNSPECIFIED,
    /** 255.255.255.255: every host on the link. */
    LIMITED_BROADCAST,
    /** The directed broadcast of one of the host's configured subnets. */
    SUBNET_BROADCAST,
    /** A multicast group, 224.0.0.0/4. */
    MULTICAST,
    /** 127.0.0.0/8, this host's loopback. */
    LOOPBACK,
    /** Reserved space that names no single host: 240.0.0.0/4 and 0.0.0.0/8. */
    RESERVED;

    /** True for a destination many hosts receive: limited or subnet broadcast, multicast. */
    public boolean isBroadcastOrMulticast() {
        return this == LIMITED_BROADCAST || this == SUBNET_BROADCAST || this == MULTICAST;
    }

    /**
     * True when the address names exactly one host elsewhere, as the source of a datagram
     * an error or a reply may be sent to must (RFC 1122 3.2.2): unicast, not loopback.
     */
    public boolean isOneHost() {
        return this == UNICAST;
    }

    /**
     * The kind of the IPv4 address {@code bits} for a host configured on {@code subnets}
     * (allocates nothing).
     */
    public static AddressKind ofIpv4(int bits, List<Ipv4Cidr> subnets) {
        AddressKind kind = ofIpv4(bits);
        if (kind != UNICAST) {
            return kind;
        }
        for (int i = 0, n = subnets.size(); i < n; i++) {
            if (isSubnetBroadcast(bits, subnets.get(i))) {
                return SUBNET_BROADCAST;
            }
        }
        return UNICAST;
    }

    /** The kind of the IPv4 address {@code bits} for a host configured on {@code subnets}. */
    public static AddressKind ofIpv4(int bits, Ipv4Cidr[] subnets) {
        AddressKind kind = ofIpv4(bits);
        if (kind != UNICAST) {
            return kind;
        }
        for (Ipv4Cidr c : subnets) {
            if (isSubnetBroadcast(bits, c)) {
                return SUBNET_BROADCAST;
            }
        }
        return UNICAST;
    }

    /**
     * The kind of the IPv4 address {@code bits} without knowing any subnet: never
     * {@link #SUBNET_BROADCAST} (for a layer that knows no subnets, such as ARP).
     */
    public static AddressKind ofIpv4(int bits) {
        int first = bits >>> 24;
        if (bits == 0) {
            return UNSPECIFIED;
        }
        if (bits == -1) {
            return LIMITED_BROADCAST;
        }
        if (first >= 240 || first == 0) {
            return RESERVED;
        }
        if (first >= 224) {
            return MULTICAST;
        }
        return first == 127 ? LOOPBACK : UNICAST;
    }

    /**
     * The kind of an IPv6 address (RFC 4291 2.4): IPv6 has no broadcast, so unspecified,
     * loopback, multicast, or unicast.
     */
    public static AddressKind ofIpv6(Ipv6Address a) {
        if (a.isUnspecified()) {
            return UNSPECIFIED;
        }
        if (a.isLoopback()) {
            return LOOPBACK;
        }
        return a.isMulticast() ? MULTICAST : UNICAST;
    }

    /**
     * The kind of {@code address} without knowing any subnet (see {@link #ofIpv4(int)}).
     */
    public static AddressKind of(IpAddress address) {
        return switch (address) {
            case Ipv4Address a -> ofIpv4(a.bits());
            case Ipv6Address a -> ofIpv6(a);
        };
    }

    /** RFC 919 / RFC 3021: the host part all ones, in a subnet of /30 or larger. */
    private static boolean isSubnetBroadcast(int bits, Ipv4Cidr c) {
        return c.prefix() <= 30 && bits == (c.address().bits() | ~c.mask());
    }
}
