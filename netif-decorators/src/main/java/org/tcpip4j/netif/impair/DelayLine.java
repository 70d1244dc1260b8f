package org.tcpip4j.netif.impair;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.function.Consumer;
import org.tcpip4j.netif.loop.EventLoop;
import org.tcpip4j.netif.loop.Timer;

/**
 * Frames waiting out their propagation delay: a min-heap by due time (ties by arrival)
 * under one loop timer armed for the earliest, so any number of frames in flight costs one
 * timer and no allocation once the heap has grown. Loop only.
 */
final class DelayLine {

    private final EventLoop loop;
    private final Consumer<ByteBuffer> onDue;
    private Timer timer;
    private long[] due = new long[64];
    private long[] arrival = new long[64];
    private ByteBuffer[] frames = new ByteBuffer[64];
    private int size;
    private long arrivals;

    /** A delay line on {@code loop} that hands each frame, when due, to {@code onDue}. */
    DelayLine(EventLoop loop, Consumer<ByteBuffer> onDue) {
        this.loop = loop;
        this.onDue = onDue;
    }

    int size() {
        return size;
    }

    /** Holds {@code frame} (owned by the line from now on) until loop time {@code dueNanos}. */
    void add(ByteBuffer frame, long dueNanos) {
        if (size == frames.length) {
            due = Arrays.copyOf(due, size * 2);
            arrival = Arrays.copyOf(arrival, size * 2);
            frames = Arrays.copyOf(frames, size * 2);
        }
        int i = size++;
        long seq = arrivals++;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!before(dueNanos, seq, due[parent], arrival[parent])) {
                break;
            }
            move(parent, i);
            i = parent;
        }
        due[i] = dueNanos;
        arrival[i] = seq;
        frames[i] = frame;
        if (i == 0) {
            arm();
        }
    }

    private void arm() {
        if (timer == null) {
            timer = loop.newTimer(this::release);
        }
        timer.schedule(due[0] - loop.nanoTime());
    }

    /** Passes on every frame that is due; frames added meanwhile wait for their own time. */
    private void release() {
        long now = loop.nanoTime();
        try {
            while (size > 0 && due[0] - now <= 0) {
                ByteBuffer frame = frames[0];
                removeHead();
                onDue.accept(frame);
            }
        } finally {
            // A receiver that threw must not strand the frames behind it.
            if (size > 0) {
                arm();
            }
        }
    }

    private void removeHead() {
        size--;
        long d = due[size];
        long a = arrival[size];
        ByteBuffer f = frames[size];
        frames[size] = null;
        if (size == 0) {
            return;
        }
        int i = 0;
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            if (child + 1 < size && before(due[child + 1], arrival[child + 1], due[child], arrival[child])) {
                child++;
            }
            if (!before(due[child], arrival[child], d, a)) {
                break;
            }
            move(child, i);
            i = child;
        }
        due[i] = d;
        arrival[i] = a;
        frames[i] = f;
    }

    private void move(int from, int to) {
        due[to] = due[from];
        arrival[to] = arrival[from];
        frames[to] = frames[from];
    }

    private static boolean before(long dueA, long seqA, long dueB, long seqB) {
        long d = dueA - dueB;
        return d < 0 || (d == 0 && seqA < seqB);
    }

    /** Drops every waiting frame, handing each to {@code release}, and disarms the timer. */
    void clear(Consumer<ByteBuffer> release) {
        for (int i = 0; i < size; i++) {
            release.accept(frames[i]);
            frames[i] = null;
        }
        size = 0;
        if (timer != null) {
            timer.cancel();
        }
    }
}
