/**
 * ETHERNET: Ethernet II framing and demultiplexing over a NETIF.
 *
 * <p>Exports the {@link org.tcpip4j.ethernet.Ethernet} interface and its
 * {@link org.tcpip4j.ethernet.EthernetProvider} SPI; provides the default implementation.
 */
module org.tcpip4j.ethernet {
    requires transitive org.tcpip4j.netif;
    requires org.slf4j;

    exports org.tcpip4j.ethernet;

    provides org.tcpip4j.ethernet.EthernetProvider with org.tcpip4j.ethernet.internal.DefaultEthernetProvider;
}
