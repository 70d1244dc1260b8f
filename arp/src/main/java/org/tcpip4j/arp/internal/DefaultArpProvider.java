package org.tcpip4j.arp.internal;

import org.tcpip4j.arp.Arp;
import org.tcpip4j.arp.ArpConfig;
import org.tcpip4j.arp.ArpProvider;
import org.tcpip4j.ethernet.Ethernet;
import org.tcpip4j.netif.loop.StackContext;

/** Provides {@link DefaultArp}, the RFC 826 ARP layer found by the name "default". */
public final class DefaultArpProvider implements ArpProvider {

    /** The provider {@link java.util.ServiceLoader} instantiates. */
    public DefaultArpProvider() {
    }

    @Override
    public String name() {
        return "default";
    }

    @Override
    public String description() {
        return "ARP (RFC 826) with a bounded LRU cache, retried queries and gratuitous announcements";
    }

    @Override
    public Arp create(Ethernet ethernet, ArpConfig config, StackContext context) {
        return new DefaultArp(ethernet, config, context);
    }
}
