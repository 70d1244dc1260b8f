package org.tcpip4j.stack.socket.internal;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * How much more a flow's reading thread may take from the kernel: the room left in the
 * flow's receive buffer (what arrived and the user has not read yet). When it is full the
 * thread stops reading, the kernel's buffer fills and the kernel closes its window: the
 * peer slows down, as it would against the direct stack's receive buffer.
 *
 * <p>The reading thread waits here; the event loop gives room back when the user reads,
 * and never waits.
 */
final class ReceiveWindow {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private long room;
    private boolean discarding;
    private boolean stopped;

    /** A window of {@code size} bytes. */
    ReceiveWindow(int size) {
        this.room = size;
    }

    /**
     * Reading thread: waits until there is room, and says how much, at most {@code max}.
     *
     * @return the bytes the thread may read now; {@code max} once everything is discarded;
     *     -1 once stopped
     */
    int awaitRoom(int max) throws InterruptedException {
        lock.lock();
        try {
            while (room <= 0 && !discarding && !stopped) {
                changed.await();
            }
            if (stopped) {
                return -1;
            }
            return discarding ? max : (int) Math.min(room, max);
        } finally {
            lock.unlock();
        }
    }

    /** Reading thread: {@code n} bytes were read and are on their way to the user. */
    void take(int n) {
        lock.lock();
        try {
            room -= n;
        } finally {
            lock.unlock();
        }
    }

    /** Event loop: the user has read {@code n} bytes (or they were discarded). */
    void release(int n) {
        lock.lock();
        try {
            room += n;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Event loop: from now on every byte read is thrown away, so the window is always open. */
    void discard() {
        lock.lock();
        try {
            discarding = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** True once {@link #discard()} was called. */
    boolean discarding() {
        lock.lock();
        try {
            return discarding;
        } finally {
            lock.unlock();
        }
    }

    /** Wakes the reading thread for good: the flow is being released. */
    void stop() {
        lock.lock();
        try {
            stopped = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
