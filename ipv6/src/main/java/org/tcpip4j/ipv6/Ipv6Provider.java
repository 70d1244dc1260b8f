package org.tcpip4j.ipv6;

import org.tcpip4j.ethernet.Ethernet;
import org.tcpip4j.netif.LayerProvider;
import org.tcpip4j.netif.loop.StackContext;

/** Service provider of an {@link Ipv6} layer, found through {@link java.util.ServiceLoader}. */
public interface Ipv6Provider extends LayerProvider {

    /**
     * An IPv6 layer over {@code ethernet} (Mirage's {@code Ipv6.Make(N)(E)...connect}):
     * Neighbor Discovery is part of the layer, so it needs no resolver of its own. The layer
     * starts Duplicate Address Detection and, when configured, router solicitation at once.
     */
    Ipv6 create(Ethernet ethernet, Ipv6Config config, StackContext context);
}
