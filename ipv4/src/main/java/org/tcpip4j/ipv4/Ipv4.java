package org.tcpip4j.ipv4;

import java.util.List;
import java.util.Optional;
import org.tcpip4j.ip.AddressKind;
import org.tcpip4j.ip.Ip;
import org.tcpip4j.netif.IpAddress;
import org.tcpip4j.netif.Ipv4Address;
import org.tcpip4j.netif.Ipv4Cidr;

/**
 * IPV4: the {@link Ip} interface for IPv4 (RFC 791, RFC 1122) with its static
 * configuration: the interface's addresses with their subnets, and an optional gateway.
 */
public interface Ipv4 extends Ip {

    /** The configured addresses and their subnets. */
    List<Ipv4Cidr> cidrs();

    /** {@inheritDoc} Directed broadcasts are those of {@link #cidrs()}. */
    @Override
    default AddressKind addressKind(IpAddress address) {
        return address instanceof Ipv4Address a ? AddressKind.ofIpv4(a.bits(), cidrs()) : AddressKind.of(address);
    }

    /** The default gateway, when one is configured. */
    Optional<Ipv4Address> gateway();

    /**
     * Sets where datagrams that could not be delivered go, for an ICMP error to answer them
     * (protocol unreachable, port unreachable reported through {@link #portUnreachable},
     * reassembly time exceeded), replacing the handler set before; {@code null} for none.
     * Loop only.
     */
    void onUndeliverable(UndeliverableHandler handler);
}
