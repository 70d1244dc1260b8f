package org.tcpip4j.stack.socket.internal;

import java.io.IOException;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.CompletionHandler;
import java.nio.channels.ReadPendingException;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tcpip4j.netif.InetAddresses;
import org.tcpip4j.netif.IpEndpoint;
import org.tcpip4j.netif.loop.EventLoop;
import org.tcpip4j.netif.loop.Timer;
import org.tcpip4j.tcp.FlowReception;
import org.tcpip4j.tcp.ReadResult;
import org.tcpip4j.tcp.Shutdown;
import org.tcpip4j.tcp.TcpException;
import org.tcpip4j.tcp.TcpFlow;
import org.tcpip4j.tcp.TcpInfo;

/**
 * A {@link TcpFlow} over a connected {@link SocketChannel}: a {@link FlowReceiver} and a
 * {@link FlowSender}, each with its own virtual thread doing the blocking I/O, and their
 * state on the event loop, where every public call is handed and every future completes.
 *
 * <p>The channel is closed (released) once both halves are done: the peer's FIN was read
 * (or the connection failed) and this side's FIN was sent (or can no longer be). What
 * arrived before stays readable after that. {@link #close()} is {@code shutdown(WRITE)}
 * plus waiting for that release, bounded by the stack's close timeout.
 */
public final class SocketFlow implements TcpFlow {

    private static final Logger LOG = LoggerFactory.getLogger(SocketFlow.class);

    private final SocketChannel channel;
    private final EventLoop loop;
    private final IpEndpoint src;
    private final IpEndpoint dst;
    private final Duration closeTimeout;
    private final Consumer<SocketFlow> onRelease;
    private final FlowCounters counters;
    private final FlowReceiver receiver;
    private final FlowSender sender;

    private CompletableFuture<Void> closing;
    private Timer closeTimer;
    private boolean released;

    /**
     * A flow over {@code channel}, connected and in blocking mode; call {@link #start} to
     * run its threads.
     *
     * @param onRelease told (on the loop) when the channel has been closed
     */
    SocketFlow(SocketChannel channel, SocketSettings settings, LoopHandoff handoff, FlowCounters counters,
               Consumer<SocketFlow> onRelease) throws IOException {
        this.channel = channel;
        this.loop = handoff.loop();
        this.src = InetAddresses.endpoint(channel.getLocalAddress());
        this.dst = InetAddresses.endpoint(channel.getRemoteAddress());
        this.closeTimeout = settings.closeTimeout();
        this.onRelease = onRelease;
        this.counters = counters;
        this.receiver = new FlowReceiver(this, channel, handoff, settings.tcpConfig().receiveBufferSize(), counters);
        this.sender = new FlowSender(this, channel, handoff, settings.tcpConfig().sendBufferSize(), counters);
    }

    /** Starts reading ahead and the writing thread. */
    void start(String name) {
        receiver.start("tcpip4j-" + name + "-tcp-rx-" + src.port() + "-" + dst);
        sender.start("tcpip4j-" + name + "-tcp-tx-" + src.port() + "-" + dst);
    }

    /**
     * {@inheritDoc}
     *
     * <p>A read gives what one read from the kernel returned, at most 64 KiB. A second read
     * while one is pending fails with {@link IllegalStateException}. After
     * {@code close()} gave up waiting for the peer, reads fail with
     * {@link TcpException.Timeout}; after the stack was disconnected, with
     * {@link TcpException.Reset}.
     */
    @Override
    public CompletableFuture<ReadResult> read() {
        return loop.call(receiver::read);
    }

