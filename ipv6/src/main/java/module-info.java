/**
 * IPV6: the IPv6 network layer (RFC 8200) over Ethernet: the extension-header chain,
 * fragmentation and bounded reassembly, path MTU (RFC 8201), Neighbor Discovery (RFC 4861)
 * with its neighbor cache and router and prefix lists, Duplicate Address Detection and
 * stateless address autoconfiguration (RFC 4862, RFC 7217), and MLDv2 reports (RFC 3810)
 * for the groups it joins.
 *
 * <p>Exports {@link org.tcpip4j.ipv6.Ipv6} (an {@link org.tcpip4j.ip.Ip}) and its
 * {@link org.tcpip4j.ipv6.Ipv6Provider} SPI; provides the default implementation.
 */
module org.tcpip4j.ipv6 {
    requires transitive org.tcpip4j.netif;
    requires transitive org.tcpip4j.ip;
    requires transitive org.tcpip4j.ethernet;
    requires org.slf4j;

    exports org.tcpip4j.ipv6;

    provides org.tcpip4j.ipv6.Ipv6Provider with org.tcpip4j.ipv6.internal.DefaultIpv6Provider;
}
