package org.tcpip4j.netif.loop;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * The single thread of control of one or more stacks (Mirage's Lwt main loop, Netty's
 * event loop). All protocol state is touched on it; calls from other threads are handed
 * to it with {@link #execute}. Time is read from it, so the same code runs in real time
 * ({@link RealTimeEventLoop}) or in deterministic virtual time ({@link VirtualTimeEventLoop}).
 */
public interface EventLoop extends Executor {

    /** True when the calling thread is the loop's own thread. */
    boolean inEventLoop();

    /** Runs {@code task} on the loop, after the tasks already queued. Safe from any thread. */
    @Override
    void execute(Runnable task);

    /**
     * Monotonic time in nanoseconds (virtual in a simulation). On the loop, a loop may give
     * the time its current event began (as Linux's TCP reads its clock once per packet,
     * {@code tcp_mstamp}), not the instant of the call: every reading within one event is
     * the same, and work done within it takes no time.
     */
    long nanoTime();

    /**
     * On the loop, within a task: a new event begins (the next frame of a batch a device
     * delivers in one task), so a loop that gives each event's start as its
     * {@link #nanoTime} reads its clock again. Does nothing by default.
     */
    default void newEvent() {
    }

    /** Wall-clock time in microseconds since the epoch (virtual in a simulation). */
    long epochMicros();

    /**
     * A reusable timer that runs {@code task} on the loop when it expires. Creating it arms
     * nothing; {@link Timer#schedule} arms it. Arming and cancelling allocate nothing.
     * Loop only.
     */
    Timer newTimer(Runnable task);

    /** Runs {@code task} once after {@code delayNanos}. Loop only. */
    default Timer schedule(long delayNanos, Runnable task) {
        Timer t = newTimer(task);
        t.schedule(delayNanos);
        return t;
    }

    /** Runs {@code action} now when on the loop, else hands it to the loop. */
    default void run(Runnable action) {
        if (inEventLoop()) {
            action.run();
        } else {
            execute(action);
        }
    }

    /**
     * Runs {@code action} on the loop and completes the returned future with the future it
     * returns; used to hand a public call made from any thread to the loop.
     */
    default <T> CompletableFuture<T> call(Supplier<CompletableFuture<T>> action) {
        if (inEventLoop()) {
            try {
                return action.get();
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
        }
        // Off the loop, anything the action throws (an Error too) fails the future, so a
        // caller waiting on it is never left hanging.
        CompletableFuture<T> result = new CompletableFuture<>();
        execute(() -> {
            try {
                action.get().whenComplete((v, e) -> {
                    if (e != null) {
                        result.completeExceptionally(e);
                    } else {
                        result.complete(v);
                    }
                });
            } catch (Throwable e) {
                result.completeExceptionally(e);
                if (e instanceof Error error) {
                    throw error;
                }
            }
        });
        return result;
    }
}
