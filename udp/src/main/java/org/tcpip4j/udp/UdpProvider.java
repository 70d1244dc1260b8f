package org.tcpip4j.udp;

import org.tcpip4j.ip.Ip;
import org.tcpip4j.netif.LayerProvider;
import org.tcpip4j.netif.loop.StackContext;

/** Service provider of a {@link Udp} layer, found through {@link java.util.ServiceLoader}. */
public interface UdpProvider extends LayerProvider {

    /** A UDP layer over {@code ip} (Mirage's {@code Udp.Make(IP).connect}). */
    Udp create(Ip ip, StackContext context);
}
