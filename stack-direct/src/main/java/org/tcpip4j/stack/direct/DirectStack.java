package org.tcpip4j.stack.direct;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.tcpip4j.arp.Arp;
import org.tcpip4j.ethernet.Ethernet;
import org.tcpip4j.icmp.Icmpv4;
import org.tcpip4j.icmp.Icmpv6;
import org.tcpip4j.ip.Ip;
import org.tcpip4j.ipv4.Ipv4;
import org.tcpip4j.ipv6.Ipv6;
import org.tcpip4j.netif.Netif;
import org.tcpip4j.netif.loop.EventLoop;
import org.tcpip4j.stack.Stack;

/**
 * A {@link Stack} made of our own layers over a {@link Netif} (Mirage's
 * {@code Tcpip_stack_direct}), with access to each layer. Build one with
 * {@link DirectStackBuilder}.
 */
public interface DirectStack extends Stack {

    /**
     * The IP layer UDP and TCP write through (Mirage's {@code ip}): the IPv4 layer's for a
     * stack of IPv4 only, else one over both versions ({@link org.tcpip4j.ip.DualIp}).
     */
    Ip ip();

    /** The IPv4 layer, with its configuration. */
    Ipv4 ipv4();

    /** The IPv6 layer, when the stack has IPv6 configured (addresses, a router or SLAAC). */
    Optional<Ipv6> ipv6();

    /** The ICMPv4 layer, to ping. */
    Icmpv4 icmp();

    /** The ICMPv6 layer, to ping over IPv6, when the stack has IPv6. */
    Optional<Icmpv6> icmpv6();

    /** The ARP layer. */
    Arp arp();

    /** The Ethernet layer. */
    Ethernet ethernet();

    /** The device under the stack. */
    Netif netif();

    /**
     * The stack's name ({@link DirectStackBuilder#name}): in its log lines, its Flight
     * Recorder events and its MBean's name.
     */
    String name();

    /** The event loop all of the stack's state lives on. */
    EventLoop loop();

    /** Which provider was picked for each layer, and why. */
    List<ProviderChoice> providers();

    /**
     * Every layer's counters by layer name ("netif", "ethernet", "arp", "ipv4", "icmp",
     * then "ipv6" and "icmpv6" when the stack has IPv6, "udp", "tcp", "stack"), each a map from counter name to value. Safe from any thread.
     */
    Map<String, Map<String, Long>> counters();
}
