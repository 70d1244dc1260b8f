package org.tcpip4j.fuzz;

import java.util.Map;
import org.tcpip4j.arp.ArpConfig;
import org.tcpip4j.ipv4.Ipv4Config;
import org.tcpip4j.netif.Ipv4Address;
import org.tcpip4j.netif.Ipv4Cidr;
import org.tcpip4j.netif.MacAddress;
import org.tcpip4j.netif.loop.VirtualTimeEventLoop;
import org.tcpip4j.netif.memory.MemorySwitch;
import org.tcpip4j.stack.direct.DirectStack;
import org.tcpip4j.stack.direct.DirectStackBuilder;

/**
 * One direct stack at {@link #IP} on an in-memory switch, behind a {@link TapNetif}, on a
 * virtual-time loop the calling thread drives: the host a decoder target feeds. The
 * stack's replies go to the switch, where no other port hears them.
 */
final class Host {

    static final Ipv4Address IP = Ipv4Address.parse("198.18.0.2");
    static final MacAddress MAC = MacAddress.parse("02:00:00:00:00:02");
    /** A neighbour on the same subnet, the source of what the targets send. */
    static final Ipv4Address PEER_IP = Ipv4Address.parse("198.18.0.1");
    static final MacAddress PEER_MAC = MacAddress.parse("02:00:00:00:00:01");

    final VirtualTimeEventLoop loop = new VirtualTimeEventLoop();
    final MemorySwitch network = new MemorySwitch(loop);
    final TapNetif tap = new TapNetif(network.port(MAC));
    final DirectStack stack;

    Host() {
        this(Ipv4Config.of(new Ipv4Cidr(IP, 24)), ArpConfig.DEFAULT);
    }

    Host(Ipv4Config ipv4, ArpConfig arp) {
        stack = DirectStackBuilder.on(tap).address(new Ipv4Cidr(IP, 24)).ipv4Config(ipv4).arpConfig(arp)
                .name("fuzz-host").seed(1).jmx(false).build();
    }

    /** An Ethernet frame from the peer to this host carrying an IPv4 datagram. */
    static byte[] fromPeer(byte[] datagram) {
        return Frames.ethernet(MAC.bits(), PEER_MAC.bits(), Frames.ETHERTYPE_IPV4, datagram);
    }

    /** Hands {@code frame} to the stack and runs what it set off. */
    void receive(byte[] frame) {
        tap.inject(frame);
        loop.runFor(0);
    }

    /** The value of {@code counter} of {@code layer} now (0 for a counter never created). */
    long counter(String layer, String counter) {
        Map<String, Long> c = stack.counters().get(layer);
        return c == null ? 0 : c.getOrDefault(counter, 0L);
    }
}
