package org.tcpip4j.netif.impair;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tcpip4j.netif.impair.TestFrames.bytesOf;
import static org.tcpip4j.netif.impair.TestFrames.numbered;
import static org.tcpip4j.netif.impair.TestFrames.seqOf;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tcpip4j.netif.NetifError;
import org.tcpip4j.netif.NetifStats;
import org.tcpip4j.netif.Result;
import org.tcpip4j.netif.loop.VirtualTimeEventLoop;

/** The deterministic impairments, exactly, and the netif contract of the decorator. */
class ImpairedNetifTest {

    private record Arrival(long nanos, byte[] bytes) {
        int seq() {
            return seqOf(bytes);
        }
    }

    private VirtualTimeEventLoop loop;
    private ScriptedNetif device;
    private List<Arrival> arrivals;

    @BeforeEach
    void setUp() {
        loop = new VirtualTimeEventLoop();
        device = new ScriptedNetif(loop);
        arrivals = new ArrayList<>();
    }

    private ImpairedNetif receiving(Impairment impairment) {
        ImpairedNetif netif = ImpairedNetif.onReceive(device, impairment, new SplittableRandom(11));
        netif.listen(frame -> arrivals.add(new Arrival(loop.nanoTime(), bytesOf(frame))));
        return netif;
    }

    private static Result<NetifError> write(ImpairedNetif netif, byte[] frame) {
        return netif.write(frame.length, (buf, off, max) -> {
            buf.put(off, frame);
            return frame.length;
        });
    }

    @Test
    void bandwidthLimitSerialisesFramesAtTheConfiguredRate() {
        // 10 Mbit/s: a 1250-byte frame (10,000 bits) takes exactly 1 ms on the wire.
        ImpairedNetif netif = receiving(Impairment.builder().bandwidth(10_000_000, 10_000).build());
        for (int i = 0; i < 2000; i++) { // offered at twice the rate for one second
            device.inject(numbered(i, 1250));
            loop.runFor(500_000);
        }
        long arrivedInFirstSecond = arrivals.stream().filter(a -> a.nanos <= 1_000_000_000L).count();
        assertEquals(1000, arrivedInFirstSecond, "10 Mbit/s = 1000 such frames a second");
        loop.runUntilIdle();
        assertEquals(2000, arrivals.size(), "a large queue loses nothing");
        for (int i = 0; i < arrivals.size(); i++) {
            assertEquals(i, arrivals.get(i).seq());
            assertEquals((i + 1) * 1_000_000L, arrivals.get(i).nanos, "back to back, one every millisecond");
        }
        assertEquals(0, netif.receiveStats().droppedByQueue());
    }

    @Test
    void bandwidthLimitCarriesFractionsOfANanosecondWithoutDrift() {
        // 1000-byte frames at 3 Mbit/s take 8/3 ms each: no whole number of nanoseconds.
        receiving(Impairment.builder().bandwidth(3_000_000, 1000).build());
        for (int i = 0; i < 999; i++) {
            device.inject(numbered(i, 1000));
        }
        loop.runUntilIdle();
        for (int i = 0; i < 999; i++) {
            long bits = (i + 1) * 8000L;
            assertEquals(bits * 1_000_000_000L / 3_000_000, arrivals.get(i).nanos, "frame " + i);
        }
        assertEquals(2_664_000_000L, arrivals.get(998).nanos, "999 frames of 8/3 ms");
    }

    @Test
    void aFullBandwidthQueueDropsTheTail() {
        ImpairedNetif netif = receiving(Impairment.builder().bandwidth(10_000_000, 5).build());
        for (int i = 0; i < 8; i++) {
            device.inject(numbered(i, 1250));
        }
        loop.runFor(Duration.ofMillis(2));
        device.inject(numbered(8, 1250)); // two have left: room again
        loop.runUntilIdle();
        assertEquals(List.of(0, 1, 2, 3, 4, 8), arrivals.stream().map(Arrival::seq).toList());
        assertEquals(3, netif.receiveStats().droppedByQueue());
        assertEquals(3, netif.stats().rxDrops());
    }

