package org.tcpip4j.icmp.internal;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.ServiceLoader;
import org.tcpip4j.arp.Arp;
import org.tcpip4j.arp.ArpConfig;
import org.tcpip4j.arp.ArpProvider;
import org.tcpip4j.ethernet.Ethernet;
import org.tcpip4j.ethernet.EthernetProvider;
import org.tcpip4j.ethernet.PayloadHandler;
import org.tcpip4j.icmp.IcmpProvider;
import org.tcpip4j.icmp.Icmpv4;
import org.tcpip4j.ip.IpHandler;
import org.tcpip4j.ip.IpProtocol;
import org.tcpip4j.ip.OtherProtocolHandler;
import org.tcpip4j.ipv4.Ipv4;
import org.tcpip4j.ipv4.Ipv4Config;
import org.tcpip4j.ipv4.Ipv4Provider;
import org.tcpip4j.netif.IpAddress;
import org.tcpip4j.netif.Ipv4Cidr;
import org.tcpip4j.netif.Netif;
import org.tcpip4j.netif.loop.StackContext;
import org.tcpip4j.udp.Udp;
import org.tcpip4j.udp.UdpProvider;

/**
 * One host's whole stack wired by hand, as stack-direct will: the "default" provider of
 * every layer found through ServiceLoader, input passed up by handlers made once.
 */
final class WiredHost {

    final Ethernet ethernet;
    final Arp arp;
    final Ipv4 ipv4;
    final Icmpv4 icmp;
    final Udp udp;

    WiredHost(Netif netif, Ipv4Cidr cidr, StackContext context) {
        Module self = WiredHost.class.getModule();
        for (Class<?> spi : List.of(EthernetProvider.class, ArpProvider.class, Ipv4Provider.class,
                IcmpProvider.class, UdpProvider.class)) {
            self.addUses(spi);
        }
        ethernet = provider(EthernetProvider.class).create(netif, context);
        arp = provider(ArpProvider.class).create(ethernet, ArpConfig.DEFAULT, context);
        ipv4 = provider(Ipv4Provider.class).create(ethernet, arp, Ipv4Config.of(cidr), context);
        icmp = provider(IcmpProvider.class).create(ipv4, context);
        udp = provider(UdpProvider.class).create(ipv4, context);
        IpHandler udpInput = udp::input;
        OtherProtocolHandler other = (protocol, src, dst, header, payload) -> {
            if (protocol == IpProtocol.ICMP) {
                icmp.input(src, dst, payload);
            }
        };
        PayloadHandler arpInput = arp::input;
        PayloadHandler ipv4Input = packet -> ipv4.input(packet, null, udpInput, other);
        netif.listen(frame -> ethernet.input(frame, arpInput, ipv4Input, null));
        arp.setIps(List.of(cidr.address()));
    }

    private static <P extends org.tcpip4j.netif.LayerProvider> P provider(Class<P> spi) {
        return ServiceLoader.load(spi).stream()
                .map(ServiceLoader.Provider::get)
                .filter(p -> p.name().equals("default"))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no default " + spi.getSimpleName()));
    }

    /** Makes {@code port} answer every datagram with the same bytes, to where it came from. */
    void echoOn(int port) {
        udp.listen(port, (src, dst, srcPort, payload) -> {
            ByteBuffer copy = ByteBuffer.allocate(payload.remaining()).put(payload).flip();
            udp.write((IpAddress) dst, port, src, srcPort, -1, copy);
        });
    }
}
