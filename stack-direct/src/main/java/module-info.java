/**
 * The direct stack (Mirage's {@code tcpip_stack_direct}): a {@link org.tcpip4j.stack.Stack}
 * assembled from one provider of each layer over a {@link org.tcpip4j.netif.Netif}.
 *
 * <p>Only this module names implementations, and only through {@link java.util.ServiceLoader}:
 * it uses each layer's provider SPI and picks the default, or the one a user names on the
 * builder or with a {@code tcpip4j.provider.<layer>} system property.
 */
module org.tcpip4j.stack.direct {
    requires transitive org.tcpip4j.stack;
    requires transitive org.tcpip4j.ethernet;
    requires transitive org.tcpip4j.arp;
    requires transitive org.tcpip4j.ipv4;
    requires transitive org.tcpip4j.ipv6;
    requires transitive org.tcpip4j.icmp;
    requires org.slf4j;
    // Each stack's counters as an MBean in the platform MBean server (StackMBean).
    requires java.management;

    exports org.tcpip4j.stack.direct;

    uses org.tcpip4j.ethernet.EthernetProvider;
    uses org.tcpip4j.arp.ArpProvider;
    uses org.tcpip4j.ipv4.Ipv4Provider;
    uses org.tcpip4j.ipv6.Ipv6Provider;
    uses org.tcpip4j.icmp.IcmpProvider;
    uses org.tcpip4j.icmp.Icmpv6Provider;
    uses org.tcpip4j.udp.UdpProvider;
    uses org.tcpip4j.tcp.TcpProvider;
}
