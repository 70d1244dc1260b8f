package org.tcpip4j.udp.internal;

import org.tcpip4j.ip.Ip;
import org.tcpip4j.netif.loop.StackContext;
import org.tcpip4j.udp.Udp;
import org.tcpip4j.udp.UdpConfig;
import org.tcpip4j.udp.UdpProvider;

/** Provides {@link DefaultUdp}, the RFC 768 UDP layer found by the name "default". */
public final class DefaultUdpProvider implements UdpProvider {

    /** The provider {@link java.util.ServiceLoader} instantiates. */
    public DefaultUdpProvider() {
    }

    @Override
    public String name() {
        return "default";
    }

    @Override
    public String description() {
        return "UDP (RFC 768) with checksums and random ephemeral ports (RFC 6056)";
    }

    @Override
    public Udp create(Ip ip, UdpConfig config, StackContext context) {
        return new DefaultUdp(ip, config, context);
    }
}
