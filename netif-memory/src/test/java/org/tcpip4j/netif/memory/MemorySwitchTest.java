package org.tcpip4j.netif.memory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tcpip4j.netif.MacAddress;
import org.tcpip4j.netif.NetifError;
import org.tcpip4j.netif.NetifStats;
import org.tcpip4j.netif.Result;
import org.tcpip4j.netif.loop.VirtualTimeEventLoop;

class MemorySwitchTest {

    private static final MacAddress A = MacAddress.parse("02:00:00:00:00:0a");
    private static final MacAddress B = MacAddress.parse("02:00:00:00:00:0b");
    private static final MacAddress C = MacAddress.parse("02:00:00:00:00:0c");
    private static final MacAddress UNKNOWN = MacAddress.parse("02:00:00:00:00:99");
    private static final MacAddress MULTICAST = MacAddress.parse("01:00:5e:00:00:01");

    private VirtualTimeEventLoop loop;
    private MemorySwitch sw;
    private MemoryNetif a;
    private MemoryNetif b;
    private MemoryNetif c;
    private List<String> received;

    @BeforeEach
    void setUp() {
        loop = new VirtualTimeEventLoop();
        sw = new MemorySwitch(loop);
        a = sw.port(A);
        b = sw.port(B);
        c = sw.port(C);
        received = new ArrayList<>();
        for (MemoryNetif port : List.of(a, b, c)) {
            port.listen(frame -> received.add(name(port) + "<-" + payloadOf(frame)));
        }
    }

    private String name(MemoryNetif port) {
        return port == a ? "a" : port == b ? "b" : "c";
    }

    /** Writes an Ethernet frame whose payload is the text {@code payload}. */
    static Result<NetifError> send(MemoryNetif from, MacAddress to, String payload) {
        byte[] text = payload.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        int size = 14 + text.length;
        return from.write(size, (buf, off, max) -> {
            to.write(buf, off);
            from.mac().write(buf, off + 6);
            buf.putShort(off + 12, (short) 0x88b5); // IEEE local experimental ethertype
            buf.put(off + 14, text);
            return size;
        });
    }

    static String payloadOf(ByteBuffer frame) {
        byte[] text = new byte[frame.remaining() - 14];
        frame.get(frame.position() + 14, text);
        return new String(text, java.nio.charset.StandardCharsets.US_ASCII);
    }

    @Test
    void frameToAnUnknownAddressIsFloodedToEveryOtherPort() {
        assertTrue(send(a, UNKNOWN, "x").isOk());
        loop.runUntilIdle();
        assertEquals(Set.of("b<-x", "c<-x"), Set.copyOf(received));
        assertEquals(2, received.size());
    }

    @Test
    void broadcastAndMulticastReachEveryPortButTheSender() {
        send(b, MacAddress.BROADCAST, "bc");
        send(b, MULTICAST, "mc");
        loop.runUntilIdle();
        assertEquals(List.of("a<-bc", "c<-bc", "a<-mc", "c<-mc"), received);
    }

    @Test
    void aLearnedDestinationReceivesAloneAndOnlyAfterLearning() {
        send(a, B, "before");
        loop.runUntilIdle();
        assertEquals(Set.of("b<-before", "c<-before"), Set.copyOf(received), "B not yet learned: flooded");

        received.clear();
        send(b, A, "reply"); // the switch learned A from the first frame
        loop.runUntilIdle();
        assertEquals(List.of("a<-reply"), received);

        received.clear();
        send(a, B, "after"); // and B from the reply
        loop.runUntilIdle();
        assertEquals(List.of("b<-after"), received);
        assertEquals(2, sw.learnedAddresses());
    }

    @Test
    void aFrameForTheSendersOwnSegmentIsFiltered() {
        send(a, B, "learn A");
        loop.runUntilIdle();
        received.clear();
        send(b, A, "learn B");
        send(c, C, "to myself");
        send(a, A, "to myself too");
        loop.runUntilIdle();
        // The source is learned before the destination is looked up, so both are filtered.
        assertEquals(List.of("a<-learn B"), received);
    }

    @Test
    void deliveryHappensOnTheLoopNeverInsideWrite() {
        send(a, MacAddress.BROADCAST, "later");
        assertEquals(List.of(), received);
        assertEquals(1, sw.queuedFrames());
        loop.runUntilIdle();
        assertEquals(2, received.size());
        assertEquals(0, sw.queuedFrames());
    }

