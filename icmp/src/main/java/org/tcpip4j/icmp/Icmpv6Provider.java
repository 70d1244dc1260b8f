package org.tcpip4j.icmp;

import org.tcpip4j.ipv6.Ipv6;
import org.tcpip4j.netif.LayerProvider;
import org.tcpip4j.netif.loop.StackContext;

/** Service provider of an {@link Icmpv6} layer, found through {@link java.util.ServiceLoader}. */
public interface Icmpv6Provider extends LayerProvider {

    /** An ICMPv6 layer over {@code ip}, its errors limited as {@code config} says. */
    Icmpv6 create(Ipv6 ip, IcmpConfig config, StackContext context);
}
