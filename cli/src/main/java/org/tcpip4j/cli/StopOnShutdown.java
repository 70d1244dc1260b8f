package org.tcpip4j.cli;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Turns the JVM's shutdown (SIGINT, SIGTERM) into a request to stop, and holds the shutdown
 * back until the command has closed its device, flushed its capture and printed its
 * summary, or 15 seconds have passed. The JVM then exits as a program killed by that
 * signal does (130 for SIGINT, 143 for SIGTERM).
 *
 * <p>A shutdown hook, rather than a signal handler of {@code sun.misc}, keeps the command
 * on supported API; the price is that the exit code tells an interrupted run from one that
 * ended by itself.
 */
final class StopOnShutdown implements AutoCloseable {

    private static final long CLOSE_LIMIT_SECONDS = 15;

    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final Thread hook;

    private StopOnShutdown(CompletableFuture<String> stop) {
        this.hook = new Thread(() -> {
            stop.complete("interrupted (SIGINT or SIGTERM)");
            try {
                closed.get(CLOSE_LIMIT_SECONDS, TimeUnit.SECONDS);
            } catch (Exception e) {
                // Out of time: the JVM exits anyway, without the rest of the summary.
            }
        }, "tcpip4j-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Completes {@code stop} when the JVM begins to shut down, until {@link #close()}. */
    static StopOnShutdown install(CompletableFuture<String> stop) {
        return new StopOnShutdown(stop);
    }

    /** The command has finished: a shutdown under way may go on, and a later one no longer waits. */
    @Override
    public void close() {
        closed.complete(null);
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // The JVM is already shutting down: the hook has run or is running.
        }
    }
}
