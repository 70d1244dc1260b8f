package org.tcpip4j.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.AbstractChannel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelMetadata;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoop;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AlreadyConnectedException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ConnectionPendingException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.tcpip4j.netif.InetAddresses;
import org.tcpip4j.stack.direct.DirectStack;
import org.tcpip4j.tcp.FlowReceiver;
import org.tcpip4j.tcp.FlowReception;
import org.tcpip4j.tcp.Shutdown;
import org.tcpip4j.tcp.TcpException;
import org.tcpip4j.tcp.TcpFlow;
import org.tcpip4j.tcp.TcpInfo;

/**
 * A Netty {@link SocketChannel} over one of our {@link TcpFlow}s: a client channel that
 * connects through its {@link StackEventLoop}'s stack, or a connection accepted by a
 * {@link StackServerSocketChannel}. It runs on the stack's own loop.
 *
 * <p>Reading: the flow lends its receive buffer's bytes ({@link TcpFlow#receive}); each
 * arrival is copied into buffers from the channel's allocator, sized by its
 * {@link RecvByteBufAllocator}, and fired down the pipeline. {@code autoRead} off stops
 * the reception, so what arrives stays in the receive buffer and the window offered to
 * the peer closes; {@link #read()} then delivers one more arrival.
 *
 * <p>Writing: a flush hands the flushed buffers to the flow at once ({@code writev}, or
 * {@code writevNodelay} with {@code TCP_NODELAY}); they leave the
 * {@link ChannelOutboundBuffer}, their promises complete and they are released only when the
 * flow has accepted them, so the channel's writability counts both what waits in Netty and
 * what the flow has not taken yet: a writer that heeds {@link #isWritable()} holds no more
 * than the high water mark beyond the flow's send buffer. A close, or an output shutdown,
 * while the flow holds a write it has not accepted yet leaves that write to the flow, which
 * sends it before its FIN: its promises succeed, and only what was not handed to the flow
 * fails. A write the flow fails (the peer reset) fails its promises with an
 * {@link IOException} whose cause is the flow's {@link TcpException}, which also reaches
 * the pipeline as {@code exceptionCaught}.
 *
 * <p>The end of the peer's stream closes the channel, or with {@code ALLOW_HALF_CLOSURE}
 * fires {@link ChannelInputShutdownEvent} and {@link ChannelInputShutdownReadComplete}. A
 * reset or a timeout reaches the pipeline as {@code exceptionCaught}, an
 * {@link IOException} whose cause is the flow's {@link TcpException}, and closes the
 * channel. {@link #info()} gives the connection's {@link TcpInfo}.
 *
 * <p>A connect that times out ({@code CONNECT_TIMEOUT_MILLIS}) or is closed fails its
 * promise at once; the TCP layer has no abort of a pending connect, so its handshake goes
 * on, and a connection it completes later is closed as soon as it arrives.
 */
public final class StackSocketChannel extends AbstractChannel implements SocketChannel {

    private static final ChannelMetadata METADATA = new ChannelMetadata(false, 16);
    private static final int MAX_WRITE_BUFFERS = 1024;
    private static final long MAX_WRITE_BYTES = 256 * 1024;

    private final StackSocketChannelConfig config;
    /** For an accepted connection, the stack it lives on; null for a client channel. */
    private final DirectStack home;
    private final Receiver receiver = new Receiver();

    private volatile TcpFlow flow;
    private volatile boolean open = true;
    private volatile boolean active;
    private volatile boolean inputShutdown;
    private volatile boolean outputShutdown;
    private boolean inputShutdownAsked;
    private FlowReception reception;
    private boolean readPending;
    private InetSocketAddress local;
    private InetSocketAddress remote;

    private ChannelPromise connectPromise;
    private ScheduledFuture<?> connectTimeout;

    // A write the flow has not accepted yet: its bytes, the buffers held for it and the
    // outbound buffer they stay in (which Netty detaches before doClose runs).
    private boolean writing;
    private long writingBytes;
    private ChannelOutboundBuffer writingFrom;
    private final List<ByteBuffer> writeList = new ArrayList<>();
    private final List<ByteBuf> held = new ArrayList<>();
    private long toHold;
    private final ChannelOutboundBuffer.MessageProcessor holder = msg -> {
        ByteBuf b = (ByteBuf) msg;
        held.add(b.retain());
        toHold -= b.readableBytes();
        return toHold > 0;
    };
    private final BiConsumer<Void, Throwable> writeDone = this::writeDone;

