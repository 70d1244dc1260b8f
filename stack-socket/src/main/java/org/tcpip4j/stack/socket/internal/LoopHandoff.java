package org.tcpip4j.stack.socket.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tcpip4j.netif.loop.EventLoop;

/**
 * Hands what the I/O threads learn to the stack's event loop, so that user code sees the
 * same threading as on the direct stack: callbacks and future completions on the loop.
 */
public final class LoopHandoff {

    private static final Logger LOG = LoggerFactory.getLogger(LoopHandoff.class);

    private final EventLoop loop;

    /** Hands work to {@code loop}. */
    public LoopHandoff(EventLoop loop) {
        this.loop = loop;
    }

    /** The loop everything is handed to. */
    public EventLoop loop() {
        return loop;
    }

    /**
     * Runs {@code task} on the loop. When the loop has been shut down the stack is gone,
     * nobody waits for the task, and it is dropped.
     */
    public void post(Runnable task) {
        try {
            loop.execute(task);
        } catch (RejectedExecutionException e) {
            LOG.debug("event loop shut down; dropping a task from an I/O thread");
        }
    }

    /**
     * Runs {@code task} on the loop, or on the calling thread when the loop is gone: for
     * tasks that settle a future, which must not stay pending for ever.
     */
    public void settle(Runnable task) {
        try {
            loop.execute(task);
        } catch (RejectedExecutionException e) {
            task.run();
        }
    }

    /** Completes {@code future} with {@code value} on the loop (see {@link #settle}). */
    public <T> void complete(CompletableFuture<T> future, T value) {
        settle(() -> future.complete(value));
    }

    /** Fails {@code future} with {@code error} on the loop (see {@link #settle}). */
    public void fail(CompletableFuture<?> future, Throwable error) {
        settle(() -> future.completeExceptionally(error));
    }
}
