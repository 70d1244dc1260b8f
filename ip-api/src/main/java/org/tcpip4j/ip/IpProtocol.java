package org.tcpip4j.ip;

/** IP protocol numbers (IANA) the stack knows by name. */
public final class IpProtocol {
    /** ICMP, RFC 792. */
    public static final int ICMP = 1;
    /** TCP, RFC 9293. */
    public static final int TCP = 6;
    /** UDP, RFC 768. */
    public static final int UDP = 17;
    /** ICMPv6 (RFC 4443), next header 58. */
    public static final int ICMPV6 = 58;

    private IpProtocol() {
    }
}
