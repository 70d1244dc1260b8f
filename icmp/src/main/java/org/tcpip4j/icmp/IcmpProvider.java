package org.tcpip4j.icmp;

import org.tcpip4j.ipv4.Ipv4;
import org.tcpip4j.netif.LayerProvider;
import org.tcpip4j.netif.loop.StackContext;

/** Service provider of an {@link Icmpv4} layer, found through {@link java.util.ServiceLoader}. */
public interface IcmpProvider extends LayerProvider {

    /** An ICMPv4 layer over {@code ip} (Mirage's {@code Icmpv4.Make(IP).connect}). */
    Icmpv4 create(Ipv4 ip, IcmpConfig config, StackContext context);

    /** An ICMPv4 layer over {@code ip} with {@link IcmpConfig#DEFAULT}. */
    default Icmpv4 create(Ipv4 ip, StackContext context) {
        return create(ip, IcmpConfig.DEFAULT, context);
    }
}