    /** A client channel; it connects through the stack of the loop it is registered on. */
    public StackSocketChannel() {
        super(null);
        this.home = null;
        this.config = new StackSocketChannelConfig(this, false, null);
    }

    /** An accepted connection, which lives on {@code home}'s loop. */
    StackSocketChannel(StackServerSocketChannel parent, DirectStack home, TcpFlow flow,
                       StackServerSocketChannelConfig parentConfig) {
        super(parent);
        this.home = home;
        this.config = new StackSocketChannelConfig(this, true, parentConfig.getKeepalive());
        this.config.setTcpNoDelay(true);
        this.flow = flow;
        this.local = InetAddresses.toSocketAddress(flow.src());
        this.remote = InetAddresses.toSocketAddress(flow.dst());
        this.active = true;
    }

    /** The connection's flow, null until it is open. */
    TcpFlow flowOrNull() {
        return flow;
    }

    /** The stack an accepted connection lives on, null for a client channel. */
    DirectStack home() {
        return home;
    }

    /**
     * A snapshot of the connection's state, windows and round-trip figures (Linux's
     * {@code ss -ti}); fails with {@link IllegalStateException} before the channel is
     * connected.
     */
    public CompletableFuture<TcpInfo> info() {
        TcpFlow f = flow;
        if (f == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("not connected"));
        }
        return f.info();
    }

    @Override
    public ServerSocketChannel parent() {
        return (ServerSocketChannel) super.parent();
    }

    @Override
    public StackSocketChannelConfig config() {
        return config;
    }

    @Override
    public ChannelMetadata metadata() {
        return METADATA;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public boolean isActive() {
        return open && active;
    }

    @Override
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) super.localAddress();
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return (InetSocketAddress) super.remoteAddress();
    }

    @Override
    protected SocketAddress localAddress0() {
        return local;
    }

    @Override
    protected SocketAddress remoteAddress0() {
        return remote;
    }

    @Override
    protected AbstractUnsafe newUnsafe() {
        return new StackUnsafe();
    }

    @Override
    protected boolean isCompatible(EventLoop loop) {
        return loop instanceof StackEventLoop l && (home == null || l.stack() == home);
    }

    private StackEventLoop loop() {
        return (StackEventLoop) eventLoop();
    }

    @Override
    protected void doRegister(ChannelPromise promise) {
        loop().admit(this, promise);
    }

    @Override
    protected void doDeregister() {
        loop().removed(this);
    }

    @Override
    protected void doBind(SocketAddress localAddress) throws Exception {
        throw new UnsupportedOperationException(
            "a client channel of the tcpip4j transport connects from an ephemeral port and cannot be bound");
    }

    @Override
    protected void doDisconnect() {
        doClose();
    }

    @Override
    protected void doClose() {
        open = false;
        active = false;
        settleInFlight();
        ChannelPromise p = connectPromise;
        if (p != null) {
            connectPromise = null;
            p.tryFailure(new ClosedChannelException());
        }
        if (connectTimeout != null) {
            connectTimeout.cancel(false);
            connectTimeout = null;
        }
        TcpFlow f = flow;
        if (f != null) {
            discard(f);
        }
    }

    /** Closes {@code f}; what the peer still sends is discarded, so a paused reception holds nothing. */
    private static void discard(TcpFlow f) {
        f.close();
        f.shutdown(Shutdown.READ);
    }

    @Override
    protected void doShutdownOutput() {
        outputShutdown = true;
        settleInFlight();
        TcpFlow f = flow;
        if (f != null) {
            f.shutdown(Shutdown.WRITE);
        }
    }

    /** autoRead was switched off: stop the reception until the next {@link #read()}. */
    void autoReadCleared() {
        if (!isRegistered()) {
            readPending = false; // set as an option before registration: no reception yet
            return;
        }
        if (eventLoop().inEventLoop()) {
            readPending = false;
            if (reception != null) {
                reception.pause();
            }
        } else {
            eventLoop().execute(this::autoReadCleared);
        }
    }

    @Override
    protected void doBeginRead() {
        TcpFlow f = flow;
        if (f == null || inputShutdown) {
            return;
        }
        readPending = true;
        if (reception == null) {
            reception = f.receive(receiver);
        } else if (reception.isPaused()) {
            reception.resume();
        }
    }

    // ---- writing ----------------------------------------------------------------------

    @Override
    protected Object filterOutboundMessage(Object msg) {
        if (msg instanceof ByteBuf) {
            return msg;
        }
        throw new UnsupportedOperationException("unsupported message type: " + msg.getClass().getName()
            + " (the tcpip4j transport writes ByteBufs)");
    }

    @Override
    protected void doWrite(ChannelOutboundBuffer in) throws Exception {
        if (writing) {
            return; // continues when the flow accepts what it holds
        }
        TcpFlow f = flow;
        while (!in.isEmpty()) {
            ByteBuffer[] buffers = in.nioBuffers(MAX_WRITE_BUFFERS, MAX_WRITE_BYTES);
            int n = in.nioBufferCount();
            // Not nioBufferSize(): it counts whole messages, while a composite of more
            // components than MAX_WRITE_BUFFERS gives only its first ones here.
            long bytes = 0;
            for (int i = 0; i < n; i++) {
                bytes += buffers[i].remaining();
            }
            if (bytes == 0) {
                in.removeBytes(0);
                continue;
            }
            writeList.clear();
            for (int i = 0; i < n; i++) {
                writeList.add(buffers[i]);
            }
            CompletableFuture<Void> written = config.isTcpNoDelay() ? f.writevNodelay(writeList) : f.writev(writeList);
            writeList.clear();
            // The flow took slices; consume the buffers as a socket's writev would, since
            // Netty keeps a composite's buffers between calls and skips the consumed ones.
            for (int i = 0; i < n; i++) {
                buffers[i].position(buffers[i].limit());
            }
            if (written.isDone()) {
                if (written.isCompletedExceptionally()) {
                    throw writeFailure(written.exceptionNow());
                }
                in.removeBytes(bytes);
                continue;
            }
            // The flow keeps slices of these buffers until it accepts them: hold them until then,
            // whatever Netty does with its own reference (a close, a shutdown) meanwhile.
            writing = true;
            writingBytes = bytes;
            writingFrom = in;
            toHold = bytes;
            in.forEachFlushedMessage(holder);
            written.whenComplete(writeDone);
            return;
        }
    }

    private void writeDone(Void ignored, Throwable failure) {
        if (!eventLoop().inEventLoop()) {
            eventLoop().execute(() -> writeDone(ignored, failure));
            return;
        }
        for (int i = 0; i < held.size(); i++) {
            held.get(i).release();
        }
        held.clear();
        if (failure != null) {
            IOException cause = writeFailure(failure);
            failInFlight(cause);
            writing = false;
            if (open) {
                pipeline().fireExceptionCaught(cause);
                unsafe().close(unsafe().voidPromise());
            }
            return;
        }
        long bytes = writingBytes;
        writingBytes = 0;
        writingFrom = null;
        ChannelOutboundBuffer in = unsafe().outboundBuffer();
        if (in != null) {
            // Still "writing" while the accepted messages leave: each removal may fire a
            // writability change whose handler flushes, and that flush must not hand the
            // flow the messages not yet removed a second time.
            in.removeBytes(bytes);
        }
        writing = false;
        if (in != null) {
            ((StackUnsafe) unsafe()).resumeFlush();
        }
    }

    /**
     * The channel closes or shuts its output while the flow holds a write it has not taken
     * into its send buffer yet: that write is the flow's, which sends it before its FIN, so
     * its messages leave as written before Netty fails what remains.
     */
    private void settleInFlight() {
        ChannelOutboundBuffer in = writingFrom;
        long bytes = writingBytes;
        writingFrom = null;
        writingBytes = 0;
        if (in != null && bytes > 0) {
            in.removeBytes(bytes);
        }
    }

    /** The flow failed: the messages of the write it held fail with {@code cause}. */
    private void failInFlight(IOException cause) {
        ChannelOutboundBuffer in = writingFrom;
        long bytes = writingBytes;
        writingFrom = null;
        writingBytes = 0;
        if (in == null) {
            return;
        }
        while (bytes > 0 && in.current() instanceof ByteBuf b) {
            bytes -= b.readableBytes();
            in.remove(cause);
        }
    }

    private static IOException writeFailure(Throwable t) {
        Throwable cause = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
        return new IOException(cause.getMessage(), cause);
    }

    // ---- half-closure -----------------------------------------------------------------

    @Override
    public boolean isInputShutdown() {
        return inputShutdown;
    }

    @Override
    public boolean isOutputShutdown() {
        return outputShutdown;
    }

    @Override
    public boolean isShutdown() {
        return inputShutdown && outputShutdown || !isActive();
    }

    @Override
    public ChannelFuture shutdownInput() {
        return shutdownInput(newPromise());
    }

    @Override
    public ChannelFuture shutdownInput(ChannelPromise promise) {
        onLoop(() -> {
            inputShutdownAsked = true;
            TcpFlow f = flow;
            if (f == null) {
                promise.setFailure(new ClosedChannelException());
                return;
            }
            inputShutdown = true;
            f.shutdown(Shutdown.READ);
            promise.setSuccess();
        });
        return promise;
    }

    @Override
    public ChannelFuture shutdownOutput() {
        return shutdownOutput(newPromise());
    }

    @Override
    public ChannelFuture shutdownOutput(ChannelPromise promise) {
        onLoop(() -> ((AbstractUnsafe) unsafe()).shutdownOutput(promise));
        return promise;
    }

    @Override
    public ChannelFuture shutdown() {
        return shutdown(newPromise());
    }

    @Override
    public ChannelFuture shutdown(ChannelPromise promise) {
        ChannelPromise input = newPromise();
        shutdownOutput().addListener(out -> shutdownInput(input).addListener(in -> {
            Throwable failure = out.cause() != null ? out.cause() : in.cause();
            if (failure != null) {
                promise.tryFailure(failure);
            } else {
                promise.trySuccess();
            }
        }));
        return promise;
    }

    private void onLoop(Runnable r) {
        if (eventLoop().inEventLoop()) {
            r.run();
        } else {
            eventLoop().execute(r);
        }
    }

    // ---- connecting -------------------------------------------------------------------

    private static Throwable connectFailure(Throwable t, InetSocketAddress to) {
        Throwable cause = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
        Throwable mapped = switch (cause) {
            case TcpException.Refused r -> new ConnectException("connection refused: " + to);
            case TcpException.Timeout r -> new ConnectTimeoutException("connection timed out: " + to);
            case TcpException.NoRoute r -> new NoRouteToHostException("no route to " + to);
            case TcpException e -> new ConnectException(e.getMessage() + ": " + to);
            default -> null;
        };
        if (mapped == null) {
            return cause;
        }
        mapped.initCause(cause);
        return mapped;
    }

    private void connected(TcpFlow f, Throwable failure, InetSocketAddress to) {
        if (connectTimeout != null) {
            connectTimeout.cancel(false);
            connectTimeout = null;
        }
        ChannelPromise p = connectPromise;
        connectPromise = null;
        if (failure != null) {
            unsafe().close(unsafe().voidPromise());
            if (p != null) {
                p.tryFailure(connectFailure(failure, to));
            }
            return;
        }
        if (p == null || p.isDone() || !open) {
            // Closed, or timed out, while connecting: the flow arrives to nobody. The TCP
            // layer has no abort of a pending connect, so it is closed as soon as it arrives.
            discard(f);
            return;
        }
        flow = f;
        config.applyBufferSizes(f);
        local = InetAddresses.toSocketAddress(f.src());
        remote = InetAddresses.toSocketAddress(f.dst());
        active = true;
        boolean promised = p.trySuccess();
        pipeline().fireChannelActive();
        if (!promised) {
            unsafe().close(unsafe().voidPromise());
        }
    }

    private final class StackUnsafe extends AbstractUnsafe {

        void resumeFlush() {
            flush0();
        }

        @Override
        public void connect(SocketAddress remoteAddress, SocketAddress localAddress, ChannelPromise promise) {
            if (!promise.setUncancellable() || !ensureOpen(promise)) {
                return;
            }
            if (flow != null) {
                promise.setFailure(new AlreadyConnectedException());
                return;
            }
            if (connectPromise != null) {
                promise.setFailure(new ConnectionPendingException());
                return;
            }
            InetSocketAddress to;
            CompletableFuture<TcpFlow> opening;
            try {
                to = Addresses.inet(remoteAddress);
                if (localAddress != null && Addresses.inet(localAddress).getPort() != 0) {
                    throw new UnsupportedOperationException(
                        "the tcpip4j transport connects from an ephemeral port; a local port cannot be chosen");
                }
                opening = loop().stack().tcp().connectWith(InetAddresses.fromInet(to.getAddress()), to.getPort(),
                    config.flowOptions());
            } catch (RuntimeException e) {
                promise.setFailure(e);
                closeIfClosed();
                return;
            }
            connectPromise = promise;
            int timeoutMillis = config.getConnectTimeoutMillis();
            if (timeoutMillis > 0) {
                connectTimeout = eventLoop().schedule(() -> {
                    ChannelPromise p = connectPromise;
                    if (p != null && !p.isDone()) {
                        connectPromise = null;
                        close(voidPromise());
                        p.tryFailure(new ConnectTimeoutException(
                            "connection timed out after " + timeoutMillis + " ms: " + to));
                    }
                }, timeoutMillis, TimeUnit.MILLISECONDS);
            }
            // On the stack's loop itself, not through the group: after the group terminated
            // it refuses tasks, and a flow that arrives then must still be closed.
            StackEventLoop loop = loop();
            opening.whenComplete((f, failure) -> {
                if (loop.inEventLoop()) {
                    connected(f, failure, to);
                } else {
                    loop.stackLoop().execute(() -> connected(f, failure, to));
                }
            });
        }
    }

    // ---- reading ----------------------------------------------------------------------

    /** Copies what the flow lends into the channel's buffers and fires it down the pipeline. */
    private final class Receiver implements FlowReceiver {

        @Override
        public void data(ByteBuffer view) {
            if (!open) {
                view.position(view.limit()); // closed: discard
                return;
            }
            if (!readPending && !config.isAutoRead()) {
                return; // bytes left in the view pause the reception until read()
            }
            ChannelPipeline p = pipeline();
            RecvByteBufAllocator.Handle handle = unsafe().recvBufAllocHandle();
            ByteBufAllocator alloc = config.getAllocator();
            while (view.hasRemaining()) {
                readPending = false;
                handle.reset(config);
                do {
                    ByteBuf buf = handle.allocate(alloc);
                    int room = buf.writableBytes();
                    int n = Math.min(room, view.remaining());
                    int limit = view.limit();
                    view.limit(view.position() + n);
                    buf.writeBytes(view);
                    view.limit(limit);
                    handle.attemptedBytesRead(room);
                    handle.lastBytesRead(n);
                    handle.incMessagesRead(1);
                    p.fireChannelRead(buf);
                } while (view.hasRemaining() && open && handle.continueReading());
                handle.readComplete();
                p.fireChannelReadComplete();
                if (!open || !readPending && !config.isAutoRead()) {
                    return;
                }
            }
        }

        @Override
        public void end() {
            if (!open) {
                return;
            }
            inputShutdown = true;
            if (inputShutdownAsked) {
                return;
            }
            if (config.isAllowHalfClosure()) {
                pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
                pipeline().fireUserEventTriggered(ChannelInputShutdownReadComplete.INSTANCE);
            } else {
                unsafe().close(unsafe().voidPromise());
            }
        }

        @Override
        public void failed(TcpException cause) {
            if (!open) {
                return;
            }
            IOException e = new IOException(cause.getMessage(), cause);
            failInFlight(e); // the flow sends none of it
            pipeline().fireExceptionCaught(e);
            unsafe().close(unsafe().voidPromise());
        }
    }
}
