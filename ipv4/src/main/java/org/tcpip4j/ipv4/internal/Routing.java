package org.tcpip4j.ipv4.internal;

import java.util.List;
import org.tcpip4j.ip.AddressKind;
import org.tcpip4j.netif.Ipv4Address;
import org.tcpip4j.netif.Ipv4Cidr;

/**
 * The static routing of one interface (RFC 1122 3.3.1): a destination inside a
 * configured subnet is reached directly, any other through the default gateway when one
 * is set. Also answers which destinations are ours and which are broadcasts.
 *
 * <p>Immutable; lookups allocate nothing (they return configured address objects).
 */
final class Routing {

    private final Ipv4Cidr[] cidrs;
    private final Ipv4Address gateway;

    /** The routing of {@code cidrs} (at least one) and an optional {@code gateway}. */
    Routing(List<Ipv4Cidr> cidrs, Ipv4Address gateway) {
        this.cidrs = cidrs.toArray(Ipv4Cidr[]::new);
        this.gateway = gateway;
    }

    /**
     * The neighbour a datagram to {@code dst} is handed to: {@code dst} itself when a
     * configured subnet contains it, else the gateway, else {@code null} (no route).
     */
    Ipv4Address nextHop(Ipv4Address dst) {
        return isOnLink(dst.bits()) ? dst : gateway;
    }

    /** True when a configured subnet contains {@code dst}. */
    boolean isOnLink(int dst) {
        for (Ipv4Cidr c : cidrs) {
            if (c.contains(dst)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The source address for {@code dst} (Mirage's {@code src ~dst}): the configured
     * address whose subnet contains it, else the first configured address.
     */
    Ipv4Address source(int dst) {
        for (Ipv4Cidr c : cidrs) {
            if (c.contains(dst)) {
                return c.address();
            }
        }
        return cidrs[0].address();
    }

    /** The configured address equal to {@code ip}, or {@code null} when it is not ours. */
    Ipv4Address ours(int ip) {
        for (Ipv4Cidr c : cidrs) {
            if (c.address().bits() == ip) {
                return c.address();
            }
        }
        return null;
    }

    /** What {@code ip} names for this host, its subnets' broadcasts included ({@link AddressKind}). */
    AddressKind kind(int ip) {
        return AddressKind.ofIpv4(ip, cidrs);
    }

    /**
     * True for the limited broadcast 255.255.255.255 and the directed broadcast of a
     * configured subnet (RFC 1122 3.2.1.3 (c), RFC 919). Subnets of /31 and /32 have no
     * broadcast address (RFC 3021): every address of a /31 is a host.
     */
    boolean isBroadcast(int ip) {
        AddressKind kind = kind(ip);
        return kind == AddressKind.LIMITED_BROADCAST || kind == AddressKind.SUBNET_BROADCAST;
    }

    /** True when a datagram to {@code dst} is for this host: one of our addresses or a broadcast. */
    boolean accepts(int dst) {
        return ours(dst) != null || isBroadcast(dst);
    }
}
