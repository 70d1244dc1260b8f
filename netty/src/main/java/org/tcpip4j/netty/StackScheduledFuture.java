package org.tcpip4j.netty;

import io.netty.util.concurrent.DefaultPromise;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.TimeUnit;
import org.tcpip4j.netif.loop.EventLoop;
import org.tcpip4j.netif.loop.Timer;

/**
 * A task scheduled on a {@link StackEventLoop}, run by one of the stack loop's own
 * {@link Timer}s: once, at a fixed rate ({@code period > 0}) or with a fixed delay
 * ({@code period < 0}). Times are the loop's ({@link EventLoop#nanoTime()}), so a loop in
 * virtual time runs Netty's timeouts in virtual time too.
 */
final class StackScheduledFuture<V> extends DefaultPromise<V> implements ScheduledFuture<V>, Runnable {

    private final EventLoop loop;
    private final Callable<V> task;
    private final long period;
    private long deadline;
    /** Made on the loop when first armed; loop only. */
    private Timer timer;

    StackScheduledFuture(StackEventLoop executor, Callable<V> task, long delayNanos, long period) {
        super(executor);
        this.loop = executor.stackLoop();
        this.task = task;
        this.period = period;
        this.deadline = loop.nanoTime() + Math.max(0, delayNanos);
    }

    /** Arms the timer on the loop. */
    void start() {
        loop.run(() -> {
            if (isDone()) {
                return;
            }
            timer = loop.newTimer(this);
            timer.schedule(Math.max(0, deadline - loop.nanoTime()));
        });
    }

    @Override
    public void run() {
        if (period == 0) {
            if (!setUncancellable()) {
                return;
            }
            try {
                setSuccess(task.call());
            } catch (Throwable t) {
                setFailure(t);
            }
            return;
        }
        if (isDone()) {
            return;
        }
        try {
            task.call();
        } catch (Throwable t) {
            tryFailure(t);
            return;
        }
        if (isDone()) {
            return;
        }
        deadline = period > 0 ? deadline + period : loop.nanoTime() - period;
        timer.schedule(Math.max(0, deadline - loop.nanoTime()));
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        boolean cancelled = super.cancel(mayInterruptIfRunning);
        if (cancelled) {
            loop.run(() -> {
                if (timer != null) {
                    timer.cancel();
                }
            });
        }
        return cancelled;
    }

    @Override
    public long getDelay(TimeUnit unit) {
        return unit.convert(deadline - loop.nanoTime(), TimeUnit.NANOSECONDS);
    }

    @Override
    public int compareTo(Delayed o) {
        if (o == this) {
            return 0;
        }
        return Long.compare(getDelay(TimeUnit.NANOSECONDS), o.getDelay(TimeUnit.NANOSECONDS));
    }
}
