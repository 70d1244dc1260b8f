package org.tcpip4j.stack.socket.internal;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import org.tcpip4j.tcp.TcpException;

/**
 * The sending half of a {@link SocketFlow}: a bounded send buffer in front of the kernel's.
 *
 * <p>A write waits in {@code waiting} until the buffer has room for it (or is empty, so
 * that a write larger than the buffer goes through alone), then it is admitted: copied,
 * its future completed (Mirage's write: accepted into the send buffer), and queued for
 * the writing thread, a virtual thread that writes to the kernel in order and blocks
 * while the kernel's buffer is full. Each chunk written gives its room back on the event
 * loop, which admits what waits. A nodelay write is not copied and completes only once
 * the kernel has taken it; the writing thread turns {@code TCP_NODELAY} on for it, so the
 * kernel sends it at once instead of holding it back for Nagle's algorithm (RFC 896).
 * The FIN is an entry of the same queue, so it follows every write made before it.
 *
 * <p>Everything but {@link #writeLoop()} runs on the event loop.
 */
final class FlowSender {

    /** Tells the writing thread to end. */
    private static final Outgoing STOP = Outgoing.fin(new CompletableFuture<>());

    private final SocketFlow flow;
    private final SocketChannel channel;
    private final LoopHandoff handoff;
    private final long bufferSize;
    private final FlowCounters counters;
    private final LinkedBlockingQueue<Outgoing> toKernel = new LinkedBlockingQueue<>();

    private final ArrayDeque<Outgoing> waiting = new ArrayDeque<>();
    private final ArrayDeque<Outgoing> admitted = new ArrayDeque<>();
    private long admittedBytes;
    private boolean shut;
    private CompletableFuture<Void> finSent;
    private TcpException.Closed failure;
    private boolean finished;

    FlowSender(SocketFlow flow, SocketChannel channel, LoopHandoff handoff, int bufferSize, FlowCounters counters) {
        this.flow = flow;
        this.channel = channel;
        this.handoff = handoff;
        this.bufferSize = bufferSize;
        this.counters = counters;
    }

    /** Starts the writing thread. */
    void start(String threadName) {
        Thread.ofVirtual().name(threadName).start(this::writeLoop);
    }

    /** Queues {@code buffers} for sending; see {@link org.tcpip4j.tcp.TcpFlow#write}. */
    CompletableFuture<Void> write(List<ByteBuffer> buffers, boolean nodelay) {
        if (failure != null) {
            return CompletableFuture.failedFuture(failure);
        }
        if (shut) {
            return CompletableFuture.failedFuture(new TcpException.Closed("the flow is closed for writing"));
        }
        Outgoing o = Outgoing.data(buffers, nodelay);
        waiting.add(o);
        admit();
        return o.future();
    }

    /**
     * Sends FIN after everything queued; idempotent.
     *
     * @return a future completing when the FIN has been handed to the kernel (or at once
     *     when the connection has already failed: nothing will be sent any more either way)
     */
    CompletableFuture<Void> shutdown() {
        if (finSent != null) {
            return finSent;
        }
        shut = true;
        finSent = new CompletableFuture<>();
        if (failure != null) {
            finSent.complete(null);
        } else {
            waiting.add(Outgoing.fin(finSent));
            admit();
        }
        return finSent;
    }

    /** True once the FIN was sent or the connection failed: this half is done. */
    boolean finished() {
        return finished;
    }

    /**
     * Fails what is queued with {@code why} and accepts no more writes; a pending FIN
     * completes (nothing will be sent, which is what it asked for).
     */
    void fail(TcpException.Closed why) {
        if (failure != null) {
            return;
        }
        failure = why;
        shut = true;
        toKernel.clear();
        toKernel.add(STOP);
        failAll(admitted, why);
        failAll(waiting, why);
        admittedBytes = 0;
        if (finSent != null) {
            finSent.complete(null);
        }
        if (!finished) {
            finished = true;
            flow.writeSideFinished();
        }
    }

    private static void failAll(ArrayDeque<Outgoing> queue, TcpException.Closed why) {
        Outgoing o;
        while ((o = queue.poll()) != null) {
            if (!o.fin()) {
                o.future().completeExceptionally(why);
            }
        }
    }

    /** Moves what fits from {@code waiting} into the send buffer, in order. */
    private void admit() {
        Outgoing head;
        while ((head = waiting.peek()) != null && fits(head)) {
            waiting.poll();
            admitted.add(head);
            admittedBytes += head.size();
            if (!head.fin() && !head.nodelay()) {
                head.copyIntoSendBuffer();
            }
            toKernel.add(head);
            // Last, since user code continuing on the future may write again (re-entering here).
            if (!head.fin() && !head.nodelay()) {
                head.future().complete(null);
            }
        }
    }

    private boolean fits(Outgoing o) {
        return admittedBytes == 0 || admittedBytes + o.size() <= bufferSize;
    }

    private void onWritten(Outgoing o) {
        if (failure != null || admitted.peek() != o) {
            return;
        }
        admitted.poll();
        admittedBytes -= o.size();
        counters.txBytes().add(o.size());
        if (o.fin()) {
            finished = true;
            o.future().complete(null);
            flow.writeSideFinished();
            return;
        }
        if (o.nodelay()) {
            o.future().complete(null);
        }
        admit();
    }

    /** The writing thread: the queue into the kernel, in order, until FIN, failure or release. */
    private void writeLoop() {
        boolean nodelay = false;
        try {
            while (true) {
                Outgoing o = toKernel.take();
                if (o == STOP) {
                    return;
                }
                if (o.fin()) {
                    channel.shutdownOutput();
                    handoff.post(() -> onWritten(o));
                    return;
                }
                if (o.nodelay() != nodelay) {
                    nodelay = o.nodelay();
                    channel.setOption(StandardSocketOptions.TCP_NODELAY, nodelay);
                }
                ByteBuffer[] data = o.data();
                long left = o.size();
                while (left > 0) {
                    left -= channel.write(data);
                }
                handoff.post(() -> onWritten(o));
            }
        } catch (ClosedChannelException e) {
            // Closed by this side: the flow is being released and knows why.
        } catch (IOException e) {
            TcpException.Closed why = KernelErrors.write(e);
            // Only this half is known to be done; the reading thread learns the rest (the
            // peer's FIN, or its reset) from the kernel and ends the other half.
            handoff.post(() -> fail(why));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Ends the writing thread when it waits for work. */
    void stop() {
        toKernel.add(STOP);
    }
}
