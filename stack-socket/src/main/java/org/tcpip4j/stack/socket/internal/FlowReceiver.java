package org.tcpip4j.stack.socket.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.CompletionHandler;
import java.nio.channels.ReadPendingException;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tcpip4j.tcp.FlowReception;
import org.tcpip4j.tcp.ReadResult;
import org.tcpip4j.tcp.TcpException;

/**
 * The receiving half of a {@link SocketFlow}. A virtual thread reads from the kernel as
 * long as the flow's receive buffer has room ({@link ReceiveWindow}) and hands each chunk
 * to the event loop, where it completes the pending read or waits in the buffer. Reading
 * ahead like this is what lets {@code close} see the peer's FIN without taking from the
 * user anything they could still read: the bytes wait in the buffer until read.
 *
 * <p>The three forms of reading take from the same buffer: {@link #read()} hands over
 * the next chunk whole; a buffer read copies what fits into the caller's buffer, from as
 * many chunks as it takes, leaving the rest of a chunk for the next read; a reception
 * lends each chunk read-only. One form reads at a time ({@link #reading}).
 *
 * <p>Everything but {@link #readLoop()} and the claims on {@link #reading} runs on the
 * event loop.
 */
final class FlowReceiver {

    private static final Logger LOG = LoggerFactory.getLogger(FlowReceiver.class);
    static final int IDLE = 0;
    static final int FUTURE_READ = 1;
    static final int BUFFER_READ = 2;
    static final int RECEIVING = 3;
    /** Handlers called from within a read on the loop, in a row, before one is deferred. */
    private static final int MAX_INLINE_COMPLETIONS = 16;

    /** The most one read takes from the kernel, and so the largest buffer a read gives. */
    static final int CHUNK = 64 * 1024;

    private final SocketFlow flow;
    private final SocketChannel channel;
    private final LoopHandoff handoff;
    private final ReceiveWindow window;
    private final FlowCounters counters;

    private final ArrayDeque<ByteBuffer> arrived = new ArrayDeque<>();
    /** Which form of read holds the flow; claimed by the caller's thread, given back on the loop. */
    final AtomicInteger reading = new AtomicInteger(IDLE);
    private CompletableFuture<ReadResult> pendingRead;
    private BufferRead bufferRead;
    private int inlineCompletions;
    private Reception reception;
    private boolean peerFinished;
    private TcpException failure;
    private boolean shut;

    FlowReceiver(SocketFlow flow, SocketChannel channel, LoopHandoff handoff, int bufferSize, FlowCounters counters) {
        this.flow = flow;
        this.channel = channel;
        this.handoff = handoff;
        this.window = new ReceiveWindow(bufferSize);
        this.counters = counters;
    }

    /** Starts the reading thread. */
    void start(String threadName) {
        Thread.ofVirtual().name(threadName).start(this::readLoop);
    }

    /** See {@link org.tcpip4j.tcp.TcpFlow#read()}. */
    CompletableFuture<ReadResult> read() {
        if (!reading.compareAndSet(IDLE, FUTURE_READ)) {
            return CompletableFuture.failedFuture(new IllegalStateException("a read is already pending on this flow"));
        }
        if (shut) {
            reading.set(IDLE);
            return CompletableFuture.completedFuture(ReadResult.EOF);
        }
        ByteBuffer data = arrived.poll();
        if (data != null) {
            reading.set(IDLE);
            window.release(data.remaining());
            return CompletableFuture.completedFuture(new ReadResult.Data(data));
        }
        if (failure != null) {
            reading.set(IDLE);
            return CompletableFuture.failedFuture(failure);
        }
        if (peerFinished) {
            reading.set(IDLE);
            return CompletableFuture.completedFuture(ReadResult.EOF);
        }
        pendingRead = new CompletableFuture<>();
        return pendingRead;
    }

    /** A buffer read waiting on the loop: see {@link org.tcpip4j.tcp.TcpFlow#read(ByteBuffer, Object, CompletionHandler)}. */
    record BufferRead(ByteBuffer dst, Object attachment, CompletionHandler<Integer, Object> handler) {
    }