    /**
     * {@inheritDoc}
     *
     * <p>The bytes are copied from the chunks read ahead from the kernel (as many as fill
     * {@code dst}); what is left of a chunk waits for the next read.
     */
    @Override
    @SuppressWarnings("unchecked")
    public <A> void read(ByteBuffer dst, A attachment, CompletionHandler<Integer, ? super A> handler) {
        Objects.requireNonNull(dst, "dst");
        Objects.requireNonNull(handler, "handler");
        if (dst.isReadOnly()) {
            throw new IllegalArgumentException("read into a read-only buffer");
        }
        if (!receiver.reading.compareAndSet(FlowReceiver.IDLE, FlowReceiver.BUFFER_READ)) {
            throw new ReadPendingException();
        }
        FlowReceiver.BufferRead read = new FlowReceiver.BufferRead(dst, attachment,
            (CompletionHandler<Integer, Object>) handler);
        try {
            loop.run(() -> receiver.read(read));
        } catch (RuntimeException e) {
            receiver.reading.set(FlowReceiver.IDLE);
            throw e;
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Each chunk read ahead from the kernel (at most 64 KiB) is lent as it is, read-only.
     */
    @Override
    public FlowReception receive(org.tcpip4j.tcp.FlowReceiver receiver) {
        Objects.requireNonNull(receiver, "receiver");
        if (!this.receiver.reading.compareAndSet(FlowReceiver.IDLE, FlowReceiver.RECEIVING)) {
            throw new IllegalStateException("a read is pending or the flow is already received from");
        }
        FlowReceiver.Reception reception = this.receiver.new Reception(receiver);
        try {
            loop.execute(() -> this.receiver.receive(reception));
        } catch (RuntimeException e) {
            this.receiver.reading.set(FlowReceiver.IDLE);
            throw e;
        }
        return reception;
    }

    /**
     * {@inheritDoc}
     *
     * <p>The send buffer is this flow's own (the TCP configuration's send buffer size) in
     * front of the kernel's socket buffer. The data is copied when accepted, and the
     * buffer's position is left where it was.
     */
    @Override
    public CompletableFuture<Void> write(ByteBuffer data) {
        Objects.requireNonNull(data, "data");
        return loop.call(() -> sender.write(List.of(data), false));
    }

    /** {@inheritDoc} The buffers' positions are left where they were. */
    @Override
    public CompletableFuture<Void> writev(List<ByteBuffer> data) {
        List<ByteBuffer> buffers = List.copyOf(data);
        return loop.call(() -> sender.write(buffers, false));
    }

    /**
     * {@inheritDoc}
     *
     * <p>On the socket stack "transmitted" means handed to the kernel, which sends it at
     * once ({@code TCP_NODELAY} is on while it is written); the future does not wait for
     * the peer's acknowledgement.
     */
    @Override
    public CompletableFuture<Void> writeNodelay(ByteBuffer data) {
        Objects.requireNonNull(data, "data");
        return loop.call(() -> sender.write(List.of(data), true));
    }

    /** {@inheritDoc} */
    @Override
    public CompletableFuture<Void> writevNodelay(List<ByteBuffer> data) {
        List<ByteBuffer> buffers = List.copyOf(data);
        return loop.call(() -> sender.write(buffers, true));
    }

    /**
     * {@inheritDoc}
     *
     * <p>Data that arrives meanwhile is kept for reading (up to the receive buffer size), not
     * discarded, so the peer's FIN is seen only once the user has read or the buffer has
     * room for what precedes it. When the peer has not closed within the stack's close
     * timeout the socket is closed anyway (the kernel sends RST if data is left unread)
     * and the future completes.
     */
    @Override
    public CompletableFuture<Void> close() {
        return loop.call(this::startClosing);
    }

    /**
     * {@inheritDoc}
     *
     * <p>{@link Shutdown#WRITE} completes when the FIN has been handed to the kernel;
     * {@link Shutdown#READ} at once (the reading thread keeps reading and discarding, so
     * the peer is not stalled and a later close still sees its FIN).
     */
    @Override
    public CompletableFuture<Void> shutdown(Shutdown mode) {
        Objects.requireNonNull(mode, "mode");
        return loop.call(() -> switch (mode) {
            case READ -> {
                receiver.shutdown();
                yield CompletableFuture.completedFuture(null);
            }
            case WRITE -> sender.shutdown();
            case READ_WRITE -> {
                receiver.shutdown();
                yield sender.shutdown();
            }
        });
    }

    /**
     * What Java lets us see of a kernel connection: whether it is open, and its buffer
     * sizes; the kernel's tcp_info is out of reach without native code, so every other
     * field is -1 (times zero) and the congestion control is named "kernel".
     */
    @Override
    public boolean inEventLoop() {
        return loop.inEventLoop();
    }

    @Override
    public CompletableFuture<TcpInfo> info() {
        return loop.call(() -> {
            String state = released ? "CLOSED" : closing != null ? "CLOSING" : "ESTABLISHED";
            int sendBuffer = -1;
            int receiveBuffer = -1;
            if (channel.isOpen()) {
                try {
                    sendBuffer = channel.getOption(StandardSocketOptions.SO_SNDBUF);
                    receiveBuffer = channel.getOption(StandardSocketOptions.SO_RCVBUF);
                } catch (IOException e) {
                    LOG.debug("socket options of {}: {}", dst, e.toString());
                }
            }
            return CompletableFuture.completedFuture(new TcpInfo(state, "kernel", "unknown", -1, -1, -1,
                Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
                sendBuffer, receiveBuffer, -1, false, false));
        });
    }

    @Override
    public IpEndpoint src() {
        return src;
    }

    @Override
    public IpEndpoint dst() {
        return dst;
    }

    /** The value of a socket option of the underlying channel (for tests and diagnostics). */
    public <T> T socketOption(SocketOption<T> option) throws IOException {
        return channel.getOption(option);
    }

    /**
     * Loop only: ends the flow at once, failing what is pending with {@code why}; with
     * {@code reset} the kernel sends RST instead of FIN ({@code SO_LINGER} 0).
     */
    void abort(TcpException why, boolean reset) {
        if (released) {
            return;
        }
        if (reset) {
            try {
                channel.setOption(StandardSocketOptions.SO_LINGER, 0);
            } catch (IOException e) {
                LOG.debug("cannot set SO_LINGER on {}: {}", this, e.toString());
            }
        }
        receiver.abort(why);
        sender.fail(new TcpException.Closed(why.getMessage()));
        release();
    }

    /** Loop only, from the receiver: the peer's FIN was read. */
    void readSideFinished() {
        releaseWhenDone();
    }

    /** Loop only, from the sender: the FIN was sent, or nothing can be sent any more. */
    void writeSideFinished() {
        releaseWhenDone();
    }

    /** Loop only, from the receiver: the connection was reset or timed out. */
    void connectionFailed(TcpException why) {
        sender.fail(new TcpException.Closed(why.getMessage()));
        releaseWhenDone();
    }

    private CompletableFuture<Void> startClosing() {
        if (closing != null) {
            return closing;
        }
        closing = new CompletableFuture<>();
        if (released) {
            closing.complete(null);
            return closing;
        }
        sender.shutdown();
        if (!released) {
            closeTimer = loop.schedule(closeTimeout.toNanos(), this::giveUpClosing);
        }
        releaseWhenDone();
        return closing;
    }

    private void giveUpClosing() {
        if (released) {
            return;
        }
        LOG.debug("{}: the peer did not close within {}; closing the socket", this, closeTimeout);
        receiver.abort(new TcpException.Timeout("the peer did not close within " + closeTimeout));
        sender.fail(new TcpException.Closed("closed after the peer did not close within " + closeTimeout));
        release();
    }

    private void releaseWhenDone() {
        if (receiver.finished() && sender.finished()) {
            release();
        }
    }

    private void release() {
        if (released) {
            return;
        }
        released = true;
        if (closeTimer != null) {
            closeTimer.cancel();
        }
        receiver.stop();
        sender.stop();
        try {
            channel.close();
        } catch (IOException e) {
            LOG.debug("closing {} failed: {}", this, e.toString());
        }
        counters.closed().increment();
        onRelease.accept(this);
        if (closing != null) {
            closing.complete(null);
        }
    }

    @Override
    public String toString() {
        return "SocketFlow[" + src + " -> " + dst + "]";
    }
}
