package org.tcpip4j.netif.tap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.tcpip4j.netif.MacAddress;
import org.tcpip4j.netif.loop.RealTimeEventLoop;
import org.tcpip4j.netif.tap.internal.Libc;
import org.tcpip4j.netif.tap.internal.SocketPair;

/**
 * A loop with a {@link TapPoller}: the device is read on the loop's own thread and no
 * reader thread exists; the poller watches the device until it is disconnected; tasks from
 * other threads and timers still run while the loop waits in {@code poll}. Over a socket
 * pair standing in for the device (no root).
 */
class TapPollerTest {

    private static TapConfig config(String name) {
        return TapConfig.builder().interfaceName(name).mac(MacAddress.parse("02:00:00:00:00:07")).mtu(1500)
            .offloads(false).build();
    }

    private static <T> T onLoop(RealTimeEventLoop loop, java.util.function.Supplier<T> task) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        loop.execute(() -> result.complete(task.get()));
        return result.get(5, TimeUnit.SECONDS);
    }

    @Test
    void framesAreReadAndDeliveredOnTheLoopsThreadWithNoReaderThread() throws Exception {
        TapPoller poller = new TapPoller();
        try (RealTimeEventLoop loop = new RealTimeEventLoop("polling-loop", poller); SocketPair pair = new SocketPair()) {
            TapNetif netif = TapNetif.overDescriptor(pair.device, config("pollpair0"), loop);
            List<String> threads = new CopyOnWriteArrayList<>();
            netif.listen(frame -> threads.add(Thread.currentThread().getName()));
            for (int i = 0; i < 200; i++) {
                pair.send(TapNetifOverSocketTest.frame(i, 100));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (threads.size() < 200 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertEquals(200, threads.size());
            assertTrue(threads.stream().allMatch("polling-loop"::equals), "delivered on: " + threads.getFirst());
            assertFalse(Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().startsWith("tap-reader-pollpair0")), "no reader thread");
            assertEquals(1, (int) onLoop(loop, poller::sources));
            netif.disconnect().get(5, TimeUnit.SECONDS);
            assertEquals(0, (int) onLoop(loop, poller::sources), "no longer watched");
            assertFalse(netif.isOpen());
        }
    }

    /** Reads from the other end until end of file (an empty read); false when it does not come in time. */
    private static boolean endOfFile(SocketPair pair) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            byte[] got = pair.receive(100);
            if (got != null && got.length == 0) {
                return true;
            }
        }
        return false;
    }

    @Test
    void aDeviceDisconnectedAsItsLoopEndsIsStillReleased() throws Exception {
        for (int i = 0; i < 20; i++) {
            try (SocketPair pair = new SocketPair()) {
                RealTimeEventLoop loop = new RealTimeEventLoop("polling-loop", new TapPoller());
                TapNetif netif = TapNetif.overDescriptor(pair.device, config("pollpair1"), loop);
                CompletableFuture<Void> disconnected = netif.disconnect();
                loop.close(); // drops the task that would have released the device on the loop
                disconnected.get(5, TimeUnit.SECONDS);
                assertTrue(endOfFile(pair), "the device's descriptor is closed");
            }
        }
    }

    @Test
    void aDeviceOpenedOnALoopThatHasEndedIsClosedAgain() throws Exception {
        RealTimeEventLoop loop = new RealTimeEventLoop("polling-loop", new TapPoller());
        loop.close();
        try (SocketPair pair = new SocketPair()) {
            TapNetif netif = TapNetif.overDescriptor(pair.device, config("pollpair2"), loop);
            assertFalse(netif.isOpen());
            netif.disconnect().get(5, TimeUnit.SECONDS);
            assertTrue(endOfFile(pair), "the device's descriptor is closed");
        }
    }

    @Test
    void aWaitEndsAtItsTimeoutToWellUnderAMillisecond() {
        TapPoller poller = new TapPoller();
        try {
            long[] waits = new long[21];
            for (int i = 0; i < waits.length; i++) {
                long start = System.nanoTime();
                poller.poll(TimeUnit.MICROSECONDS.toNanos(200));
                waits[i] = System.nanoTime() - start;
            }
            java.util.Arrays.sort(waits);
            long median = waits[waits.length / 2];
            assertTrue(waits[0] >= TimeUnit.MICROSECONDS.toNanos(200), "a wait ended early: " + waits[0]);
            // A wait rounded to whole milliseconds would take 1 ms at least: a timer due in
            // microseconds (RACK on a fast link) would fire that late.
            assertTrue(median < TimeUnit.MICROSECONDS.toNanos(800), "median wait " + median / 1_000 + " us");
        } finally {
            poller.close();
        }
    }

    @Test
    void tasksFromOtherThreadsWakeTheLoopOutOfItsWaitAndTimersFireInIt() throws Exception {
        try (RealTimeEventLoop loop = new RealTimeEventLoop("polling-loop", new TapPoller())) {
            long start = System.nanoTime();
            for (int i = 0; i < 2000; i++) {
                // Each task finds the loop idle in poll(2) with no timer: only a wake-up runs it.
                CompletableFuture<Void> ran = new CompletableFuture<>();
                loop.execute(() -> ran.complete(null));
                ran.get(5, TimeUnit.SECONDS);
            }
            long took = System.nanoTime() - start;
            assertTrue(took < TimeUnit.SECONDS.toNanos(5), "2000 wake-ups took " + took / 1_000_000 + " ms");
            CompletableFuture<Long> fired = new CompletableFuture<>();
            long armed = System.nanoTime();
            loop.execute(() -> loop.schedule(TimeUnit.MILLISECONDS.toNanos(30),
                () -> fired.complete(System.nanoTime() - armed)));
            long after = fired.get(5, TimeUnit.SECONDS);
            assertTrue(after >= TimeUnit.MILLISECONDS.toNanos(30) && after < TimeUnit.SECONDS.toNanos(2),
                "the timer fired after " + after / 1_000 + " us");
        }
    }
    @Test
    void aPollerServesOneLoopAndASecondLoopOnItIsRefused() throws Exception {
        TapPoller poller = new TapPoller();
        try (RealTimeEventLoop loop = new RealTimeEventLoop("polling-loop", poller)) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new RealTimeEventLoop("second-loop", poller));
            assertTrue(e.getMessage().contains("each loop needs its own"), e.getMessage());
            assertFalse(Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals("second-loop")),
                "the refused loop started no thread");
            assertEquals("polling-loop", onLoop(loop, () -> Thread.currentThread().getName()), "the first loop runs on");
        }
    }

    @Test
    void aPollThatKeepsFailingLeavesTheLoopRunningWithoutSpinning() throws Exception {
        // A real failure: ppoll(2) with a timeout of 2,000,000,000 ns in tv_nsec is EINVAL.
        MemorySegment invalid = Arena.ofAuto().allocate(16, 8);
        invalid.set(ValueLayout.JAVA_LONG, 0, 0L);
        invalid.set(ValueLayout.JAVA_LONG, 8, 2_000_000_000L);
        AtomicLong calls = new AtomicLong();
        TapPoller poller = new TapPoller((errno, fds, count, timespec) -> {
            calls.incrementAndGet();
            return Libc.ppoll(errno, fds, count, invalid);
        });
        try (RealTimeEventLoop loop = new RealTimeEventLoop("failing-poll-loop", poller)) {
            assertEquals(1, (int) onLoop(loop, () -> 1), "a task from another thread runs");
            CompletableFuture<Long> fired = new CompletableFuture<>();
            long armed = System.nanoTime();
            loop.execute(() -> loop.schedule(TimeUnit.MILLISECONDS.toNanos(20),
                () -> fired.complete(System.nanoTime() - armed)));
            long after = fired.get(5, TimeUnit.SECONDS);
            assertTrue(after >= TimeUnit.MILLISECONDS.toNanos(20), "the timer fired early: " + after / 1_000 + " us");
            long before = calls.get();
            Thread.sleep(300);
            long during = calls.get() - before;
            // Idle, the loop tries again within a millisecond, not at once: a few hundred
            // calls in 300 ms, where trying at once makes hundreds of thousands.
            assertTrue(during > 0 && during < 1_000, during + " polls in 300 ms");
        }
    }
}
