package org.tcpip4j.tcp.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.channels.CompletionHandler;
import java.nio.channels.ReadPendingException;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tcpip4j.netif.IpEndpoint;
import org.tcpip4j.netif.loop.EventLoop;
import org.tcpip4j.tcp.FlowReceiver;
import org.tcpip4j.tcp.FlowReception;
import org.tcpip4j.tcp.ReadResult;
import org.tcpip4j.tcp.Shutdown;
import org.tcpip4j.tcp.TcpConfig;
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
 *       stopped answering. {@code read(dst, attachment, handler)} gives the same outcomes
 *       by copying into the caller's buffer, and {@code receive} by lending the receive
 *       buffer's chunks; whichever form takes bytes, the window opens as it does for
 *       {@code read} ({@link Receiver#onUserRead}). One form reads at a time
 *       ({@link #reading}).
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
    /** Loop only: a reception is being lent bytes straight from a frame ({@link #lend}). */
    private boolean lending;

    /**
     * Which form of read holds the flow: {@link #IDLE}, or a {@link #FUTURE_READ},
     * {@link #BUFFER_READ} or {@link #RECEIVING} in progress. Taken with a CAS by the
     * caller's thread for the buffer read and the reception, so that a second read fails
     * at once wherever it is made, and given back on the loop.
     */
    private volatile int reading;
    private static final int IDLE = 0;
    private static final int FUTURE_READ = 1;
    private static final int BUFFER_READ = 2;
    private static final int RECEIVING = 3;
    private static final VarHandle READING;
    /** Handlers called from within a read on the loop, in a row, before one is deferred (as NIO's). */
    private static final int MAX_INLINE_COMPLETIONS = 16;
    /** What {@link #readState} says when bytes are there to take. */
    private static final Object READABLE = new Object();

    static {
        try {
            READING = MethodHandles.lookup().findVarHandle(DefaultTcpFlow.class, "reading", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    // The buffer read: written by the caller's thread once it holds {@link #reading}, then
    // handed to the loop ({@link #armBufferRead}), loop-only from there until completion.
    private ByteBuffer readDst;
    private Object readAttachment;
    private CompletionHandler<Integer, Object> readHandler;
    private final Runnable armBufferReadTask = this::armBufferRead;

    // Loop-only state.
    private CompletableFuture<TcpFlow> connectFuture;
    private TcpListener acceptBy;
    private CompletableFuture<ReadResult> pendingRead;
    /** The buffer read handed to the loop waits for an outcome. */
    private boolean bufferReadArmed;
    /** Handlers running now, nested within reads made on the loop. */
    private int inlineCompletions;
    private Reception reception;
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

    /** True when a read waits for data, or a reception that is not paused. */
    boolean readPending() {
        return pendingRead != null || bufferReadArmed || (reception != null && reception.wantsData());
    }

    /**
     * True when in-order bytes arriving now may be lent to the reception straight from the
     * received frame ({@link #lend}): it wants data, the read direction is open, and no lend
     * is in progress (a receiver's call into the flow never nests one).
     */
    boolean takesArrivals() {
        Reception r = reception;
        return r != null && r.wantsData() && !readShutdown && !lending;
    }

    /**
     * On the loop, in a segment's processing: lends {@code length} bytes of the read-only
     * frame {@code src} from absolute index {@code offset} to the reception, as one
     * {@link FlowReceiver#data} call, and puts the frame's position and limit back after.
     * When the receiver leaves bytes the reception pauses, as in {@link Reception#deliver}.
     *
     * @return the bytes the receiver took, 0 when there is no reception to take them any more
     */
    int lend(ByteBuffer src, int offset, int length) {
        Reception r = reception;
        if (r == null || !r.wantsData() || readShutdown) {
            return 0;
        }
        return r.lend(src, offset, length);
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
                READING.setVolatile(this, IDLE);
                complete(read, outcome);
            }
        }
        if (bufferReadArmed) {
            Object state = readState();
            if (state != null) {
                completeBufferRead(state);
            }
        }
        if (reception != null) {
            reception.deliver();
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
        if (!READING.compareAndSet(this, IDLE, FUTURE_READ)) {
            return CompletableFuture.failedFuture(new IllegalStateException("a read is already pending"));
        }
        CompletableFuture<ReadResult> read = new CompletableFuture<>();
        Object outcome = readOutcome();
        if (outcome != null) {
            READING.setVolatile(this, IDLE);
            complete(read, outcome);
        } else {
            pendingRead = read;
        }
        return read;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Made on the loop with a buffer and handler used again, the read allocates nothing:
     * its state lives in this flow, and counts are boxed once ({@link ReadCounts}). Made
     * from another thread, it is handed to the loop as a task (the loop's queue may take a
     * node for it).
     */
    @Override
    @SuppressWarnings("unchecked")
    public <A> void read(ByteBuffer dst, A attachment, CompletionHandler<Integer, ? super A> handler) {
        Objects.requireNonNull(dst, "dst");
        Objects.requireNonNull(handler, "handler");
        if (dst.isReadOnly()) {
            throw new IllegalArgumentException("read into a read-only buffer");
        }
        if (!READING.compareAndSet(this, IDLE, BUFFER_READ)) {
            throw new ReadPendingException();
        }
        readDst = dst;
        readAttachment = attachment;
        readHandler = (CompletionHandler<Integer, Object>) handler;
        if (loop.inEventLoop()) {
            armBufferRead();
            return;
        }
        try {
            loop.execute(armBufferReadTask);
        } catch (RuntimeException e) {
            clearBufferRead();
            throw e;
        }
    }

    /**
     * On the loop: the buffer read waits for an outcome, and completes at once when there
     * is one, unless too many handlers are already nested in this call (a handler that
     * reads again while bytes are there): then in the flow's next dispatch.
     */
    private void armBufferRead() {
        bufferReadArmed = true;
        Object state = readDst.hasRemaining() ? readState() : READABLE; // no room: 0 at once, as NIO's
        if (state == null) {
            return;
        }
        if (inlineCompletions < MAX_INLINE_COMPLETIONS) {
            completeBufferRead(state);
        } else {
            signal();
        }
    }

    /** Completes the buffer read with {@code state} ({@link #readState}), taking bytes when there are. */
    private void completeBufferRead(Object state) {
        ByteBuffer dst = readDst;
        Object attachment = readAttachment;
        CompletionHandler<Integer, Object> handler = readHandler;
        int count = -1;
        TcpException failure = null;
        if (state == READABLE) {
            count = take(dst);
        } else if (state instanceof TcpException e) {
            failure = e;
        }
        clearBufferRead();
        inlineCompletions++;
        try {
            if (failure != null) {
                handler.failed(failure, attachment);
            } else {
                handler.completed(ReadCounts.of(count), attachment);
            }
        } catch (RuntimeException e) {
            LOG.warn("the read handler of {} failed", this, e);
        } finally {
            inlineCompletions--;
        }
    }

    /** Forgets the buffer read and lets the next read in; the handler may then read again. */
    private void clearBufferRead() {
        readDst = null;
        readAttachment = null;
        readHandler = null;
        bufferReadArmed = false;
        READING.setVolatile(this, IDLE);
    }

    /** Copies what is readable and fits into {@code dst}, and lets the window open as reading does. */
    private int take(ByteBuffer dst) {
        if (!dst.hasRemaining()) {
            return 0;
        }
        Receiver rcv = conn.receiver;
        int n = rcv.buffer.read(dst);
        if (conn.state != TcpState.CLOSED) {
            rcv.onUserRead();
        }
        return n;
    }

    /**
     * {@inheritDoc}
     *
     * <p>The views are the receive buffer's chunks, read-only: nothing is copied or
     * allocated per delivery once each chunk has been lent once. Deliveries run in the
     * flow's dispatch on the loop, after the segments that brought the bytes were
     * processed, so the receiver may call back into the flow.
     *
     * <p>When the device delivers read-only frames ({@link org.tcpip4j.netif.FrameHandler})
     * and the receive buffer holds nothing, in-order bytes are lent from the frame itself as
     * their segment is processed (after its acknowledgment, window and data, before its
     * FIN), never copied into the receive buffer; only what the receiver leaves is.
     */
    @Override
    public FlowReception receive(FlowReceiver receiver) {
        Objects.requireNonNull(receiver, "receiver");
        if (!READING.compareAndSet(this, IDLE, RECEIVING)) {
            throw new IllegalStateException("a read is pending or the flow is already received from");
        }
        Reception r = new Reception(receiver);
        try {
            loop.execute(r.startTask);
        } catch (RuntimeException e) {
            READING.setVolatile(this, IDLE);
            throw e;
        }
        return r;
    }

    /** A reception: its receiver and its pause switch, delivered to in {@link #dispatch}. */
    private final class Reception implements FlowReception {
        /** Bit 0: paused; the rest counts resumptions, so a pause for bytes left never undoes a racing resume. */
        private volatile int state;
        private static final VarHandle STATE;
        private static final int PAUSED = 1;

        static {
            try {
                STATE = MethodHandles.lookup().findVarHandle(Reception.class, "state", int.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        final FlowReceiver receiver;
        final Runnable startTask = this::start;
        private final Runnable resumeTask = DefaultTcpFlow.this::signal;
        /** Loop only: the receiver has had its last call. */
        private boolean ended;

        Reception(FlowReceiver receiver) {
            this.receiver = receiver;
        }

        private void start() {
            reception = this;
            signal();
        }

        /** True while bytes should be delivered as they arrive. */
        boolean wantsData() {
            return !ended && (state & PAUSED) == 0;
        }

        @Override
        public void pause() {
            int s;
            do {
                s = state;
            } while ((s & PAUSED) == 0 && !STATE.compareAndSet(this, s, s | PAUSED));
        }

        @Override
        public void resume() {
            int s;
            do {
                s = state;
            } while (!STATE.compareAndSet(this, s, (s & ~PAUSED) + 2));
            if ((s & PAUSED) != 0) {
                loop.execute(resumeTask);
            }
        }

        @Override
        public boolean isPaused() {
            return (state & PAUSED) != 0;
        }

        /**
         * On the loop, in the flow's dispatch: lends what is readable, run by run, while the
         * receiver takes it all and nothing pauses the reception; then the end or the
         * failure, when that is what there is.
         */
        void deliver() {
            int taken = 0;
            while (!ended) {
                Object outcome = readState();
                if (outcome instanceof TcpException e) {
                    end(e);
                    break;
                }
                int s = state;
                if ((s & PAUSED) != 0 || outcome == null) {
                    break;
                }
                if (outcome != READABLE) {
                    end(null);
                    break;
                }
                ReceiveBuffer buffer = conn.receiver.buffer;
                int before = buffer.readable();
                ByteBuffer view = buffer.firstRun();
                int from = view.position();
                int length = view.remaining();
                try {
                    receiver.data(view);
                } catch (RuntimeException e) {
                    LOG.warn("the receiver of {} failed", DefaultTcpFlow.this, e);
                }
                if (conn.receiver.buffer != buffer || readShutdown || buffer.readable() < before) {
                    break; // the receiver shut the read direction meanwhile: what it lent is gone
                }
                int took = Math.clamp(view.position() - from, 0, length);
                buffer.skip(took);
                taken += took;
                if (took < length && STATE.compareAndSet(this, s, s | PAUSED)) {
                    break; // bytes left: paused, unless a resume came meanwhile
                }
            }
            if (taken > 0 && conn.state != TcpState.CLOSED) {
                conn.receiver.onUserRead();
            }
        }

        /** See {@link DefaultTcpFlow#lend}. */
        int lend(ByteBuffer src, int offset, int length) {
            int s = state;
            int position = src.position();
            int limit = src.limit();
            src.limit(offset + length).position(offset);
            lending = true;
            try {
                receiver.data(src);
            } catch (RuntimeException e) {
                LOG.warn("the receiver of {} failed", DefaultTcpFlow.this, e);
            } finally {
                lending = false;
            }
            int took = Math.clamp(src.position() - offset, 0, length);
            src.limit(limit).position(position);
            if (took < length && !readShutdown) {
                STATE.compareAndSet(this, s, s | PAUSED); // bytes left: paused, unless a resume came meanwhile
            }
            return took;
        }

        /** The last call: {@code end()}, or {@code failed(cause)}. */
        private void end(TcpException cause) {
            ended = true;
            READING.setVolatile(DefaultTcpFlow.this, IDLE); // reads may follow, and give the same end
            try {
                if (cause != null) {
                    receiver.failed(cause);
                } else {
                    receiver.end();
                }
            } catch (RuntimeException e) {
                LOG.warn("the receiver of {} failed", DefaultTcpFlow.this, e);
            }
        }
    }

    /**
     * What a read gives now: a {@link ReadResult}, a {@link TcpException} to fail with, or
     * null when it must wait. Taking data consumes it.
     */
    private Object readOutcome() {
        Object state = readState();
        if (state != READABLE) {
            return state;
        }
        Receiver rcv = conn.receiver;
        ReadResult data = new ReadResult.Data(rcv.buffer.read(rcv.buffer.readable()));
        if (conn.state != TcpState.CLOSED) {
            rcv.onUserRead();
        }
        return data;
    }

    /**
     * Where reading stands, taking nothing: {@link #READABLE} when bytes are there, else
     * {@link ReadResult#EOF}, a {@link TcpException} to fail with, or null when a read must
     * wait. A reset discards what was received (RFC 9293 3.10.7.4); a timeout comes after
     * the bytes that did arrive.
     */
    private Object readState() {
        if (readShutdown) {
            return ReadResult.EOF;
        }
        TcpException failure = conn.failure;
        if (failure instanceof TcpException.Reset) {
            return failure;
        }
        Receiver rcv = conn.receiver;
        if (rcv.buffer != null && rcv.buffer.readable() > 0) {
            return READABLE;
        }
        if (failure instanceof TcpException.Timeout) {
            return failure;
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

    /**
     * Queues every buffer before sending any, so that a header and a body written together
     * leave as one segment when they fit in one, rather than the header alone and the body
     * held by Nagle behind it.
     */
    private CompletableFuture<Void> enqueueAll(List<ByteBuffer> data, boolean nodelay) {
        if (writeClosed()) {
            return CompletableFuture.failedFuture(closedError());
        }
        CompletableFuture<Void> last = CompletableFuture.completedFuture(null);
        for (ByteBuffer b : data) {
            if (b.hasRemaining()) {
                last = queueWrite(b, nodelay);
            }
        }
        drainWrites();
        return last;
    }

    private CompletableFuture<Void> enqueue(ByteBuffer data, boolean nodelay) {
        if (writeClosed()) {
            return CompletableFuture.failedFuture(closedError());
        }
        if (!data.hasRemaining()) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> future = queueWrite(data, nodelay);
        drainWrites();
        return future;
    }

    private boolean writeClosed() {
        return writeShutdown || !conn.state.acceptsWrites() || conn.sender.buffer == null;
    }

    private CompletableFuture<Void> queueWrite(ByteBuffer data, boolean nodelay) {
        // The caller's buffer is the flow's until the future completes; a slice leaves its
        // position and limit alone.
        PendingWrite w = new PendingWrite(data.slice(), nodelay);
        if (waitingForSpace == null) {
            waitingForSpace = new ArrayDeque<>();
        }
        waitingForSpace.add(w);
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
        snd.writesWaiting = waitingForSpace != null && !waitingForSpace.isEmpty();
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
                READING.setVolatile(this, IDLE);
                read.complete(ReadResult.EOF);
            }
            if (bufferReadArmed || reception != null) {
                signal(); // the buffer read completes with -1, the receiver ends
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
    public CompletableFuture<Void> setBufferSizes(int sendBytes, int receiveBytes) {
        checkBufferSize("sendBytes", sendBytes);
        checkBufferSize("receiveBytes", receiveBytes);
        return loop.call(() -> {
            conn.fixBufferSizes(sendBytes, receiveBytes);
            return CompletableFuture.completedFuture(null);
        });
    }

    private static void checkBufferSize(String name, int bytes) {
        if (bytes < 0 || bytes > TcpConfig.MAX_BUFFER_SIZE) {
            throw new IllegalArgumentException(name + " must be in 0.." + TcpConfig.MAX_BUFFER_SIZE + ": " + bytes);
        }
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
