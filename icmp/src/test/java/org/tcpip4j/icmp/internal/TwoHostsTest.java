package org.tcpip4j.icmp.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.tcpip4j.icmp.IcmpException;
import org.tcpip4j.netif.Ipv4Address;
import org.tcpip4j.netif.Ipv4Cidr;
import org.tcpip4j.netif.MacAddress;
import org.tcpip4j.netif.loop.StackContext;
import org.tcpip4j.netif.loop.VirtualTimeEventLoop;

/** Two whole hosts, Ethernet to UDP and ICMP, on a cable with one millisecond of delay. */
class TwoHostsTest {

    private static final long MILLI = 1_000_000L;
    private static final Ipv4Address IP_A = Ipv4Address.parse("198.18.0.1");
    private static final Ipv4Address IP_B = Ipv4Address.parse("198.18.0.2");

    private final VirtualTimeEventLoop loop = new VirtualTimeEventLoop();
    private final TwoHostLink link = new TwoHostLink(loop, MILLI, MacAddress.parse("02:00:00:00:00:0a"),
            MacAddress.parse("02:00:00:00:00:0b"), 1500);
    private final WiredHost a = new WiredHost(link.a, new Ipv4Cidr(IP_A, 24), StackContext.seeded(loop, 1, "a"));
    private final WiredHost b = new WiredHost(link.b, new Ipv4Cidr(IP_B, 24), StackContext.seeded(loop, 2, "b"));

    TwoHostsTest() {
        loop.runUntilIdle();
    }

    @Test
    void aFirstPingWaitsForArpAndTheNextOneTakesOneRoundTrip() throws Exception {
        assertEquals(Duration.ofMillis(4), loop.await(a.icmp.ping(IP_B, 56, Duration.ofSeconds(1)), Duration.ofSeconds(2)));
        assertEquals(Duration.ofMillis(2), loop.await(a.icmp.ping(IP_B, 56, Duration.ofSeconds(1)), Duration.ofSeconds(2)));
        assertEquals(Duration.ofMillis(2), loop.await(b.icmp.ping(IP_A, 56, Duration.ofSeconds(1)), Duration.ofSeconds(2)),
                "B learned A from its request: no ARP needed");
        assertEquals(1, a.arp.counters().get("tx.requests"));
        assertEquals(0, b.arp.counters().get("tx.requests"));
    }

    @Test
    void aLargePingIsFragmentedAndReassembledBothWays() throws Exception {
        loop.await(a.icmp.ping(IP_B, 0, Duration.ofSeconds(1)), Duration.ofSeconds(2));
        assertEquals(Duration.ofMillis(2), loop.await(a.icmp.ping(IP_B, 4000, Duration.ofSeconds(1)), Duration.ofSeconds(2)));
        assertEquals(1, b.ipv4.counters().get("rx.reassembled"));
        assertEquals(1, a.ipv4.counters().get("rx.reassembled"));
        assertEquals(3, a.ipv4.counters().get("tx.fragments"));
    }

    @Test
    void udpDatagramsMakeTheRoundTripThroughAnEchoPort() throws Exception {
        b.echoOn(7);
        List<byte[]> replies = new ArrayList<>();
        a.udp.listen(40_000, (src, dst, srcPort, payload) -> {
            assertEquals(IP_B, src);
            assertEquals(7, srcPort);
            byte[] copy = new byte[payload.remaining()];
            payload.get(copy);
            replies.add(copy);
        });
        byte[] small = "hello, b".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] large = new byte[9000];
        new java.util.Random(5).nextBytes(large);
        loop.await(a.udp.write(null, 40_000, IP_B, 7, -1, ByteBuffer.wrap(small)), Duration.ofSeconds(1));
        loop.await(a.udp.write(null, 40_000, IP_B, 7, -1, ByteBuffer.wrap(large)), Duration.ofSeconds(1));
        loop.runUntilIdle();
        assertEquals(2, replies.size());
        assertArrayEquals(small, replies.get(0));
        assertArrayEquals(large, replies.get(1));
        assertEquals(0, a.udp.counters().get("rx.bad_checksum") + b.udp.counters().get("rx.bad_checksum"));
    }

    @Test
    void aPingToAnAbsentHostFailsAndItsDatagramIsDroppedWhenArpGivesUp() {
        var rtt = a.icmp.ping(Ipv4Address.parse("198.18.0.9"), 8, Duration.ofSeconds(10));
        loop.runUntilIdle();
        assertInstanceOf(IcmpException.Timeout.class, assertThrows(ExecutionException.class, rtt::get).getCause());
        assertEquals(3, a.arp.counters().get("tx.requests"));
        assertEquals(1, a.arp.counters().get("query.timeouts"));
        assertEquals(1, a.ipv4.counters().get("tx.unresolved"));
        assertEquals(0, loop.pendingTimers());
    }

    @Test
    void aLostEchoReplyTimesThePingOut() throws Exception {
        loop.await(a.icmp.ping(IP_B, 0, Duration.ofSeconds(1)), Duration.ofSeconds(2));
        link.b.unplugged = true;
        var rtt = a.icmp.ping(IP_B, 0, Duration.ofMillis(500));
        loop.runFor(500 * MILLI);
        assertInstanceOf(IcmpException.Timeout.class, assertThrows(ExecutionException.class, rtt::get).getCause());
        assertEquals(2, b.icmp.counters().get("tx.echo_replies"));
    }
}
