package org.tcpip4j.stack.direct;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tcpip4j.stack.direct.SimulatedLan.datagram;
import static org.tcpip4j.stack.direct.SimulatedLan.icmp;
import static org.tcpip4j.stack.direct.SimulatedLan.ip;
import static org.tcpip4j.stack.direct.SimulatedLan.mac;

import java.nio.ByteBuffer;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.tcpip4j.icmp.IcmpConfig;
import org.tcpip4j.netif.InternetChecksum;
import org.tcpip4j.netif.Ipv4Address;
import org.tcpip4j.netif.MacAddress;
import org.tcpip4j.netif.impair.Impairment;

/**
 * The one definition of broadcast and multicast, seen from the wire: no TCP to or from
 * them (RFC 1122 4.2.3.10), no echo replies to them unless configured (a Smurf amplifier
 * otherwise).
 */
class BroadcastSimulationTest {

    private final SimulatedLan lan = new SimulatedLan(11);

    /** A TCP SYN from {@code src}:40000 to {@code dst}:80, checksummed. */
    private static byte[] syn(Ipv4Address src, Ipv4Address dst) {
        ByteBuffer t = ByteBuffer.allocate(20);
        t.putShort(0, (short) 40000).putShort(2, (short) 80).putInt(4, 12345).put(12, (byte) 0x50)
                .put(13, (byte) 0x02).putShort(14, (short) 65535);
        ByteBuffer ph = ByteBuffer.allocate(12).putInt(src.bits()).putInt(dst.bits()).putShort((short) 6)
                .putShort((short) 20);
        t.putShort(16, (short) InternetChecksum.finish(InternetChecksum.sum(t, 0, 20, InternetChecksum.sum(ph, 0, 12, 0))));
        return datagram(src, dst, 6, 1, 0, t.array());
    }

    @Test
    void aSynToTheSubnetBroadcastOrLimitedBroadcastIsIgnoredAndCounted() {
        SimulatedLan.Host b = lan.host(2);
        b.stack.tcp().listen(80, flow -> { });
        SimulatedLan.RawPort attacker = lan.raw(66);
        b.stack.arp().addStatic(ip(66), mac(66));
        lan.loop.runFor(Duration.ofMillis(10));

        attacker.send(MacAddress.BROADCAST, syn(ip(66), ip(255)));
        attacker.send(MacAddress.BROADCAST, syn(ip(66), Ipv4Address.BROADCAST));
        lan.loop.runFor(Duration.ofSeconds(2));
        assertEquals(0, attacker.ipv4(6).size(), "no SYN-ACK and no RST");
        assertEquals(2, b.count("tcp", "rx.bad_address"));
        assertEquals(0, b.count("tcp", "tx.segments"));

        // The same SYN to the host's own address is answered: the listener is there.
        attacker.send(mac(2), syn(ip(66), ip(2)));
        lan.loop.runFor(Duration.ofMillis(10));
        assertEquals(1, attacker.ipv4(6).size());
        assertEquals(0x12, attacker.ipv4(6).get(0).get(33), "SYN-ACK");
    }

    @Test
    void noConnectionToABroadcastOrMulticastAddressIsOpened() {
        SimulatedLan.Host a = lan.host(1);
        for (Ipv4Address dst : new Ipv4Address[] {ip(255), Ipv4Address.BROADCAST, Ipv4Address.parse("224.0.0.1")}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.stack.tcp().connect(dst, 80));
            assertTrue(e.getMessage().contains("broadcast or multicast"), e.getMessage());
        }
        assertEquals(0, a.count("tcp", "conn.active_opens"));
    }

    @Test
    void anEchoRequestToTheBroadcastIsIgnoredByDefaultAndAnsweredWhenEnabled() {
        SimulatedLan.Host quiet = lan.host(2);
        SimulatedLan.Host answering = lan.host(3, Impairment.NONE,
                x -> x.icmpConfig(IcmpConfig.DEFAULT.withEchoBroadcasts(true)));
        SimulatedLan.RawPort prober = lan.raw(66);
        quiet.stack.arp().addStatic(ip(66), mac(66));
        answering.stack.arp().addStatic(ip(66), mac(66));
        lan.loop.runFor(Duration.ofMillis(10));

        byte[] request = icmp(8, 0, 0x0042_0001, new byte[] {1, 2, 3});
        prober.send(MacAddress.BROADCAST, datagram(ip(66), ip(255), 1, 7, 0, request));
        prober.send(MacAddress.BROADCAST, datagram(ip(66), Ipv4Address.BROADCAST, 1, 8, 0, request));
        lan.loop.runFor(Duration.ofSeconds(1));

        assertEquals(2, quiet.count("icmp", "rx.echo_requests_to_broadcast_ignored"));
        assertEquals(0, quiet.count("icmp", "tx.echo_replies"));
        assertEquals(2, answering.count("icmp", "tx.echo_replies"));
        assertEquals(2, prober.ipv4(1).size(), "replies from the one host that answers broadcasts only");
        for (ByteBuffer reply : prober.ipv4(1)) {
            assertEquals(ip(3), Ipv4Address.read(reply, 12), "from its own address");
            assertEquals(0, reply.get(20), "echo reply");
        }
    }
}
