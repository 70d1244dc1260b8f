package org.tcpip4j.examples;

import java.util.ServiceLoader;
import org.tcpip4j.ethernet.Ethernet;
import org.tcpip4j.ethernet.EthernetProvider;
import org.tcpip4j.netif.Netif;
import org.tcpip4j.netif.loop.StackContext;

/**
 * Provides the "counting" Ethernet layer: the default layer, found through
 * {@link ServiceLoader} like any other, wrapped by a {@link CountingEthernet}. It shows how a
 * user swaps one layer of the direct stack without forking the rest.
 */
public final class CountingEthernetProvider implements EthernetProvider {

    /** The name to select this provider by. */
    public static final String NAME = "counting";

    /** The provider, as ServiceLoader makes it. */
    public CountingEthernetProvider() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "the default Ethernet layer, counting frames by ethertype";
    }

    @Override
    public Ethernet create(Netif netif, StackContext context) {
        EthernetProvider inner = ServiceLoader.load(EthernetProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(p -> p.name().equals("default"))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("the counting Ethernet layer wraps the default one, which is missing"));
        return new CountingEthernet(inner.create(netif, context));
    }
}
