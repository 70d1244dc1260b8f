package org.tcpip4j.stack.direct;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tcpip4j.stack.direct.SimulatedLan.SECOND;
import static org.tcpip4j.stack.direct.SimulatedLan.ip;
import static org.tcpip4j.stack.direct.SimulatedLan.mac;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.tcpip4j.arp.ArpConfig;
import org.tcpip4j.arp.ArpException;
import org.tcpip4j.netif.MacAddress;
import org.tcpip4j.netif.impair.Impairment;

/** ARP between whole stacks on the simulated LAN: resolution, expiry, refresh, static entries, probing. */
class ArpSimulationTest {

    private final SimulatedLan lan = new SimulatedLan(1);

    @Test
    void aPingResolvesBothWaysAndEachCacheHoldsTheOthersMac() {
        SimulatedLan.Host a = lan.host(1);
        SimulatedLan.Host b = lan.host(2);
        lan.await(a.stack.icmp().ping(ip(2), 56, Duration.ofSeconds(1)), Duration.ofSeconds(5));
        long requestsBefore = a.count("arp", "tx.requests") + b.count("arp", "tx.requests");
        CompletableFuture<MacAddress> atA = a.stack.arp().query(ip(2));
        CompletableFuture<MacAddress> atB = b.stack.arp().query(ip(1));
        lan.loop.runFor(1);
        assertEquals(mac(2), atA.getNow(null));
        assertEquals(mac(1), atB.getNow(null), "b learned a from a's request for b's address");
        assertEquals(requestsBefore, a.count("arp", "tx.requests") + b.count("arp", "tx.requests"));
        assertEquals(1, a.count("arp", "tx.requests"), "a asked once; b never had to");
        assertEquals(0, b.count("arp", "tx.requests"));
    }

    @Test
    void anEntryUnusedForItsLifetimeExpiresAndIsResolvedAgain() {
        SimulatedLan.Host a = lan.host(1);
        lan.host(2);
        lan.await(a.stack.arp().query(ip(2)), Duration.ofSeconds(5));
        lan.loop.runFor(60 * SECOND);
        CompletableFuture<MacAddress> again = a.stack.arp().query(ip(2));
        assertFalse(again.isDone(), "expired after 60 s: a new resolution starts");
        assertEquals(mac(2), lan.await(again, Duration.ofSeconds(5)));
        assertEquals(2, a.count("arp", "tx.requests"));
    }

    @Test
    void anEntryInUseIsRefreshedByUnicastAndNeverBroadcastForAgain() {
        SimulatedLan.Host a = lan.host(1);
        SimulatedLan.Host b = lan.host(2);
        for (int second = 0; second < 300; second++) {
            lan.await(a.stack.icmp().ping(ip(2), 8, Duration.ofSeconds(1)), Duration.ofSeconds(2));
            lan.loop.runFor(SECOND);
        }
        assertEquals(1, a.count("arp", "tx.requests"), "one broadcast resolution in five minutes");
        assertTrue(a.count("arp", "tx.refreshes") >= 4, "unicast refreshes: " + a.count("arp", "tx.refreshes"));
        assertEquals(a.count("arp", "tx.refreshes"), a.count("arp", "cache.refreshed"), "every refresh answered");
        assertTrue(b.count("arp", "tx.replies") >= 5);
    }

    @Test
    void aStaticEntryIsUsedWithoutARequestAndSurvivesForgedReplies() {
        SimulatedLan.Host a = lan.host(1, Impairment.NONE, b -> b);
        lan.host(2);
        a.stack.arp().addStatic(ip(2), mac(2));
        lan.await(a.stack.icmp().ping(ip(2), 8, Duration.ofSeconds(1)), Duration.ofSeconds(2));
        assertEquals(0, a.count("arp", "tx.requests"));
        // b's own request for a (to answer the ping) named the right MAC; the entry stays anyway.
        long keptBefore = a.count("arp", "rx.static_entry_kept");
        // An attacker announces itself as .2 with a request for a's address.
        SimulatedLan.RawPort attacker = lan.raw(66);
        java.nio.ByteBuffer arp = java.nio.ByteBuffer.allocate(42);
        MacAddress.BROADCAST.write(arp, 0);
        mac(66).write(arp, 6);
        arp.putShort(12, (short) 0x0806).putShort(14, (short) 1).putShort(16, (short) 0x0800).put(18, (byte) 6)
                .put(19, (byte) 4).putShort(20, (short) 1);
        mac(66).write(arp, 22);
        ip(2).write(arp, 28);
        ip(1).write(arp, 38);
        attacker.port.write(42, (buffer, offset, max) -> {
            buffer.put(offset, arp, 0, 42);
            return 42;
        });
        lan.loop.runFor(SECOND);
        assertEquals(mac(2), a.stack.arp().query(ip(2)).getNow(null));
        assertEquals(keptBefore + 1, a.count("arp", "rx.static_entry_kept"));
    }

    @Test
    void aStackProbingAnAddressInUseDoesNotTakeIt() {
        lan.host(2);
        SimulatedLan.Host late = lan.host(3, Impairment.NONE, b -> b
                .ipv4Config(org.tcpip4j.ipv4.Ipv4Config.of(new org.tcpip4j.netif.Ipv4Cidr(ip(2), 24)))
                .arpConfig(ArpConfig.DEFAULT.withProbeBeforeUse(true)));
        CompletableFuture<Void> probe = late.stack.arp().addIp(ip(2));
        lan.loop.runFor(10 * SECOND);
        assertTrue(probe.isCompletedExceptionally());
        ArpException.Conflict conflict = assertInstanceOf(ArpException.Conflict.class, probe.exceptionNow());
        assertEquals(mac(2), conflict.mac());
        assertEquals(java.util.List.of(), late.stack.arp().ips());
        assertTrue(late.count("arp", "rx.probe_conflicts") >= 1);
    }

    @Test
    void aProbedFreeAddressIsTakenAndAnnounced() {
        SimulatedLan.Host a = lan.host(1, Impairment.NONE, b -> b.arpConfig(ArpConfig.DEFAULT.withProbeBeforeUse(true)));
        SimulatedLan.Host b = lan.host(2);
        assertEquals(java.util.List.of(), a.stack.arp().ips(), "not answered for while probing");
        lan.loop.runFor(10 * SECOND);
        assertEquals(java.util.List.of(ip(1)), a.stack.arp().ips());
        assertEquals(3, a.count("arp", "tx.probes"));
        assertEquals(2, a.count("arp", "tx.announcements"));
        lan.await(b.stack.icmp().ping(ip(1), 8, Duration.ofSeconds(1)), Duration.ofSeconds(2));
    }
}
