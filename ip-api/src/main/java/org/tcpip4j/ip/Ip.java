package org.tcpip4j.ip;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.tcpip4j.netif.Counters;
import org.tcpip4j.netif.IpAddress;
import org.tcpip4j.netif.NetifOffloads;
import org.tcpip4j.netif.PacketWriter;
import org.tcpip4j.netif.Result;

/**
 * IP, version neutral (Mirage's {@code Tcpip.Ip.S}): what UDP, TCP and ICMP need of the
 * network layer, so an IPv6 implementation can slot in without changing them.
 *
 * <p>Loop only, but for {@link #configuredIps()}, {@link #counters()} and
 * {@link #disconnect()}.
 */
public interface Ip {

    /** TTL (hop limit) used when a write does not name one. */
    int DEFAULT_TTL = 64;

    /**
     * Handles one received datagram (the buffer's position..limit, starting with the IP
     * header): verifies it, reassembles fragments, and hands the payload of a datagram for
     * us to {@code tcp}, {@code udp}, or {@code other} for any other protocol. Bad input
     * is counted and dropped.
     */
    void input(ByteBuffer packet, IpHandler tcp, IpHandler udp, OtherProtocolHandler other);

    /**
     * Writes a datagram to {@code dst} from the address {@link #src} chooses, with the
     * default TTL, fragmenting when it does not fit.
     *
     * @see #write(IpAddress, IpAddress, int, int, boolean, int, PacketWriter)
     */
    default Result<IpError> write(IpAddress dst, int protocol, int size, PacketWriter payload) {
        return write(null, dst, protocol, -1, true, size, payload);
    }

    /**
     * Writes a datagram (Mirage's {@code write ?fragment ?ttl ?src dst proto ~size headerf
     * payload}): {@code payload} fills at most {@code size} bytes after the IP header and
     * returns how many it wrote. When the payload needs a resolution of the next hop's
     * link address, the datagram waits in a bounded queue; a failed resolution drops it
     * with a counter.
     *
     * @param src the source address, or {@code null} for {@link #src(IpAddress) src(dst)}
     * @param ttl the TTL, or -1 for {@link #DEFAULT_TTL}
     * @param fragment whether the datagram may be fragmented; when false the DF bit is set
     * @return ok once the datagram is sent or queued for resolution; {@link IpError.NoRoute}
     *     when no route leads to {@code dst}; {@link IpError.WouldFragment} when it does not
     *     fit and {@code fragment} is false; {@link IpError.TooLarge} when even fragments
     *     cannot carry it; {@link IpError.Link} when the link layer failed
     */
    Result<IpError> write(IpAddress src, IpAddress dst, int protocol, int ttl, boolean fragment, int size,
                          PacketWriter payload);

    /**
     * The partial Internet checksum of the pseudo-header that UDP and TCP checksums cover
     * (Mirage's {@code pseudoheader}), ready to be passed as the initial value of
     * {@link org.tcpip4j.netif.InternetChecksum#sum}.
     *
     * @param length the transport header and payload length
     */
    long pseudoheaderChecksum(IpAddress src, IpAddress dst, int protocol, int length);

    /** The source address to use for {@code dst} (Mirage's {@code src t ~dst}). */
    IpAddress src(IpAddress dst);

    /**
     * The largest transport payload (header included) that reaches {@code dst} in one
     * datagram without fragmentation (Mirage's {@code mtu t ~dst}).
     */
    int mtu(IpAddress dst);

    /**
     * What the device datagrams to {@code dst} leave through does beyond carrying frames
     * ({@link NetifOffloads}): TCP leaves its checksum to a device that
     * completes it, and builds segments larger than {@link #mtu} for one that cuts them.
     * Datagrams to the stack's own addresses, looped back in memory, are checksummed in
     * full and never cut: {@link NetifOffloads#NONE}.
     */
    default NetifOffloads offloads(IpAddress dst) {
        return NetifOffloads.NONE;
    }

