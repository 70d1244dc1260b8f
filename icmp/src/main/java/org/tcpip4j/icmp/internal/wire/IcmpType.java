package org.tcpip4j.icmp.internal.wire;

/** ICMPv4 message types (RFC 792, IANA "ICMP Type Numbers"). */
public final class IcmpType {
    /** Echo reply. */
    public static final int ECHO_REPLY = 0;
    /** Destination unreachable: network, host, protocol, port, fragmentation needed, ... */
    public static final int DESTINATION_UNREACHABLE = 3;
    /** Source quench (deprecated by RFC 6633; received ones are ignored). */
    public static final int SOURCE_QUENCH = 4;
    /** Redirect. */
    public static final int REDIRECT = 5;
    /** Echo request. */
    public static final int ECHO_REQUEST = 8;
    /** Time exceeded: TTL in transit, or fragment reassembly time. */
    public static final int TIME_EXCEEDED = 11;
    /** Parameter problem. */
    public static final int PARAMETER_PROBLEM = 12;

    private IcmpType() {
    }

    /** True for the error messages that quote a datagram (RFC 1122 3.2.2). */
    public static boolean isError(int type) {
        return type == DESTINATION_UNREACHABLE || type == SOURCE_QUENCH || type == REDIRECT
                || type == TIME_EXCEEDED || type == PARAMETER_PROBLEM;
    }
}
