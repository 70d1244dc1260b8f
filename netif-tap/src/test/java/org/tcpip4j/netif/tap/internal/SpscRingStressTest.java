package org.tcpip4j.netif.tap.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * One producer thread and one consumer thread hammer a small ring, so its indices wrap
 * around hundreds of thousands of times: every element arrives exactly once and in order.
 * {@code -Dtcpip4j.tap.stressItems=N} runs longer (default 10 million, about a second).
 */
class SpscRingStressTest {

    private static final long ITEMS = Long.getLong("tcpip4j.tap.stressItems", 10_000_000L);

    @Test
    void everyElementArrivesOnceInOrder() throws Exception {
        // Capacity 8 keeps the ring mostly full or mostly empty, where the races are.
        for (int capacity : new int[] {1, 8, 256}) {
            runOnce(new SpscRing<>(capacity), capacity == 8 ? ITEMS : ITEMS / 10);
        }
    }

    private static void runOnce(SpscRing<Long> ring, long items) throws Exception {
        // Boxed once, ahead of time: allocation in the loop would slow the race down.
        Long[] values = new Long[4096];
        for (int i = 0; i < values.length; i++) {
            values[i] = (long) i;
        }
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread producer = Thread.ofPlatform().name("spsc-producer").start(() -> {
            for (long i = 0; i < items; i++) {
                Long v = values[(int) (i & (values.length - 1))];
                while (!ring.offer(v)) {
                    Thread.onSpinWait();
                    if (failure.get() != null) {
                        return;
                    }
                }
            }
        });
        long received = 0;
        long deadline = System.nanoTime() + 30_000_000_000L;
        try {
            while (received < items) {
                Long v = ring.poll();
                if (v == null) {
                    if (System.nanoTime() > deadline) {
                        throw new AssertionError("stalled after " + received + " of " + items);
                    }
                    Thread.onSpinWait();
                    continue;
                }
                long expected = received & (values.length - 1);
                if (v != expected) {
                    throw new AssertionError("element " + received + " was " + v + ", expected " + expected);
                }
                received++;
            }
        } catch (Throwable t) {
            failure.set(t);
            throw t;
        } finally {
            producer.join(10_000);
        }
        assertEquals(items, received);
        assertNull(ring.poll(), "an element arrived twice or from nowhere");
        assertTrue(ring.isEmpty());
    }

    @Test
    void boundedAndFifoOnOneThread() {
        SpscRing<Integer> ring = new SpscRing<>(5); // rounded up to 8
        for (int round = 0; round < 100; round++) {
            for (int i = 0; i < 8; i++) {
                assertTrue(ring.offer(round * 8 + i));
            }
            assertTrue(!ring.offer(-1), "a full ring took one more");
            for (int i = 0; i < 8; i++) {
                assertEquals(round * 8 + i, ring.poll());
            }
            assertNull(ring.poll());
        }
    }
}
