package org.tcpip4j.ipv4;

import org.tcpip4j.arp.Arp;
import org.tcpip4j.ethernet.Ethernet;
import org.tcpip4j.netif.LayerProvider;
import org.tcpip4j.netif.loop.StackContext;

/** Service provider of an {@link Ipv4} layer, found through {@link java.util.ServiceLoader}. */
public interface Ipv4Provider extends LayerProvider {

    /** An IPv4 layer over {@code ethernet} and {@code arp} (Mirage's {@code Ipv4.Make(E)(A).connect}). */
    Ipv4 create(Ethernet ethernet, Arp arp, Ipv4Config config, StackContext context);
}
