package org.tcpip4j.stack.direct;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tcpip4j.stack.direct.SimulatedLan.datagram;
import static org.tcpip4j.stack.direct.SimulatedLan.icmp;
import static org.tcpip4j.stack.direct.SimulatedLan.ip;
import static org.tcpip4j.stack.direct.SimulatedLan.mac;

import java.nio.ByteBuffer;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.tcpip4j.arp.ArpConfig;
import org.tcpip4j.ipv4.Ipv4Config;
import org.tcpip4j.netif.Ipv4Address;
import org.tcpip4j.netif.Ipv4Cidr;
import org.tcpip4j.netif.MacAddress;
import org.tcpip4j.netif.impair.Impairment;

/**
 * A flood from spoofed on-link sources: every echo request needs a reply to an address
 * nobody answers for, so each starts a resolution and holds a datagram. The resolutions
 * under way and the bytes held stay within the ARP configuration's bounds, and a real
 * neighbour is served throughout and afterwards.
 */
class ArpFloodSimulationTest {

    private static final long MILLI = 1_000_000L;
    private static final int MAX_PENDING = 128;
    private static final int MAX_BYTES = 64 * 1024;

    private final SimulatedLan lan = new SimulatedLan(3);

    /** An ARP request from {@code senderIp} at {@code senderMac} for {@code target}, in a broadcast frame. */
    private static void arpRequest(SimulatedLan.RawPort port, MacAddress senderMac, Ipv4Address senderIp,
                                   Ipv4Address target) {
        port.port.write(42, (buffer, offset, max) -> {
            MacAddress.BROADCAST.write(buffer, offset);
            senderMac.write(buffer, offset + 6);
            buffer.putShort(offset + 12, (short) 0x0806);
            ByteBuffer a = buffer.duplicate().position(offset + 14);
            a.putShort((short) 1).putShort((short) 0x0800).put((byte) 6).put((byte) 4).putShort((short) 1);
            senderMac.write(buffer, offset + 22);
            buffer.putInt(offset + 28, senderIp.bits());
            buffer.putInt(offset + 38, target.bits());
            return 42;
        });
    }

    @Test
    void pendingResolutionsAndHeldBytesStayBoundedAndALegitimateNeighbourIsServed() {
        SimulatedLan.Host a = lan.host(1, Impairment.NONE,
                x -> x.ipv4Config(Ipv4Config.of(new Ipv4Cidr(ip(1), 16))));
        SimulatedLan.Host b = lan.host(2, Impairment.NONE, x -> x
                .ipv4Config(Ipv4Config.of(new Ipv4Cidr(ip(2), 16)))
                .arpConfig(ArpConfig.DEFAULT.withPendingBounds(MAX_PENDING, MAX_BYTES)));
        SimulatedLan.RawPort attacker = lan.raw(66);
        lan.await(a.stack.icmp().ping(ip(2), 56, Duration.ofSeconds(1)), Duration.ofSeconds(2));

        // 20,000 spoofed sources in 198.18.0.0/16 over two seconds: pings of 1,000 bytes,
        // whose replies need a resolution each, and ARP requests for b's address.
        long maxPending = 0;
        long maxHeld = 0;
        int pingsAnswered = 0;
        byte[] data = new byte[1000];
        for (int i = 0; i < 20_000; i++) {
            Ipv4Address spoofed = Ipv4Address.of(198, 18, 1 + i / 250, 1 + i % 250);
            if (i % 4 == 3) {
                arpRequest(attacker, new MacAddress(0x02_66_00_00_00_00L | i), spoofed, ip(2));
            } else {
                attacker.send(mac(2), datagram(spoofed, ip(2), 1, i, 0, icmp(8, 0, 0x0777_0000 | (i & 0xffff), data)));
            }
            if (i % 100 == 0) {
                lan.loop.runFor(10 * MILLI);
                maxPending = Math.max(maxPending, b.count("arp", "query.pending"));
                maxHeld = Math.max(maxHeld, b.count("ipv4", "tx.held_bytes"));
            }
            if (i % 5_000 == 2_500) {
                // A real neighbour is answered in the middle of the flood.
                lan.await(a.stack.icmp().ping(ip(2), 56, Duration.ofSeconds(1)), Duration.ofSeconds(2));
                pingsAnswered++;
            }
        }
        assertTrue(maxPending <= MAX_PENDING, "resolutions under way: " + maxPending);
        assertTrue(maxPending > MAX_PENDING / 2, "the bound was reached: " + maxPending);
        assertTrue(maxHeld <= MAX_BYTES, "bytes held: " + maxHeld);
        assertTrue(maxHeld > MAX_BYTES / 2, "the byte bound was reached: " + maxHeld);
        assertTrue(b.count("arp", "query.evicted") > 5_000, "eldest resolutions given up");
        assertTrue(b.count("ipv4", "tx.held_overflow") > 5_000, "held datagrams dropped");
        assertTrue(b.count("icmp", "rx.echo_requests") > 14_000, "the flood reached b");
        assertEquals(4, pingsAnswered);
        assertTrue(b.count("arp", "cache.learned") >= 4_000, "requests for us teach their sender");

        // Quiet: every resolution ends, nothing stays held.
        lan.loop.runFor(Duration.ofSeconds(5));
        assertEquals(0, b.count("arp", "query.pending"));
        assertEquals(0, b.count("ipv4", "tx.held_bytes"));

        // The neighbour is still served, and a new one resolves.
        lan.await(a.stack.icmp().ping(ip(2), 56, Duration.ofSeconds(1)), Duration.ofSeconds(2));
        SimulatedLan.Host c = lan.host(3, Impairment.NONE,
                x -> x.ipv4Config(Ipv4Config.of(new Ipv4Cidr(ip(3), 16))));
        lan.await(b.stack.icmp().ping(ip(3), 56, Duration.ofSeconds(1)), Duration.ofSeconds(2));
        assertEquals(mac(3), lan.await(b.stack.arp().query(ip(3)), Duration.ofSeconds(1)));
        assertTrue(c.count("icmp", "tx.echo_replies") >= 1);
    }
}
