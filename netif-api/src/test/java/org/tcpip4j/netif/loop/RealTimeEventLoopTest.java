package org.tcpip4j.netif.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The real-time loop's clock: on the loop, one reading per event (the time the task or
 * timer began, or the last {@code newEvent}), however long the event runs; off the loop,
 * the clock itself; timers measured from the event that armed them.
 */
class RealTimeEventLoopTest {

    private static void spin(long nanos) {
        long until = System.nanoTime() + nanos;
        while (System.nanoTime() < until) {
            Thread.onSpinWait();
        }
    }

    @Test
    void onTheLoopTheTimeIsTheEventsStartUntilANewEventBegins() throws Exception {
        try (RealTimeEventLoop loop = new RealTimeEventLoop("clock-test")) {
            CompletableFuture<long[]> readings = new CompletableFuture<>();
            loop.execute(() -> {
                long first = loop.nanoTime();
                spin(TimeUnit.MILLISECONDS.toNanos(5));
                long second = loop.nanoTime();
                loop.newEvent();
                long third = loop.nanoTime();
                readings.complete(new long[] {first, second, third});
            });
            long[] r = readings.get(5, TimeUnit.SECONDS);
            assertEquals(r[0], r[1], "within one event the clock is read once");
            assertTrue(r[2] - r[1] >= TimeUnit.MILLISECONDS.toNanos(5), "a new event reads it again: " + (r[2] - r[1]));
            CompletableFuture<Long> next = new CompletableFuture<>();
            loop.execute(() -> next.complete(loop.nanoTime()));
            assertTrue(next.get(5, TimeUnit.SECONDS) > r[2], "each task is an event");
        }
    }

    @Test
    void offTheLoopTheClockIsReadAtEachCall() {
        try (RealTimeEventLoop loop = new RealTimeEventLoop("clock-test")) {
            long a = loop.nanoTime();
            spin(TimeUnit.MILLISECONDS.toNanos(2));
            long b = loop.nanoTime();
            assertTrue(b - a >= TimeUnit.MILLISECONDS.toNanos(2), "off the loop: " + (b - a));
        }
    }

    @Test
    void aTimerFiresItsDelayAfterTheEventThatArmedItAndSeesItsOwnTime() throws Exception {
        try (RealTimeEventLoop loop = new RealTimeEventLoop("clock-test")) {
            CompletableFuture<long[]> fired = new CompletableFuture<>();
            long delay = TimeUnit.MILLISECONDS.toNanos(20);
            long before = System.nanoTime(); // before the arming event began
            loop.execute(() -> {
                long armedAt = loop.nanoTime();
                loop.schedule(delay, () -> fired.complete(new long[] {armedAt, loop.nanoTime(),
                    System.nanoTime() - before}));
            });
            long[] f = fired.get(5, TimeUnit.SECONDS);
            assertTrue(f[1] - f[0] >= delay, "the timer's event time is its own: " + (f[1] - f[0]));
            assertTrue(f[2] >= delay, "fired after its delay: " + f[2]);
        }
    }
}
