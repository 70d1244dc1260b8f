/**
 * IP, version neutral: the interface UDP, TCP and ICMP are written against (Mirage's
 * {@code Tcpip.Ip.S}), so that IPv4 and, later, IPv6 implementations are interchangeable.
 *
 * <p>{@code org.tcpip4j.ip.support} holds the machinery both IP layers share (reassembly
 * bookkeeping, the path MTU table, payload copiers); it is exported to them alone.
 */
module org.tcpip4j.ip {
    requires transitive org.tcpip4j.netif;

    exports org.tcpip4j.ip;
    exports org.tcpip4j.ip.support to org.tcpip4j.ipv4, org.tcpip4j.ipv6;
}