    @Test
    void blackoutDropsExactlyTheFramesInsideTheWindow() {
        ImpairedNetif netif = receiving(Impairment.builder()
                .blackout(Duration.ofMillis(200), Duration.ofMillis(300))
                .blackout(Duration.ofMillis(700), Duration.ofMillis(701))
                .build());
        for (int i = 0; i < 1000; i++) { // frame i arrives at i ms
            device.inject(numbered(i, 64));
            loop.runFor(Duration.ofMillis(1));
        }
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            if (!(i >= 200 && i < 300) && i != 700) {
                expected.add(i);
            }
        }
        assertEquals(expected, arrivals.stream().map(Arrival::seq).toList());
        assertEquals(101, netif.receiveStats().droppedByBlackout());
    }

    @Test
    void mtuEnforcementDropsExactlyTheOversizedFrames() {
        ImpairedNetif netif = receiving(Impairment.builder().maxFrameSize(1000).build());
        SplittableRandom sizes = new SplittableRandom(5);
        List<Integer> expected = new ArrayList<>();
        int oversized = 0;
        for (int i = 0; i < 5000; i++) {
            int length = sizes.nextInt(60, 1515);
            device.inject(numbered(i, length));
            if (length <= 1000) {
                expected.add(i);
            } else {
                oversized++;
            }
        }
        loop.runUntilIdle();
        assertEquals(expected, arrivals.stream().map(Arrival::seq).toList());
        assertEquals(oversized, netif.receiveStats().droppedByMtu());
    }

    @Test
    void trailerAppendsTheConfiguredBytes() {
        ImpairedNetif netif = receiving(Impairment.builder().trailer(1, 6).build());
        device.inject(numbered(1, 60));
        device.inject(numbered(2, 1514));
        loop.runUntilIdle();
        assertEquals(66, arrivals.get(0).bytes.length);
        assertArrayEquals(numbered(1, 60), Arrays.copyOf(arrivals.get(0).bytes, 60));
        assertEquals(1520, arrivals.get(1).bytes.length, "a received frame may grow past the MTU");
        assertEquals(2, netif.receiveStats().trailed());
    }

    @Test
    void aTrailerOnSendIsCutToWhatTheDeviceAccepts() {
        ImpairedNetif netif = ImpairedNetif.onSend(device, Impairment.builder().trailer(1, 6).build(),
                new SplittableRandom(1));
        assertTrue(write(netif, numbered(1, 100)).isOk());
        assertTrue(write(netif, numbered(2, 1512)).isOk());
        assertEquals(106, device.written().get(0).bytes().length);
        assertEquals(1514, device.written().get(1).bytes().length);
    }

    @Test
    void aHeldFrameIsReleasedAfterItsMaximumHold() {
        ImpairedNetif netif = receiving(Impairment.builder().reorder(1, 5, Duration.ofMillis(4)).build());
        device.inject(numbered(0, 64)); // held: the reorder probability is 1
        loop.runFor(Duration.ofMillis(1));
        device.inject(numbered(1, 64)); // overtakes it
        loop.runUntilIdle();
        assertEquals(List.of(1, 0), arrivals.stream().map(Arrival::seq).toList());
        assertEquals(1_000_000L, arrivals.get(0).nanos);
        assertEquals(4_000_000L, arrivals.get(1).nanos, "released by the timer, 4 ms after it was held");
        assertEquals(1, netif.receiveStats().reordered());

        arrivals.clear();
        device.inject(numbered(2, 64)); // held, and nothing overtakes it
        loop.runUntilIdle();
        assertEquals(List.of(2), arrivals.stream().map(Arrival::seq).toList());
        assertEquals(1, netif.receiveStats().reordered(), "a frame nothing overtook was not reordered");
    }

    @Test
    void framesKeptPastTheCallbackAreCopiesOfTheDevicesBuffer() {
        // The device scribbles over its buffer after each callback: a kept frame must be a copy.
        receiving(Impairment.builder().delay(Duration.ofMillis(1)).duplicate(1).build());
        for (int i = 0; i < 10; i++) {
            device.inject(numbered(i, 300));
        }
        loop.runUntilIdle();
        assertEquals(20, arrivals.size());
        for (int i = 0; i < 20; i++) {
            assertArrayEquals(numbered(i / 2, 300), arrivals.get(i).bytes);
        }
    }

    @Test
    void withoutReceiveImpairmentsTheDevicesOwnBufferIsPassedOn() {
        List<ByteBuffer> seen = new ArrayList<>();
        ImpairedNetif netif = ImpairedNetif.onSend(device, Impairment.builder().loss(1).build(), new SplittableRandom(1));
        netif.listen(seen::add);
        device.inject(numbered(1, 64));
        device.inject(numbered(2, 64));
        assertEquals(2, seen.size());
        assertSame(seen.get(0), seen.get(1), "no copy: the device's buffer itself");
        assertEquals(65536, seen.get(0).capacity());
    }

    @Test
    void sendImpairmentsDelayWrittenFramesOnTheirWayToTheDevice() {
        ImpairedNetif netif = ImpairedNetif.onSend(device, Impairment.builder().delay(Duration.ofMillis(2)).build(),
                new SplittableRandom(1));
        for (int i = 0; i < 5; i++) {
            assertTrue(write(netif, numbered(i, 200)).isOk());
            loop.runFor(Duration.ofMillis(1));
        }
        assertEquals(4, device.written().size(), "the fifth is still in flight");
        loop.runUntilIdle();
        for (int i = 0; i < 5; i++) {
            assertArrayEquals(numbered(i, 200), device.written().get(i).bytes());
            assertEquals((i + 2) * 1_000_000L, device.written().get(i).nanos());
        }
        assertEquals(new NetifStats(0, 0, 0, 5 * 200, 5, 0), netif.stats());
    }

    @Test
    void aWriteDroppedByAnImpairmentStillSucceedsAndIsCounted() {
        ImpairedNetif netif = ImpairedNetif.onSend(device, Impairment.builder().loss(1).build(), new SplittableRandom(1));
        assertTrue(write(netif, numbered(1, 64)).isOk());
        assertEquals(List.of(), device.written());
        assertEquals(1, netif.stats().txDrops());
        assertEquals(1, netif.sendStats().droppedByLoss());
        assertEquals(0, netif.receiveStats().offered());
    }

    @Test
    void aWriteLargerThanTheDevicesMtuIsRefused() {
        ImpairedNetif netif = ImpairedNetif.onBoth(device, Impairment.builder().delay(Duration.ofMillis(1)).build(),
                new SplittableRandom(1));
        Result<NetifError> r = netif.write(1515, (buf, off, max) -> max);
        NetifError.ExceedsMtu e = assertInstanceOf(NetifError.ExceedsMtu.class, r.errorOrNull());
        assertEquals(1514, e.maxFrameSize());
    }

    @Test
    void disconnectDropsFramesInFlightAndDisconnectsTheDevice() throws Exception {
        ImpairedNetif netif = ImpairedNetif.onBoth(device, Impairment.builder().delay(Duration.ofMillis(5)).build(),
                new SplittableRandom(1));
        CompletableFuture<Void> listening = netif.listen(frame -> arrivals.add(new Arrival(0, bytesOf(frame))));
        device.inject(numbered(1, 64));
        write(netif, numbered(2, 64));
        CompletableFuture<Void> done = netif.disconnect();
        assertTrue(done.isDone());
        assertTrue(listening.isDone());
        assertTrue(device.isDisconnected());
        loop.runUntilIdle();
        assertEquals(List.of(), arrivals);
        assertEquals(List.of(), device.written());
        assertEquals(0, loop.pendingTimers(), "no timer left armed");
        assertInstanceOf(NetifError.Disconnected.class, write(netif, numbered(3, 64)).errorOrNull());
        assertTrue(netif.disconnect().isDone(), "idempotent");
    }

    @Test
    void resetStatsClearsBothDirectionsAndTheNetifCounters() {
        ImpairedNetif netif = receiving(Impairment.builder().loss(1).build());
        device.inject(numbered(1, 64));
        assertEquals(1, netif.receiveStats().droppedByLoss());
        netif.resetStats();
        assertEquals(new ImpairmentStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), netif.receiveStats());
        assertEquals(new NetifStats(0, 0, 0, 0, 0, 0), netif.stats());
    }

    @Test
    void theOrderOfImpairmentsIsTheDocumentedOne() {
        // A frame dropped by the MTU limit draws no random number for loss, so it cannot be
        // counted twice, and a blackout wins over everything.
        ImpairedNetif netif = receiving(Impairment.builder()
                .blackout(Duration.ZERO, Duration.ofMillis(1)).maxFrameSize(100).loss(1).build());
        device.inject(numbered(1, 200));
        loop.runFor(Duration.ofMillis(2));
        device.inject(numbered(2, 200));
        device.inject(numbered(3, 64));
        ImpairmentStats s = netif.receiveStats();
        assertEquals(1, s.droppedByBlackout());
        assertEquals(1, s.droppedByMtu());
        assertEquals(1, s.droppedByLoss());
        assertEquals(3, s.dropped());
        assertFalse(arrivals.size() > 0);
    }

    @Test
    void aHandlerThatThrowsDoesNotStrandTheDelayedFramesBehindIt() {
        ImpairedNetif netif = ImpairedNetif.onReceive(device, Impairment.builder().delay(Duration.ofMillis(1)).build(),
                new SplittableRandom(1));
        List<Integer> seen = new ArrayList<>();
        netif.listen(frame -> {
            int seq = seqOf(bytesOf(frame));
            seen.add(seq);
            if (seq == 0) {
                throw new IllegalStateException("handler bug");
            }
        });
        device.inject(numbered(0, 64));
        device.inject(numbered(1, 64));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, loop::runUntilIdle);
        loop.runUntilIdle();
        assertEquals(List.of(0, 1), seen);
    }
}
