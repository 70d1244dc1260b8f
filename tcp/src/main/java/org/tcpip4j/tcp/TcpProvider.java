package org.tcpip4j.tcp;

import org.tcpip4j.ip.Ip;
import org.tcpip4j.netif.LayerProvider;
import org.tcpip4j.netif.loop.StackContext;

/** Service provider of a {@link Tcp} layer, found through {@link java.util.ServiceLoader}. */
public interface TcpProvider extends LayerProvider {

    /** A TCP layer over {@code ip} (Mirage's {@code Tcp.Flow.Make(IP).connect}). */
    Tcp create(Ip ip, TcpConfig config, StackContext context);
}
