package org.tcpip4j.arp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tcpip4j.arp.internal.ArpTestBench.OUR_IP;
import static org.tcpip4j.arp.internal.ArpTestBench.OUR_MAC;
import static org.tcpip4j.arp.internal.ArpTestBench.PEER_IP;
import static org.tcpip4j.arp.internal.ArpTestBench.PEER_MAC;
import static org.tcpip4j.arp.internal.ArpTestBench.SECOND;
import static org.tcpip4j.arp.internal.ArpTestBench.THIRD_IP;
import static org.tcpip4j.arp.internal.ArpTestBench.THIRD_MAC;
import static org.tcpip4j.arp.internal.ArpTestBench.frame;
import static org.tcpip4j.arp.internal.ArpTestBench.packet;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tcpip4j.arp.ArpConfig;
import org.tcpip4j.netif.Ipv4Address;
import org.tcpip4j.netif.MacAddress;

/** Static entries (never learned over, expired or evicted) and the refresh of entries in use. */
class StaticEntriesAndRefreshTest {

    /** Two learned entries at most, 60 s lifetime, 3 requests 1 s apart: a 3 s refresh window. */
    private final ArpTestBench bench = new ArpTestBench(new ArpConfig(2, Duration.ofSeconds(60), 3,
            Duration.ofSeconds(1), 16));
    private final DefaultArp arp = bench.arp;

    @BeforeEach
    void configure() {
        arp.setIps(List.of(OUR_IP));
        bench.loop.runUntilIdle();
        bench.ethernet.frames.clear();
    }

    private void learnPeer() {
        arp.query(PEER_IP);
        bench.input(packet(2, PEER_MAC, PEER_IP, OUR_MAC, OUR_IP));
        bench.ethernet.frames.clear();
    }

    private static String unicastRefreshOfPeer() {
        return frame(PEER_MAC, packet(1, OUR_MAC, OUR_IP, MacAddress.ZERO, PEER_IP));
    }

    @Test
    void aStaticEntryResolvesAtOnceWithoutARequest() {
        arp.addStatic(PEER_IP, THIRD_MAC);
        CompletableFuture<MacAddress> f = arp.query(PEER_IP);
        assertEquals(THIRD_MAC, f.getNow(null));
        assertTrue(bench.ethernet.frames.isEmpty());
    }

    @Test
    void aStaticEntryCompletesAQueryAlreadyWaiting() {
        CompletableFuture<MacAddress> waiting = arp.query(PEER_IP);
        arp.addStatic(PEER_IP, THIRD_MAC);
        assertEquals(THIRD_MAC, waiting.getNow(null));
        bench.loop.runFor(10 * SECOND);
        assertEquals(1, bench.ethernet.frames.size(), "no retry after the static entry answered");
    }

    @Test
    void noPacketChangesAStaticEntry() {
        arp.addStatic(PEER_IP, THIRD_MAC);
        // A request for us from the address (which would teach us its MAC), and a reply.
        bench.input(packet(1, PEER_MAC, PEER_IP, MacAddress.ZERO, OUR_IP));
        bench.input(packet(2, PEER_MAC, PEER_IP, OUR_MAC, OUR_IP));
        assertEquals(THIRD_MAC, arp.query(PEER_IP).getNow(null));
        assertEquals(1, bench.count("rx.static_entry_kept"));
        assertEquals(1, bench.count("tx.replies"), "the request is still answered");
    }

    @Test
    void aStaticEntryNeverExpiresAndIsNeverRefreshed() {
        arp.addStatic(PEER_IP, THIRD_MAC);
        for (int i = 0; i < 10; i++) {
            bench.loop.runFor(3600 * SECOND);
            assertEquals(THIRD_MAC, arp.query(PEER_IP).getNow(null));
        }
        assertTrue(bench.ethernet.frames.isEmpty());
    }