    /**
     * Loop: a buffer read, its claim on {@link #reading} taken by the caller: completes
     * at once when it can (within a bounded nesting of handlers that read again), else
     * when bytes or the end arrive.
     */
    void read(BufferRead read) {
        bufferRead = read;
        if (bufferReadReady()) {
            if (inlineCompletions < MAX_INLINE_COMPLETIONS) {
                completeBufferRead();
            } else {
                handoff.post(this::serve);
            }
        }
    }

    private boolean bufferReadReady() {
        return !bufferRead.dst().hasRemaining() || shut || !arrived.isEmpty() || failure != null || peerFinished;
    }

    private void completeBufferRead() {
        BufferRead read = bufferRead;
        bufferRead = null;
        ByteBuffer dst = read.dst();
        int count = 0;
        TcpException why = null;
        if (!dst.hasRemaining()) {
            count = 0;
        } else if (shut) {
            count = -1;
        } else if (!arrived.isEmpty()) {
            ByteBuffer data;
            while (dst.hasRemaining() && (data = arrived.peek()) != null) {
                int n = Math.min(data.remaining(), dst.remaining());
                dst.put(dst.position(), data, data.position(), n);
                dst.position(dst.position() + n);
                data.position(data.position() + n);
                count += n;
                if (!data.hasRemaining()) {
                    arrived.poll();
                }
            }
            window.release(count);
        } else if (failure != null) {
            why = failure;
        } else {
            count = -1;
        }
        reading.set(IDLE);
        inlineCompletions++;
        try {
            if (why != null) {
                read.handler().failed(why, read.attachment());
            } else {
                read.handler().completed(count, read.attachment());
            }
        } catch (RuntimeException e) {
            LOG.warn("the read handler of {} failed", flow, e);
        } finally {
            inlineCompletions--;
        }
    }

    /**
     * Loop: delivers to {@code r} from now on, its claim on {@link #reading} taken by the
     * caller. See {@link org.tcpip4j.tcp.TcpFlow#receive}.
     */
    void receive(Reception r) {
        reception = r;
        serve();
    }

    /** Completes or delivers to whichever read waits, with what there is now. */
    private void serve() {
        if (pendingRead != null) {
            ByteBuffer data = arrived.poll();
            if (data != null) {
                window.release(data.remaining());
                completePending(new ReadResult.Data(data));
            }
        }
        if (bufferRead != null && bufferReadReady()) {
            completeBufferRead();
        }
        if (reception != null) {
            reception.deliver();
        }
    }

    /** A reception of the flow: its receiver lent each chunk, read-only, as it arrives. */
    final class Reception implements FlowReception {
        private final org.tcpip4j.tcp.FlowReceiver receiver;
        /** Bit 0: paused; the rest counts resumptions, so a pause for bytes left never undoes a racing resume. */
        private final AtomicInteger state = new AtomicInteger();
        private static final int PAUSED = 1;
        private boolean ended;
        /** Loop only: a delivery is under way (a call the receiver makes into the flow may ask for another). */
        private boolean delivering;

        Reception(org.tcpip4j.tcp.FlowReceiver receiver) {
            this.receiver = receiver;
        }

        @Override
        public void pause() {
            int s;
            do {
                s = state.get();
            } while ((s & PAUSED) == 0 && !state.compareAndSet(s, s | PAUSED));
        }

        @Override
        public void resume() {
            int s = state.getAndUpdate(v -> (v & ~PAUSED) + 2);
            if ((s & PAUSED) != 0) {
                handoff.post(FlowReceiver.this::serve);
            }
        }

        @Override
        public boolean isPaused() {
            return (state.get() & PAUSED) != 0;
        }

        /** Loop: lends what has arrived while the receiver takes it all; then the end or the failure. */
        void deliver() {
            if (delivering) {
                return; // the delivery under way sees what changed when the receiver returns
            }
            delivering = true;
            try {
                deliverNow();
            } finally {
                delivering = false;
            }
        }

