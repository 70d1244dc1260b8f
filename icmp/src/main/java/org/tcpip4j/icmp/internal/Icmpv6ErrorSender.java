package org.tcpip4j.icmp.internal;

import java.nio.ByteBuffer;
import java.util.List;
import org.tcpip4j.icmp.IcmpConfig;
import org.tcpip4j.icmp.internal.wire.IcmpPacket;
import org.tcpip4j.icmp.internal.wire.Icmpv6Type;
import org.tcpip4j.icmp.internal.wire.Ipv6Chain;
import org.tcpip4j.ip.AddressKind;
import org.tcpip4j.ip.IpError;
import org.tcpip4j.ipv6.Ipv6;
import org.tcpip4j.ipv6.Ipv6Config;
import org.tcpip4j.netif.Counters;
import org.tcpip4j.netif.IpAddress;
import org.tcpip4j.netif.Ipv6Address;
import org.tcpip4j.netif.Ipv6Cidr;
import org.tcpip4j.netif.Result;
import org.tcpip4j.netif.loop.EventLoop;

/**
 * Generates ICMPv6 error messages about received datagrams (RFC 4443 3): checks the rules
 * under which none may be sent, applies the rate limit, and writes the message quoting the
 * offending datagram.
 *
 * <p>RFC 4443 2.4 (e): no error is sent in response to
 * <ol>
 *   <li>an ICMPv6 error message, or a redirect (the datagram's extension headers are walked
 *       to its upper-layer header to tell; one whose ICMPv6 type is not in it, a first
 *       fragment cut short, is taken for an error, as Linux does);
 *   <li>a datagram destined to an IPv6 multicast address, but for a packet too big and a
 *       parameter problem of code 2 about an unrecognized option whose type's two high bits
 *       are 10 (the option type is read where the pointer points);
 *   <li>a datagram whose source does not name one node: the unspecified address, a
 *       multicast or loopback address, or an anycast address the node knows (the
 *       subnet-router anycast address of each of its prefixes, RFC 4291 2.6.1).
 * </ol>
 * The rule on datagrams sent as link-layer multicast is not checked: the link layer's
 * destination does not reach the IP layer in this stack, and a unicast datagram in a
 * multicast frame is answered as if it had been unicast (as for ICMPv4).
 *
 * <p>The message comes from the datagram's destination when that is one of our addresses
 * (RFC 4443 2.2 (a)), else from the address the IPv6 layer selects for the datagram's
 * source (2.2 (c), (d)); it quotes as much of the datagram as keeps the whole ICMPv6
 * datagram within the minimum MTU, 1280 bytes (RFC 4443 2.4 (c)); the rate limit is the
 * token buckets of {@link ErrorBudget} (2.4 (f)). Loop only.
 */
final class Icmpv6ErrorSender {

    /** RFC 4443 2.4 (c): the message, IPv6 header included, fits the minimum MTU. */
    static final int MAX_QUOTE = Ipv6Config.MIN_MTU - Ipv6Chain.FIXED_HEADER - IcmpPacket.HEADER_LENGTH;

    private final Ipv6 ip;
    private final ErrorBudget budget;
    private final ErrorWriter writer = new ErrorWriter();

    private final Counters.Counter txUnreachable;
    private final Counters.Counter txPacketTooBig;
    private final Counters.Counter txTimeExceeded;
    private final Counters.Counter txParameterProblem;
    private final Counters.Counter txFailed;
    private final Counters.Counter malformed;
    private final Counters.Counter aboutIcmpError;
    private final Counters.Counter aboutMulticast;
    private final Counters.Counter badSource;

    /** An error sender over {@code ip}; {@code seed} spreads destinations over the rate table. */
    Icmpv6ErrorSender(Ipv6 ip, EventLoop loop, IcmpConfig config, Counters counters, int seed) {
        this.ip = ip;
        this.txUnreachable = counters.counter("tx.destination_unreachable");
        this.txPacketTooBig = counters.counter("tx.packet_too_big");
        this.txTimeExceeded = counters.counter("tx.time_exceeded");
        this.txParameterProblem = counters.counter("tx.parameter_problem");
        this.txFailed = counters.counter("tx.error_failed");
        this.malformed = counters.counter("error.not_sent.malformed");
        this.aboutIcmpError = counters.counter("error.not_sent.about_icmp_error");
        this.aboutMulticast = counters.counter("error.not_sent.about_multicast");
        this.badSource = counters.counter("error.not_sent.bad_source");
        this.budget = new ErrorBudget(loop, config, counters, seed);
    }

