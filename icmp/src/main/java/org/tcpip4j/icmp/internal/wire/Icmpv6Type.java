package org.tcpip4j.icmp.internal.wire;

/** ICMPv6 message types (RFC 4443 2.1, IANA "ICMPv6 Parameters"). */
public final class Icmpv6Type {
    /** Destination unreachable (RFC 4443 3.1): codes 0 to 6. */
    public static final int DESTINATION_UNREACHABLE = 1;
    /** Packet too big (RFC 4443 3.2): the MTU of the next hop in the four type-specific bytes. */
    public static final int PACKET_TOO_BIG = 2;
    /** Time exceeded (RFC 4443 3.3): hop limit in transit (0), fragment reassembly time (1). */
    public static final int TIME_EXCEEDED = 3;
    /** Parameter problem (RFC 4443 3.4; code 3, RFC 7112): a pointer to the field at fault. */
    public static final int PARAMETER_PROBLEM = 4;
    /** Echo request (RFC 4443 4.1). */
    public static final int ECHO_REQUEST = 128;
    /** Echo reply (RFC 4443 4.2). */
    public static final int ECHO_REPLY = 129;
    /** Redirect (RFC 4861 4.5), a Neighbor Discovery message. */
    public static final int REDIRECT = 137;
    /** The IPv6 next header value of ICMPv6. */
    public static final int PROTOCOL = 58;

    private Icmpv6Type() {
    }

    /** True for error messages (RFC 4443 2.1: types 0 to 127, the high-order bit clear). */
    public static boolean isError(int type) {
        return (type & 0x80) == 0;
    }
}
