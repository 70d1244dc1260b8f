package org.tcpip4j.stack.direct;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tcpip4j.stack.direct.SimulatedLan.ip;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tcpip4j.icmp.IcmpException;
import org.tcpip4j.netif.impair.Impairment;

/** Pings between whole stacks: through loss, and 60 KB fragmented under reordering and duplication. */
class PingSimulationTest {

    /**
     * Pings until one is answered, one second per try, at most {@code tries} times.
     *
     * @return the tries it took, or -1 when none was answered
     */
    private static int pingWithRetries(SimulatedLan lan, SimulatedLan.Host from, int host, int size, int tries) {
        for (int attempt = 1; attempt <= tries; attempt++) {
            CompletableFuture<Duration> rtt = from.stack.icmp().ping(ip(host), size, Duration.ofSeconds(1));
            lan.loop.runUntil(rtt::isDone, 2 * SimulatedLan.SECOND);
            if (rtt.isDone() && !rtt.isCompletedExceptionally()) {
                return attempt;
            }
        }
        return -1;
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void pingsGetThroughThirtyPercentLossBothWaysWithRetries(long seed) {
        SimulatedLan lan = new SimulatedLan(seed);
        Impairment lossy = Impairment.builder().loss(0.3).build();
        SimulatedLan.Host a = lan.host(1, lossy, b -> b);
        SimulatedLan.Host b = lan.host(2, lossy, x -> x);
        int tries = 0;
        for (int i = 0; i < 30; i++) {
            int took = pingWithRetries(lan, a, 2, 56, 12);
            assertTrue(took > 0, "ping " + i + " answered within 12 tries (seed " + seed + ")");
            tries += took;
        }
        long dropped = a.link.sendStats().dropped() + b.link.sendStats().dropped();
        assertTrue(dropped > 10, "the link lost frames: " + dropped);
        assertTrue(tries > 30, "some pings needed a retry: " + tries + " tries for 30 pings");
        assertTrue(a.count("icmp", "ping.timeouts") > 0);
        // Retries of a lost ARP request: the query retried rather than failing the datagrams at once.
        assertTrue(a.count("arp", "tx.requests") + b.count("arp", "tx.requests") >= 1);
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void aSixtyKilobytePingIsReassembledBothWaysUnderReorderingAndDuplication(long seed) {
        SimulatedLan lan = new SimulatedLan(seed);
        Impairment shuffled = Impairment.builder()
                .reorder(0.3, 3, Duration.ofMillis(5))
                .duplicate(0.2)
                .delay(Duration.ofMillis(2), Duration.ofMillis(1))
                .build();
        SimulatedLan.Host a = lan.host(1, shuffled, b -> b);
        SimulatedLan.Host b = lan.host(2, shuffled, x -> x);
        Duration rtt = lan.await(a.stack.icmp().ping(ip(2), 60_000, Duration.ofSeconds(5)), Duration.ofSeconds(10));
        assertTrue(rtt.compareTo(Duration.ofMillis(2)) > 0);
        assertEquals(1, b.count("ipv4", "rx.reassembled"), "b reassembled the request");
        assertEquals(1, a.count("ipv4", "rx.reassembled"), "a reassembled the reply");
        assertEquals(41, b.count("ipv4", "tx.fragments"), "60,008 bytes in 1480-byte fragments");
        long duplicated = a.link.sendStats().duplicated() + b.link.sendStats().duplicated();
        assertTrue(duplicated > 0, "frames were duplicated");
        assertEquals(0, a.count("ipv4", "rx.reassembly.overlaps") + b.count("ipv4", "rx.reassembly.overlaps"));
        // Duplicates that came after completion start datagrams that time out; nothing else is left.
        lan.loop.runFor(Duration.ofSeconds(31));
        assertEquals(0, b.count("ipv4", "rx.reassembly.held_bytes"));
        assertEquals(0, a.count("ipv4", "rx.reassembly.held_bytes"));
    }

    @Test
    void aStackPingsItsOwnAddressWithoutTheWire() {
        SimulatedLan lan = new SimulatedLan(7);
        SimulatedLan.Host a = lan.host(1);
        a.recording.sent.clear(); // the gratuitous ARP of the start
        lan.await(a.stack.icmp().ping(ip(1), 56, Duration.ofSeconds(1)), Duration.ofSeconds(2));
        lan.await(a.stack.icmp().ping(ip(1), 20_000, Duration.ofSeconds(1)), Duration.ofSeconds(2));
        assertTrue(a.recording.sent.isEmpty(), "nothing went out, not even ARP: " + a.recording.sent.size());
        assertEquals(0, a.count("arp", "tx.requests"));
        assertTrue(a.count("stack", "tx.loopback") >= 2 + 2 * 14);
        assertEquals(2, a.count("ipv4", "rx.reassembled"), "the looped fragments were reassembled");
    }

    @Test
    void aPingOfAnAbsentHostFailsWithATimeoutAfterArpGivesUp() {
        SimulatedLan lan = new SimulatedLan(8);
        SimulatedLan.Host a = lan.host(1);
        CompletableFuture<Duration> rtt = a.stack.icmp().ping(ip(99), 56, Duration.ofSeconds(5));
        lan.loop.runUntil(rtt::isDone, 10 * SimulatedLan.SECOND);
        assertInstanceOf(IcmpException.Timeout.class, rtt.exceptionNow());
        assertEquals(3, a.count("arp", "tx.requests"));
        assertEquals(1, a.count("ipv4", "tx.unresolved"), "the held echo request was dropped with a counter");
    }
}
