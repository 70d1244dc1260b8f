package org.tcpip4j.netif.tap.internal;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Keeps file descriptors open while any thread uses them, and releases them exactly once
 * after {@link #close()} when the last user is done.
 *
 * <p>Why: the reader thread, the event loop (writes) and whoever disconnects all touch the
 * same descriptors. Closing one while another thread is inside {@code read} or
 * {@code write} would let the kernel reuse the number for an unrelated file, and the next
 * call would hit that file. Each use is bracketed by {@link #acquire()} and
 * {@link #release()}: one compare-and-set each, no lock, no allocation.
 */
public final class DescriptorGuard {

    /** Sign bit: closing was asked for. Low bits: the number of users inside a call. */
    private static final int CLOSING = Integer.MIN_VALUE;

    private final AtomicInteger state = new AtomicInteger();
    private final Runnable releaseAction;

    /** A guard that runs {@code releaseAction} once, when closed and no longer used. */
    public DescriptorGuard(Runnable releaseAction) {
        this.releaseAction = releaseAction;
    }

    /** Starts a use; false once closing has begun, and then the descriptors must not be used. */
    public boolean acquire() {
        while (true) {
            int s = state.get();
            if (s < 0) {
                return false;
            }
            if (state.compareAndSet(s, s + 1)) {
                return true;
            }
        }
    }

    /** Ends a use begun by a successful {@link #acquire()}. */
    public void release() {
        if (state.decrementAndGet() == CLOSING) {
            releaseAction.run();
        }
    }

    /** Asks for the release; it runs now if nobody uses the descriptors, else at the last release. */
    public void close() {
        while (true) {
            int s = state.get();
            if (s < 0) {
                return;
            }
            if (state.compareAndSet(s, s | CLOSING)) {
                if (s == 0) {
                    releaseAction.run();
                }
                return;
            }
        }
    }

    /** True once {@link #close()} has been called. */
    public boolean isClosing() {
        return state.get() < 0;
    }
}
