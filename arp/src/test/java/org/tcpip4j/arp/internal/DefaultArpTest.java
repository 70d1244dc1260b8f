package org.tcpip4j.arp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tcpip4j.arp.ArpConfig;
import org.tcpip4j.arp.ArpException;
import org.tcpip4j.arp.ArpProvider;
import org.tcpip4j.netif.Ipv4Address;
import org.tcpip4j.netif.MacAddress;
import org.tcpip4j.netif.loop.StackContext;
import org.tcpip4j.netif.loop.VirtualTimeEventLoop;
import org.tcpip4j.testsupport.AllocationMeter;

class DefaultArpTest {

    private static final HexFormat HEX = HexFormat.of();
    private static final long SECOND = 1_000_000_000L;
    private static final MacAddress OUR_MAC = MacAddress.parse("02:00:00:00:00:01");
    private static final MacAddress PEER_MAC = MacAddress.parse("02:00:00:00:00:02");
    private static final MacAddress THIRD_MAC = MacAddress.parse("02:00:00:00:00:03");
    private static final Ipv4Address OUR_IP = Ipv4Address.parse("198.18.0.1");
    private static final Ipv4Address PEER_IP = Ipv4Address.parse("198.18.0.2");
    private static final Ipv4Address THIRD_IP = Ipv4Address.parse("198.18.0.3");
    private static final ArpConfig CONFIG = new ArpConfig(3, Duration.ofSeconds(60), 3, Duration.ofSeconds(1), 16);

    private final VirtualTimeEventLoop loop = new VirtualTimeEventLoop();
    private final CapturingEthernet ethernet = new CapturingEthernet(OUR_MAC);
    private final DefaultArp arp = new DefaultArp(ethernet, CONFIG, StackContext.seeded(loop, 1, "test"));

    @BeforeEach
    void configure() {
        arp.setIps(List.of(OUR_IP));
        loop.runUntilIdle();
        ethernet.frames.clear();
    }

    private static String packet(int op, MacAddress sha, Ipv4Address spa, MacAddress tha, Ipv4Address tpa) {
        return "000108000604" + String.format("%04x", op) + hex(sha) + hex(spa) + hex(tha) + hex(tpa);
    }

    private static String hex(MacAddress mac) {
        return HEX.formatHex(mac.toBytes());
    }

    private static String hex(Ipv4Address ip) {
        return HEX.formatHex(ip.toBytes());
    }

    private void input(String hex) {
        byte[] b = HEX.parseHex(hex);
        ByteBuffer buf = ByteBuffer.allocate(b.length + 4).position(4);
        buf.put(b).position(4);
        arp.input(buf);
    }

    private List<String> sent() {
        return ethernet.frames.stream().map(CapturingEthernet.Frame::toString).toList();
    }

    private static String requestFor(Ipv4Address target) {
        return "ff:ff:ff:ff:ff:ff 806 " + packet(1, OUR_MAC, OUR_IP, MacAddress.ZERO, target);
    }

    @Test
    void answersARequestForOurAddressWithAUnicastReply() {
        input(packet(1, PEER_MAC, PEER_IP, MacAddress.ZERO, OUR_IP) + "00".repeat(18));
        assertEquals(List.of("02:00:00:00:00:02 806 " + packet(2, OUR_MAC, OUR_IP, PEER_MAC, PEER_IP)), sent());
        assertEquals(1, arp.counters().get("tx.replies"));
    }

    @Test
    void learnsTheRequesterOfARequestForUs() {
        input(packet(1, PEER_MAC, PEER_IP, MacAddress.ZERO, OUR_IP));
        ethernet.frames.clear();
        CompletableFuture<MacAddress> f = arp.query(PEER_IP);
        assertEquals(PEER_MAC, f.getNow(null));
        assertTrue(ethernet.frames.isEmpty());
    }

    @Test
    void answersAProbeWithoutLearningTheUnspecifiedAddress() {
        input(packet(1, PEER_MAC, Ipv4Address.ANY, MacAddress.ZERO, OUR_IP));
        assertEquals(List.of("02:00:00:00:00:02 806 " + packet(2, OUR_MAC, OUR_IP, PEER_MAC, Ipv4Address.ANY)), sent());
        assertEquals(0, arp.counters().get("cache.learned"));
    }

