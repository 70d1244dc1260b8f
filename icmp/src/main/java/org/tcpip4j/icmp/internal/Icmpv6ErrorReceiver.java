package org.tcpip4j.icmp.internal;

import java.nio.ByteBuffer;
import java.util.EnumMap;
import java.util.Map;
import org.tcpip4j.icmp.internal.wire.IcmpPacket;
import org.tcpip4j.icmp.internal.wire.Icmpv6Type;
import org.tcpip4j.icmp.internal.wire.Ipv6Quote;
import org.tcpip4j.icmp.internal.wire.Ipv6QuoteParseResult;
import org.tcpip4j.icmp.internal.wire.Ipv6QuoteRejection;
import org.tcpip4j.ip.IcmpError;
import org.tcpip4j.ipv6.Ipv6;
import org.tcpip4j.ipv6.Ipv6Config;
import org.tcpip4j.netif.Counters;
import org.tcpip4j.netif.IpAddress;

/**
 * Turns a received ICMPv6 error message into an {@link IcmpError} and delivers it through
 * {@link ErrorDelivery} (RFC 4443 3: "notify the upper-layer process"): to the ping it
 * quotes, or to the transport that sent the quoted datagram.
 *
 * <p>The quoted datagram's extension headers are walked to its upper-layer header; only a
 * quote of a first fragment, holding that header's first eight bytes, can be matched
 * ({@link Ipv6Quote}). Only errors about a datagram from one of our addresses are delivered
 * (RFC 5927 4.1; the transports check the rest, as for ICMPv4).
 *
 * <p>Packet too big carries the reported MTU, raised to 1280 when lower (RFC 8201 4: a node
 * MUST NOT reduce its estimate below the IPv6 minimum link MTU), but lowers no path MTU
 * here: the transport that sent the quoted datagram checks it and calls
 * {@link Ipv6#updatePathMtu}, as for ICMPv4's fragmentation needed.
 *
 * <p>RFC 4443 2.4 (b): an error of a type this layer does not know is passed to the
 * upper layer that sent the quoted datagram, as {@link IcmpError.Kind#OTHER_UNREACHABLE}, a
 * soft error with its type and code as received. Loop only.
 */
final class Icmpv6ErrorReceiver {

    /** RFC 8200 5: the minimum link MTU, the least path MTU a packet too big may set. */
    static final int MIN_MTU = Ipv6Config.MIN_MTU;

    private final Ipv6 ip;
    private final ErrorDelivery delivery;

    private final Map<Ipv6QuoteRejection, Counters.Counter> rejected = new EnumMap<>(Ipv6QuoteRejection.class);
    private final Counters.Counter notOurs;

    Icmpv6ErrorReceiver(Ipv6 ip, Counters counters, ErrorDelivery delivery) {
        this.ip = ip;
        for (Ipv6QuoteRejection r : Ipv6QuoteRejection.values()) {
            rejected.put(r, counters.counter(r.counterName()));
        }
        this.notOurs = counters.counter("rx.errors_not_about_ours");
        this.delivery = delivery;
    }

    /** Handles a verified error message {@code p} from {@code reporter}. */
    void received(IpAddress reporter, IcmpPacket p, ByteBuffer message) {
        Ipv6QuoteParseResult parsed = Ipv6Quote.parse(message.duplicate().position(p.dataOffset()));
        if (parsed instanceof Ipv6QuoteRejection r) {
            rejected.get(r).increment();
            return;
        }
        Ipv6Quote quote = (Ipv6Quote) parsed;
        if (!ip.configuredIps().contains(quote.source())) {
            notOurs.increment();
            return;
        }
        int type = p.type();
        int code = p.code();
        IcmpError.Kind kind = kind(type, code);
        int mtu = kind == IcmpError.Kind.FRAGMENTATION_NEEDED ? pathMtu(p.restOfHeader()) : 0;
        delivery.deliver(new IcmpError(kind, type, code, mtu, reporter, quote.source(), quote.destination(),
                quote.protocol(), quote.payloadStart()));
    }

    /** The kind of an error message (RFC 4443 3.1 to 3.4); unknown types are other unreachables. */
    static IcmpError.Kind kind(int type, int code) {
        return switch (type) {
            case Icmpv6Type.DESTINATION_UNREACHABLE -> switch (code) {
                case 0 -> IcmpError.Kind.NETWORK_UNREACHABLE;
                case 1, 5, 6 -> IcmpError.Kind.ADMINISTRATIVELY_PROHIBITED;
                case 3 -> IcmpError.Kind.HOST_UNREACHABLE;
                case 4 -> IcmpError.Kind.PORT_UNREACHABLE;
                // 2, beyond the scope of the source address, and codes not defined.
                default -> IcmpError.Kind.OTHER_UNREACHABLE;
            };
            case Icmpv6Type.PACKET_TOO_BIG -> IcmpError.Kind.FRAGMENTATION_NEEDED;
            case Icmpv6Type.TIME_EXCEEDED -> code == 1 ? IcmpError.Kind.REASSEMBLY_TIME_EXCEEDED
                    : IcmpError.Kind.TTL_EXCEEDED;
            case Icmpv6Type.PARAMETER_PROBLEM -> code == 1 ? IcmpError.Kind.PROTOCOL_UNREACHABLE
                    : IcmpError.Kind.PARAMETER_PROBLEM;
            default -> IcmpError.Kind.OTHER_UNREACHABLE;
        };
    }

    /**
     * The path MTU a packet too big means: the reported MTU (an unsigned 32-bit field), at
     * least 1280 (RFC 8201 4) and at most what an int holds.
     */
    static int pathMtu(int reported) {
        long mtu = reported & 0xffff_ffffL;
        return (int) Math.min(Math.max(mtu, MIN_MTU), Integer.MAX_VALUE);
    }
}
