package org.tcpip4j.icmp.internal;

import java.nio.ByteBuffer;
import org.tcpip4j.icmp.IcmpConfig;
import org.tcpip4j.icmp.internal.wire.IcmpPacket;
import org.tcpip4j.icmp.internal.wire.IcmpType;
import org.tcpip4j.ip.AddressKind;
import org.tcpip4j.ip.IcmpError;
import org.tcpip4j.ip.IpError;
import org.tcpip4j.ip.IpProtocol;
import org.tcpip4j.ipv4.Ipv4;
import org.tcpip4j.netif.Counters;
import org.tcpip4j.netif.Ipv4Address;
import org.tcpip4j.netif.Ipv4Cidr;
import org.tcpip4j.netif.Result;
import org.tcpip4j.netif.loop.EventLoop;

/**
 * Generates ICMP error messages about received datagrams (RFC 792, RFC 1122 3.2.2): checks
 * the rules under which none may be sent, applies the rate limit, and writes the message
 * quoting the offending datagram.
 *
 * <p>RFC 1122 3.2.2: "An ICMP error message MUST NOT be sent as the result of receiving: an
 * ICMP error message, or a datagram destined to an IP broadcast or IP multicast address,
 * or a datagram sent as a link-layer broadcast, or a non-initial fragment, or a datagram
 * whose source address does not define a single host". All but the link-layer broadcast
 * are checked here; the link layer's destination does not reach the IP layer in this
 * stack, and a unicast IP datagram in a broadcast frame is answered as if it had been
 * unicast (Linux does the same for datagrams it delivers locally).
 *
 * <p>The quote is the offending datagram's header and as much of its payload as keeps the
 * whole ICMP datagram within 576 bytes (RFC 1812 4.3.2.3; Linux does the same), more than
 * the eight bytes RFC 792 requires. Loop only.
 */
final class ErrorSender {

    /** RFC 1812 4.3.2.3: the ICMP message, IP header included, fits 576 bytes. */
    static final int MAX_QUOTE = 576 - 20 - IcmpPacket.HEADER_LENGTH;

    private final Ipv4 ip;
    private final ErrorBudget budget;
    private final ErrorWriter writer = new ErrorWriter();

    private final Counters.Counter txUnreachable;
    private final Counters.Counter txTimeExceeded;
    private final Counters.Counter txFailed;
    private final Counters.Counter malformed;
    private final Counters.Counter aboutIcmpError;
    private final Counters.Counter aboutBroadcast;
    private final Counters.Counter aboutFragment;
    private final Counters.Counter badSource;

    /** An error sender over {@code ip}; {@code seed} spreads destinations over the rate table. */
    ErrorSender(Ipv4 ip, EventLoop loop, IcmpConfig config, Counters counters, int seed) {
        this.ip = ip;
        this.txUnreachable = counters.counter("tx.destination_unreachable");
        this.txTimeExceeded = counters.counter("tx.time_exceeded");
        this.txFailed = counters.counter("tx.error_failed");
        this.malformed = counters.counter("error.not_sent.malformed");
        this.aboutIcmpError = counters.counter("error.not_sent.about_icmp_error");
        this.aboutBroadcast = counters.counter("error.not_sent.about_broadcast");
        this.aboutFragment = counters.counter("error.not_sent.about_fragment");
        this.badSource = counters.counter("error.not_sent.bad_source");
        this.budget = new ErrorBudget(loop, config, counters, seed);
    }

