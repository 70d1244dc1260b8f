package org.tcpip4j.ip;

import java.util.Objects;
import org.tcpip4j.netif.IpAddress;

/**
 * A received ICMP error about a datagram this host sent (RFC 792, RFC 1122 3.2.2; for
 * IPv6, RFC 4443), as the ICMP layer hands it to the transport that sent the datagram: what
 * went wrong, who said so, and the part of the datagram the message quotes (its addresses,
 * protocol and the first eight bytes of its transport header, enough for the ports).
 *
 * <p>Version neutral: an ICMPv6 layer maps its messages to the same {@link Kind}s (Packet
 * Too Big is {@link Kind#FRAGMENTATION_NEEDED}, Parameter Problem "unrecognized next
 * header" is {@link Kind#PROTOCOL_UNREACHABLE}).
 *
 * @param kind what the error says
 * @param type the message's ICMP type, as received
 * @param code the message's ICMP code, as received
 * @param nextHopMtu for {@link Kind#FRAGMENTATION_NEEDED}, the path MTU to use from now on
 *     (the reported next-hop MTU, or an estimate when the reporter gave none, RFC 1191 5);
 *     0 for every other kind
 * @param reporter the host or router that sent the error
 * @param source the quoted datagram's source: one of our addresses
 * @param destination the quoted datagram's destination
 * @param protocol the quoted datagram's protocol (17 for UDP, 6 for TCP, ...)
 * @param transportHeader the first eight bytes of the quoted transport header, most
 *     significant byte first: for UDP and TCP the ports come first
 */
public record IcmpError(Kind kind, int type, int code, int nextHopMtu, IpAddress reporter, IpAddress source,
                        IpAddress destination, int protocol, long transportHeader) {

    /** What an ICMP error says went wrong with the quoted datagram. */
    public enum Kind {
        /** The network of the destination is unreachable (IPv4 codes 0, 6, 9, 11). */
        NETWORK_UNREACHABLE,
        /** The destination host is unreachable (IPv4 codes 1, 7, 10, 12). */
        HOST_UNREACHABLE,
        /** The destination does not serve the datagram's protocol (code 2). */
        PROTOCOL_UNREACHABLE,
        /** Nothing listens on the destination port (code 3). */
        PORT_UNREACHABLE,
        /** The datagram did not fit the next hop's MTU and its DF bit was set (code 4; RFC 1191). */
        FRAGMENTATION_NEEDED,
        /** A source route failed (code 5). */
        SOURCE_ROUTE_FAILED,
        /** Communication administratively prohibited, a filter (code 13, RFC 1812). */
        ADMINISTRATIVELY_PROHIBITED,
        /** Any other destination unreachable code. */
        OTHER_UNREACHABLE,
        /** The TTL reached zero in transit (time exceeded, code 0). */
        TTL_EXCEEDED,
        /** The destination gave up reassembling the datagram (time exceeded, code 1). */
        REASSEMBLY_TIME_EXCEEDED,
        /** A header field of the datagram was wrong (parameter problem). */
        PARAMETER_PROBLEM;

        /**
         * True for the errors RFC 1122 4.2.3.9 calls hard for a connection (protocol and
         * port unreachable, fragmentation needed): the others are soft, often transient.
         */
        public boolean isHard() {
            return this == PROTOCOL_UNREACHABLE || this == PORT_UNREACHABLE || this == FRAGMENTATION_NEEDED;
        }
    }

    /** Checks the fields. */
    public IcmpError {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(reporter, "reporter");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(destination, "destination");
        if (protocol < 0 || protocol > 255) {
            throw new IllegalArgumentException("protocol out of 0..255: " + protocol);
        }
        if (nextHopMtu < 0) {
            throw new IllegalArgumentException("negative MTU: " + nextHopMtu);
        }
    }

    /** The quoted datagram's source port, for UDP and TCP: the first two bytes of its header. */
    public int sourcePort() {
        return (int) (transportHeader >>> 48) & 0xffff;
    }

    /** The quoted datagram's destination port, for UDP and TCP: bytes two and three. */
    public int destinationPort() {
        return (int) (transportHeader >>> 32) & 0xffff;
    }

    @Override
    public String toString() {
        return kind + " (type " + type + " code " + code + (nextHopMtu > 0 ? ", mtu " + nextHopMtu : "") + ") from "
                + reporter + " about " + source + ">" + destination + " protocol " + protocol;
    }
}
