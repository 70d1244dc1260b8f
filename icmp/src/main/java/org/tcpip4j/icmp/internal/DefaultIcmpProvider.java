package org.tcpip4j.icmp.internal;

import org.tcpip4j.icmp.IcmpConfig;
import org.tcpip4j.icmp.IcmpProvider;
import org.tcpip4j.icmp.Icmpv4;
import org.tcpip4j.ipv4.Ipv4;
import org.tcpip4j.netif.loop.StackContext;

/** Provides {@link DefaultIcmpv4}, the RFC 792 ICMPv4 layer found by the name "default". */
public final class DefaultIcmpProvider implements IcmpProvider {

    /** The provider {@link java.util.ServiceLoader} instantiates. */
    public DefaultIcmpProvider() {
    }

    @Override
    public String name() {
        return "default";
    }

    @Override
    public String description() {
        return "ICMPv4 (RFC 792, RFC 1122): echo replies, ping, rate-limited errors, errors delivered to transports";
    }

    @Override
    public Icmpv4 create(Ipv4 ip, IcmpConfig config, StackContext context) {
        return new DefaultIcmpv4(ip, config, context);
    }
}
