package org.tcpip4j.netif.loop;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * An event loop in virtual time, driven by the thread that created it: nothing runs until
 * that thread calls one of the {@code run} methods, and time jumps straight to the next
 * timer when no task is ready. A whole simulated network of stacks shares one such loop
 * and runs on one thread, deterministically: the same seed gives the same frames in the
 * same order at the same virtual times.
 *
 * <p>A task that throws is not swallowed: the exception propagates out of the {@code run}
 * call, so a simulation fails loudly.
 */
public final class VirtualTimeEventLoop implements EventLoop {

    /** Virtual wall-clock origin: 2026-01-01T00:00:00Z, in microseconds. */
    public static final long DEFAULT_EPOCH_MICROS = 1_767_225_600_000_000L;

    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
    private final ConcurrentLinkedQueue<Runnable> foreignTasks = new ConcurrentLinkedQueue<>();
    private final TimerQueue timers;
    private final Thread owner;
    private final long epochMicrosAtZero;
    private long now;
    private long tasksRun;

    /** A loop at virtual time zero, owned by the calling thread. */
    public VirtualTimeEventLoop() {
        this(DEFAULT_EPOCH_MICROS);
    }

    /** A loop whose virtual wall clock starts at {@code epochMicrosAtZero}. */
    public VirtualTimeEventLoop(long epochMicrosAtZero) {
        this.owner = Thread.currentThread();
        this.epochMicrosAtZero = epochMicrosAtZero;
        this.timers = new TimerQueue(new TimerQueue.LoopClock() {
            @Override
            public long now() {
                return now;
            }

            @Override
            public void timerArmed(long deadline) {
            }
        });
    }

    @Override
    public boolean inEventLoop() {
        return Thread.currentThread() == owner;
    }

    @Override
    public void execute(Runnable task) {
        if (inEventLoop()) {
            tasks.add(task);
        } else {
            foreignTasks.add(task);
        }
    }

    @Override
    public long nanoTime() {
        return now;
    }

    @Override
    public long epochMicros() {
        return epochMicrosAtZero + now / 1_000;
    }

    @Override
    public Timer newTimer(Runnable task) {
        return timers.newTimer(task);
    }

    /** Tasks waiting to run now. */
    public int pendingTasks() {
        return tasks.size() + foreignTasks.size();
    }

    /** Armed timers. */
    public int pendingTimers() {
        return timers.size();
    }

    /** Tasks and timers run so far. */
    public long tasksRun() {
        return tasksRun;
    }

    /**
     * Runs one step: every task ready now, or, when none is, advances time to the next
     * timer and runs it.
     *
     * @return false when there was nothing to run or schedule
     */
    public boolean step() {
        checkOwner();
        Runnable foreign;
        while ((foreign = foreignTasks.poll()) != null) {
            tasks.add(foreign);
        }
        if (!tasks.isEmpty()) {
            int n = tasks.size();
            for (int i = 0; i < n; i++) {
                Runnable t = tasks.poll();
                tasksRun++;
                t.run();
            }
            return true;
        }
        long next = timers.nextDeadline();
        if (next == Long.MAX_VALUE) {
            return false;
        }
        if (next - now > 0) {
            now = next;
        }
        Runnable expired;
        while ((expired = timers.pollExpired(now)) != null) {
            tasksRun++;
            expired.run();
        }
        return true;
    }

    /** Runs tasks and timers until none is left (beware of periodic timers). */
    public void runUntilIdle() {
        while (step()) {
            // keep going
        }
    }

    /**
     * Runs tasks and timers whose time comes within {@code nanos} from now, then sets the
     * clock to exactly now + {@code nanos}.
     */
    public void runFor(long nanos) {
        long end = now + nanos;
        runUntilTime(end);
    }

    /** Runs everything due at or before virtual time {@code end}, then sets the clock to it. */
    public void runUntilTime(long end) {
        checkOwner();
        while (true) {
            if (pendingTasks() > 0) {
                step();
                continue;
            }
            long next = timers.nextDeadline();
            if (next == Long.MAX_VALUE || next - end > 0) {
                break;
            }
            step();
        }
        if (end - now > 0) {
            now = end;
        }
    }

    /** Runs {@link #runFor} with a {@link Duration}. */
    public void runFor(Duration d) {
        runFor(d.toNanos());
    }

    /**
     * Runs until {@code condition} holds, checking it after every step, or until
     * {@code maxNanos} of virtual time have passed or nothing is left to run.
     *
     * @return whether the condition holds
     */
    public boolean runUntil(BooleanSupplier condition, long maxNanos) {
        checkOwner();
        long end = now + maxNanos;
        while (!condition.getAsBoolean()) {
            if (pendingTasks() == 0 && (timers.nextDeadline() == Long.MAX_VALUE || timers.nextDeadline() - end > 0)) {
                if (end - now > 0 && timers.nextDeadline() != Long.MAX_VALUE) {
                    now = end;
                }
                return condition.getAsBoolean();
            }
            step();
        }
        return true;
    }

    /**
     * Runs until {@code future} completes, for at most {@code maxNanos} of virtual time,
     * and returns its value.
     *
     * @throws TimeoutException when it did not complete in that time
     * @throws ExecutionException when it completed exceptionally
     */
    public <T> T await(CompletableFuture<T> future, long maxNanos) throws TimeoutException, ExecutionException {
        if (!runUntil(future::isDone, maxNanos)) {
            throw new TimeoutException("not complete after " + Duration.ofNanos(maxNanos) + " of virtual time");
        }
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** {@link #await(CompletableFuture, long)} with a {@link Duration}. */
    public <T> T await(CompletableFuture<T> future, Duration max) throws TimeoutException, ExecutionException {
        return await(future, max.toNanos());
    }

    private void checkOwner() {
        if (!inEventLoop()) {
            throw new IllegalStateException("a virtual-time loop is driven by the thread that created it");
        }
    }
}
