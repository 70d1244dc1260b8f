package org.tcpip4j.ipv4.internal;

import org.tcpip4j.arp.Arp;
import org.tcpip4j.ethernet.Ethernet;
import org.tcpip4j.ipv4.Ipv4;
import org.tcpip4j.ipv4.Ipv4Config;
import org.tcpip4j.ipv4.Ipv4Provider;
import org.tcpip4j.netif.loop.StackContext;

/** Provides {@link DefaultIpv4}, the RFC 791 IPv4 layer found by the name "default". */
public final class DefaultIpv4Provider implements Ipv4Provider {

    /** The provider {@link java.util.ServiceLoader} instantiates. */
    public DefaultIpv4Provider() {
    }

    @Override
    public String name() {
        return "default";
    }

    @Override
    public String description() {
        return "IPv4 (RFC 791, RFC 1122) with static routing, fragmentation and bounded reassembly";
    }

    @Override
    public Ipv4 create(Ethernet ethernet, Arp arp, Ipv4Config config, StackContext context) {
        return new DefaultIpv4(ethernet, arp, config, context);
    }
}
