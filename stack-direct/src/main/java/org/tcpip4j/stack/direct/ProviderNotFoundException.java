package org.tcpip4j.stack.direct;

import java.util.List;

/** No provider of a layer has the name a user asked for, or none exists at all. */
public final class ProviderNotFoundException extends IllegalStateException {

    private final String layer;
    private final String requested;
    private final List<String> available;

    ProviderNotFoundException(String layer, String requested, List<String> available) {
        super(message(layer, requested, available));
        this.layer = layer;
        this.requested = requested;
        this.available = List.copyOf(available);
    }

    private static String message(String layer, String requested, List<String> available) {
        String have = available.isEmpty()
                ? "none is on the module path (add the " + layer + " module, or one providing it)"
                : "available: " + String.join(", ", available);
        return "no " + layer + " provider named '" + requested + "'; " + have;
    }

    /** The layer. */
    public String layer() {
        return layer;
    }

    /** The name asked for. */
    public String requested() {
        return requested;
    }

    /** The providers that were found, as "name (class)". */
    public List<String> available() {
        return available;
    }
}
