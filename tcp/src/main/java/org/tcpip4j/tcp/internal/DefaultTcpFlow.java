package org.tcpip4j.tcp.internal;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tcpip4j.netif.IpEndpoint;
import org.tcpip4j.netif.loop.EventLoop;
import org.tcpip4j.tcp.ReadResult;
import org.tcpip4j.tcp.Shutdown;
import org.tcpip4j.tcp.TcpException;
import org.tcpip4j.tcp.TcpFlow;
import org.tcpip4j.tcp.TcpInfo;
import org.tcpip4j.tcp.TcpListener;

/**
 * The user's side of a connection (Mirage_flow): every public method hands its work to
 * the event loop; the futures it returns complete on the loop.
 *
 * <p>The engine never completes a future while it processes a segment or a timer: it
 * {@link #signal signals} the flow, and the flow completes what it can in a task of its
 * own ({@link #dispatch}), so that code continuing on a future may call back into the
 * flow (read again, write more) without finding the engine half-way through a change.
 *
 * <p>Semantics, after Mirage's flow and the {@link TcpFlow} Javadoc:
 * <ul>
 *   <li>{@code read} gives the bytes received in order (all that are there, in a new
 *       buffer); Eof once the peer's FIN is reached and every byte before it was read,
 *       or after keepalive gave up; a failure with {@link TcpException.Reset} when the
 *       peer reset the connection (buffered bytes are dropped, as a reset discards them),
 *       or with {@link TcpException.Timeout}, after the buffered bytes, when the peer
 *       stopped answering.
 *   <li>{@code write} completes once every byte is in the send buffer; while the buffer
 *       is full the bytes wait in order (backpressure). {@code writeNodelay} bypasses
 *       Nagle and completes once its last byte has been sent the first time.
 *   <li>{@code shutdown(WRITE)} queues the FIN behind every pending write and completes
 *       once it is queued; {@code close} does that and completes when both directions are
 *       closed (TIME_WAIT or CLOSED), or when the connection ends otherwise. It never fails.
 * </ul>
 */
final class DefaultTcpFlow implements TcpFlow {

    private static final Logger LOG = LoggerFactory.getLogger(DefaultTcpFlow.class);

    private final Connection conn;
    private final EventLoop loop;
    /** Made when first asked for (records: a racing second one is equal), so an idle flow holds neither. */
    private IpEndpoint src;
    private IpEndpoint dst;
    private final Runnable dispatchTask = this::dispatch;
    private boolean dispatchScheduled;

    // Loop-only state.
    private CompletableFuture<TcpFlow> connectFuture;
    private TcpListener acceptBy;
    private CompletableFuture<ReadResult> pendingRead;
    private ArrayDeque<PendingWrite> waitingForSpace;
    private ArrayDeque<PendingWrite> waitingForTransmission;
    private boolean writeShutdown;
    private boolean finQueued;
    private CompletableFuture<Void> writeShutdownFuture;
    private boolean readShutdown;
    private CompletableFuture<Void> closeFuture;

    /** A write waiting for room in the send buffer or, with nodelay, for transmission. */
    private static final class PendingWrite {
        final ByteBuffer data;
        final boolean nodelay;
        final CompletableFuture<Void> future = new CompletableFuture<>();
        int endSeq;

        PendingWrite(ByteBuffer data, boolean nodelay) {
            this.data = data;
            this.nodelay = nodelay;
        }
    }

    /** The connection behind this flow (for tests). */
    Connection connection() {
        return conn;
    }

    DefaultTcpFlow(Connection conn) {
        this.conn = conn;
        this.loop = conn.loop;
    }

    // ---- what the engine tells the flow ---------------------------------------------------

    /** The active open's future, completed with this flow once established. */
    CompletableFuture<TcpFlow> connectFuture() {
        if (connectFuture == null) {
            connectFuture = new CompletableFuture<>();
        }
        return connectFuture;
    }

    /** The connection opened by connect is established. */
    void establishedForConnect() {
        signal();
    }

    /** The connection a listener accepted is established: hand it to {@code callback}. */
    void establishedFor(TcpListener callback) {
        this.acceptBy = callback;
        signal();
    }

    /** True when a read waits for data. */
    boolean readPending() {
        return pendingRead != null;
    }

    /** True when writes or a FIN wait for room in the send buffer. */
    boolean waitingForSpace() {
        return (waitingForSpace != null && !waitingForSpace.isEmpty()) || (writeShutdown && !finQueued);
    }

    /** True when nodelay writes wait to be transmitted. */
    boolean waitingForTransmission() {
        return waitingForTransmission != null && !waitingForTransmission.isEmpty();
    }

