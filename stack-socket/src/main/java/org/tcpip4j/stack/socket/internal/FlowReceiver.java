package org.tcpip4j.stack.socket.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import org.tcpip4j.tcp.ReadResult;
import org.tcpip4j.tcp.TcpException;

/**
 * The receiving half of a {@link SocketFlow}. A virtual thread reads from the kernel as
 * long as the flow's receive buffer has room ({@link ReceiveWindow}) and hands each chunk
 * to the event loop, where it completes the pending read or waits in the buffer. Reading
 * ahead like this is what lets {@code close} see the peer's FIN without taking from the
 * user anything they could still read: the bytes wait in the buffer until read.
 *
 * <p>Everything but {@link #readLoop()} runs on the event loop.
 */
final class FlowReceiver {

    /** The most one read takes from the kernel, and so the largest buffer a read gives. */
    static final int CHUNK = 64 * 1024;

    private final SocketFlow flow;
    private final SocketChannel channel;
    private final LoopHandoff handoff;
    private final ReceiveWindow window;
    private final FlowCounters counters;

    private final ArrayDeque<ByteBuffer> arrived = new ArrayDeque<>();
    private CompletableFuture<ReadResult> pendingRead;
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
        if (pendingRead != null) {
            return CompletableFuture.failedFuture(new IllegalStateException("a read is already pending on this flow"));
        }
        if (shut) {
            return CompletableFuture.completedFuture(ReadResult.EOF);
        }
        ByteBuffer data = arrived.poll();
        if (data != null) {
            window.release(data.remaining());
            return CompletableFuture.completedFuture(new ReadResult.Data(data));
        }
        if (failure != null) {
            return CompletableFuture.failedFuture(failure);
        }
        if (peerFinished) {
            return CompletableFuture.completedFuture(ReadResult.EOF);
        }
        pendingRead = new CompletableFuture<>();
        return pendingRead;
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
            pending.complete(result);
        }
    }

    private void failPending(TcpException why) {
        CompletableFuture<ReadResult> pending = pendingRead;
        if (pending != null) {
            pendingRead = null;
            pending.completeExceptionally(why);
        }
    }

    private void onData(ByteBuffer data) {
        counters.rxBytes().add(data.remaining());
        if (shut) {
            return;
        }
        if (pendingRead != null) {
            window.release(data.remaining());
            completePending(new ReadResult.Data(data));
        } else {
            arrived.add(data);
        }
    }

    private void onPeerFinished() {
        peerFinished = true;
        // A read is pending only when nothing waits in the buffer, so every byte was read.
        completePending(ReadResult.EOF);
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
