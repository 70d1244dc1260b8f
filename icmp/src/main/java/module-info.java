/**
 * ICMPV4 and ICMPV6: echo, ping and ICMP messages over IPv4 (RFC 792, RFC 1122) and
 * IPv6 (RFC 4443).
 *
 * <p>Exports {@link org.tcpip4j.icmp.Icmpv4}, {@link org.tcpip4j.icmp.Icmpv6} and their
 * provider SPIs; provides the default implementations.
 */
module org.tcpip4j.icmp {
    requires transitive org.tcpip4j.ipv4;
    requires transitive org.tcpip4j.ipv6;
    requires org.slf4j;

    exports org.tcpip4j.icmp;

    uses org.tcpip4j.icmp.Icmpv6Provider;

    provides org.tcpip4j.icmp.IcmpProvider with org.tcpip4j.icmp.internal.DefaultIcmpProvider;
    provides org.tcpip4j.icmp.Icmpv6Provider with org.tcpip4j.icmp.internal.DefaultIcmpv6Provider;
}
