package org.tcpip4j.ipv6.internal;

import org.tcpip4j.ethernet.Ethernet;
import org.tcpip4j.ipv6.Ipv6;
import org.tcpip4j.ipv6.Ipv6Config;
import org.tcpip4j.ipv6.Ipv6Provider;
import org.tcpip4j.netif.loop.StackContext;

/** Provides {@link DefaultIpv6}, the RFC 8200 IPv6 layer found by the name "default". */
public final class DefaultIpv6Provider implements Ipv6Provider {

    /** The provider {@link java.util.ServiceLoader} instantiates. */
    public DefaultIpv6Provider() {
    }

    @Override
    public String name() {
        return "default";
    }

    @Override
    public String description() {
        return "IPv6 (RFC 8200) with Neighbor Discovery, SLAAC, fragmentation, bounded reassembly and path MTU";
    }

    @Override
    public Ipv6 create(Ethernet ethernet, Ipv6Config config, StackContext context) {
        return new DefaultIpv6(ethernet, config, context, NeighborDiscoveries.DEFAULT);
    }
}
