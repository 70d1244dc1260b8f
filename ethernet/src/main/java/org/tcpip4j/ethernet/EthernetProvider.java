package org.tcpip4j.ethernet;

import org.tcpip4j.netif.LayerProvider;
import org.tcpip4j.netif.Netif;
import org.tcpip4j.netif.loop.StackContext;

/** Service provider of an {@link Ethernet} layer, found through {@link java.util.ServiceLoader}. */
public interface EthernetProvider extends LayerProvider {

    /** An Ethernet layer over {@code netif} (Mirage's {@code Ethernet.Make(Netif).connect}). */
    Ethernet create(Netif netif, StackContext context);
}
