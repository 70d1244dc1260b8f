/**
 * ICMPV4: echo, ping and ICMP messages over IPv4 (RFC 792, RFC 1122).
 *
 * <p>Exports {@link org.tcpip4j.icmp.Icmpv4} and its {@link org.tcpip4j.icmp.IcmpProvider}
 * SPI; provides the default implementation.
 */
module org.tcpip4j.icmp {
    requires transitive org.tcpip4j.ipv4;
    requires org.slf4j;

    exports org.tcpip4j.icmp;

    provides org.tcpip4j.icmp.IcmpProvider with org.tcpip4j.icmp.internal.DefaultIcmpProvider;
}
