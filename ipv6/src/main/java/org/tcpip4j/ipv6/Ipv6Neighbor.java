package org.tcpip4j.ipv6;

import java.util.Objects;
import org.tcpip4j.netif.Ipv6Address;
import org.tcpip4j.netif.MacAddress;

/**
 * One entry of the neighbor cache (RFC 4861 5.1), as {@code ip -6 neigh} lists it.
 *
 * @param address the neighbor's IPv6 address
 * @param mac its link-layer address, or {@code null} while {@link State#INCOMPLETE}
 * @param state the reachability state (RFC 4861 7.3.2)
 * @param router whether the neighbor is a router (its advertisements' R flag)
 */
public record Ipv6Neighbor(Ipv6Address address, MacAddress mac, State state, boolean router) {

    /** Neighbor unreachability detection's states (RFC 4861 7.3.2). */
    public enum State { INCOMPLETE, REACHABLE, STALE, DELAY, PROBE }

    /** Checks the fields. */
    public Ipv6Neighbor {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(state, "state");
    }
}
