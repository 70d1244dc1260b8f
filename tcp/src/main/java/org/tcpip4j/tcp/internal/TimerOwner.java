package org.tcpip4j.tcp.internal;

import org.tcpip4j.netif.loop.EventLoop;
import org.tcpip4j.netif.loop.Timer;

/**
 * A part of a connection with one timer of its own (retransmission, persist, tail loss
 * probe, RACK's reordering timer, a bulk sender's next turn), created the first time it is
 * armed, so that a connection holds no timer it never used: most idle connections armed
 * only the retransmission timer of their handshake. Loop only.
 */
abstract class TimerOwner {

    final EventLoop loop;
    private Timer timer;

    TimerOwner(EventLoop loop) {
        this.loop = loop;
    }

    /** The timer expired. */
    abstract void onTimer();

    /** The timer, created when first needed. */
    final Timer timer() {
        if (timer == null) {
            timer = loop.newTimer(this::onTimer);
        }
        return timer;
    }

    /** True while the timer is armed. */
    final boolean timerScheduled() {
        return timer != null && timer.isScheduled();
    }

    /** When the armed timer expires, in loop nanoseconds; meaningful while {@link #timerScheduled()}. */
    final long timerDeadline() {
        return timer == null ? Long.MAX_VALUE : timer.deadline();
    }

    /** Disarms the timer, if there is one. */
    final void cancelTimer() {
        if (timer != null) {
            timer.cancel();
        }
    }
}