    @Test
    void framesAreDeliveredInTheOrderTheyWereWrittenAcrossPorts() {
        List<String> atC = new ArrayList<>();
        c.listen(frame -> atC.add(payloadOf(frame)));
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            MemoryNetif from = i % 2 == 0 ? a : b;
            send(from, MacAddress.BROADCAST, "f" + i);
            expected.add("f" + i);
        }
        loop.runUntilIdle();
        assertEquals(expected, atC);
    }

    @Test
    void framesWrittenByAHandlerComeAfterTheFramesAlreadyQueued() {
        List<String> atC = new ArrayList<>();
        c.listen(frame -> atC.add(payloadOf(frame)));
        b.listen(frame -> {
            if (payloadOf(frame).equals("1")) {
                send(b, MacAddress.BROADCAST, "answer to 1");
            }
        });
        send(a, MacAddress.BROADCAST, "1");
        send(a, MacAddress.BROADCAST, "2");
        send(a, MacAddress.BROADCAST, "3");
        loop.runUntilIdle();
        assertEquals(List.of("1", "2", "3", "answer to 1"), atC);
    }

    @Test
    void eachReceiverOfAFloodedFrameSeesTheWholeFrame() {
        b.listen(frame -> {
            received.add("b<-" + payloadOf(frame));
            frame.position(frame.position() + 14).limit(frame.position() + 1); // a layer passing a view up
        });
        send(a, MacAddress.BROADCAST, "whole");
        loop.runUntilIdle();
        assertEquals(List.of("b<-whole", "c<-whole"), received);
    }

    @Test
    void writeLargerThanTheMtuPlusHeaderIsRefused() {
        MemoryNetif small = sw.port(MacAddress.parse("02:00:00:00:00:01"), 576);
        assertEquals(576, small.mtu());
        Result<NetifError> r = small.write(576 + 15, (buf, off, max) -> max);
        NetifError.ExceedsMtu e = assertInstanceOf(NetifError.ExceedsMtu.class, r.errorOrNull());
        assertEquals(591, e.size());
        assertEquals(590, e.maxFrameSize());
        assertTrue(small.write(590, (buf, off, max) -> max).isOk(), "exactly mtu + 14 is accepted");
        assertEquals(1, small.stats().txDrops());
    }

    @Test
    void aPortDropsAndCountsFramesLargerThanItsOwnMtu() {
        MemoryNetif jumbo = sw.port(MacAddress.parse("02:00:00:00:00:01"), 9000);
        String big = "y".repeat(2000);
        send(jumbo, MacAddress.BROADCAST, big);
        loop.runUntilIdle();
        assertEquals(List.of(), received);
        assertEquals(1, a.stats().rxDrops());
        assertEquals(1, b.stats().rxDrops());
    }

    @Test
    void aRuntFrameIsADeviceError() {
        Result<NetifError> r = a.write(64, (buf, off, max) -> 13);
        assertInstanceOf(NetifError.DeviceError.class, r.errorOrNull());
        loop.runUntilIdle();
        assertEquals(List.of(), received);
    }

    @Test
    void aWriterReportingAnImpossibleLengthIsAProgrammingError() {
        assertThrows(IllegalStateException.class, () -> a.write(20, (buf, off, max) -> 21));
        assertThrows(IllegalArgumentException.class, () -> a.write(-1, (buf, off, max) -> 0));
    }

    @Test
    void afterDisconnectWritesFailAndNothingIsReceived() throws Exception {
        CompletableFuture<Void> listening = b.listen(frame -> received.add("b"));
        send(a, B, "learn A");
        send(b, A, "learn B");
        send(a, B, "queued for B");
        assertFalse(listening.isDone());
        CompletableFuture<Void> done = b.disconnect();
        assertTrue(done.isDone(), "on the loop, disconnect completes at once");
        assertTrue(listening.isDone(), "listen's future completes on disconnect");
        assertTrue(b.disconnect().isDone(), "idempotent");

        Result<NetifError> r = send(b, A, "too late");
        assertInstanceOf(NetifError.Disconnected.class, r.errorOrNull());
        loop.runUntilIdle();
        assertFalse(received.contains("b"), "a disconnected port receives nothing");
        assertTrue(received.contains("a<-learn B"), "frames written before disconnect still travel");
        assertEquals(2, sw.portCount());
        assertEquals(1, sw.learnedAddresses(), "B's address is forgotten");
    }

    @Test
    void disconnectFromAnotherThreadIsHandedToTheLoop() throws Exception {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread t = Thread.ofPlatform().start(() -> b.disconnect().thenRun(() -> done.complete(null)));
        t.join();
        assertFalse(done.isDone(), "nothing runs until the loop does");
        loop.runUntilIdle();
        assertTrue(done.isDone());
        assertEquals(2, sw.portCount());
    }

    @Test
    void countersCountBytesPacketsAndDrops() {
        MemoryNetif deaf = sw.port(MacAddress.parse("02:00:00:00:00:0d")); // never listens
        send(a, MacAddress.BROADCAST, "12345"); // 19 bytes
        send(a, MacAddress.BROADCAST, "1"); // 15 bytes
        loop.runUntilIdle();
        assertEquals(new NetifStats(0, 0, 0, 34, 2, 0), a.stats());
        assertEquals(new NetifStats(34, 2, 0, 0, 0, 0), b.stats());
        assertEquals(new NetifStats(0, 0, 2, 0, 0, 0), deaf.stats());
        a.resetStats();
        assertEquals(new NetifStats(0, 0, 0, 0, 0, 0), a.stats());
    }

    @Test
    void anAgedOutAddressIsFloodedAgain() {
        sw = new MemorySwitch(loop, Duration.ofSeconds(1), 16);
        a = sw.port(A);
        b = sw.port(B);
        c = sw.port(C);
        List<String> atC = new ArrayList<>();
        c.listen(frame -> atC.add(payloadOf(frame)));
        send(b, A, "B is here");
        loop.runUntilIdle();
        send(a, B, "known");
        loop.runUntilIdle();
        loop.runFor(Duration.ofSeconds(2));
        send(a, B, "aged");
        loop.runUntilIdle();
        assertEquals(List.of("B is here", "aged"), atC);
    }

    @Test
    void aFullTableFloodsInsteadOfLearning() {
        sw = new MemorySwitch(loop, Duration.ofSeconds(300), 2);
        a = sw.port(A);
        b = sw.port(B);
        c = sw.port(C);
        List<String> atA = new ArrayList<>();
        a.listen(frame -> atA.add(payloadOf(frame)));
        send(b, MacAddress.BROADCAST, "B");
        send(c, MacAddress.BROADCAST, "C");
        send(a, MacAddress.BROADCAST, "A"); // no room left for A
        loop.runUntilIdle();
        assertEquals(2, sw.learnedAddresses());
        List<String> atB = new ArrayList<>();
        b.listen(frame -> atB.add(payloadOf(frame)));
        c.listen(frame -> atB.add("c saw " + payloadOf(frame)));
        send(b, A, "to A");
        loop.runUntilIdle();
        assertEquals(List.of("c saw to A"), atB, "A unknown: flooded to C too");
        assertEquals(List.of("B", "C", "to A"), atA);
    }

    @Test
    void buffersAreReusedFrameAfterFrame() {
        Set<ByteBuffer> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        b.listen(seen::add);
        for (int i = 0; i < 1000; i++) {
            send(a, B, "ping " + i);
            loop.runUntilIdle();
        }
        assertEquals(1, seen.size(), "one buffer, written, delivered and reused 1000 times");
    }

    @Test
    void aHandlerThatThrowsDoesNotStrandTheFramesBehindIt() {
        List<String> atC = new ArrayList<>();
        c.listen(frame -> {
            String p = payloadOf(frame);
            atC.add(p);
            if (p.equals("boom")) {
                throw new IllegalStateException("handler bug");
            }
        });
        send(a, MacAddress.BROADCAST, "boom");
        send(a, MacAddress.BROADCAST, "after");
        assertThrows(IllegalStateException.class, loop::runUntilIdle);
        loop.runUntilIdle();
        assertEquals(List.of("boom", "after"), atC);
    }

    @Test
    void theFrameBytesArriveIntact() {
        byte[] sent = new byte[1514];
        new java.util.SplittableRandom(7).nextBytes(sent);
        B.write(ByteBuffer.wrap(sent), 0);
        A.write(ByteBuffer.wrap(sent), 6);
        List<byte[]> got = new ArrayList<>();
        b.listen(frame -> {
            byte[] copy = new byte[frame.remaining()];
            frame.get(frame.position(), copy);
            got.add(copy);
        });
        a.write(1514, (buf, off, max) -> {
            buf.put(off, sent);
            return sent.length;
        });
        loop.runUntilIdle();
        assertEquals(1, got.size());
        assertArrayEquals(sent, got.get(0));
    }
}
