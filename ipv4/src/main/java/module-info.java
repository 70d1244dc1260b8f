/**
 * IPV4: the IPv4 network layer (RFC 791, RFC 1122) over Ethernet and ARP: routing on a
 * static configuration, header verification, fragmentation and bounded reassembly.
 *
 * <p>Exports {@link org.tcpip4j.ipv4.Ipv4} (an {@link org.tcpip4j.ip.Ip}) and its
 * {@link org.tcpip4j.ipv4.Ipv4Provider} SPI; provides the default implementation.
 */
module org.tcpip4j.ipv4 {
    requires transitive org.tcpip4j.netif;
    requires transitive org.tcpip4j.ip;
    requires transitive org.tcpip4j.ethernet;
    requires transitive org.tcpip4j.arp;
    requires org.slf4j;

    exports org.tcpip4j.ipv4;

    provides org.tcpip4j.ipv4.Ipv4Provider with org.tcpip4j.ipv4.internal.DefaultIpv4Provider;
}
