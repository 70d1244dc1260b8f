package org.tcpip4j.stack.direct;

import java.util.List;

/**
 * The provider a stack picked for one layer.
 *
 * @param layer the layer ("ethernet", "arp", "ipv4", "icmp", "udp", "tcp")
 * @param name the provider's name
 * @param implementation the provider's class
 * @param reason why this one: "default", "named on the builder", or "named by system
 *     property tcpip4j.provider.LAYER"
 * @param available the names of every provider found for the layer
 */
public record ProviderChoice(String layer, String name, String implementation, String reason,
                             List<String> available) {

    @Override
    public String toString() {
        return layer + ": " + name + " (" + implementation + "), " + reason + "; available: " + String.join(", ", available);
    }
}
