package org.tcpip4j.udp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.tcpip4j.ip.IpError;
import org.tcpip4j.netif.InternetChecksum;
import org.tcpip4j.netif.Ipv4Address;
import org.tcpip4j.netif.loop.StackContext;
import org.tcpip4j.netif.loop.VirtualTimeEventLoop;
import org.tcpip4j.testsupport.AllocationMeter;
import org.tcpip4j.udp.UdpCallback;
import org.tcpip4j.udp.UdpException;
import org.tcpip4j.udp.UdpProvider;
import org.tcpip4j.udp.internal.wire.UdpHeader;
import org.tcpip4j.udp.internal.wire.UdpPacket;

class DefaultUdpTest {

    private static final HexFormat HEX = HexFormat.of();
    private static final Ipv4Address OURS = Ipv4Address.parse("198.18.1.23");
    private static final Ipv4Address PEER = Ipv4Address.parse("198.19.8.8");
    /**
     * A DNS query for example.com from 198.18.1.23:54321 to 198.19.8.8:53 (an off-link resolver): a
     * captured datagram with its addresses rewritten into 198.18.0.0/15. Its checksum, ac5f, was
     * recomputed outside this code base by a throwaway RFC 1071 one's-complement sum (Python) over the
     * pseudo-header and the datagram with the checksum field zero; the same sum gives the captured
     * checksum, 6fd5, for the capture's original addresses.
     */
    private static final String DNS_QUERY =
            "d43100350025ac5f" + "1a2b01000001000000000000076578616d706c6503636f6d0000010001";
    private static final String DNS_DATA = DNS_QUERY.substring(16);

    private final VirtualTimeEventLoop loop = new VirtualTimeEventLoop();
    private final CapturingIp ip = new CapturingIp(OURS);
    private final DefaultUdp udp = new DefaultUdp(ip, StackContext.seeded(loop, 1, "test"));
    private final List<String> received = new ArrayList<>();

    private UdpCallback recording(String name) {
        return (src, dst, srcPort, payload) -> {
            byte[] b = new byte[payload.remaining()];
            payload.get(payload.position(), b);
            received.add(name + " " + src + ":" + srcPort + ">" + dst + " " + HEX.formatHex(b));
        };
    }

    /** Delivers {@code hex} as if from PEER to OURS, at an offset as behind an IP header. */
    private void input(String hex) {
        byte[] b = HEX.parseHex(hex);
        ByteBuffer buf = ByteBuffer.allocate(b.length + 20);
        buf.put(20, b).position(20);
        udp.input(PEER, OURS, buf);
    }

    /** The DNS query turned into a reply: ports swapped, checksum for PEER to OURS. */
    private static String reply(String data) {
        byte[] d = HEX.parseHex(data);
        byte[] b = new byte[8 + d.length];
        System.arraycopy(d, 0, b, 8, d.length);
        ByteBuffer ph = ByteBuffer.allocate(12).putInt(PEER.bits()).putInt(OURS.bits()).putShort((short) 17)
                .putShort((short) b.length);
        new UdpHeader(53, 54321, b.length, 0).emit(ByteBuffer.wrap(b), 0, InternetChecksum.sum(ph, 0, 12, 0));
        return HEX.formatHex(b);
    }

    private long count(String name) {
        return udp.counters().get(name);
    }

    @Test
    void aDatagramIsWrittenWithItsHeaderAndAChecksumOverThePseudoHeader() {
        CompletableFuture<Void> f = udp.write(null, 54321, PEER, 53, -1, ByteBuffer.wrap(HEX.parseHex(DNS_DATA)));
        assertTrue(f.isDone() && !f.isCompletedExceptionally());
        CapturingIp.Sent s = ip.sent.get(0);
        assertEquals(OURS, s.src());
        assertEquals(PEER, s.dst());
        assertEquals(17, s.protocol());
        assertEquals(-1, s.ttl());
        assertEquals(DNS_QUERY, HEX.formatHex(s.payload()));
        assertEquals(1, count("tx.datagrams"));
        assertEquals(29, count("tx.bytes"));
    }

    @Test
    void writingLeavesTheCallersBufferAsItWas() {
        ByteBuffer data = ByteBuffer.wrap(HEX.parseHex("00" + DNS_DATA + "00")).position(1).limit(30);
        udp.write(null, 54321, PEER, 53, 9, data);
        assertEquals(1, data.position());
        assertEquals(30, data.limit());
        assertEquals(DNS_QUERY, HEX.formatHex(ip.sent.get(0).payload()));
        assertEquals(9, ip.sent.get(0).ttl());
    }

    @Test
    void aComputedZeroChecksumIsSentAsAllOnes() {
        // The data word that brings the sum over pseudo-header, header and data to 0xffff.
        ByteBuffer probe = ByteBuffer.allocate(10);
        new UdpPacket().wrap(probe, 0, 10).emitHeader(1000, 2000, 10);
        long sum = InternetChecksum.sum(probe, 0, 10, ip.pseudoheaderChecksum(OURS, PEER, 17, 10));
        int word = 0xffff - InternetChecksum.fold16(sum);
        udp.write(null, 1000, PEER, 2000, -1, ByteBuffer.allocate(2).putShort(0, (short) word));
        byte[] sent = ip.sent.get(0).payload();
        assertEquals("ffff", HEX.formatHex(sent, 6, 8));
    }

