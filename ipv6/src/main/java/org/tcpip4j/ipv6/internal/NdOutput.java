package org.tcpip4j.ipv6.internal;

import java.nio.ByteBuffer;
import org.tcpip4j.ip.IpError;
import org.tcpip4j.netif.Ipv6Address;
import org.tcpip4j.netif.PacketWriter;
import org.tcpip4j.netif.Result;

/**
 * What Neighbor Discovery sends through: the IPv6 layer's output, below routing and
 * resolution. Implemented by the IPv6 layer. Loop only.
 */
public interface NdOutput {

    /** Marks "no link-layer address known": resolve {@code dst} as the datagram's next hop. */
    long RESOLVE = -1;

    /**
     * Writes one ICMPv6 message (Neighbor Discovery or MLD) in an IPv6 datagram of its own.
     * {@code message} writes the ICMPv6 message from its type on, leaving the checksum field
     * as it likes; the layer then computes the checksum over the pseudo-header.
     *
     * @param src the source address ({@link Ipv6Address#ANY} for DAD's solicitations and
     *     the reports sent before an address is usable)
     * @param dstMac the destination MAC's bits (a multicast group's 33:33 address, or a
     *     neighbor's known address), or {@link #RESOLVE}
     * @param hopLimit 255 for Neighbor Discovery (RFC 4861), 1 for MLD (RFC 3810)
     * @param routerAlert whether a hop-by-hop header with the Router Alert option (RFC 2711,
     *     value 0, MLD) precedes the message (MLD's reports and queries carry one)
     * @param size the most bytes {@code message} writes
     */
    Result<IpError> sendIcmpv6(Ipv6Address src, Ipv6Address dst, long dstMac, int hopLimit, boolean routerAlert,
                               int size, PacketWriter message);

    /**
     * Sends a datagram that waited for the resolution of its next hop, now resolved to
     * {@code mac}: the buffer (position..limit) is a whole IPv6 datagram as
     * {@link NeighborDiscovery#hold} took it.
     */
    void transmit(long mac, ByteBuffer datagram);

    /**
     * Reports a held datagram whose next hop could not be resolved, so that an ICMPv6
     * destination unreachable, address unreachable (code 3), answers its sender when the
     * sender is not us (RFC 4861 7.2.2).
     */
    void unresolved(ByteBuffer datagram);
}
