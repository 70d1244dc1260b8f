package org.tcpip4j.netty;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelPromise;
import io.netty.channel.DefaultChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.AbstractEventExecutor;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import io.netty.util.concurrent.Ticker;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.tcpip4j.stack.Stack;
import org.tcpip4j.stack.direct.DirectStack;

/**
 * A Netty {@link EventLoop} that is one direct stack's own event loop: {@link #execute}
 * hands the task to {@link DirectStack#loop()}, {@link #inEventLoop()} asks it, scheduled
 * tasks run on its timers and its clock. The channels registered here run their handlers
 * on the thread that runs TCP for the stack, with no hand-off between the two.
 *
 * <p>Loops are made by a {@link StackEventLoopGroup}, which also decides what shutting down
 * does. Several of these may wrap stacks that share one thread (two stacks on one
 * in-memory switch, say).
 */
public final class StackEventLoop extends AbstractEventExecutor implements EventLoop {

    private final StackEventLoopGroup parent;
    private final DirectStack stack;
    private final Stack listening;
    private final org.tcpip4j.netif.loop.EventLoop loop;
    private final Ticker ticker;
    /** The loop's thread, as last seen: to answer {@link #inEventLoop(Thread)} for other threads. */
    private volatile Thread thread;
    /** The channels registered here, closed when the group shuts down; loop only. */
    private final Set<Channel> channels = new LinkedHashSet<>();

    StackEventLoop(StackEventLoopGroup parent, DirectStack stack, Stack listening) {
        super(parent);
        this.parent = parent;
        this.stack = Objects.requireNonNull(stack, "stack");
        this.listening = listening;
        this.loop = stack.loop();
        this.ticker = new LoopTicker(loop);
        loop.execute(() -> thread = Thread.currentThread());
    }

    /** The direct stack whose loop this is: client channels connect through its TCP. */
    public DirectStack stack() {
        return stack;
    }

    /**
     * The stack server channels of this loop listen on: the direct stack itself, or, for a
     * queue of a multi-queue stack, the multi-queue stack (which listens on every queue).
     */
    public Stack listeningStack() {
        return listening;
    }

    /** The stack's event loop under this one. */
    public org.tcpip4j.netif.loop.EventLoop stackLoop() {
        return loop;
    }

    @Override
    public StackEventLoopGroup parent() {
        return parent;
    }

    @Override
    public StackEventLoop next() {
        return this;
    }

    @Override
    public boolean inEventLoop() {
        if (loop.inEventLoop()) {
            Thread t = Thread.currentThread();
            if (thread != t) { // a volatile write only when the loop's thread changed
                thread = t;
            }
            return true;
        }
        return false;
    }

    @Override
    public boolean inEventLoop(Thread t) {
        if (t == Thread.currentThread()) {
            return inEventLoop();
        }
        return t == thread;
    }

    @Override
    public void execute(Runnable task) {
        Objects.requireNonNull(task, "task");
        if (parent.isTerminated()) {
            throw new RejectedExecutionException("event loop group is terminated");
        }
        loop.execute(task);
    }

    @Override
    public Ticker ticker() {
        return ticker;
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        return schedule(Executors.callable(command, null), delay, unit);
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        return start(new StackScheduledFuture<>(this, callable, unit.toNanos(delay), 0));
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        if (period <= 0) {
            throw new IllegalArgumentException("period must be positive: " + period);
        }
        return start(new StackScheduledFuture<>(this, Executors.callable(command, null), unit.toNanos(initialDelay),
            unit.toNanos(period)));
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        if (delay <= 0) {
            throw new IllegalArgumentException("delay must be positive: " + delay);
        }
        return start(new StackScheduledFuture<>(this, Executors.callable(command, null), unit.toNanos(initialDelay),
            -unit.toNanos(delay)));
    }

    private <V> StackScheduledFuture<V> start(StackScheduledFuture<V> f) {
        if (parent.isTerminated()) {
            throw new RejectedExecutionException("event loop group is terminated");
        }
        f.start();
        return f;
    }

    @Override
    public ChannelFuture register(Channel channel) {
        return register(new DefaultChannelPromise(channel, this));
    }

    @Override
    public ChannelFuture register(ChannelPromise promise) {
        Objects.requireNonNull(promise, "promise");
        promise.channel().unsafe().register(this, promise);
        return promise;
    }

    @Deprecated
    @Override
    public ChannelFuture register(Channel channel, ChannelPromise promise) {
        Objects.requireNonNull(channel, "channel");
        channel.unsafe().register(this, promise);
        return promise;
    }

    /**
     * Registers {@code channel} here, or fails {@code promise} with a
     * {@link RejectedExecutionException} once the group is shutting down: its channels were
     * closed, or are being closed, from a list this channel would miss. Loop only.
     */
    void admit(Channel channel, ChannelPromise promise) {
        if (parent.isShuttingDown()) {
            promise.setFailure(new RejectedExecutionException("event loop group is shutting down"));
            return;
        }
        channels.add(channel);
        promise.setSuccess();
    }

    /** A channel was deregistered from here. Loop only. */
    void removed(Channel channel) {
        channels.remove(channel);
    }

    /** Closes every channel registered here, on the loop; completes when all are closed. */
    CompletableFuture<Void> closeAll() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        loop.execute(() -> {
            List<CompletableFuture<Void>> closing = new ArrayList<>();
            for (Channel ch : List.copyOf(channels)) {
                CompletableFuture<Void> c = new CompletableFuture<>();
                ch.close().addListener(f -> c.complete(null));
                closing.add(c);
            }
            CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new)).whenComplete((v, e) -> done.complete(null));
        });
        return done;
    }

    /** Shuts the whole group down: a loop is not shut alone. */
    @Override
    public Future<?> shutdownGracefully(long quietPeriod, long timeout, TimeUnit unit) {
        return parent.shutdownGracefully(quietPeriod, timeout, unit);
    }

    @Override
    public Future<?> terminationFuture() {
        return parent.terminationFuture();
    }

    @Deprecated
    @Override
    public void shutdown() {
        parent.shutdown();
    }

    @Override
    public boolean isShuttingDown() {
        return parent.isShuttingDown();
    }

    @Override
    public boolean isShutdown() {
        return parent.isShutdown();
    }

    @Override
    public boolean isTerminated() {
        return parent.isTerminated();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return parent.awaitTermination(timeout, unit);
    }

    @Override
    public String toString() {
        return "StackEventLoop(" + stack + ")";
    }

    /** Netty's clock from the stack loop's: virtual under a virtual-time loop. */
    private record LoopTicker(org.tcpip4j.netif.loop.EventLoop loop) implements Ticker {
        @Override
        public long initialNanoTime() {
            return 0;
        }

        @Override
        public long nanoTime() {
            return loop.nanoTime();
        }

        @Override
        public void sleep(long delay, TimeUnit unit) throws InterruptedException {
            unit.sleep(delay);
        }
    }
}