    /** Something changed: complete what can be completed, in a task of its own. */
    void signal() {
        if (!dispatchScheduled) {
            dispatchScheduled = true;
            loop.execute(dispatchTask);
        }
    }

    private void dispatch() {
        dispatchScheduled = false;
        boolean closed = conn.state == TcpState.CLOSED;
        if (connectFuture != null && !connectFuture.isDone()) {
            if (conn.state.isSynchronized()) {
                connectFuture.complete(this);
            } else if (closed) {
                connectFuture.completeExceptionally(conn.failure != null ? conn.failure
                    : new TcpException.Refused("connection to " + dst() + " failed"));
            }
        }
        if (acceptBy != null) {
            TcpListener callback = acceptBy;
            acceptBy = null;
            try {
                callback.accept(this);
            } catch (RuntimeException e) {
                LOG.warn("listener on port {} failed", conn.localPort, e);
            }
        }
        drainWrites();
        completeTransmitted();
        if (pendingRead != null) {
            Object outcome = readOutcome();
            if (outcome != null) {
                CompletableFuture<ReadResult> read = pendingRead;
                pendingRead = null;
                complete(read, outcome);
            }
        }
        if (conn.state == TcpState.CLOSED) {
            failWrites();
        }
        if (closeFuture != null && conn.bothClosed()) {
            closeFuture.complete(null);
        }
    }

    // ---- reading --------------------------------------------------------------------------

    @Override
    public CompletableFuture<ReadResult> read() {
        return loop.call(this::readOnLoop);
    }

    private CompletableFuture<ReadResult> readOnLoop() {
        if (pendingRead != null) {
            return CompletableFuture.failedFuture(new IllegalStateException("a read is already pending"));
        }
        CompletableFuture<ReadResult> read = new CompletableFuture<>();
        Object outcome = readOutcome();
        if (outcome != null) {
            complete(read, outcome);
        } else {
            pendingRead = read;
        }
        return read;
    }

    /**
     * What a read gives now: a {@link ReadResult}, a {@link TcpException} to fail with, or
     * null when it must wait. Taking data consumes it.
     */
    private Object readOutcome() {
        if (readShutdown) {
            return ReadResult.EOF;
        }
        TcpException failure = conn.failure;
        if (failure instanceof TcpException.Reset) {
            return failure; // a reset discards what was received (RFC 9293 3.10.7.4)
        }
        Receiver rcv = conn.receiver;
        if (rcv.buffer != null && rcv.buffer.readable() > 0) {
            ReadResult data = new ReadResult.Data(rcv.buffer.read(rcv.buffer.readable()));
            if (conn.state != TcpState.CLOSED) {
                rcv.onUserRead();
            }
            return data;
        }
        if (failure instanceof TcpException.Timeout) {
            return failure; // after the bytes that did arrive
        }
        if (rcv.finReceived || conn.state == TcpState.CLOSED) {
            return ReadResult.EOF;
        }
        return null;
    }

    private static void complete(CompletableFuture<ReadResult> read, Object outcome) {
        if (outcome instanceof TcpException e) {
            read.completeExceptionally(e);
        } else {
            read.complete((ReadResult) outcome);
        }
    }

    // ---- writing --------------------------------------------------------------------------

    @Override
    public CompletableFuture<Void> write(ByteBuffer data) {
        return loop.call(() -> enqueue(data, false));
    }

    @Override
    public CompletableFuture<Void> writev(List<ByteBuffer> data) {
        return loop.call(() -> enqueueAll(data, false));
    }

    @Override
    public CompletableFuture<Void> writeNodelay(ByteBuffer data) {
        return loop.call(() -> enqueue(data, true));
    }

    @Override
    public CompletableFuture<Void> writevNodelay(List<ByteBuffer> data) {
        return loop.call(() -> enqueueAll(data, true));
    }

    private CompletableFuture<Void> enqueueAll(List<ByteBuffer> data, boolean nodelay) {
        CompletableFuture<Void> last = CompletableFuture.completedFuture(null);
        for (ByteBuffer b : data) {
            last = enqueue(b, nodelay);
        }
        return last;
    }

    private boolean writeClosed() {
        return writeShutdown || !conn.state.acceptsWrites() || conn.sender.buffer == null;
    }

    private CompletableFuture<Void> enqueue(ByteBuffer data, boolean nodelay) {
        if (writeClosed()) {
            return CompletableFuture.failedFuture(closedError());
        }
        if (!data.hasRemaining()) {
            return CompletableFuture.completedFuture(null);
        }
        // The caller's buffer is the flow's until the future completes; a slice leaves its
        // position and limit alone.
        PendingWrite w = new PendingWrite(data.slice(), nodelay);
        if (waitingForSpace == null) {
            waitingForSpace = new ArrayDeque<>();
        }
        waitingForSpace.add(w);
        drainWrites();
        return w.future;
    }

