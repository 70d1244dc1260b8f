package org.tcpip4j.netif.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class VirtualTimeEventLoopTest {

    @Test
    void timersFireInDeadlineOrderAtTheirVirtualTimes() {
        VirtualTimeEventLoop loop = new VirtualTimeEventLoop();
        List<String> fired = new ArrayList<>();
        loop.schedule(3_000, () -> fired.add("c@" + loop.nanoTime()));
        loop.schedule(1_000, () -> fired.add("a@" + loop.nanoTime()));
        loop.schedule(2_000, () -> fired.add("b@" + loop.nanoTime()));
        loop.schedule(2_000, () -> fired.add("b2@" + loop.nanoTime()));
        loop.runUntilIdle();
        assertEquals(List.of("a@1000", "b@2000", "b2@2000", "c@3000"), fired);
    }

    @Test
    void cancelledAndRearmedTimersFireOnlyAtTheirLastDeadline() {
        VirtualTimeEventLoop loop = new VirtualTimeEventLoop();
        List<Long> fired = new ArrayList<>();
        Timer t = loop.newTimer(() -> fired.add(loop.nanoTime()));
        t.schedule(100);
        t.schedule(500);
        Timer u = loop.newTimer(() -> fired.add(-1L));
        u.schedule(200);
        u.cancel();
        assertFalse(u.isScheduled());
        loop.runUntilIdle();
        assertEquals(List.of(500L), fired);
        assertEquals(0, loop.pendingTimers());
    }

    @Test
    void manyRandomTimersFireSorted() {
        VirtualTimeEventLoop loop = new VirtualTimeEventLoop();
        SplittableRandom r = new SplittableRandom(3);
        List<Long> fired = new ArrayList<>();
        List<Timer> timers = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            Timer t = loop.newTimer(() -> fired.add(loop.nanoTime()));
            t.schedule(r.nextLong(1, 1_000_000));
            timers.add(t);
        }
        int cancelled = 0;
        for (int i = 0; i < 5000; i += 3) {
            timers.get(i).cancel();
            cancelled++;
        }
        loop.runUntilIdle();
        assertEquals(5000 - cancelled, fired.size());
        for (int i = 1; i < fired.size(); i++) {
            assertTrue(fired.get(i - 1) <= fired.get(i));
        }
    }

    @Test
    void timersRearmedEarlierAndLaterWhileArmedFireAtTheirLastDeadlinesInOrder() {
        VirtualTimeEventLoop loop = new VirtualTimeEventLoop();
        SplittableRandom r = new SplittableRandom(5);
        List<long[]> fired = new ArrayList<>();
        List<Timer> timers = new ArrayList<>();
        long[] expected = new long[3000];
        for (int i = 0; i < expected.length; i++) {
            int id = i;
            Timer t = loop.newTimer(() -> fired.add(new long[] {id, loop.nanoTime()}));
            t.schedule(r.nextLong(1, 1_000_000));
            timers.add(t);
        }
        for (int round = 0; round < 5; round++) {
            for (int i = 0; i < expected.length; i++) {
                long delay = r.nextLong(1, 1_000_000); // earlier or later than before, while armed
                timers.get(i).schedule(delay);
                expected[i] = delay;
            }
        }
        loop.runUntilIdle();
        assertEquals(expected.length, fired.size(), "each fires once");
        for (int i = 0; i < fired.size(); i++) {
            long[] f = fired.get(i);
            assertEquals(expected[(int) f[0]], f[1], "at its last deadline");
            if (i > 0) {
                assertTrue(fired.get(i - 1)[1] <= f[1], "in deadline order");
            }
        }
    }

    @Test
    void runForStopsAtTheGivenTime() {
        VirtualTimeEventLoop loop = new VirtualTimeEventLoop();
        List<Long> fired = new ArrayList<>();
        Runnable[] tick = new Runnable[1];
        Timer periodic = loop.newTimer(() -> tick[0].run());
        tick[0] = () -> {
            fired.add(loop.nanoTime());
            periodic.schedule(1_000_000);
        };
        periodic.schedule(1_000_000);
        loop.runFor(TimeUnit.MILLISECONDS.toNanos(5) + 1);
        assertEquals(5, fired.size());
        assertEquals(5_000_001, loop.nanoTime());
    }

    @Test
    void awaitRunsUntilTheFutureCompletes() throws Exception {
        VirtualTimeEventLoop loop = new VirtualTimeEventLoop();
        CompletableFuture<String> f = new CompletableFuture<>();
        loop.schedule(TimeUnit.SECONDS.toNanos(10), () -> f.complete("done"));
        assertEquals("done", loop.await(f, TimeUnit.SECONDS.toNanos(11)));
        assertEquals(TimeUnit.SECONDS.toNanos(10), loop.nanoTime());
    }

    @Test
    void realTimeLoopRunsTasksAndTimersOnItsThread() throws Exception {
        try (RealTimeEventLoop loop = new RealTimeEventLoop("test-loop")) {
            CompletableFuture<Boolean> onLoop = new CompletableFuture<>();
            loop.execute(() -> onLoop.complete(loop.inEventLoop()));
            assertTrue(onLoop.get(5, TimeUnit.SECONDS));
            CompletableFuture<Long> fired = new CompletableFuture<>();
            long start = System.nanoTime();
            loop.execute(() -> loop.schedule(TimeUnit.MILLISECONDS.toNanos(20), () -> fired.complete(System.nanoTime())));
            assertTrue(fired.get(5, TimeUnit.SECONDS) - start >= TimeUnit.MILLISECONDS.toNanos(20));
            assertFalse(loop.inEventLoop());
        }
    }
}
