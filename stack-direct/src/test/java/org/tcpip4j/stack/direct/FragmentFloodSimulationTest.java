package org.tcpip4j.stack.direct;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tcpip4j.stack.direct.SimulatedLan.datagram;
import static org.tcpip4j.stack.direct.SimulatedLan.ip;
import static org.tcpip4j.stack.direct.SimulatedLan.mac;

import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.tcpip4j.icmp.IcmpConfig;
import org.tcpip4j.ipv4.Ipv4Config;
import org.tcpip4j.netif.Ipv4Address;
import org.tcpip4j.netif.Ipv4Cidr;
import org.tcpip4j.netif.impair.Impairment;

/**
 * A flood of fragments that never complete: the memory reassembly holds stays under its
 * bounds (per source, then in all), another host's fragmented ping still gets through
 * while one source floods, everything is released after the timeout, and the time
 * exceeded messages the timeouts cause stay within the ICMP rate limit.
 */
class FragmentFloodSimulationTest {

    private static final int TOTAL = 1 << 20;
    private static final int PER_SOURCE = 256 * 1024;
    private static final long MILLI = 1_000_000L;

    private final SimulatedLan lan = new SimulatedLan(5);
    private final SplittableRandom random = new SplittableRandom(5);
    private int nextId;

    /** A fragment of a datagram that will never complete: MF set, 1000 bytes, a new identification. */
    private byte[] strayFragment(Ipv4Address source, Ipv4Address target) {
        boolean first = random.nextBoolean();
        int offsetUnits = first ? 0 : 1 + random.nextInt(7000);
        return datagram(source, target, 17, nextId++ & 0xffff, 0x2000 | offsetUnits, new byte[1000]);
    }

    @Test
    void reassemblyMemoryStaysBoundedUnderAFloodOfFragmentsThatNeverComplete() {
        SimulatedLan.Host a = lan.host(1);
        SimulatedLan.Host b = lan.host(2, Impairment.NONE, x -> x
                .ipv4Config(Ipv4Config.of(new Ipv4Cidr(ip(2), 24))
                        .withReassembly(Duration.ofSeconds(30), 64, TOTAL, PER_SOURCE))
                .icmpConfig(new IcmpConfig(10, 5)));
        SimulatedLan.RawPort attacker = lan.raw(66);
        b.stack.arp().addStatic(ip(66), mac(66));
        long start = lan.loop.nanoTime();

        // One source, 500 fragments a second for 40 s: more than its share many times over.
        CompletableFuture<Duration> legitimate = null;
        long maxHeld = 0;
        for (int tick = 0; tick < 4000; tick++) {
            for (int i = 0; i < 5; i++) {
                attacker.send(mac(2), strayFragment(ip(66), ip(2)));
            }
            if (tick == 500) {
                legitimate = a.stack.icmp().ping(ip(2), 60_000, Duration.ofSeconds(5));
            }
            lan.loop.runFor(10 * MILLI);
            maxHeld = Math.max(maxHeld, b.count("ipv4", "rx.reassembly.held_bytes"));
        }
        assertTrue(maxHeld <= PER_SOURCE, "one source holds at most its share: " + maxHeld);
        assertTrue(maxHeld > PER_SOURCE * 3 / 4, "the share was used: " + maxHeld);
        assertTrue(b.count("ipv4", "rx.reassembly.source_limit") > 10_000);
        assertTrue(legitimate.isDone() && !legitimate.isCompletedExceptionally(),
                "another host's 60 KB ping got through the flood: " + legitimate);

        // A hundred spoofed sources, 1000 fragments a second for 5 s: the total bound holds.
        for (int tick = 0; tick < 500; tick++) {
            for (int i = 0; i < 10; i++) {
                attacker.send(mac(2), strayFragment(ip(100 + random.nextInt(100)), ip(2)));
            }
            lan.loop.runFor(10 * MILLI);
            maxHeld = Math.max(maxHeld, b.count("ipv4", "rx.reassembly.held_bytes"));
        }
        assertTrue(maxHeld <= TOTAL, "never more than the total: " + maxHeld);
        assertTrue(b.count("ipv4", "rx.reassembly.held_bytes_peak") <= TOTAL);
        assertTrue(b.count("ipv4", "rx.reassembly.held_bytes_peak") > TOTAL * 3 / 4);
        assertTrue(b.count("ipv4", "rx.reassembly.byte_limit") > 0);

        // Quiet: every incomplete datagram times out and its memory is released.
        lan.loop.runFor(Duration.ofSeconds(31));
        assertEquals(0, b.count("ipv4", "rx.reassembly.held_bytes"));
        assertEquals(0, b.count("ipv4", "rx.reassembly.incomplete"));

        // Time exceeded answers the timed-out first fragments, within the rate limit.
        double seconds = (lan.loop.nanoTime() - start) / 1e9;
        long exceeded = b.count("icmp", "tx.time_exceeded");
        assertTrue(exceeded > 0);
        assertTrue(exceeded <= 5 + 10 * seconds, exceeded + " in " + seconds + " s");
        assertTrue(b.count("icmp", "error.not_sent.rate_limited") > 0);
        assertTrue(attacker.ipv4(1).size() > 0, "the attacker got time exceeded messages");
        assertTrue(attacker.ipv4(1).stream().allMatch(m -> m.get(20) == 11 && m.get(21) == 1));

        // The stack still serves.
        lan.await(a.stack.icmp().ping(ip(2), 56, Duration.ofSeconds(1)), Duration.ofSeconds(2));
    }
}