    @Test
    void staticEntriesAreNotEvictedNorCountedAgainstTheCacheSize() {
        arp.addStatic(PEER_IP, PEER_MAC);
        Ipv4Address[] learned = {THIRD_IP, Ipv4Address.parse("198.18.0.4"), Ipv4Address.parse("198.18.0.5")};
        for (Ipv4Address ip : learned) {
            arp.query(ip);
            bench.input(packet(2, THIRD_MAC, ip, OUR_MAC, OUR_IP));
        }
        assertEquals(PEER_MAC, arp.query(PEER_IP).getNow(null));
        assertEquals(1, bench.count("cache.evictions"), "three learned entries in a cache of two");
    }

    @Test
    void aRemovedStaticEntryIsResolvedByRequestsAgain() {
        arp.addStatic(PEER_IP, THIRD_MAC);
        arp.removeStatic(PEER_IP);
        assertFalse(arp.query(PEER_IP).isDone());
        assertEquals(List.of(frame(MacAddress.BROADCAST, packet(1, OUR_MAC, OUR_IP, MacAddress.ZERO, PEER_IP))),
                bench.sent());
    }

    @Test
    void aStaticEntryReplacesALearnedOne() {
        learnPeer();
        arp.addStatic(PEER_IP, THIRD_MAC);
        assertEquals(THIRD_MAC, arp.query(PEER_IP).getNow(null));
    }

    @Test
    void anEntryUsedBeforeItsRefreshWindowSendsNothing() {
        learnPeer();
        bench.loop.runFor(57 * SECOND - 1);
        arp.query(PEER_IP);
        assertTrue(bench.ethernet.frames.isEmpty());
    }

    @Test
    void anEntryUsedNearItsExpiryIsRefreshedWithAUnicastRequestAtMostOncePerInterval() {
        learnPeer();
        bench.loop.runFor(57 * SECOND);
        arp.query(PEER_IP);
        arp.query(PEER_IP);
        assertEquals(List.of(unicastRefreshOfPeer()), bench.sent());
        bench.loop.runFor(SECOND);
        arp.query(PEER_IP);
        assertEquals(List.of(unicastRefreshOfPeer(), unicastRefreshOfPeer()), bench.sent());
        assertEquals(2, bench.count("tx.refreshes"));
    }

    @Test
    void theRefreshReplyRenewsTheEntrySoItNeverExpiresWhileTheNeighbourAnswers() {
        learnPeer();
        for (int round = 0; round < 5; round++) {
            bench.loop.runFor(58 * SECOND);
            arp.query(PEER_IP);
            bench.input(packet(2, PEER_MAC, PEER_IP, OUR_MAC, OUR_IP));
        }
        bench.loop.runFor(58 * SECOND);
        assertEquals(PEER_MAC, arp.query(PEER_IP).getNow(null), "290 s after it was learned");
        assertEquals(5, bench.count("cache.refreshed"));
        assertEquals(0, bench.count("rx.unsolicited_replies"));
    }

    @Test
    void aRefreshReplyFromAnotherMacIsNotLearned() {
        learnPeer();
        bench.loop.runFor(58 * SECOND);
        arp.query(PEER_IP);
        bench.input(packet(2, THIRD_MAC, PEER_IP, OUR_MAC, OUR_IP));
        assertEquals(1, bench.count("rx.unsolicited_replies"));
        assertEquals(PEER_MAC, arp.query(PEER_IP).getNow(null));
        bench.loop.runFor(2 * SECOND);
        bench.ethernet.frames.clear();
        assertFalse(arp.query(PEER_IP).isDone(), "unrenewed, the entry expired at 60 s");
    }

    @Test
    void anUnansweredRefreshLetsTheEntryExpireAndABroadcastResolutionFollows() {
        learnPeer();
        bench.loop.runFor(58 * SECOND);
        arp.query(PEER_IP);
        bench.loop.runFor(2 * SECOND);
        bench.ethernet.frames.clear();
        assertFalse(arp.query(PEER_IP).isDone());
        assertEquals(List.of(frame(MacAddress.BROADCAST, packet(1, OUR_MAC, OUR_IP, MacAddress.ZERO, PEER_IP))),
                bench.sent());
    }

    @Test
    void theLayerReportsItsConfiguration() {
        assertEquals(2, arp.config().cacheSize());
        assertEquals(16, arp.config().pendingPacketsPerAddress());
    }
}
