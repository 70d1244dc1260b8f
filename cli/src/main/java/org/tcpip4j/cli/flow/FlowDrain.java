package org.tcpip4j.cli.flow;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ObjLongConsumer;
import org.tcpip4j.tcp.FlowReceiver;
import org.tcpip4j.tcp.TcpException;
import org.tcpip4j.tcp.TcpFlow;

/**
 * Reads a flow to its end, counting bytes and showing each buffer to an inspector, then
 * closes the flow (unless told not to, for a flow whose other half still sends): the
 * receiving half of discard, of chargen, of the demo's transfer and of perf, over the
 * lending receive ({@link TcpFlow#receive}). Runs on the stack's event loop and never
 * blocks it.
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
        loop.execute(() -> {
            try {
                flow.receive(new Receiver());
            } catch (RuntimeException e) {
                finished.completeExceptionally(e);
            }
        });
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

    /**
     * Takes each run of bytes as the flow lends it ({@link TcpFlow#receive}): shown to the
     * inspector in place and consumed whole, so draining allocates nothing per segment.
     */
    private final class Receiver implements FlowReceiver {

        @Override
        public void data(ByteBuffer view) {
            int n = view.remaining();
            inspector.accept(view, received.get());
            received.setRelease(received.get() + n); // one writer: the loop
            view.position(view.limit());
        }

        @Override
        public void end() {
            if (closeAtEof) {
                flow.close().whenComplete((v, x) -> finished.complete(received.get()));
            } else {
                finished.complete(received.get());
            }
        }

        @Override
        public void failed(TcpException cause) {
            finished.completeExceptionally(cause);
        }
    }
}
