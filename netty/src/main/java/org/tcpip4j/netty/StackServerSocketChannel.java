package org.tcpip4j.netty;

import io.netty.channel.AbstractServerChannel;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.socket.ServerSocketChannel;
import java.net.BindException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayDeque;
import org.tcpip4j.netif.InetAddresses;
import org.tcpip4j.netif.IpAddress;
import org.tcpip4j.stack.Stack;
import org.tcpip4j.stack.direct.DirectStack;
import org.tcpip4j.stack.direct.MultiQueueStack;
import org.tcpip4j.tcp.FlowOptions;
import org.tcpip4j.tcp.TcpFlow;

/**
 * A Netty {@link ServerSocketChannel} that listens on a port of our TCP: each connection
 * it accepts becomes a {@link StackSocketChannel} fired down its pipeline (to
 * {@code ServerBootstrap}'s acceptor), which the {@link StackEventLoopGroup} registers on
 * the loop of the stack, or queue, the connection lives on.
 *
 * <p>Binding listens on the loop's {@linkplain StackEventLoop#listeningStack() listening
 * stack}, on every address of the IP version bound (both for a wildcard address); a
 * specific address must be one of the stack's, or one of another stack of the group, which
 * then listens. Port 0 takes a free ephemeral port. A port bound by another channel of this
 * transport on the same stack fails with {@link BindException}, as a socket's would.
 * With {@code autoRead} off, accepted connections wait (established, their data buffered)
 * until {@link #read()}, which delivers one; with it on, waiting connections are delivered
 * in batches of at most {@code maxMessagesPerRead}.
 */
public final class StackServerSocketChannel extends AbstractServerChannel implements ServerSocketChannel {

    private final StackServerSocketChannelConfig config = new StackServerSocketChannelConfig(this);
    private final ArrayDeque<StackSocketChannel> waiting = new ArrayDeque<>();
    private volatile boolean open = true;
    private volatile InetSocketAddress local;
    private Stack listening;
    private StackEventLoopGroup group;
    private boolean readPending;
    private boolean draining;
    private boolean drainScheduled;
    private final Runnable drainLater = () -> {
        drainScheduled = false;
        if (isActive() && !waiting.isEmpty() && (readPending || config.isAutoRead())) {
            drain();
        }
    };

    /** A server channel; it listens through the loop it is registered on. */
    public StackServerSocketChannel() {
    }

    @Override
    public StackServerSocketChannelConfig config() {
        return config;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public boolean isActive() {
        return open && local != null;
    }

    @Override
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) super.localAddress();
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return null;
    }

    @Override
    protected SocketAddress localAddress0() {
        return local;
    }

    @Override
    protected boolean isCompatible(EventLoop loop) {
        return loop instanceof StackEventLoop;
    }

    @Override
    protected void doRegister(ChannelPromise promise) {
        ((StackEventLoop) eventLoop()).admit(this, promise);
    }

    @Override
    protected void doDeregister() {
        ((StackEventLoop) eventLoop()).removed(this);
    }

    @Override
    protected void doBind(SocketAddress localAddress) throws Exception {
        InetSocketAddress requested = Addresses.inet(localAddress);
        StackEventLoop loop = (StackEventLoop) eventLoop();
        group = loop.parent();
        Stack stack = loop.listeningStack();
        int version = FlowOptions.ANY_VERSION;
        if (!requested.getAddress().isAnyLocalAddress()) {
            IpAddress ip = InetAddresses.fromInet(requested.getAddress());
            stack = stackWith(ip, loop);
            version = requested.getAddress() instanceof Inet4Address ? 4 : 6;
        }
        int port = Ports.reserve(stack, "tcp", requested.getPort());
        Stack s = stack;
        try {
            FlowOptions options = config.flowOptions(version);
            if (s instanceof MultiQueueStack mq) {
                mq.tcp().listenWith(port, options, flow -> accepted(flow, queueOnThisThread(mq)));
            } else {
                s.tcp().listenWith(port, options, flow -> accepted(flow, (DirectStack) s));
            }
        } catch (RuntimeException e) {
            Ports.release(s, "tcp", port);
            throw e;
        }
        listening = s;
        local = new InetSocketAddress(requested.getAddress(), port);
    }

    private static Stack stackWith(IpAddress ip, StackEventLoop loop) throws BindException {
        if (loop.listeningStack().addresses().contains(ip)) {
            return loop.listeningStack();
        }
        for (StackEventLoop l : loop.parent().loops()) {
            if (l.listeningStack().addresses().contains(ip)) {
                return l.listeningStack();
            }
        }
        throw new BindException("cannot assign requested address: " + ip + " is not an address of the group's stacks");
    }

    /** The queue of {@code mq} whose loop calls: a multi-queue stack has a loop per queue. */
    private DirectStack queueOnThisThread(MultiQueueStack mq) {
        for (DirectStack q : mq.queues()) {
            if (q.loop().inEventLoop()) {
                return q;
            }
        }
        throw new IllegalStateException("a connection accepted off every queue's loop");
    }

    /** A connection was accepted, on the loop of {@code home}. */
    private void accepted(TcpFlow flow, DirectStack home) {
        if (!isActive()) {
            flow.close();
            return;
        }
        StackSocketChannel child = new StackSocketChannel(this, home, flow, config);
        if (eventLoop().inEventLoop()) {
            deliver(child);
        } else {
            eventLoop().execute(() -> deliver(child));
        }
    }

    private void deliver(StackSocketChannel child) {
        if (!isActive()) {
            child.unsafe().closeForcibly();
            return;
        }
        waiting.add(child);
        if (readPending || config.isAutoRead()) {
            drain();
        }
    }

    /** autoRead was switched off: accepted connections wait until the next {@link #read()}. */
    void autoReadCleared() {
        if (!isRegistered() || eventLoop().inEventLoop()) {
            readPending = false;
        } else {
            eventLoop().execute(this::autoReadCleared);
        }
    }

    @Override
    protected void doBeginRead() {
        readPending = true;
        if (!waiting.isEmpty() && !draining) { // a read asked within a drain follows it
            drain();
        }
    }

    /**
     * Fires waiting connections down the pipeline, at most {@code maxMessagesPerRead} of
     * them (one with autoRead off); under autoRead the rest follow in a task of their own,
     * as a selector's next round would accept them.
     */
    private void drain() {
        readPending = false;
        draining = true;
        try {
            ChannelPipeline p = pipeline();
            RecvByteBufAllocator.Handle handle = unsafe().recvBufAllocHandle();
            handle.reset(config);
            StackSocketChannel child;
            do {
                child = waiting.poll();
                if (child == null) {
                    break;
                }
                handle.incMessagesRead(1);
                p.fireChannelRead(child);
            } while (isActive() && handle.continueReading());
            handle.readComplete();
            p.fireChannelReadComplete();
        } finally {
            draining = false;
        }
        if (!waiting.isEmpty() && isActive() && (readPending || config.isAutoRead()) && !drainScheduled) {
            drainScheduled = true;
            eventLoop().execute(drainLater);
        }
    }

    @Override
    protected void doClose() {
        boolean wasBound = local != null;
        open = false;
        if (wasBound && listening != null) {
            listening.tcp().unlisten(local.getPort());
            Ports.release(listening, "tcp", local.getPort());
        }
        StackSocketChannel child;
        while ((child = waiting.poll()) != null) {
            child.unsafe().closeForcibly();
        }
    }

    @Override
    public String toString() {
        return "StackServerSocketChannel(" + local + (group != null ? " on " + listening : "") + ")";
    }
}
