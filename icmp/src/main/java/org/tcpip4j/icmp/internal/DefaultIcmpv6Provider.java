package org.tcpip4j.icmp.internal;

import org.tcpip4j.icmp.IcmpConfig;
import org.tcpip4j.icmp.Icmpv6;
import org.tcpip4j.icmp.Icmpv6Provider;
import org.tcpip4j.ipv6.Ipv6;
import org.tcpip4j.netif.loop.StackContext;

/** Provides {@link DefaultIcmpv6}, the RFC 4443 ICMPv6 layer found by the name "default". */
public final class DefaultIcmpv6Provider implements Icmpv6Provider {

    /** The provider {@link java.util.ServiceLoader} instantiates. */
    public DefaultIcmpv6Provider() {
    }

    @Override
    public String name() {
        return "default";
    }

    @Override
    public String description() {
        return "ICMPv6 (RFC 4443): echo replies, ping, rate-limited errors, errors delivered to transports";
    }

    @Override
    public Icmpv6 create(Ipv6 ip, IcmpConfig config, StackContext context) {
        return new DefaultIcmpv6(ip, config, context);
    }
}
