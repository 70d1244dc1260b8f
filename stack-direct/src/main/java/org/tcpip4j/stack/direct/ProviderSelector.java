package org.tcpip4j.stack.direct;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import org.tcpip4j.netif.LayerProvider;

/**
 * Picks one provider of a layer among those {@link ServiceLoader} finds: the one named on
 * the builder, else the one named by the system property {@code tcpip4j.provider.LAYER},
 * else the one named "default", else the only one there is.
 */
final class ProviderSelector {

    /** The system property prefix: {@code tcpip4j.provider.ethernet=counting}. */
    static final String PROPERTY_PREFIX = "tcpip4j.provider.";

    private ProviderSelector() {
    }

    record Selected<P>(P provider, ProviderChoice choice) {
    }

    static <P extends LayerProvider> Selected<P> select(Class<P> spi, String layer, String named) {
        List<P> found = new ArrayList<>();
        for (P p : ServiceLoader.load(spi)) {
            found.add(p);
        }
        return select(found, layer, named, System.getProperty(PROPERTY_PREFIX + layer));
    }

    static <P extends LayerProvider> Selected<P> select(List<P> found, String layer, String named, String property) {
        List<String> available = new ArrayList<>();
        for (P p : found) {
            available.add(p.name() + " (" + p.getClass().getName() + ")");
        }
        String wanted;
        String reason;
        if (named != null) {
            wanted = named;
            reason = "named on the builder";
        } else if (property != null && !property.isBlank()) {
            wanted = property.trim();
            reason = "named by system property " + PROPERTY_PREFIX + layer;
        } else if (found.size() == 1) {
            wanted = found.getFirst().name();
            reason = "the only provider found";
        } else {
            wanted = "default";
            reason = "default";
        }
        for (P p : found) {
            if (p.name().equals(wanted)) {
                return new Selected<>(p, new ProviderChoice(layer, p.name(), p.getClass().getName(), reason,
                        found.stream().map(LayerProvider::name).toList()));
            }
        }
        throw new ProviderNotFoundException(layer, wanted, available);
    }
}