    /** Moves waiting writes into the send buffer as room allows, then the FIN, and sends. */
    private void drainWrites() {
        Sender snd = conn.sender;
        if (snd.buffer == null || conn.state == TcpState.CLOSED) {
            return;
        }
        boolean added = false;
        PendingWrite w;
        while (waitingForSpace != null && (w = waitingForSpace.peek()) != null && snd.buffer.free() > 0) {
            snd.buffer.append(w.data);
            added = true;
            if (!w.data.hasRemaining()) {
                waitingForSpace.poll();
                if (w.nodelay) {
                    w.endSeq = snd.dataEnd();
                    snd.push(w.endSeq);
                    if (waitingForTransmission == null) {
                        waitingForTransmission = new ArrayDeque<>();
                    }
                    waitingForTransmission.add(w);
                } else {
                    w.future.complete(null);
                }
            }
        }
        if (added) {
            snd.output();
            conn.receiver.flushAck();
        }
        if (writeShutdown && !finQueued && (waitingForSpace == null || waitingForSpace.isEmpty())) {
            finQueued = true;
            conn.shutdownWrite();
            conn.receiver.flushAck();
            writeShutdownFuture.complete(null);
        }
        completeTransmitted();
    }

    private void completeTransmitted() {
        if (waitingForTransmission == null) {
            return;
        }
        PendingWrite w;
        while ((w = waitingForTransmission.peek()) != null && SeqNum.ge(conn.sender.sndMax, w.endSeq)) {
            waitingForTransmission.poll();
            w.future.complete(null);
        }
    }

    private void failWrites() {
        PendingWrite w;
        while (waitingForSpace != null && (w = waitingForSpace.poll()) != null) {
            w.future.completeExceptionally(closedError());
        }
        while (waitingForTransmission != null && (w = waitingForTransmission.poll()) != null) {
            w.future.completeExceptionally(closedError());
        }
        if (writeShutdownFuture != null && !writeShutdownFuture.isDone()) {
            writeShutdownFuture.complete(null);
        }
    }

    private TcpException closedError() {
        TcpException failure = conn.failure;
        String why = failure != null ? ": " + failure.getMessage() : "";
        return new TcpException.Closed("flow " + src() + "->" + dst() + " is closed for writing" + why);
    }

    // ---- closing --------------------------------------------------------------------------

    @Override
    public CompletableFuture<Void> close() {
        return loop.call(() -> {
            shutdownWriteOnLoop();
            conn.onCloseRequested();
            if (closeFuture == null) {
                closeFuture = new CompletableFuture<>();
            }
            if (conn.bothClosed()) {
                closeFuture.complete(null);
            }
            return closeFuture;
        });
    }

    @Override
    public CompletableFuture<Void> shutdown(Shutdown mode) {
        return loop.call(() -> switch (mode) {
            case READ -> shutdownReadOnLoop();
            case WRITE -> shutdownWriteOnLoop();
            case READ_WRITE -> {
                shutdownReadOnLoop();
                yield shutdownWriteOnLoop();
            }
        });
    }

    private CompletableFuture<Void> shutdownReadOnLoop() {
        if (!readShutdown) {
            readShutdown = true;
            conn.shutdownRead();
            if (pendingRead != null) {
                CompletableFuture<ReadResult> read = pendingRead;
                pendingRead = null;
                read.complete(ReadResult.EOF);
            }
        }
        return CompletableFuture.completedFuture(null);
    }

    private CompletableFuture<Void> shutdownWriteOnLoop() {
        if (!writeShutdown) {
            writeShutdown = true;
            writeShutdownFuture = new CompletableFuture<>();
            if (conn.state == TcpState.CLOSED || conn.sender.buffer == null) {
                finQueued = true;
                writeShutdownFuture.complete(null);
            } else {
                drainWrites();
            }
        }
        return writeShutdownFuture;
    }

    @Override
    public CompletableFuture<TcpInfo> info() {
        return loop.call(() -> CompletableFuture.completedFuture(conn.info()));
    }

    @Override
    public boolean inEventLoop() {
        return loop.inEventLoop();
    }

    @Override
    public IpEndpoint src() {
        IpEndpoint e = src;
        if (e == null) {
            e = new IpEndpoint(conn.localAddress, conn.localPort);
            src = e;
        }
        return e;
    }

    @Override
    public IpEndpoint dst() {
        IpEndpoint e = dst;
        if (e == null) {
            e = new IpEndpoint(conn.remoteAddress, conn.remotePort);
            dst = e;
        }
        return e;
    }

    @Override
    public String toString() {
        return "TcpFlow[" + conn + "]";
    }
}
