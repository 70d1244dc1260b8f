package org.tcpip4j.ethernet;

/** The ethertypes a stack demultiplexes on (IEEE 802 numbers). */
public final class EtherType {
    /** IPv4, RFC 894. */
    public static final int IPV4 = 0x0800;
    /** ARP, RFC 826. */
    public static final int ARP = 0x0806;
    /** IPv6, RFC 2464. */
    public static final int IPV6 = 0x86dd;

    private EtherType() {
    }
}
