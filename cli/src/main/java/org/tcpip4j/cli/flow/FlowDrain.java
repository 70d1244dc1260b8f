package org.tcpip4j.cli.flow;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ObjLongConsumer;
import org.tcpip4j.tcp.ReadResult;
import org.tcpip4j.tcp.TcpFlow;

/**
 * Reads a flow to its end, counting bytes and showing each buffer to an inspector, then
 * closes the flow (unless told not to, for a flow whose other half still sends): the
 * receiving half of discard, of chargen, of the demo's transfer and of perf. Runs on the
 * stack's event loop and never blocks it.
 */
public final class FlowDrain {

    private static final ObjLongConsumer<ByteBuffer> IGNORE = (data, offset) -> {
    };

    private final TcpFlow flow;
    private final Executor loop;
    private final ObjLongConsumer<ByteBuffer> inspector;
    private final boolean closeAtEof;
    private final AtomicLong received = new AtomicLong();
    private final CompletableFuture<Long> finished = new CompletableFuture<>();

    /** A drain that discards what it reads. */
    public FlowDrain(TcpFlow flow, Executor loop) {
        this(flow, loop, IGNORE, true);
    }

    /**
     * A drain that shows every buffer read, with its offset in the stream, to
     * {@code inspector} (on the loop, before counting it).
     */
    public FlowDrain(TcpFlow flow, Executor loop, ObjLongConsumer<ByteBuffer> inspector) {
        this(flow, loop, inspector, true);
    }

    /**
     * A drain as above that, when {@code closeAtEof} is false, leaves the flow open at Eof:
     * for a flow our side is still writing to, which its writer closes when done.
     */
    public FlowDrain(TcpFlow flow, Executor loop, ObjLongConsumer<ByteBuffer> inspector, boolean closeAtEof) {
        this.flow = flow;
        this.loop = loop;
        this.inspector = inspector;
        this.closeAtEof = closeAtEof;
    }

    /**
     * Starts reading.
     *
     * @return a future completing with the number of bytes read once the peer closed and
     *     our {@code close()} completed (or at Eof, for a drain that does not close), or
     *     failing with the error of a read
     */
    public CompletableFuture<Long> start() {
        loop.execute(this::next);
        return finished;
    }

    /** Bytes read so far. Safe from any thread. */
    public long received() {
        return received.get();
    }

    /** The future {@link #start()} returned. */
    public CompletableFuture<Long> finished() {
        return finished;
    }

    private void next() {
        // whenCompleteAsync through the loop's queue: a chain of reads that are ready at once
        // would otherwise recurse.
        flow.read().whenCompleteAsync((r, e) -> {
            if (e != null) {
                finished.completeExceptionally(e);
                return;
            }
            switch (r) {
                case ReadResult.Data d -> {
                    ByteBuffer data = d.data();
                    inspector.accept(data, received.get());
                    received.addAndGet(data.remaining());
                    next();
                }
                case ReadResult.Eof eof -> {
                    if (closeAtEof) {
                        flow.close().whenComplete((v, x) -> finished.complete(received.get()));
                    } else {
                        finished.complete(received.get());
                    }
                }
            }
        }, loop);
    }
}