        private void deliverNow() {
            while (!ended) {
                if (failure != null && !shut) {
                    end(failure);
                    return;
                }
                int s = state.get();
                if ((s & PAUSED) != 0) {
                    return;
                }
                if (shut || (arrived.isEmpty() && peerFinished)) {
                    end(null);
                    return;
                }
                ByteBuffer data = arrived.peek();
                if (data == null) {
                    return;
                }
                ByteBuffer view = data.asReadOnlyBuffer();
                int length = view.remaining();
                try {
                    receiver.data(view);
                } catch (RuntimeException e) {
                    LOG.warn("the receiver of {} failed", flow, e);
                }
                if (arrived.peek() != data) {
                    continue; // the read direction was shut, or the flow ended, meanwhile
                }
                int took = Math.clamp(view.position() - data.position(), 0, length);
                data.position(data.position() + took);
                window.release(took);
                if (!data.hasRemaining()) {
                    arrived.poll();
                } else if (state.compareAndSet(s, s | PAUSED)) {
                    return;
                }
            }
        }

        private void end(TcpException cause) {
            ended = true;
            reading.set(IDLE);
            try {
                if (cause != null) {
                    receiver.failed(cause);
                } else {
                    receiver.end();
                }
            } catch (RuntimeException e) {
                LOG.warn("the receiver of {} failed", flow, e);
            }
        }
    }

    /**
     * Stops reading for the user ({@code shutdown(READ)}): what waits is dropped, what
     * comes is thrown away as it arrives, reads give Eof. The thread keeps reading so that
     * the peer is not stalled and the peer's FIN is still seen.
     */
    void shutdown() {
        shut = true;
        dropArrived();
        window.discard();
        completePending(ReadResult.EOF);
        serve();
    }

    /** True once the peer's FIN was read, or the connection failed. */
    boolean finished() {
        return peerFinished || failure != null;
    }

    /**
     * Ends reading because the flow is being released without the peer's FIN: what
     * arrived and was not read is dropped, and reads fail with {@code why}.
     */
    void abort(TcpException why) {
        window.stop();
        if (finished()) {
            return;
        }
        dropArrived();
        failure = why;
        failPending(why);
        serve();
    }

    private void dropArrived() {
        ByteBuffer b;
        while ((b = arrived.poll()) != null) {
            window.release(b.remaining());
        }
    }

    /** Wakes the reading thread for good. */
    void stop() {
        window.stop();
    }

    private void completePending(ReadResult result) {
        CompletableFuture<ReadResult> pending = pendingRead;
        if (pending != null) {
            pendingRead = null;
            reading.set(IDLE);
            pending.complete(result);
        }
    }

    private void failPending(TcpException why) {
        CompletableFuture<ReadResult> pending = pendingRead;
        if (pending != null) {
            pendingRead = null;
            reading.set(IDLE);
            pending.completeExceptionally(why);
        }
    }

    private void onData(ByteBuffer data) {
        counters.rxBytes().add(data.remaining());
        if (shut) {
            return;
        }
        arrived.add(data);
        serve();
    }

    private void onPeerFinished() {
        peerFinished = true;
        // A read is pending only when nothing waits in the buffer, so every byte was read.
        completePending(ReadResult.EOF);
        serve();
        flow.readSideFinished();
    }

    private void onFailure(TcpException why) {
        if (finished()) {
            return;
        }
        // As on the direct stack, a reset or timeout discards what was not read yet.
        dropArrived();
        failure = why;
        if (why instanceof TcpException.Timeout) {
            counters.timeouts().increment();
        } else {
            counters.resetsReceived().increment();
        }
        failPending(why);
        serve();
        flow.connectionFailed(why);
    }

    /** The reading thread: from the kernel into the buffer, until FIN, failure or release. */
    private void readLoop() {
        ByteBuffer buffer = ByteBuffer.allocateDirect(CHUNK);
        try {
            while (true) {
                int room = window.awaitRoom(CHUNK);
                if (room < 0) {
                    return;
                }
                buffer.clear().limit(room);
                int n = channel.read(buffer);
                if (n < 0) {
                    handoff.post(this::onPeerFinished);
                    return;
                }
                if (n == 0) {
                    continue;
                }
                buffer.flip();
                if (window.discarding()) {
                    handoff.post(() -> counters.rxBytes().add(n));
                    continue;
                }
                window.take(n);
                // The user owns what a read gives, so each chunk is a fresh heap buffer.
                ByteBuffer data = ByteBuffer.allocate(n).put(buffer).flip();
                handoff.post(() -> onData(data));
            }
        } catch (ClosedChannelException e) {
            // Closed by this side: the flow is being released and knows why.
        } catch (IOException e) {
            TcpException why = KernelErrors.read(e);
            handoff.post(() -> onFailure(why));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
