package org.tcpip4j.netty;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.AbstractEventExecutorGroup;
import io.netty.util.concurrent.DefaultPromise;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.netty.util.concurrent.Promise;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.tcpip4j.stack.Stack;
import org.tcpip4j.stack.direct.DirectStack;
import org.tcpip4j.stack.direct.MultiQueueStack;

/**
 * A Netty {@link EventLoopGroup} whose loops are our stacks' own loops: one
 * {@link StackEventLoop} per {@link DirectStack}, or per queue of a {@link MultiQueueStack}.
 * Use it with {@link StackServerSocketChannel}, {@link StackSocketChannel} and
 * {@link StackDatagramChannel} where Netty code names its group and channel classes:
 *
 * <pre>{@code
 * StackEventLoopGroup group = StackEventLoopGroup.over(stack);
 * new ServerBootstrap().group(group).channel(StackServerSocketChannel.class)
 *     .childHandler(new ChannelInitializer<SocketChannel>() { ... })
 *     .bind(8080).sync();
 * }</pre>
 *
 * <p>Where channels go: a client channel is registered on the next loop in turn and
 * connects through that loop's stack; a connection accepted by a server channel lives on
 * the loop of the stack (or queue) that accepted it, and this group registers its child
 * channel there, whatever loop {@link #next()} would give. A server channel listens on its
 * loop's {@linkplain StackEventLoop#listeningStack() listening stack}: every queue of a
 * multi-queue stack, so that accepted connections spread over the group's loops.
 *
 * <p>Shutting down ({@link #shutdownGracefully}) closes every channel registered with the
 * group, then completes {@link #terminationFuture()}. The stacks go on running, unless the
 * group was made with {@link #owning(DirectStack...)} or {@link #owning(MultiQueueStack)}:
 * then it disconnects them before it terminates. The quiet period is not waited for: the
 * group queues no task of its own, the stack loops run on. After termination, tasks are
 * refused. A channel registered once the shutdown has begun is refused too: its
 * registration fails with {@link java.util.concurrent.RejectedExecutionException} and the
 * channel is closed, rather than left open past the shutdown.
 */
public final class StackEventLoopGroup extends AbstractEventExecutorGroup implements EventLoopGroup {

    private static final int RUNNING = 0;
    private static final int SHUTTING_DOWN = 1;
    private static final int TERMINATED = 2;

    private final List<StackEventLoop> loops;
    private final List<Stack> owned;
    private final AtomicInteger nextIndex = new AtomicInteger();
    private final AtomicInteger state = new AtomicInteger(RUNNING);
    private final Promise<Void> termination = new DefaultPromise<>(GlobalEventExecutor.INSTANCE);

    private StackEventLoopGroup(List<? extends DirectStack> stacks, Stack listening, boolean owning) {
        if (stacks.isEmpty()) {
            throw new IllegalArgumentException("an event loop group needs at least one stack");
        }
        List<StackEventLoop> made = new ArrayList<>();
        for (DirectStack s : stacks) {
            made.add(new StackEventLoop(this, s, listening != null ? listening : s));
        }
        this.loops = List.copyOf(made);
        this.owned = !owning ? List.of() : listening != null ? List.of(listening) : List.copyOf(stacks);
    }

    /** A group of one loop per stack; shutting it down leaves the stacks running. */
    public static StackEventLoopGroup over(DirectStack... stacks) {
        return new StackEventLoopGroup(List.of(stacks), null, false);
    }

    /** A group of one loop per stack in {@code stacks}; shutting it down leaves them running. */
    public static StackEventLoopGroup over(List<? extends DirectStack> stacks) {
        return new StackEventLoopGroup(List.copyOf(stacks), null, false);
    }

    /**
     * A group of one loop per queue of {@code stack}; its server channels listen on every
     * queue. Shutting it down leaves the stack running.
     */
    public static StackEventLoopGroup over(MultiQueueStack stack) {
        return new StackEventLoopGroup(stack.queues(), Objects.requireNonNull(stack, "stack"), false);
    }

    /** As {@link #over(DirectStack...)}, and shutting the group down disconnects the stacks. */
    public static StackEventLoopGroup owning(DirectStack... stacks) {
        return new StackEventLoopGroup(List.of(stacks), null, true);
    }

    /** As {@link #over(MultiQueueStack)}, and shutting the group down disconnects the stack. */
    public static StackEventLoopGroup owning(MultiQueueStack stack) {
        return new StackEventLoopGroup(stack.queues(), Objects.requireNonNull(stack, "stack"), true);
    }

    /** The group's loops, one per stack or queue, in the order given. */
    public List<StackEventLoop> loops() {
        return loops;
    }

    /** The loop over {@code stack}, or null when the group has none. */
    public StackEventLoop loopOf(DirectStack stack) {
        for (StackEventLoop l : loops) {
            if (l.stack() == stack) {
                return l;
            }
        }
        return null;
    }

    @Override
    public StackEventLoop next() {
        return loops.get(Math.floorMod(nextIndex.getAndIncrement(), loops.size()));
    }

    @Override
    public Iterator<EventExecutor> iterator() {
        return List.<EventExecutor>copyOf(loops).iterator();
    }

    /**
     * Registers {@code channel}: a connection accepted by one of our server channels on the
     * loop of the stack it lives on, any other channel on {@link #next()}.
     */
    @Override
    public ChannelFuture register(Channel channel) {
        return loopFor(channel).register(channel);
    }

    @Override
    public ChannelFuture register(ChannelPromise promise) {
        return loopFor(promise.channel()).register(promise);
    }

    @Deprecated
    @Override
    public ChannelFuture register(Channel channel, ChannelPromise promise) {
        return loopFor(channel).register(channel, promise);
    }

    private StackEventLoop loopFor(Channel channel) {
        if (channel instanceof StackSocketChannel s && s.home() != null) {
            StackEventLoop home = loopOf(s.home());
            if (home != null) {
                return home;
            }
        }
        return next();
    }

    @Override
    public boolean isShuttingDown() {
        return state.get() != RUNNING;
    }

    @Override
    public Future<?> shutdownGracefully(long quietPeriod, long timeout, TimeUnit unit) {
        if (!state.compareAndSet(RUNNING, SHUTTING_DOWN)) {
            return termination;
        }
        List<CompletableFuture<Void>> closing = new ArrayList<>();
        for (StackEventLoop l : loops) {
            closing.add(l.closeAll());
        }
        CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new))
            .thenCompose(v -> CompletableFuture.allOf(owned.stream().map(Stack::disconnect)
                .toArray(CompletableFuture[]::new)))
            .whenComplete((v, e) -> {
                state.set(TERMINATED);
                termination.trySuccess(null);
            });
        return termination;
    }

    @Override
    public Future<?> terminationFuture() {
        return termination;
    }

    @Deprecated
    @Override
    public void shutdown() {
        shutdownGracefully();
    }

    @Override
    public boolean isShutdown() {
        return state.get() != RUNNING;
    }

    @Override
    public boolean isTerminated() {
        return state.get() == TERMINATED;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return termination.await(timeout, unit);
    }

    @Override
    public String toString() {
        return "StackEventLoopGroup" + loops;
    }
}