    @Test
    void withoutASourcePortAnEphemeralOneIsDrawnAtRandom() {
        Set<Integer> ports = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            udp.write(PEER, 53, ByteBuffer.allocate(0));
            int port = ByteBuffer.wrap(ip.sent.get(i).payload()).getShort(0) & 0xffff;
            assertTrue(port >= 49_152 && port <= 65_535, "port " + port);
            ports.add(port);
        }
        assertTrue(ports.size() > 40, "ports repeat too often: " + ports.size());
    }

    @Test
    void anEphemeralPortSkipsPortsWithAListener() {
        for (int p = 49_152; p <= 65_535; p++) {
            if (p != 50_000) {
                udp.listen(p, recording("x"));
            }
        }
        udp.write(PEER, 53, ByteBuffer.allocate(0));
        assertEquals(50_000, ByteBuffer.wrap(ip.sent.get(0).payload()).getShort(0) & 0xffff);
    }

    @Test
    void anIpErrorFailsTheWriteWithUdpExceptionIp() {
        ip.refuseWith = new IpError.NoRoute(PEER);
        CompletableFuture<Void> f = udp.write(PEER, 53, ByteBuffer.allocate(1));
        UdpException.Ip e = assertInstanceOf(UdpException.Ip.class,
                assertThrows(ExecutionException.class, f::get).getCause());
        assertEquals(new IpError.NoRoute(PEER), e.error());
        assertEquals(1, count("tx.errors"));
    }

    @Test
    void portsOutside16BitsAreIllegalArguments() {
        assertThrows(IllegalArgumentException.class, () -> udp.listen(-1, recording("a")));
        assertThrows(IllegalArgumentException.class, () -> udp.listen(65_536, recording("a")));
        assertThrows(IllegalArgumentException.class, () -> udp.unlisten(70_000));
        assertInstanceOf(IllegalArgumentException.class, assertThrows(ExecutionException.class,
                () -> udp.write(null, 65_536, PEER, 53, -1, ByteBuffer.allocate(0)).get()).getCause());
        assertInstanceOf(IllegalArgumentException.class, assertThrows(ExecutionException.class,
                () -> udp.write(null, 1, PEER, -5, -1, ByteBuffer.allocate(0)).get()).getCause());
        udp.listen(0, recording("a"));
        udp.listen(65_535, recording("a"));
        assertEquals(2, udp.listenerCount());
    }

    @Test
    void aDatagramIsDeliveredToItsPortsListenerWithTheDataBetweenPositionAndLimit() {
        udp.listen(54321, recording("dns"));
        input(reply(DNS_DATA));
        assertEquals(List.of("dns 198.19.8.8:53>198.18.1.23 " + DNS_DATA), received);
        assertEquals(1, count("rx.delivered"));
    }

    @Test
    void aSecondListenerReplacesTheFirst() {
        udp.listen(54321, recording("first"));
        udp.listen(54321, recording("second"));
        input(reply("01"));
        assertEquals(List.of("second 198.19.8.8:53>198.18.1.23 01"), received);
        assertEquals(1, udp.listenerCount());
    }

    @Test
    void afterUnlistenDatagramsAreCountedAsHavingNoListener() {
        udp.listen(54321, recording("dns"));
        udp.unlisten(54321);
        udp.unlisten(54321);
        input(reply("01"));
        assertTrue(received.isEmpty());
        assertEquals(1, count("rx.no_listener"));
    }

    @Test
    void bytesPastTheUdpLengthAreNotDelivered() {
        udp.listen(54321, recording("dns"));
        input(reply("0102") + "ffff");
        assertEquals(List.of("dns 198.19.8.8:53>198.18.1.23 0102"), received);
    }

    @Test
    void aBadChecksumIsCountedAndDropped() {
        udp.listen(54321, recording("dns"));
        String r = reply("0102");
        input(r.substring(0, 16) + "0103");
        assertTrue(received.isEmpty());
        assertEquals(1, count("rx.bad_checksum"));
    }

    @Test
    void aZeroChecksumIsAccepted() {
        udp.listen(54321, recording("dns"));
        input("0035d431000a0000" + "0102");
        assertEquals(List.of("dns 198.19.8.8:53>198.18.1.23 0102"), received);
    }

    @Test
    void malformedDatagramsAreCountedByReason() {
        udp.listen(54321, recording("dns"));
        input("0035d431000a");
        input("0035d43100070000");
        input("0035d431000b0000" + "0102");
        assertTrue(received.isEmpty());
        assertEquals(1, count("rx.too_short"));
        assertEquals(2, count("rx.bad_length"));
    }

    @Test
    void listenAndWriteFromAnotherThreadAreHandedToTheLoop() throws Exception {
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        Thread t = Thread.ofPlatform().start(() -> {
            udp.listen(54321, recording("dns"));
            writes.add(udp.write(null, 54321, PEER, 53, -1, ByteBuffer.wrap(HEX.parseHex(DNS_DATA))));
        });
        t.join();
        assertEquals(0, udp.listenerCount());
        assertTrue(ip.sent.isEmpty());
        loop.runUntilIdle();
        assertEquals(1, udp.listenerCount());
        assertEquals(DNS_QUERY, HEX.formatHex(ip.sent.get(0).payload()));
        writes.get(0).get();
    }

    @Test
    void successfulWritesOnTheLoopShareOneCompletedFutureAndAllocateNothing() {
        ByteBuffer data = ByteBuffer.allocateDirect(512);
        DefaultUdp steady = new DefaultUdp(new SinkIp(OURS), StackContext.seeded(loop, 2, "steady"));
        assertSame(steady.write(null, 1000, PEER, 53, -1, data), steady.write(null, 1000, PEER, 53, -1, data));
        for (int i = 0; i < 20_000; i++) {
            steady.write(null, 1000, PEER, 53, -1, data);
        }
        AllocationMeter.allocatedBytes();
        long before = AllocationMeter.allocatedBytes();
        org.junit.jupiter.api.Assumptions.assumeTrue(before >= 0, "the JVM does not count allocations");
        for (int i = 0; i < 100_000; i++) {
            steady.write(null, 0, PEER, 53, -1, data);
        }
        long allocated = AllocationMeter.allocatedBytes() - before;
        assertTrue(allocated < 100_000, "allocated " + allocated + " bytes for 100000 datagrams");
    }

    @Test
    void aDatagramToABroadcastOrMulticastPortNobodyListensOnIsNotReported() {
        for (String dst : new String[] {"255.255.255.255", "224.0.0.251"}) {
            byte[] b = HEX.parseHex(reply("01"));
            ByteBuffer buf = ByteBuffer.allocate(b.length);
            Ipv4Address to = Ipv4Address.parse(dst);
            ByteBuffer ph = ByteBuffer.allocate(12).putInt(PEER.bits()).putInt(to.bits()).putShort((short) 17)
                    .putShort((short) b.length);
            new UdpHeader(53, 54321, b.length, 0).emit(ByteBuffer.wrap(b), 0, InternetChecksum.sum(ph, 0, 12, 0));
            buf.put(0, b);
            udp.input(PEER, to, buf);
        }
        assertEquals(2, count("rx.no_listener"));
        assertTrue(ip.portUnreachable.isEmpty());
        input(reply("01"));
        assertEquals(1, ip.portUnreachable.size(), "a unicast one is");
    }

    @Test
    void noCallerCanCompleteFailOrCancelTheFutureAnotherCallerHolds() throws Exception {
        ByteBuffer data = ByteBuffer.allocate(4);
        CompletableFuture<Void> mine = udp.write(null, 1000, PEER, 53, -1, data);
        assertTrue(mine.isDone());
        assertFalse(mine.cancel(true));
        assertFalse(mine.completeExceptionally(new RuntimeException("sabotage")));
        assertFalse(mine.complete(null));
        assertThrows(UnsupportedOperationException.class, () -> mine.obtrudeException(new RuntimeException("x")));
        assertThrows(UnsupportedOperationException.class, () -> mine.toCompletableFuture().obtrudeValue(null));
        mine.orTimeout(1, java.util.concurrent.TimeUnit.NANOSECONDS);

        CompletableFuture<Void> theirs = udp.write(null, 1000, PEER, 53, -1, data);
        assertFalse(theirs.isCancelled());
        assertFalse(theirs.isCompletedExceptionally());
        assertEquals(null, theirs.get());
        // What is derived from it is an ordinary future, which its caller may complete.
        CompletableFuture<String> derived = theirs.thenApply(v -> "sent");
        assertEquals("sent", derived.join());
        CompletableFuture<Void> later = theirs.thenRun(() -> { });
        assertTrue(later.isDone());
        assertFalse(udp.write(null, 1000, PEER, 53, -1, data).isCompletedExceptionally());
    }

    @Test
    void disconnectDropsListenersAndFailsLaterWrites() {
        udp.listen(54321, recording("dns"));
        udp.disconnect();
        assertEquals(0, udp.listenerCount());
        assertInstanceOf(UdpException.Disconnected.class, assertThrows(ExecutionException.class,
                () -> udp.write(PEER, 53, ByteBuffer.allocate(1)).get()).getCause());
        input(reply("01"));
        assertTrue(received.isEmpty());
    }

    @Test
    void theProviderIsFoundByServiceLoaderAsDefault() {
        getClass().getModule().addUses(UdpProvider.class);
        UdpProvider p = ServiceLoader.load(UdpProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(x -> x.name().equals("default"))
                .findFirst()
                .orElseThrow();
        assertInstanceOf(DefaultUdp.class, p.create(ip, StackContext.seeded(loop, 1, "t")));
        assertNotEquals("", p.description());
    }
}
