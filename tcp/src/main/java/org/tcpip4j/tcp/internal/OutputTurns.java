package org.tcpip4j.tcp.internal;

import org.tcpip4j.netif.loop.EventLoop;

/**
 * A bulk sender's turns on the event loop: one {@link Sender#output()} writes at most
 * {@link #QUANTUM} bytes of new data (and the segment that crosses it), then lets the loop
 * go round (read the device, so acknowledgments come in, and run other connections' work)
 * and goes on in the loop's next turn, from a timer of its own due at once. Without it, a
 * sender with a window of several MiB open wrote all of it in one task: milliseconds in
 * which the loop read no acknowledgment and served no other connection, and a working set
 * (the send buffer's chunks) larger than the caches. Linux bounds what one socket queues below it in the same
 * spirit (TCP Small Queues, {@code tcp_limit_output_bytes}).
 *
 * <p>The timer is made the first time a turn is cut short, so a connection that never
 * has more than a quantum to send holds none; arming and firing it allocates nothing.
 * Loop only.
 */
final class OutputTurns extends TimerOwner {

    /** The most new data one output writes: eight 64 KiB TSO segments, 362 of 1448 bytes. */
    static final int QUANTUM = 512 * 1024;

    private final Sender sender;

    OutputTurns(Sender sender, EventLoop loop) {
        super(loop);
        this.sender = sender;
    }

    /** The turn wrote its quantum and more may be sent: output goes on in the loop's next turn. */
    void continueNextTurn() {
        if (!timerScheduled()) {
            // One nanosecond on: a timer due at once that re-arms itself would otherwise
            // fire again in the same pass over expired timers, before the device is read.
            timer().schedule(1);
        }
    }

    @Override
    void onTimer() {
        sender.output();
    }
}