    @Test
    void aRequestFromABroadcastMulticastOrLoopbackSenderIsNeitherAnsweredNorLearned() {
        for (String sender : new String[] {"255.255.255.255", "224.0.0.1", "127.0.0.1", "240.0.0.1"}) {
            input(packet(1, PEER_MAC, Ipv4Address.parse(sender), MacAddress.ZERO, OUR_IP));
        }
        assertTrue(ethernet.frames.isEmpty());
        assertEquals(4, arp.counters().get("rx.bad_sender"));
        assertEquals(0, arp.counters().get("cache.learned"));
    }

    @Test
    void ignoresRequestsForOtherAddressesAndLearnsNothingFromThem() {
        input(packet(1, PEER_MAC, PEER_IP, MacAddress.ZERO, THIRD_IP));
        assertTrue(ethernet.frames.isEmpty());
        assertEquals(1, arp.counters().get("rx.requests_not_for_us"));
        arp.query(PEER_IP);
        assertEquals(List.of(requestFor(PEER_IP)), sent());
    }

    @Test
    void aQueryBroadcastsARequestAndCompletesOnTheReply() {
        CompletableFuture<MacAddress> f = arp.query(PEER_IP);
        assertEquals(List.of(requestFor(PEER_IP)), sent());
        assertFalse(f.isDone());
        input(packet(2, PEER_MAC, PEER_IP, OUR_MAC, OUR_IP));
        assertEquals(PEER_MAC, f.getNow(null));
        loop.runUntilIdle();
        assertEquals(0, loop.pendingTimers(), "the retry timer is cancelled");
    }

    @Test
    void concurrentQueriesForOneAddressShareOneResolution() {
        CompletableFuture<MacAddress> a = arp.query(PEER_IP);
        CompletableFuture<MacAddress> b = arp.query(PEER_IP);
        assertSame(a, b);
        assertEquals(1, ethernet.frames.size());
    }

    @Test
    void aCachedQueryReturnsTheSameCompletedFutureAndSendsNothing() {
        arp.query(PEER_IP);
        input(packet(2, PEER_MAC, PEER_IP, OUR_MAC, OUR_IP));
        ethernet.frames.clear();
        CompletableFuture<MacAddress> first = arp.query(PEER_IP);
        CompletableFuture<MacAddress> second = arp.query(PEER_IP);
        assertSame(first, second);
        assertEquals(PEER_MAC, first.getNow(null));
        assertTrue(ethernet.frames.isEmpty());
    }

    @Test
    void anUnansweredQuerySendsTheConfiguredRequestsOneIntervalApartThenTimesOut() {
        CompletableFuture<MacAddress> f = arp.query(PEER_IP);
        loop.runFor(SECOND - 1);
        assertEquals(1, ethernet.frames.size());
        loop.runFor(1);
        assertEquals(2, ethernet.frames.size());
        loop.runFor(SECOND);
        assertEquals(3, ethernet.frames.size());
        assertFalse(f.isDone());
        loop.runFor(SECOND);
        assertEquals(List.of(requestFor(PEER_IP), requestFor(PEER_IP), requestFor(PEER_IP)), sent());
        ExecutionException e = assertThrows(ExecutionException.class, f::get);
        ArpException.Timeout t = assertInstanceOf(ArpException.Timeout.class, e.getCause());
        assertEquals(PEER_IP, t.ip());
        assertEquals(1, arp.counters().get("query.timeouts"));
        assertEquals(0, loop.pendingTimers());
    }

    @Test
    void aReplyToALaterRetryStillCompletesTheQuery() {
        CompletableFuture<MacAddress> f = arp.query(PEER_IP);
        loop.runFor(SECOND + SECOND / 2);
        assertEquals(2, ethernet.frames.size());
        input(packet(2, PEER_MAC, PEER_IP, OUR_MAC, OUR_IP));
        assertEquals(PEER_MAC, f.getNow(null));
        loop.runFor(10 * SECOND);
        assertEquals(2, ethernet.frames.size());
    }

