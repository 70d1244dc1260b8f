package org.tcpip4j.arp.internal;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.List;
import org.tcpip4j.arp.ArpConfig;
import org.tcpip4j.netif.Ipv4Address;
import org.tcpip4j.netif.MacAddress;
import org.tcpip4j.netif.loop.StackContext;
import org.tcpip4j.netif.loop.VirtualTimeEventLoop;

/**
 * One ARP layer on a capturing Ethernet, in virtual time, with packets written and read
 * as hex: the bench of the static entry, refresh and probe tests. Addresses in
 * 198.18.0.0/15.
 */
final class ArpTestBench {

    static final HexFormat HEX = HexFormat.of();
    static final long SECOND = 1_000_000_000L;
    static final MacAddress OUR_MAC = MacAddress.parse("02:00:00:00:00:01");
    static final MacAddress PEER_MAC = MacAddress.parse("02:00:00:00:00:02");
    static final MacAddress THIRD_MAC = MacAddress.parse("02:00:00:00:00:03");
    static final Ipv4Address OUR_IP = Ipv4Address.parse("198.18.0.1");
    static final Ipv4Address PEER_IP = Ipv4Address.parse("198.18.0.2");
    static final Ipv4Address THIRD_IP = Ipv4Address.parse("198.18.0.3");

    final VirtualTimeEventLoop loop = new VirtualTimeEventLoop();
    final CapturingEthernet ethernet = new CapturingEthernet(OUR_MAC);
    final DefaultArp arp;

    ArpTestBench(ArpConfig config) {
        arp = new DefaultArp(ethernet, config, StackContext.seeded(loop, 1, "test"));
    }

    /** The 28 bytes of an ARP packet for IPv4 over Ethernet, as hex. */
    static String packet(int op, MacAddress sha, Ipv4Address spa, MacAddress tha, Ipv4Address tpa) {
        return "000108000604" + String.format("%04x", op) + HEX.formatHex(sha.toBytes()) + HEX.formatHex(spa.toBytes())
                + HEX.formatHex(tha.toBytes()) + HEX.formatHex(tpa.toBytes());
    }

    /** A frame line as {@link CapturingEthernet.Frame#toString()} writes it. */
    static String frame(MacAddress dst, String packetHex) {
        return dst + " 806 " + packetHex;
    }

    void input(String hex) {
        byte[] b = HEX.parseHex(hex);
        ByteBuffer buf = ByteBuffer.allocate(b.length + 4).position(4);
        buf.put(b).position(4);
        arp.input(buf);
    }

    List<String> sent() {
        return ethernet.frames.stream().map(CapturingEthernet.Frame::toString).toList();
    }

    long count(String name) {
        return arp.counters().get(name);
    }
}
