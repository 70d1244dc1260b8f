package org.tcpip4j.arp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tcpip4j.arp.internal.ArpTestBench.OUR_IP;
import static org.tcpip4j.arp.internal.ArpTestBench.OUR_MAC;
import static org.tcpip4j.arp.internal.ArpTestBench.PEER_IP;
import static org.tcpip4j.arp.internal.ArpTestBench.PEER_MAC;
import static org.tcpip4j.arp.internal.ArpTestBench.SECOND;
import static org.tcpip4j.arp.internal.ArpTestBench.THIRD_MAC;
import static org.tcpip4j.arp.internal.ArpTestBench.frame;
import static org.tcpip4j.arp.internal.ArpTestBench.packet;

import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.tcpip4j.arp.ArpConfig;
import org.tcpip4j.arp.ArpException;
import org.tcpip4j.netif.Ipv4Address;
import org.tcpip4j.netif.MacAddress;

/** RFC 5227: probing an address before use, announcing it, and conflicts. */
class AddressProbeTest {

    private final ArpTestBench bench = new ArpTestBench(ArpConfig.DEFAULT.withProbeBeforeUse(true));
    private final DefaultArp arp = bench.arp;

    private static String probeFor(Ipv4Address ip) {
        return frame(MacAddress.BROADCAST, packet(1, OUR_MAC, Ipv4Address.ANY, MacAddress.ZERO, ip));
    }

    private static String announcementOf(Ipv4Address ip) {
        return frame(MacAddress.BROADCAST, packet(1, OUR_MAC, ip, MacAddress.ZERO, ip));
    }

    @Test
    void threeProbesThenTwoAnnouncementsWithTheRfcTimings() {
        CompletableFuture<Void> f = arp.setIps(List.of(OUR_IP));
        List<Long> times = new java.util.ArrayList<>();
        int seen = 0;
        while (bench.loop.step()) {
            if (bench.ethernet.frames.size() > seen) {
                seen = bench.ethernet.frames.size();
                times.add(bench.loop.nanoTime());
            }
        }
        assertEquals(List.of(probeFor(OUR_IP), probeFor(OUR_IP), probeFor(OUR_IP), announcementOf(OUR_IP),
                announcementOf(OUR_IP)), bench.sent());
        assertTrue(times.get(0) <= SECOND, "PROBE_WAIT: the first probe within 1 s: " + times);
        for (int i = 1; i < 3; i++) {
            long gap = times.get(i) - times.get(i - 1);
            assertTrue(gap >= SECOND && gap <= 2 * SECOND, "PROBE_MIN..PROBE_MAX between probes: " + times);
        }
        assertEquals(2 * SECOND, times.get(3) - times.get(2), "ANNOUNCE_WAIT after the last probe");
        assertEquals(2 * SECOND, times.get(4) - times.get(3), "ANNOUNCE_INTERVAL");
        assertTrue(f.isDone() && !f.isCompletedExceptionally());
        assertEquals(List.of(OUR_IP), arp.ips());
        assertEquals(3, bench.count("tx.probes"));
        assertEquals(2, bench.count("tx.announcements"));
    }

    @Test
    void aProbedAddressIsNotAnsweredForUntilItIsClaimed() {
        CompletableFuture<Void> f = arp.setIps(List.of(OUR_IP));
        assertEquals(List.of(), arp.ips());
        bench.input(packet(1, PEER_MAC, Ipv4Address.parse("198.18.0.9"), MacAddress.ZERO, OUR_IP));
        assertEquals(0, bench.count("tx.replies"));
        bench.loop.runFor(10 * SECOND);
        assertTrue(f.isDone());
        bench.input(packet(1, PEER_MAC, Ipv4Address.parse("198.18.0.9"), MacAddress.ZERO, OUR_IP));
        assertEquals(1, bench.count("tx.replies"));
    }

    @Test
    void aReplyFromTheProbedAddressIsAConflict() {
        CompletableFuture<Void> f = arp.setIps(List.of(OUR_IP));
        bench.loop.runFor(SECOND + SECOND / 2);
        bench.input(packet(2, PEER_MAC, OUR_IP, OUR_MAC, Ipv4Address.ANY));
        ExecutionException e = assertThrows(ExecutionException.class, f::get);
        ArpException.Conflict c = assertInstanceOf(ArpException.Conflict.class, e.getCause());
        assertEquals(OUR_IP, c.ip());
        assertEquals(PEER_MAC, c.mac());
        bench.loop.runFor(20 * SECOND);
        assertEquals(List.of(), arp.ips(), "never taken into use");
        assertEquals(0, bench.count("tx.announcements"));
        assertEquals(1, bench.count("rx.probe_conflicts"));
        assertEquals(0, bench.loop.pendingTimers());
    }

    @Test
    void anotherHostsProbeForTheSameAddressIsAConflict() {
        CompletableFuture<Void> f = arp.addIp(OUR_IP);
        bench.input(packet(1, THIRD_MAC, Ipv4Address.ANY, MacAddress.ZERO, OUR_IP));
        assertTrue(f.isCompletedExceptionally());
        assertEquals(0, bench.count("tx.replies"), "a conflicting probe is not answered");
    }

    @Test
    void aConflictOnOneAddressLeavesTheOthersInUse() {
        Ipv4Address second = Ipv4Address.parse("198.18.1.1");
        CompletableFuture<Void> f = arp.setIps(List.of(OUR_IP, second));
        bench.input(packet(1, PEER_MAC, second, MacAddress.ZERO, PEER_IP));
        bench.loop.runFor(10 * SECOND);
        assertTrue(f.isCompletedExceptionally());
        assertEquals(List.of(OUR_IP), arp.ips());
    }

    @Test
    void removingAnAddressBeingProbedStopsTheProbe() {
        CompletableFuture<Void> f = arp.addIp(OUR_IP);
        arp.removeIp(OUR_IP);
        assertThrows(CancellationException.class, f::get);
        bench.loop.runFor(10 * SECOND);
        assertTrue(bench.ethernet.frames.isEmpty());
        assertEquals(List.of(), arp.ips());
    }

    @Test
    void queriesWhileProbingUseTheUnspecifiedSender() {
        arp.setIps(List.of(OUR_IP));
        arp.query(PEER_IP);
        assertEquals(frame(MacAddress.BROADCAST, packet(1, OUR_MAC, Ipv4Address.ANY, MacAddress.ZERO, PEER_IP)),
                bench.sent().getLast());
    }

    @Test
    void disconnectFailsAProbeInProgress() {
        CompletableFuture<Void> f = arp.addIp(OUR_IP);
        arp.disconnect();
        ExecutionException e = assertThrows(ExecutionException.class, f::get);
        assertInstanceOf(ArpException.Disconnected.class, e.getCause());
        assertFalse(bench.loop.pendingTimers() > 0);
    }
}
