package org.tcpip4j.icmp.internal;

import java.nio.ByteBuffer;
import java.util.EnumMap;
import java.util.Map;
import org.tcpip4j.icmp.internal.wire.IcmpPacket;
import org.tcpip4j.icmp.internal.wire.IcmpType;
import org.tcpip4j.icmp.internal.wire.QuoteParseResult;
import org.tcpip4j.icmp.internal.wire.QuoteRejection;
import org.tcpip4j.icmp.internal.wire.QuotedDatagram;
import org.tcpip4j.ip.IcmpError;
import org.tcpip4j.ipv4.Ipv4;
import org.tcpip4j.netif.Counters;
import org.tcpip4j.netif.IpAddress;
import org.tcpip4j.netif.Ipv4Address;
import org.tcpip4j.netif.Ipv4Cidr;

/**
 * Turns a received ICMP error message into an {@link IcmpError} and delivers it (RFC 1122
 * 3.2.2: "the ICMP error message MUST be passed to the transport layer"): to the pings of
 * the ICMP layer itself when it quotes one of our echo requests, else to the error handler
 * the stack registered, which routes it by the quoted protocol to UDP or TCP.
 *
 * <p>Only errors quoting a datagram from one of our addresses are delivered (RFC 5927 4.1
 * would have every layer check what it can; the transport checks the rest, TCP its
 * sequence numbers). Fragmentation needed (RFC 1191) carries the path MTU it implies, but
 * lowers no path MTU here: anyone can forge one quoting our address, and only the transport
 * that sent the quoted datagram can check it (TCP: a connection's segment in its window,
 * RFC 5927 5.2), so the transport lowers the path MTU through {@link Ipv4#updatePathMtu}.
 * Source quench (deprecated, RFC 6633) and redirects (a host with static routes keeps them;
 * redirects are a classic spoofing vector) are counted and ignored. Loop only.
 */
final class ErrorReceiver {

    /** RFC 1191 7: the plateaus of MTUs in use, to guess a path MTU when a router gives none. */
    private static final int[] PLATEAUS = {65535, 32000, 17914, 8166, 4352, 2002, 1492, 1006, 508, 296, 68};

    private final Ipv4 ip;
    private final ErrorDelivery delivery;

    private final Map<QuoteRejection, Counters.Counter> rejected = new EnumMap<>(QuoteRejection.class);
    private final Counters.Counter ignored;
    private final Counters.Counter notOurs;

    ErrorReceiver(Ipv4 ip, Counters counters, ErrorDelivery delivery) {
        this.ip = ip;
        for (QuoteRejection r : QuoteRejection.values()) {
            rejected.put(r, counters.counter(r.counterName()));
        }
        this.ignored = counters.counter("rx.errors_ignored");
        this.notOurs = counters.counter("rx.errors_not_about_ours");
        this.delivery = delivery;
    }

    /** Handles a verified error message {@code p} from {@code reporter}. */
    void received(IpAddress reporter, IcmpPacket p, ByteBuffer message) {
        int type = p.type();
        int code = p.code();
        IcmpError.Kind kind = kind(type, code);
        if (kind == null) {
            ignored.increment();
            return;
        }
        QuoteParseResult parsed = QuotedDatagram.parse(message.duplicate().position(p.dataOffset()));
        if (parsed instanceof QuoteRejection r) {
            rejected.get(r).increment();
            return;
        }
        QuotedDatagram quote = (QuotedDatagram) parsed;
        if (!isOurs(quote.source())) {
            notOurs.increment();
            return;
        }
        int mtu = 0;
        if (kind == IcmpError.Kind.FRAGMENTATION_NEEDED) {
            // RFC 1191 4: the next-hop MTU is the low 16 bits of the header's last word.
            mtu = pathMtu(p.restOfHeader() & 0xffff, quote.totalLength());
        }
        delivery.deliver(new IcmpError(kind, type, code, mtu, reporter, quote.source(), quote.destination(),
                quote.protocol(), quote.payloadStart()));
    }

    /** The kind of an error message, or null for those this host ignores. */
    static IcmpError.Kind kind(int type, int code) {
        return switch (type) {
            case IcmpType.DESTINATION_UNREACHABLE -> switch (code) {
                case 0, 6, 9, 11 -> IcmpError.Kind.NETWORK_UNREACHABLE;
                case 1, 7, 10, 12 -> IcmpError.Kind.HOST_UNREACHABLE;
                case 2 -> IcmpError.Kind.PROTOCOL_UNREACHABLE;
                case 3 -> IcmpError.Kind.PORT_UNREACHABLE;
                case 4 -> IcmpError.Kind.FRAGMENTATION_NEEDED;
                case 5 -> IcmpError.Kind.SOURCE_ROUTE_FAILED;
                case 13 -> IcmpError.Kind.ADMINISTRATIVELY_PROHIBITED;
                default -> IcmpError.Kind.OTHER_UNREACHABLE;
            };
            case IcmpType.TIME_EXCEEDED -> code == 1 ? IcmpError.Kind.REASSEMBLY_TIME_EXCEEDED
                    : IcmpError.Kind.TTL_EXCEEDED;
            case IcmpType.PARAMETER_PROBLEM -> IcmpError.Kind.PARAMETER_PROBLEM;
            default -> null;
        };
    }

    /**
     * The path MTU a fragmentation needed message means: the reported next-hop MTU, or when
     * the router reported none (RFC 1191 5, routers older than it) or one no smaller than
     * the datagram it refused, the largest plateau below the datagram's total length.
     */
    static int pathMtu(int reported, int quotedTotalLength) {
        if (reported >= 68 && reported < quotedTotalLength) {
            return reported;
        }
        for (int plateau : PLATEAUS) {
            if (plateau < quotedTotalLength) {
                return plateau;
            }
        }
        return 68;
    }

    private boolean isOurs(Ipv4Address address) {
        for (Ipv4Cidr c : ip.cidrs()) {
            if (c.address().equals(address)) {
                return true;
            }
        }
        return false;
    }
}
