package org.tcpip4j.icmp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.tcpip4j.netif.Ipv4Address;
import org.tcpip4j.netif.Ipv4Cidr;
import org.tcpip4j.netif.MacAddress;
import org.tcpip4j.netif.loop.StackContext;
import org.tcpip4j.netif.loop.VirtualTimeEventLoop;

/**
 * Bad input never takes a host down: mutations of real frames (ARP, fragmented and whole
 * IPv4, ICMP, UDP) are fed to one host's whole input path, which must not throw, and the
 * host must still answer once its caches have aged.
 */
class WholeStackFuzzTest {

    private static final long SECOND = 1_000_000_000L;
    private static final Ipv4Address IP_A = Ipv4Address.parse("198.18.0.1");
    private static final Ipv4Address IP_B = Ipv4Address.parse("198.18.0.2");

    @Test
    void mutatedFramesAreCountedOrHandledAndTheHostKeepsWorking() throws Exception {
        VirtualTimeEventLoop loop = new VirtualTimeEventLoop();
        TwoHostLink link = new TwoHostLink(loop, 1_000_000, MacAddress.parse("02:00:00:00:00:0a"),
                MacAddress.parse("02:00:00:00:00:0b"), 1500);
        WiredHost a = new WiredHost(link.a, new Ipv4Cidr(IP_A, 24), StackContext.seeded(loop, 1, "a"));
        WiredHost b = new WiredHost(link.b, new Ipv4Cidr(IP_B, 24), StackContext.seeded(loop, 2, "b"));
        b.echoOn(7);
        a.udp.listen(40_000, (src, dst, port, payload) -> { });
        loop.await(a.icmp.ping(IP_B, 3000, Duration.ofSeconds(1)), Duration.ofSeconds(2));
        loop.await(a.udp.write(null, 40_000, IP_B, 7, -1, ByteBuffer.wrap(new byte[2000])), Duration.ofSeconds(1));
        loop.runUntilIdle();
        List<byte[]> seeds = new ArrayList<>(link.captured);
        assertTrue(seeds.size() >= 8, "frames captured: " + seeds.size());

        SplittableRandom r = new SplittableRandom(42);
        for (int i = 0; i < 30_000; i++) {
            byte[] seed = seeds.get(r.nextInt(seeds.size()));
            byte[] frame = Arrays.copyOf(seed, r.nextInt(8) == 0 ? r.nextInt(seed.length + 1) : seed.length);
            for (int k = r.nextInt(1, 5); k > 0 && frame.length > 0; k--) {
                // Mostly within the headers, where parsing decisions are made.
                int at = r.nextInt(4) == 0 ? r.nextInt(frame.length) : r.nextInt(Math.min(frame.length, 64));
                frame[at] = (byte) r.nextInt(256);
            }
            link.b.inject(frame);
            if (i % 100 == 0) {
                loop.runFor(SECOND / 100);
            }
        }
        loop.runFor(61 * SECOND);
        long drops = b.ethernet.counters().get("rx.not_for_us") + b.ipv4.counters().get("rx.bad_checksum")
                + b.arp.counters().get("rx.unknown_operation");
        assertTrue(drops > 0, "bad input was counted");

        // Caches and reassembly have aged out: the host answers as before.
        assertEquals(0, loop.pendingTimers(), "every timer has run or been cancelled");
        Duration rtt = loop.await(a.icmp.ping(IP_B, 56, Duration.ofSeconds(1)), Duration.ofSeconds(5));
        assertTrue(rtt.compareTo(Duration.ofMillis(4)) <= 0, "rtt " + rtt);
    }
}
