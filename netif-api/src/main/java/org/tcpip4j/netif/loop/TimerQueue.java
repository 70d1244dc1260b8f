package org.tcpip4j.netif.loop;

import java.util.Arrays;

/**
 * A binary min-heap of timers by deadline, ties broken by arming order, in which each
 * timer knows its own slot: arming, re-arming and cancelling are O(log n) and allocate
 * nothing once the heap has grown. Used by both loop implementations.
 */
final class TimerQueue {

    private QueuedTimer[] heap = new QueuedTimer[64];
    private int size;
    private long sequence;
    private final LoopClock clock;

    interface LoopClock {
        long now();

        void timerArmed(long deadline);
    }

    TimerQueue(LoopClock clock) {
        this.clock = clock;
    }

    Timer newTimer(Runnable task) {
        return new QueuedTimer(task);
    }

    int size() {
        return size;
    }

    /** The earliest deadline, or Long.MAX_VALUE when empty. */
    long nextDeadline() {
        return size == 0 ? Long.MAX_VALUE : heap[0].deadline;
    }

    /** Removes and returns the earliest timer whose deadline is at or before {@code now}. */
    Runnable pollExpired(long now) {
        if (size == 0 || heap[0].deadline - now > 0) {
            return null;
        }
        QueuedTimer t = heap[0];
        removeAt(0);
        return t.task;
    }

    private void insert(QueuedTimer t) {
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size * 2);
        }
        t.index = size;
        heap[size++] = t;
        siftUp(t.index);
    }

    private void removeAt(int i) {
        QueuedTimer removed = heap[i];
        removed.index = -1;
        size--;
        if (i != size) {
            QueuedTimer last = heap[size];
            heap[i] = last;
            last.index = i;
            heap[size] = null;
            siftDown(i);
            siftUp(last.index);
        } else {
            heap[size] = null;
        }
    }

    private boolean less(QueuedTimer a, QueuedTimer b) {
        long d = a.deadline - b.deadline;
        return d < 0 || (d == 0 && a.seq < b.seq);
    }

    private void siftUp(int i) {
        QueuedTimer t = heap[i];
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            QueuedTimer p = heap[parent];
            if (!less(t, p)) {
                break;
            }
            heap[i] = p;
            p.index = i;
            i = parent;
        }
        heap[i] = t;
        t.index = i;
    }

    private void siftDown(int i) {
        QueuedTimer t = heap[i];
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            int right = child + 1;
            if (right < size && less(heap[right], heap[child])) {
                child = right;
            }
            if (!less(heap[child], t)) {
                break;
            }
            heap[i] = heap[child];
            heap[i].index = i;
            i = child;
        }
        heap[i] = t;
        t.index = i;
    }

    private final class QueuedTimer implements Timer {
        final Runnable task;
        long deadline;
        long seq;
        int index = -1;

        QueuedTimer(Runnable task) {
            this.task = task;
        }

        @Override
        public void schedule(long delayNanos) {
            if (delayNanos < 0) {
                delayNanos = 0;
            }
            long newDeadline = clock.now() + delayNanos;
            if (index >= 0) {
                // Re-armed (a retransmission timer restarted by every ACK): move it within the
                // heap, down when later, up when earlier, instead of removing and inserting.
                boolean later = newDeadline - deadline >= 0;
                deadline = newDeadline;
                seq = sequence++;
                if (later) {
                    siftDown(index);
                } else {
                    siftUp(index);
                }
            } else {
                deadline = newDeadline;
                seq = sequence++;
                insert(this);
            }
            clock.timerArmed(deadline);
        }

        @Override
        public void cancel() {
            if (index >= 0) {
                removeAt(index);
            }
        }

        @Override
        public boolean isScheduled() {
            return index >= 0;
        }

        @Override
        public long deadline() {
            return deadline;
        }
    }
}
