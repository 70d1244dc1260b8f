package org.tcpip4j.stack.direct;

import java.util.List;
import java.util.Map;
import org.tcpip4j.arp.Arp;
import org.tcpip4j.ethernet.Ethernet;
import org.tcpip4j.icmp.Icmpv4;
import org.tcpip4j.ip.Ip;
import org.tcpip4j.ipv4.Ipv4;
import org.tcpip4j.netif.Netif;
import org.tcpip4j.netif.loop.EventLoop;
import org.tcpip4j.stack.Stack;

/**
 * A {@link Stack} made of our own layers over a {@link Netif} (Mirage's
 * {@code Tcpip_stack_direct}), with access to each layer. Build one with
 * {@link DirectStackBuilder}.
 */
public interface DirectStack extends Stack {

    /** The IP layer, to write raw datagrams or read its configuration (Mirage's {@code ip}). */
    Ip ip();

    /** The same layer as {@link #ip()}, with its IPv4 configuration. */
    Ipv4 ipv4();

    /** The ICMPv4 layer, to ping. */
    Icmpv4 icmp();

    /** The ARP layer. */
    Arp arp();

    /** The Ethernet layer. */
    Ethernet ethernet();

    /** The device under the stack. */
    Netif netif();

    /** The event loop all of the stack's state lives on. */
    EventLoop loop();

    /** Which provider was picked for each layer, and why. */
    List<ProviderChoice> providers();

    /**
     * Every layer's counters by layer name ("netif", "ethernet", "arp", "ipv4", "icmp",
     * "udp", "tcp"), each a map from counter name to value. Safe from any thread.
     */
    Map<String, Map<String, Long>> counters();
}
