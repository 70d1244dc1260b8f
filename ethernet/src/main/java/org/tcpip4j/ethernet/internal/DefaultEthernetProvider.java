package org.tcpip4j.ethernet.internal;

import org.tcpip4j.ethernet.Ethernet;
import org.tcpip4j.ethernet.EthernetProvider;
import org.tcpip4j.netif.Netif;
import org.tcpip4j.netif.loop.StackContext;

/** Provides {@link DefaultEthernet}, the Ethernet II layer found by the name "default". */
public final class DefaultEthernetProvider implements EthernetProvider {

    /** The provider {@link java.util.ServiceLoader} instantiates. */
    public DefaultEthernetProvider() {
    }

    @Override
    public String name() {
        return "default";
    }

    @Override
    public String description() {
        return "Ethernet II framing and demultiplexing by ethertype";
    }

    @Override
    public Ethernet create(Netif netif, StackContext context) {
        return new DefaultEthernet(netif, context);
    }
}
