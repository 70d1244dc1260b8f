package org.tcpip4j.tcp.internal;

import org.tcpip4j.netif.loop.EventLoop;
import org.tcpip4j.netif.loop.Timer;

/**
 * The layer's connections in TIME_WAIT, in one list ordered by when their 2 MSL end: every
 * record lasts the same 2 MSL from its last (re)start, so appending keeps the order, a
 * restart moves a record to the tail, and one timer, set for the head, expires them all.
 * Loop only.
 */
final class TimeWaits {

    private final EventLoop loop;
    private final long twoMslNanos;
    private final Timer timer;
    private final java.util.function.Consumer<TimeWait> expired;
    private TimeWait head;
    private TimeWait tail;
    private int size;

    TimeWaits(EventLoop loop, long twoMslNanos, java.util.function.Consumer<TimeWait> expired) {
        this.loop = loop;
        this.twoMslNanos = twoMslNanos;
        this.expired = expired;
        this.timer = loop.newTimer(this::onTimer);
    }

    /** Records held. */
    int size() {
        return size;
    }

    /** Adds a record whose 2 MSL start now. */
    void add(TimeWait tw) {
        tw.expiresAt = loop.nanoTime() + twoMslNanos;
        append(tw);
        size++;
        if (!timer.isScheduled()) {
            timer.schedule(Math.max(0, head.expiresAt - loop.nanoTime()));
        }
    }

    /** Restarts a record's 2 MSL (RFC 9293 3.10.7.4: a retransmitted FIN restarts them). */
    void restart(TimeWait tw) {
        unlink(tw);
        tw.expiresAt = loop.nanoTime() + twoMslNanos;
        append(tw);
    }

    /** Takes a record out before its time (a reset, or a new incarnation). */
    void remove(TimeWait tw) {
        unlink(tw);
        size--;
        if (head == null) {
            timer.cancel();
        }
    }

    /** Takes every record out, calling {@code action} on each. */
    void clear(java.util.function.Consumer<TimeWait> action) {
        while (head != null) {
            TimeWait tw = head;
            remove(tw);
            action.accept(tw);
        }
        timer.cancel();
    }

    private void append(TimeWait tw) {
        tw.prev = tail;
        tw.next = null;
        if (tail == null) {
            head = tw;
        } else {
            tail.next = tw;
        }
        tail = tw;
    }

    private void unlink(TimeWait tw) {
        if (tw.prev == null) {
            head = tw.next;
        } else {
            tw.prev.next = tw.next;
        }
        if (tw.next == null) {
            tail = tw.prev;
        } else {
            tw.next.prev = tw.prev;
        }
        tw.prev = null;
        tw.next = null;
    }

    private void onTimer() {
        long now = loop.nanoTime();
        while (head != null && head.expiresAt - now <= 0) {
            TimeWait tw = head;
            remove(tw);
            expired.accept(tw);
        }
        if (head != null) {
            timer.schedule(head.expiresAt - now);
        }
    }
}
