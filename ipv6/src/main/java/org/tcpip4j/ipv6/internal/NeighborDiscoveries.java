package org.tcpip4j.ipv6.internal;

/** The Neighbor Discovery the default IPv6 layer runs. */
final class NeighborDiscoveries {

    /** Neighbor Discovery, SLAAC, DAD and MLD of {@link org.tcpip4j.ipv6.internal.nd}. */
    static final NeighborDiscovery.Factory DEFAULT = org.tcpip4j.ipv6.internal.nd.Ndp::new;

    private NeighborDiscoveries() {
    }
}
