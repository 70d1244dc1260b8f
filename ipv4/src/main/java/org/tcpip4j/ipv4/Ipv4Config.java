package org.tcpip4j.ipv4;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.tcpip4j.netif.Ipv4Address;
import org.tcpip4j.netif.Ipv4Cidr;

/**
 * Static IPv4 configuration and the layer's limits.
 *
 * @param cidrs the interface's addresses with their subnets (at least one)
 * @param gateway the default gateway, or {@code null} for on-link routing only
 * @param defaultTtl the TTL of datagrams whose writer names none
 * @param reassemblyTimeout how long fragments of an incomplete datagram are kept
 * @param maxFragmentsPerDatagram the most fragments one datagram may arrive in
 * @param maxReassemblyBytes the most bytes held across all incomplete datagrams
 */
public record Ipv4Config(List<Ipv4Cidr> cidrs, Ipv4Address gateway, int defaultTtl, Duration reassemblyTimeout,
                         int maxFragmentsPerDatagram, int maxReassemblyBytes) {

    public Ipv4Config {
        cidrs = List.copyOf(Objects.requireNonNull(cidrs, "cidrs"));
        if (cidrs.isEmpty()) {
            throw new IllegalArgumentException("an IPv4 layer needs at least one address");
        }
        if (defaultTtl < 1 || defaultTtl > 255) {
            throw new IllegalArgumentException("TTL out of 1..255: " + defaultTtl);
        }
        Objects.requireNonNull(reassemblyTimeout, "reassemblyTimeout");
    }

    /** One address, an optional gateway, and the default limits. */
    public static Ipv4Config of(Ipv4Cidr cidr, Ipv4Address gateway) {
        return new Ipv4Config(List.of(cidr), gateway, 64, Duration.ofSeconds(30), 64, 1 << 20);
    }

    /** One address, no gateway, and the default limits. */
    public static Ipv4Config of(Ipv4Cidr cidr) {
        return of(cidr, null);
    }
}
