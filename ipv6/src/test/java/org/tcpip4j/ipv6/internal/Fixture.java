package org.tcpip4j.ipv6.internal;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.tcpip4j.ip.IpHandler;
import org.tcpip4j.ip.OtherProtocolHandler;
import org.tcpip4j.ipv6.Ipv6Config;
import org.tcpip4j.netif.IpAddress;
import org.tcpip4j.netif.Ipv6Address;
import org.tcpip4j.netif.Ipv6Cidr;
import org.tcpip4j.netif.MacAddress;
import org.tcpip4j.netif.loop.StackContext;
import org.tcpip4j.netif.loop.VirtualTimeEventLoop;

/** One layer over a capturing Ethernet and a scripted Neighbor Discovery, recording what it hands up. */
class Fixture {

    static final Ipv6Address OURS = Ipv6Address.parse("2001:2::1");
    static final Ipv6Address PEER = Ipv6Address.parse("2001:2::2");
    /** Off link: outside OURS/64. */
    static final Ipv6Address FAR = Ipv6Address.parse("2001:2:0:1::9");
    static final Ipv6Address ROUTER = Ipv6Address.parse("fe80::1");
    static final Ipv6Address ALL_NODES = Ipv6Address.ALL_NODES;
    static final MacAddress MAC = MacAddress.parse("02:00:00:00:00:01");
    static final long PEER_MAC = 0x0200_0000_0002L;
    static final long ROUTER_MAC = 0x0200_0000_00feL;

    final VirtualTimeEventLoop loop = new VirtualTimeEventLoop();
    final CapturingEthernet ethernet = new CapturingEthernet(MAC, 1500);
    final ScriptedNd nd = new ScriptedNd(new Ipv6Cidr(OURS, 64));
    final DefaultIpv6 ip;
    final List<String> delivered = new ArrayList<>();
    final List<IpAddress> sources = new ArrayList<>();
    final List<String> reports = new ArrayList<>();
    final List<byte[]> reported = new ArrayList<>();

    Fixture() {
        this(Ipv6Config.of(new Ipv6Cidr(OURS, 64)));
    }

    Fixture(Ipv6Config config) {
        nd.router = ROUTER;
        nd.local.add(ALL_NODES);
        ip = new DefaultIpv6(ethernet, config, StackContext.seeded(loop, 1, "test"), nd.factory());
        ip.onUndeliverable((type, code, pointer, datagram) -> {
            reports.add(type + "/" + code + "@" + pointer);
            byte[] b = new byte[datagram.remaining()];
            datagram.get(datagram.position(), b);
            reported.add(b);
        });
    }

    IpHandler transport(String name) {
        return (src, dst, payload) -> {
            sources.add(src);
            delivered.add(name + " " + src + ">" + dst + " " + Packets.hex(payload));
        };
    }

    final OtherProtocolHandler other = (protocol, src, dst, header, payload) ->
        delivered.add("proto" + protocol + " " + src + ">" + dst + " header " + header.remaining() + " "
            + Packets.hex(payload));

    /** Hands the datagram to the layer at an offset, as behind an Ethernet header. */
    void input(byte[] datagram) {
        ByteBuffer b = ByteBuffer.allocate(datagram.length + 14);
        b.put(14, datagram).position(14);
        ip.input(b, transport("tcp"), transport("udp"), other);
    }

    long count(String name) {
        return ip.counters().get(name);
    }
}
