/**
 * UDP: datagrams over any {@link org.tcpip4j.ip.Ip} (RFC 768, RFC 1122).
 *
 * <p>Exports {@link org.tcpip4j.udp.Udp} and its {@link org.tcpip4j.udp.UdpProvider} SPI;
 * provides the default implementation.
 */
module org.tcpip4j.udp {
    requires transitive org.tcpip4j.ip;
    requires org.slf4j;

    exports org.tcpip4j.udp;

    provides org.tcpip4j.udp.UdpProvider with org.tcpip4j.udp.internal.DefaultUdpProvider;
}
