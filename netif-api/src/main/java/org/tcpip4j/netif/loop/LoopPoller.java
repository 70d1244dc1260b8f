package org.tcpip4j.netif.loop;

/**
 * What a {@link RealTimeEventLoop} waits in when it has nothing to do, in place of parking
 * its thread: a poller that also watches sources of its own (a device's file descriptor)
 * and handles what they have ready on the loop's thread, as Netty's epoll loop reads its
 * sockets. A loop with a poller needs no other thread to read those sources and hand
 * their data over: the loop reads them itself, between its tasks when busy and in its wait
 * when idle.
 */
public interface LoopPoller {

    /**
     * On the loop: handles what the poller's sources have ready, after waiting up to
     * {@code timeoutNanos} for something (0: not at all; negative: until something is
     * ready or {@link #wakeup()} is called). Returns early on a wake-up.
     *
     * @return how many sources it handled
     */
    int poll(long timeoutNanos);

    /** From any thread: ends a wait in {@link #poll} at once, or the next one if none is under way. */
    void wakeup();

    /** On the loop's thread as it ends: releases what the poller holds. */
    void close();

    /**
     * Called by the loop that waits in this poller as it is built, before its thread starts.
     * A poller serves one loop: one whose state is the loop's own throws
     * {@link IllegalStateException} when a second loop would wait in it. Does nothing by
     * default.
     */
    default void attach(EventLoop loop) {
    }
}