    @Test
    void aNewQueryAfterATimeoutStartsAFreshResolution() {
        CompletableFuture<MacAddress> failed = arp.query(PEER_IP);
        loop.runFor(3 * SECOND);
        assertTrue(failed.isCompletedExceptionally());
        CompletableFuture<MacAddress> again = arp.query(PEER_IP);
        assertFalse(again.isDone());
        assertEquals(4, ethernet.frames.size());
    }

    @Test
    void unsolicitedRepliesAreNotLearned() {
        input(packet(2, PEER_MAC, PEER_IP, OUR_MAC, OUR_IP));
        assertEquals(1, arp.counters().get("rx.unsolicited_replies"));
        assertFalse(arp.query(PEER_IP).isDone());
    }

    @Test
    void anUnsolicitedReplyDoesNotOverwriteALearnedEntry() {
        arp.query(PEER_IP);
        input(packet(2, PEER_MAC, PEER_IP, OUR_MAC, OUR_IP));
        input(packet(2, THIRD_MAC, PEER_IP, OUR_MAC, OUR_IP));
        assertEquals(PEER_MAC, arp.query(PEER_IP).getNow(null));
    }

    @Test
    void aRequestForUsFromTheAddressBeingResolvedCompletesTheQuery() {
        CompletableFuture<MacAddress> f = arp.query(PEER_IP);
        input(packet(1, PEER_MAC, PEER_IP, MacAddress.ZERO, OUR_IP));
        assertEquals(PEER_MAC, f.getNow(null));
    }

    @Test
    void entriesExpireAfterTheirLifetime() {
        arp.query(PEER_IP);
        input(packet(2, PEER_MAC, PEER_IP, OUR_MAC, OUR_IP));
        loop.runFor(60 * SECOND - 1);
        assertTrue(arp.query(PEER_IP).isDone());
        loop.runFor(1);
        ethernet.frames.clear();
        assertFalse(arp.query(PEER_IP).isDone());
        assertEquals(List.of(requestFor(PEER_IP)), sent());
    }

    @Test
    void theCacheEvictsTheLeastRecentlyUsedEntryWhenFull() {
        Ipv4Address fourth = Ipv4Address.parse("198.18.0.4");
        for (Ipv4Address ip : List.of(PEER_IP, THIRD_IP, fourth)) {
            arp.query(ip);
            input(packet(2, PEER_MAC, ip, OUR_MAC, OUR_IP));
        }
        arp.query(PEER_IP); // most recently used now; THIRD_IP is the oldest
        Ipv4Address fifth = Ipv4Address.parse("198.18.0.5");
        arp.query(fifth);
        input(packet(2, PEER_MAC, fifth, OUR_MAC, OUR_IP));
        ethernet.frames.clear();
        assertTrue(arp.query(PEER_IP).isDone());
        assertTrue(arp.query(fourth).isDone());
        assertTrue(arp.query(fifth).isDone());
        assertFalse(arp.query(THIRD_IP).isDone());
        assertEquals(1, arp.counters().get("cache.evictions"));
    }

    @Test
    void setIpsAnnouncesEachNewAddressWithAGratuitousRequest() {
        Ipv4Address second = Ipv4Address.parse("198.18.1.1");
        arp.setIps(List.of(OUR_IP, second));
        loop.runUntilIdle();
        assertEquals(List.of("ff:ff:ff:ff:ff:ff 806 " + packet(1, OUR_MAC, second, MacAddress.ZERO, second)), sent());
        assertEquals(List.of(OUR_IP, second), arp.ips());
    }

    @Test
    void addIpAnnouncesTheAddressAndAnswersForIt() {
        arp.addIp(THIRD_IP);
        loop.runUntilIdle();
        assertEquals(List.of("ff:ff:ff:ff:ff:ff 806 " + packet(1, OUR_MAC, THIRD_IP, MacAddress.ZERO, THIRD_IP)),
                sent());
        ethernet.frames.clear();
        input(packet(1, PEER_MAC, PEER_IP, MacAddress.ZERO, THIRD_IP));
        assertEquals(List.of("02:00:00:00:00:02 806 " + packet(2, OUR_MAC, THIRD_IP, PEER_MAC, PEER_IP)), sent());
    }