    /**
     * On the loop, while this layer delivers a payload to TCP or UDP: true when the device
     * vouches for the transport checksum of the datagram ({@link
     * org.tcpip4j.netif.Netif#rxChecksumValid()}), so that it need not be verified. Never
     * true for a datagram reassembled from fragments.
     */
    default boolean rxChecksumValid() {
        return false;
    }

    /**
     * Reports that the datagram whose payload this layer is delivering, {@code payload}, has
     * no receiver on its destination port, so that an ICMP port unreachable goes back to its
     * sender (RFC 1122 4.1.3.1 for UDP; TCP answers with a reset instead). The IP layer
     * quotes the datagram's own header, which the transport does not see, and the ICMP layer
     * decides whether to send at all: never about a broadcast or multicast datagram, a
     * non-initial fragment or an ICMP error, nor to a source that is not one host (RFC 1122
     * 3.2.2), and within its rate limit.
     *
     * <p>Call it only from within the {@link IpHandler} call that delivered {@code payload},
     * with the buffer's position still at the transport header; any other call is ignored.
     * The default does nothing (an IP layer that sends no ICMP errors). Loop only.
     */
    default void portUnreachable(ByteBuffer payload) {
    }

    /**
     * Reports that nothing serves the protocol of the datagram whose payload this layer is
     * delivering, {@code payload}, so that an ICMP protocol unreachable goes back to its
     * sender (RFC 1122 3.2.2.1): for the handler of "other" protocols, which knows which
     * protocols it serves. The same rules and the same restrictions as
     * {@link #portUnreachable} apply. The default does nothing. Loop only.
     */
    default void protocolUnreachable(ByteBuffer payload) {
    }

    /**
     * What {@code address} names for this host: unicast, a broadcast (limited, or the
     * directed broadcast of a configured subnet), multicast, and so on. The one definition
     * every layer uses: ICMP neither answers echo requests to a broadcast or multicast
     * address by default nor sends errors about datagrams to or from one (RFC 1122 3.2.2),
     * TCP accepts no segment to or from one and connects to none (RFC 1122 4.2.3.10).
     * The default knows no subnets; an IP layer that has them overrides it. Allocates
     * nothing; safe from any thread.
     */
    default AddressKind addressKind(IpAddress address) {
        return AddressKind.of(address);
    }

    /**
     * Lowers the path MTU to {@code destination} (RFC 1191 6.3; RFC 8201 for IPv6), as an
     * ICMP "fragmentation needed" (Packet Too Big) message reported that the transport which
     * sent the quoted datagram has checked by its own rule (RFC 5927 4; TCP: the quoted
     * segment is of a connection and in its window): datagrams to it are fragmented to fit,
     * a write that may not be fragmented fails with {@link IpError.WouldFragment}, and
     * {@link #mtu} reports it, until the entry expires and the link MTU is tried again. A
     * value at or above the current path MTU changes nothing (path MTUs only grow by
     * expiry); one below the layer's floor (552 bytes for IPv4, as Linux's {@code min_pmtu})
     * is raised to it, so that a message cannot shrink datagrams to a few bytes. The ICMP
     * layer itself lowers nothing: it cannot tell a forged message from a genuine one. The
     * default does nothing. Loop only.
     *
     * @param mtu the path MTU: the largest datagram, IP header included
     */
    default void updatePathMtu(IpAddress destination, int mtu) {
    }

    /**
     * Confirms that the path to {@code destination} works, as a transport sees it (RFC 4861
     * 7.3.1: TCP's acknowledgments of new data): an IPv6 layer then needs no probe of the
     * next hop's reachability. Allocates nothing. The default does nothing (IPv4's ARP has no
     * such hint). Loop only.
     */
    default void confirmReachable(IpAddress destination) {
    }

    /** The addresses configured on this layer. Safe from any thread. */
    List<IpAddress> configuredIps();

    /** The layer's counters. */
    Counters counters();

    /** Stops the layer: queued datagrams are dropped, timers stop. */
    CompletableFuture<Void> disconnect();
}
