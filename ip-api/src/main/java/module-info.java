/**
 * IP, version neutral: the interface UDP, TCP and ICMP are written against (Mirage's
 * {@code Tcpip.Ip.S}), so that IPv4 and, later, IPv6 implementations are interchangeable.
 */
module org.tcpip4j.ip {
    requires transitive org.tcpip4j.netif;

    exports org.tcpip4j.ip;
}