    @Test
    void aRemovedAddressIsNoLongerAnswered() {
        arp.removeIp(OUR_IP);
        loop.runUntilIdle();
        input(packet(1, PEER_MAC, PEER_IP, MacAddress.ZERO, OUR_IP));
        assertTrue(ethernet.frames.isEmpty());
        assertEquals(List.of(), arp.ips());
    }

    @Test
    void packetsClaimingOurAddressOrSentByUsAreNotLearned() {
        arp.query(PEER_IP);
        input(packet(2, PEER_MAC, OUR_IP, OUR_MAC, OUR_IP));
        input(packet(1, OUR_MAC, PEER_IP, MacAddress.ZERO, OUR_IP));
        assertEquals(1, arp.counters().get("rx.address_conflicts"));
        assertEquals(1, arp.counters().get("rx.from_self"));
        assertEquals(0, arp.counters().get("cache.learned"));
    }

    @Test
    void malformedPacketsAreCountedByReason() {
        input("0001080006040001");
        input("0006" + packet(1, PEER_MAC, PEER_IP, MacAddress.ZERO, OUR_IP).substring(4));
        input(packet(3, PEER_MAC, PEER_IP, MacAddress.ZERO, OUR_IP));
        assertEquals(1, arp.counters().get("rx.too_short"));
        assertEquals(1, arp.counters().get("rx.unsupported_hardware"));
        assertEquals(1, arp.counters().get("rx.unknown_operation"));
        assertTrue(ethernet.frames.isEmpty());
    }

    @Test
    void linkErrorsAreCounted() {
        ethernet.failing = true;
        arp.query(PEER_IP);
        assertEquals(1, arp.counters().get("tx.errors"));
    }

    @Test
    void disconnectFailsPendingQueriesAndStopsTheirTimers() {
        CompletableFuture<MacAddress> f = arp.query(PEER_IP);
        arp.disconnect();
        ExecutionException e = assertThrows(ExecutionException.class, f::get);
        assertInstanceOf(ArpException.Disconnected.class, e.getCause());
        assertEquals(0, loop.pendingTimers());
        assertInstanceOf(ArpException.Disconnected.class,
                assertThrows(ExecutionException.class, () -> arp.query(THIRD_IP).get()).getCause());
        input(packet(1, PEER_MAC, PEER_IP, MacAddress.ZERO, OUR_IP));
        assertEquals(1, ethernet.frames.size());
    }

    @Test
    void aQueryFromAnotherThreadIsHandedToTheLoop() throws Exception {
        AtomicReference<CompletableFuture<MacAddress>> f = new AtomicReference<>();
        Thread t = Thread.ofPlatform().start(() -> f.set(arp.query(PEER_IP)));
        t.join();
        assertTrue(ethernet.frames.isEmpty(), "nothing runs off the loop");
        loop.runFor(1);
        assertEquals(List.of(requestFor(PEER_IP)), sent());
        input(packet(2, PEER_MAC, PEER_IP, OUR_MAC, OUR_IP));
        assertEquals(PEER_MAC, f.get().getNow(null));
    }

    @Test
    void aCachedQueryAllocatesNothing() {
        arp.query(PEER_IP);
        input(packet(2, PEER_MAC, PEER_IP, OUR_MAC, OUR_IP));
        for (int i = 0; i < 20_000; i++) {
            arp.query(PEER_IP);
        }
        AllocationMeter.allocatedBytes();
        long before = AllocationMeter.allocatedBytes();
        org.junit.jupiter.api.Assumptions.assumeTrue(before >= 0, "the JVM does not count allocations");
        for (int i = 0; i < 100_000; i++) {
            arp.query(PEER_IP);
        }
        long allocated = AllocationMeter.allocatedBytes() - before;
        assertTrue(allocated < 100_000, "allocated " + allocated + " bytes for 100000 queries");
    }

    @Test
    void theProviderIsFoundByServiceLoaderAsDefault() {
        getClass().getModule().addUses(ArpProvider.class);
        ArpProvider p = ServiceLoader.load(ArpProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(x -> x.name().equals("default"))
                .findFirst()
                .orElseThrow();
        assertInstanceOf(DefaultArp.class, p.create(ethernet, ArpConfig.DEFAULT, StackContext.seeded(loop, 1, "t")));
    }
}
