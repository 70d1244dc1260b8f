package org.tcpip4j.ipv6;

import java.util.Objects;
import org.tcpip4j.netif.Ipv6Cidr;

/**
 * One of the IPv6 layer's own addresses, as {@code ip -6 addr} lists it.
 *
 * @param cidr the address and the length of its on-link prefix
 * @param origin where it comes from
 * @param state where it stands in Duplicate Address Detection and its lifetimes (RFC 4862)
 * @param preferredLifetimeNanos how long it stays preferred from now, in nanoseconds of the
 *     loop's clock; {@link Long#MAX_VALUE} for infinite
 * @param validLifetimeNanos how long it stays valid from now; {@link Long#MAX_VALUE} for infinite
 */
public record Ipv6AddressInfo(Ipv6Cidr cidr, Origin origin, State state, long preferredLifetimeNanos,
                              long validLifetimeNanos) {

    /** Where an address comes from. */
    public enum Origin {
        /** The link-local address formed from the interface identifier (RFC 4862 5.3). */
        LINK_LOCAL,
        /** Configured statically. */
        STATIC,
        /** Formed from a router advertisement's prefix (RFC 4862 5.5.3). */
        SLAAC
    }

    /** The state of an address (RFC 4862 2). */
    public enum State {
        /** Duplicate Address Detection runs: not used as a source, and only DAD's messages answer for it. */
        TENTATIVE,
        /** Usable as any source. */
        PREFERRED,
        /** Its preferred lifetime passed: kept for the connections that use it, chosen for no new one. */
        DEPRECATED,
        /** Duplicate Address Detection found it in use elsewhere: never used (RFC 4862 5.4.5). */
        DUPLICATE
    }

    /** Checks the fields. */
    public Ipv6AddressInfo {
        Objects.requireNonNull(cidr, "cidr");
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(state, "state");
    }

    /** Whether the address may be the source of a datagram (preferred or deprecated). */
    public boolean isUsable() {
        return state == State.PREFERRED || state == State.DEPRECATED;
    }

    @Override
    public String toString() {
        return cidr + " " + origin.name().toLowerCase(java.util.Locale.ROOT) + " "
            + state.name().toLowerCase(java.util.Locale.ROOT);
    }
}
