package org.tcpip4j.ipv6.internal;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.tcpip4j.ethernet.Ethernet;
import org.tcpip4j.ipv6.Ipv6AddressInfo;
import org.tcpip4j.ipv6.Ipv6Config;
import org.tcpip4j.ipv6.Ipv6Neighbor;
import org.tcpip4j.netif.Counters;
import org.tcpip4j.netif.Ipv6Address;
import org.tcpip4j.netif.Ipv6Cidr;
import org.tcpip4j.netif.loop.StackContext;

/**
 * Neighbor Discovery (RFC 4861) and address configuration (RFC 4862, RFC 7217) with the
 * MLDv2 reports (RFC 3810) of the groups joined: the IPv6 layer's resolver, router and
 * prefix lists, and address table. The IPv6 layer calls it for routing and resolution on
 * output and hands it the ICMPv6 messages of types 130 to 137 and 143 on input.
 *
 * <p>All addresses it takes and gives have no zone: a stack has one link. Nothing on the
 * output path ({@link #nextHop}, {@link #linkAddress}, {@link #isLocal}) allocates.
 * Loop only, but for {@link #cidrs()}, {@link #addressInfo()} and {@link #configuredIps()}.
 */
public interface NeighborDiscovery {

    /** Creates the discovery of a layer. */
    @FunctionalInterface
    interface Factory {
        NeighborDiscovery create(Ethernet ethernet, Ipv6Config config, StackContext context, NdOutput output,
                                 Counters counters);
    }

    /**
     * Starts: joins all-nodes and the solicited-node groups of the addresses (MLDv2 reports),
     * forms the link-local address from the MAC (modified EUI-64, RFC 4291 2.5.1), runs
     * Duplicate Address Detection on it and on the static addresses, and solicits routers
     * when configured to.
     */
    void start();

    /** Stops every timer and drops held datagrams. */
    void stop();

    /**
     * The next hop towards {@code dst}: {@code dst} itself when it is on link (link-local,
     * multicast, in an on-link prefix, or redirected there), else the router a redirect
     * names or a default router (RFC 4861 5.2), {@code null} when none leads there.
     */
    Ipv6Address nextHop(Ipv6Address dst);

    /**
     * The MAC (its bits) of the on-link neighbor {@code nextHop} when known (REACHABLE,
     * STALE, DELAY or PROBE; a STALE entry moves to DELAY, RFC 4861 7.3.3), the 33:33 group
     * address of a multicast one, or {@link NdOutput#RESOLVE} after starting or continuing
     * its resolution: {@link #hold} the datagram then.
     */
    long linkAddress(Ipv6Address nextHop);

    /**
     * Holds a copy of a datagram (position..limit, a whole IPv6 datagram) until
     * {@code nextHop} resolves ({@link NdOutput#transmit}) or fails
     * ({@link NdOutput#unresolved}); past the per-neighbor bound the oldest goes.
     *
     * @return false when it was dropped at once (counted)
     */
    boolean hold(Ipv6Address nextHop, ByteBuffer datagram);

    /**
     * Upper-layer confirmation that {@code neighbor} (a next hop) is reachable (RFC 4861
     * 7.3.1: TCP's new acknowledgments): an entry moves to REACHABLE without probing.
     */
    void confirmReachable(Ipv6Address neighbor);

    /**
     * Handles one ICMPv6 message of type 130..137 or 143 (the buffer's position..limit,
     * checksum already verified by the IPv6 layer) with the datagram's addresses and hop limit.
     * Invalid messages are counted and dropped (RFC 4861 6.1, 7.1, 8.1: hop limit 255, code 0,
     * lengths, options of non-zero length).
     */
    void input(Ipv6Address src, Ipv6Address dst, int hopLimit, ByteBuffer message);

    /**
     * Whether a datagram to {@code dst} is for us: one of our addresses past DAD (preferred
     * or deprecated), or a multicast group joined. Datagrams to a tentative address are not
     * (RFC 4862 5.4.3: only Neighbor Discovery may answer for it, and it sees them through
     * {@link #input} anyway).
     */
    boolean isLocal(Ipv6Address dst);

    /**
     * The source address for {@code dst} (RFC 6724 5, the rules that matter on one link:
     * the same address, appropriate scope, not deprecated, longest matching prefix), or
     * {@code null} when no usable address exists.
     */
    Ipv6Address sourceFor(Ipv6Address dst);

    /** The MTU of the link: the device's, or lower when a router advertised it (RFC 4861 6.3.4). */
    int linkMtu();

    /** The hop limit of datagrams: configured, or advertised by a router. */
    int hopLimit();

    /** Joins a multicast group for the layer's user (counted), with MLDv2 reports. */
    void joinGroup(Ipv6Address group);

    /** Leaves a group joined by {@link #joinGroup}. */
    void leaveGroup(Ipv6Address group);

    /** The usable addresses with their prefixes. Safe from any thread. */
    List<Ipv6Cidr> cidrs();

    /** Every address with its state and lifetimes. Safe from any thread. */
    List<Ipv6AddressInfo> addressInfo();

    /** The usable addresses. Safe from any thread. */
    List<org.tcpip4j.netif.IpAddress> configuredIps();

    /** Completes when DAD ended for the link-local and static addresses. */
    CompletableFuture<Void> addressesReady();

    /** The default router in use. */
    Optional<Ipv6Address> defaultRouter();

    /** The neighbor cache. */
    List<Ipv6Neighbor> neighbors();
}
