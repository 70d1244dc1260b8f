/**
 * ARP: IPv4 address resolution on an Ethernet link (RFC 826, RFC 5227).
 *
 * <p>Exports the {@link org.tcpip4j.arp.Arp} interface and its
 * {@link org.tcpip4j.arp.ArpProvider} SPI; provides the default implementation.
 */
module org.tcpip4j.arp {
    requires transitive org.tcpip4j.netif;
    requires transitive org.tcpip4j.ethernet;
    requires org.tcpip4j.ip;
    requires org.slf4j;

    exports org.tcpip4j.arp;

    provides org.tcpip4j.arp.ArpProvider with org.tcpip4j.arp.internal.DefaultArpProvider;
}