    /**
     * Sends the error {@code kind} about {@code datagram} (position..limit, IP header
     * first), unless a rule forbids it or the rate limit holds it back.
     *
     * @return whether a message went out
     * @throws IllegalArgumentException for a kind this host never generates (fragmentation
     *     needed, parameter problem and other unreachables need data it does not have)
     */
    boolean send(IcmpError.Kind kind, ByteBuffer datagram) {
        int type;
        int code;
        switch (kind) {
            case NETWORK_UNREACHABLE -> { type = IcmpType.DESTINATION_UNREACHABLE; code = 0; }
            case HOST_UNREACHABLE -> { type = IcmpType.DESTINATION_UNREACHABLE; code = 1; }
            case PROTOCOL_UNREACHABLE -> { type = IcmpType.DESTINATION_UNREACHABLE; code = 2; }
            case PORT_UNREACHABLE -> { type = IcmpType.DESTINATION_UNREACHABLE; code = 3; }
            case SOURCE_ROUTE_FAILED -> { type = IcmpType.DESTINATION_UNREACHABLE; code = 5; }
            case ADMINISTRATIVELY_PROHIBITED -> { type = IcmpType.DESTINATION_UNREACHABLE; code = 13; }
            case TTL_EXCEEDED -> { type = IcmpType.TIME_EXCEEDED; code = 0; }
            case REASSEMBLY_TIME_EXCEEDED -> { type = IcmpType.TIME_EXCEEDED; code = 1; }
            default -> throw new IllegalArgumentException("this host does not generate " + kind);
        }
        int at = datagram.position();
        int length = datagram.remaining();
        int headerLength = length >= 20 ? (datagram.get(at) & 0x0f) * 4 : 0;
        if (length < 20 || (datagram.get(at) & 0xf0) != 0x40 || headerLength < 20 || headerLength > length) {
            malformed.increment();
            return false;
        }
        int source = datagram.getInt(at + 12);
        int destination = datagram.getInt(at + 16);
        if ((datagram.getShort(at + 6) & 0x1fff) != 0) {
            aboutFragment.increment();
            return false;
        }
        if (isBroadcastOrGroup(destination)) {
            aboutBroadcast.increment();
            return false;
        }
        if (!isOneHost(source)) {
            badSource.increment();
            return false;
        }
        if ((datagram.get(at + 9) & 0xff) == IpProtocol.ICMP
                && (length == headerLength || !isQuery(datagram.get(at + headerLength) & 0xff))) {
            aboutIcmpError.increment();
            return false;
        }
        if (!budget.tryAcquire(0, source & 0xffff_ffffL)) {
            return false;
        }
        // From the address the datagram was sent to, which is ours: the rules above leave no
        // broadcast or multicast destination.
        Result<IpError> r = writer.set(type, code, 0, datagram, at, Math.min(length, MAX_QUOTE))
                .send(ip, ours(destination), new Ipv4Address(source), IpProtocol.ICMP);
        if (!r.isOk()) {
            txFailed.increment();
            return false;
        }
        (type == IcmpType.TIME_EXCEEDED ? txTimeExceeded : txUnreachable).increment();
        return true;
    }

    /** RFC 792: the informational messages, about which errors may be sent; every other type is not. */
    private static boolean isQuery(int type) {
        return type == IcmpType.ECHO_REQUEST || type == IcmpType.ECHO_REPLY || (type >= 13 && type <= 18);
    }

    /**
     * A broadcast or multicast destination ({@link AddressKind}), or class E: only a
     * datagram to one of our addresses is answered.
     */
    private boolean isBroadcastOrGroup(int address) {
        AddressKind kind = AddressKind.ofIpv4(address, ip.cidrs());
        return kind.isBroadcastOrMulticast() || kind == AddressKind.RESERVED;
    }

    /**
     * RFC 1122 3.2.2: a source that defines a single host: not 0.0.0.0/8 ("this network"),
     * not loopback (127/8), not broadcast, multicast or class E.
     */
    private boolean isOneHost(int address) {
        return AddressKind.ofIpv4(address, ip.cidrs()).isOneHost();
    }

    private Ipv4Address ours(int address) {
        for (Ipv4Cidr c : ip.cidrs()) {
            if (c.address().bits() == address) {
                return c.address();
            }
        }
        return null;
    }
}
