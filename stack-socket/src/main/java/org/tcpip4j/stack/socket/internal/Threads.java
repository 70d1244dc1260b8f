package org.tcpip4j.stack.socket.internal;

import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Waiting for the I/O threads of a socket that was just closed. */
final class Threads {

    private static final Logger LOG = LoggerFactory.getLogger(Threads.class);

    /**
     * Long enough for a thread woken by its socket's close to leave it (microseconds in
     * practice); short enough that a caller on the event loop is never held up for long.
     */
    private static final Duration GRACE = Duration.ofSeconds(1);

    private Threads() {
    }

    /** Waits, at most {@link #GRACE} in all, for {@code threads} to end. */
    static void awaitEnd(List<Thread> threads) {
        long deadline = System.nanoTime() + GRACE.toNanos();
        for (Thread t : threads) {
            if (t == Thread.currentThread()) {
                continue;
            }
            try {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !t.join(Duration.ofNanos(left))) {
                    LOG.warn("{} did not end after its socket was closed", t.getName());
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
