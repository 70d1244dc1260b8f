package org.tcpip4j.ipv4.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tcpip4j.ipv4.internal.Datagrams.pattern;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tcpip4j.arp.ArpConfig;
import org.tcpip4j.ip.IpError;
import org.tcpip4j.ipv4.Ipv4Config;
import org.tcpip4j.ipv4.internal.wire.Ipv4Packet;
import org.tcpip4j.netif.Ipv4Address;
import org.tcpip4j.netif.Ipv4Cidr;
import org.tcpip4j.netif.MacAddress;
import org.tcpip4j.netif.PacketWriter;
import org.tcpip4j.netif.Result;
import org.tcpip4j.netif.loop.StackContext;
import org.tcpip4j.netif.loop.VirtualTimeEventLoop;

/** Path MTUs learned from ICMP, datagrams to ourselves, and the held-datagram bound from ARP. */
class Ipv4PathAndLocalTest {

    private static final Ipv4Address OURS = Ipv4Address.parse("198.18.0.1");
    private static final Ipv4Address SECOND_OURS = Ipv4Address.parse("198.18.7.1");
    private static final Ipv4Address PEER = Ipv4Address.parse("198.18.0.2");
    private static final Ipv4Address OTHER = Ipv4Address.parse("198.18.0.3");
    private static final MacAddress OUR_MAC = MacAddress.parse("02:00:00:00:00:01");
    private static final MacAddress PEER_MAC = MacAddress.parse("02:00:00:00:00:02");
    private static final long MINUTE = 60_000_000_000L;

    private final VirtualTimeEventLoop loop = new VirtualTimeEventLoop();
    private final CapturingEthernet ethernet = new CapturingEthernet(OUR_MAC, 1500);
    private final ScriptedArp arp = new ScriptedArp();
    private final DefaultIpv4 ip = new DefaultIpv4(ethernet, arp,
            new Ipv4Config(List.of(new Ipv4Cidr(OURS, 24), new Ipv4Cidr(SECOND_OURS, 24)), null, 64,
                    Duration.ofSeconds(30), 64, 1 << 20),
            StackContext.seeded(loop, 1, "test"));

    {
        arp.resolve(PEER, PEER_MAC);
        arp.resolve(OTHER, PEER_MAC);
        arp.queried.clear();
    }

    private static PacketWriter bytes(byte[] payload) {
        return (buf, off, max) -> {
            int n = Math.min(max, payload.length);
            buf.put(off, payload, 0, n);
            return n;
        };
    }

    @Test
    void aLowerPathMtuShrinksMtuForThatDestinationOnly() {
        assertEquals(1480, ip.mtu(PEER));
        ip.updatePathMtu(PEER, 1000);
        assertEquals(980, ip.mtu(PEER));
        assertEquals(1480, ip.mtu(OTHER));
        assertEquals(1, ip.counters().get("pmtu.updates"));
    }

    @Test
    void aWriteThatMayNotBeFragmentedFailsAgainstThePathMtu() {
        ip.updatePathMtu(PEER, 1000);
        Result<IpError> r = ip.write(null, PEER, 17, -1, false, 1200, bytes(pattern(1200, 1)));
        IpError.WouldFragment e = assertInstanceOf(IpError.WouldFragment.class, r.errorOrNull());
        assertEquals(1220, e.size());
        assertEquals(1000, e.mtu());
        assertTrue(ip.write(null, OTHER, 17, -1, false, 1200, bytes(pattern(1200, 1))).isOk());
    }

    @Test
    void aFragmentableWriteIsFragmentedToThePathMtu() {
        ip.updatePathMtu(PEER, 1000);
        assertTrue(ip.write(PEER, 17, 1200, bytes(pattern(1200, 2))).isOk());
        assertEquals(2, ethernet.frames.size());
        Ipv4Packet first = new Ipv4Packet().wrap(ethernet.frames.get(0).buffer(), 0, ethernet.frames.get(0).payload().length);
        assertEquals(20 + 976, first.totalLength(), "980 rounded down to a multiple of eight");
        assertTrue(first.moreFragments());
    }

    @Test
    void thePathMtuReturnsToTheLinkMtuWhenItsEntryExpires() {
        ip.updatePathMtu(PEER, 1000);
        loop.runFor(10 * MINUTE - 1);
        assertEquals(980, ip.mtu(PEER));
        loop.runFor(1);
        assertEquals(1480, ip.mtu(PEER));
        assertEquals(0, ip.pathMtuEntries());
    }

    @Test
    void aReportedMtuIsNeitherRaisedAboveTheLinkNorBelowTheFloor() {
        ip.updatePathMtu(PEER, 9000);
        assertEquals(1480, ip.mtu(PEER));
        ip.updatePathMtu(PEER, 100);
        assertEquals(552 - 20, ip.mtu(PEER));
        assertEquals(1, ip.counters().get("pmtu.updates"));
    }

    @Test
    void aDatagramToOneOfOurAddressesGoesToOurOwnMacWithoutArp() {
        assertTrue(ip.write(OURS, 17, 4, bytes(pattern(4, 3))).isOk());
        assertTrue(ip.write(SECOND_OURS, 17, 4, bytes(pattern(4, 3))).isOk());
        assertEquals(List.of(), arp.queried);
        assertEquals(OUR_MAC, ethernet.frames.get(0).dst());
        assertEquals(OUR_MAC, ethernet.frames.get(1).dst());
        Ipv4Packet p = new Ipv4Packet().wrap(ethernet.frames.get(1).buffer(), 0, 24);
        assertEquals(SECOND_OURS.bits(), p.source(), "from the address it is sent to");
        assertEquals(2, ip.counters().get("tx.local"));
    }

    @Test
    void datagramsHeldPerNextHopFollowArpsConfiguration() {
        ScriptedArp slow = new ScriptedArp();
        slow.config = new ArpConfig(16, Duration.ofSeconds(60), 3, Duration.ofSeconds(1), 2);
        DefaultIpv4 layer = new DefaultIpv4(ethernet, slow, Ipv4Config.of(new Ipv4Cidr(OURS, 24)),
                StackContext.seeded(loop, 1, "test"));
        for (int i = 0; i < 5; i++) {
            layer.write(PEER, 17, 1, bytes(new byte[] {(byte) i}));
        }
        assertEquals(2, layer.heldDatagrams());
        assertEquals(3, layer.counters().get("tx.held_overflow"));
    }
}