    /**
     * Sends the error {@code type}/{@code code} about {@code datagram} (position..limit, IPv6
     * header first), unless a rule forbids it or the rate limit holds it back.
     *
     * @param parameter a parameter problem's pointer, or a packet too big's MTU
     * @return whether a message went out
     * @throws IllegalArgumentException for a type or code RFC 4443 (and RFC 7112) does not define
     */
    boolean send(int type, int code, int parameter, ByteBuffer datagram) {
        Counters.Counter sent = switch (type) {
            case Icmpv6Type.DESTINATION_UNREACHABLE -> code <= 6 ? txUnreachable : null;
            case Icmpv6Type.PACKET_TOO_BIG -> code == 0 ? txPacketTooBig : null;
            case Icmpv6Type.TIME_EXCEEDED -> code <= 1 ? txTimeExceeded : null;
            case Icmpv6Type.PARAMETER_PROBLEM -> code <= 3 ? txParameterProblem : null;
            default -> null;
        };
        if (sent == null || code < 0) {
            throw new IllegalArgumentException("not an ICMPv6 error this host sends: type " + type + " code " + code);
        }
        int at = datagram.position();
        int length = datagram.remaining();
        if (length < Ipv6Chain.FIXED_HEADER || (datagram.get(at) & 0xf0) != 0x60) {
            malformed.increment();
            return false;
        }
        if (aboutIcmpError(datagram, at, length)) {
            aboutIcmpError.increment();
            return false;
        }
        Ipv6Address source = Ipv6Address.read(datagram, at + 8);
        Ipv6Address destination = Ipv6Address.read(datagram, at + 24);
        if (destination.isMulticast() && !multicastMayBeAnswered(type, code, parameter, datagram, at, length)) {
            aboutMulticast.increment();
            return false;
        }
        if (!AddressKind.ofIpv6(source).isOneHost() || isKnownAnycast(source)) {
            badSource.increment();
            return false;
        }
        if (!budget.tryAcquire(source.high(), source.low())) {
            return false;
        }
        IpAddress from = ip.configuredIps().contains(destination) ? destination : ip.src(source);
        if (from == null) {
            txFailed.increment();
            return false;
        }
        int quoted = Math.min(length, MAX_QUOTE);
        long pseudoHeader = ip.pseudoheaderChecksum(from, source, Icmpv6Type.PROTOCOL,
                IcmpPacket.HEADER_LENGTH + quoted);
        int restOfHeader = type == Icmpv6Type.PACKET_TOO_BIG || type == Icmpv6Type.PARAMETER_PROBLEM ? parameter : 0;
        Result<IpError> r = writer.set(type, code, restOfHeader, datagram, at, quoted, pseudoHeader)
                .send(ip, from, source, Icmpv6Type.PROTOCOL);
        if (!r.isOk()) {
            txFailed.increment();
            return false;
        }
        sent.increment();
        return true;
    }

    /**
     * RFC 4443 2.4 (e.1), (e.2): true when the datagram is an ICMPv6 error or a redirect, or
     * an ICMPv6 message whose type its bytes do not reach (Linux's {@code is_ineligible}). A
     * chain that cannot be walked, or a later fragment, is not known to be one.
     */
    private static boolean aboutIcmpError(ByteBuffer datagram, int at, int length) {
        long walked = Ipv6Chain.walk(datagram, at, length);
        if (walked < 0 || Ipv6Chain.protocol(walked) != Icmpv6Type.PROTOCOL || Ipv6Chain.notFirstFragment(walked)) {
            return false;
        }
        int offset = Ipv6Chain.offset(walked);
        if (offset >= length) {
            return true;
        }
        int icmpType = datagram.get(at + offset) & 0xff;
        return Icmpv6Type.isError(icmpType) || icmpType == Icmpv6Type.REDIRECT;
    }

    /**
     * RFC 4443 2.4 (e.3) exceptions: a packet too big, or a parameter problem of code 2
     * whose pointer points at an option type with the high-order bits 10 (RFC 8200 4.2:
     * "discard the packet and, regardless of whether or not the packet's Destination
     * Address was a multicast address, send an ICMP Parameter Problem").
     */
    private static boolean multicastMayBeAnswered(int type, int code, int pointer, ByteBuffer datagram, int at,
                                                  int length) {
        if (type == Icmpv6Type.PACKET_TOO_BIG) {
            return true;
        }
        return type == Icmpv6Type.PARAMETER_PROBLEM && code == 2 && pointer >= 0 && pointer < length
                && (datagram.get(at + pointer) & 0xc0) == 0x80;
    }

    /** The subnet-router anycast address (RFC 4291 2.6.1) of a prefix of ours. */
    private boolean isKnownAnycast(Ipv6Address address) {
        List<Ipv6Cidr> cidrs = ip.cidrs();
        for (int i = 0, n = cidrs.size(); i < n; i++) {
            Ipv6Cidr c = cidrs.get(i);
            // RFC 6164: a /127 (and a /128) has no subnet-router anycast address.
            if (c.prefix() < 127 && c.network().equals(address)) {
                return true;
            }
        }
        return false;
    }
}
