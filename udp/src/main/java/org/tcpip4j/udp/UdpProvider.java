package org.tcpip4j.udp;

import org.tcpip4j.ip.Ip;
import org.tcpip4j.netif.LayerProvider;
import org.tcpip4j.netif.loop.StackContext;

/** Service provider of a {@link Udp} layer, found through {@link java.util.ServiceLoader}. */
public interface UdpProvider extends LayerProvider {

    /** A UDP layer over {@code ip} (Mirage's {@code Udp.Make(IP).connect}), configured by {@code config}. */
    Udp create(Ip ip, UdpConfig config, StackContext context);

    /** A UDP layer over {@code ip} with {@link UdpConfig#DEFAULT}. */
    default Udp create(Ip ip, StackContext context) {
        return create(ip, UdpConfig.DEFAULT, context);
    }
}
