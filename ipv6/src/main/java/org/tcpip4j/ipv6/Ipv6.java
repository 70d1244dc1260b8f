package org.tcpip4j.ipv6;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.tcpip4j.ip.AddressKind;
import org.tcpip4j.ip.Ip;
import org.tcpip4j.netif.IpAddress;
import org.tcpip4j.netif.Ipv6Address;
import org.tcpip4j.netif.Ipv6Cidr;

/**
 * IPV6: the {@link Ip} interface for IPv6 (RFC 8200) with Neighbor Discovery (RFC 4861)
 * in place of ARP, and addresses configured statically or by SLAAC (RFC 4862).
 *
 * <p>ICMPv6 messages of Neighbor Discovery and MLD are handled here; every other ICMPv6
 * message (next header 58) is handed to the "other protocol" handler of {@link #input}, for
 * the ICMPv6 layer. Loop only, but for {@link #configuredIps()}, {@link #cidrs()},
 * {@link #addressInfo()}, {@link #counters()} and {@link #disconnect()}.
 */
public interface Ipv6 extends Ip {

    /** The usable addresses (preferred or deprecated) with their on-link prefixes. */
    List<Ipv6Cidr> cidrs();

    /** Every address of the layer, tentative and duplicate ones included, with its state. */
    List<Ipv6AddressInfo> addressInfo();

    /**
     * Completes when Duplicate Address Detection has ended for the link-local address and
     * every statically configured one (RFC 4862 5.4), whatever it found: look at
     * {@link #addressInfo()} for duplicates. Addresses formed later by SLAAC are not waited for.
     */
    CompletableFuture<Void> addressesReady();

    /** The default router in use (configured, or the first of the default router list). */
    Optional<Ipv6Address> defaultRouter();

    /** The neighbor cache, for inspection. Loop only. */
    List<Ipv6Neighbor> neighbors();

    /** {@inheritDoc} IPv6 has no broadcast; multicast is {@code ff00::/8}. */
    @Override
    default AddressKind addressKind(IpAddress address) {
        return AddressKind.of(address);
    }

    /**
     * Receives datagrams sent to the multicast {@code group} from now on: the Ethernet
     * group is joined and MLDv2 reports announce it (RFC 3810). Joins are counted. Loop only.
     *
     * @throws IllegalArgumentException when {@code group} is not multicast
     */
    void joinGroup(Ipv6Address group);

    /** Undoes one {@link #joinGroup}. Loop only. */
    void leaveGroup(Ipv6Address group);

    /**
     * Sets where datagrams that could not be delivered go, for an ICMPv6 error to answer
     * them, replacing the handler set before; {@code null} for none. Loop only.
     */
    void onUndeliverable(Ipv6UndeliverableHandler handler);
}
