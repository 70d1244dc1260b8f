package org.tcpip4j.arp;

import org.tcpip4j.ethernet.Ethernet;
import org.tcpip4j.netif.LayerProvider;
import org.tcpip4j.netif.loop.StackContext;

/** Service provider of an {@link Arp} layer, found through {@link java.util.ServiceLoader}. */
public interface ArpProvider extends LayerProvider {

    /** An ARP layer over {@code ethernet} (Mirage's {@code Arp.Make(Ethernet).connect}). */
    Arp create(Ethernet ethernet, ArpConfig config, StackContext context);
}
