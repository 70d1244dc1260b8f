package org.tcpip4j.cli.flow;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import org.tcpip4j.tcp.TcpFlow;

/**
 * Writes a {@link RepeatingPattern} to a flow, 64 KiB at a time, each write after the
 * previous one was accepted, until a byte limit is reached or {@link #stop()} is called;
 * then closes the flow. Runs on the stack's event loop and never blocks it.
 */
public final class FlowSender {

    private final TcpFlow flow;
    private final RepeatingPattern pattern;
    private final long limit;
    private final Executor loop;
    private final AtomicLong sent = new AtomicLong();
    private final CompletableFuture<Long> finished = new CompletableFuture<>();
    private volatile boolean stopRequested;

    /**
     * A sender of the first {@code limit} bytes of {@code pattern} ({@link Long#MAX_VALUE}
     * for "until stopped") on {@code flow}, whose futures complete on {@code loop}.
     */
    public FlowSender(TcpFlow flow, RepeatingPattern pattern, long limit, Executor loop) {
        this.flow = flow;
        this.pattern = pattern;
        this.limit = limit;
        this.loop = loop;
    }

    /**
     * Starts sending.
     *
     * @return a future completing with the number of bytes written once the flow's
     *     {@code close()} has completed, or failing with the error of a write
     */
    public CompletableFuture<Long> start() {
        loop.execute(this::next);
        return finished;
    }

    /** Stops after the write in progress and closes the flow. Safe from any thread. */
    public void stop() {
        stopRequested = true;
    }

    /** Bytes accepted by the flow so far. */
    public long sent() {
        return sent.get();
    }

    /** The future {@link #start()} returned. */
    public CompletableFuture<Long> finished() {
        return finished;
    }

    private void next() {
        long done = sent.get();
        if (done >= limit || stopRequested) {
            flow.close().whenComplete((v, e) -> finished.complete(sent.get()));
            return;
        }
        int n = (int) Math.min(RepeatingPattern.MAX_SLICE, limit - done);
        ByteBuffer chunk = pattern.slice(done, n);
        flow.write(chunk).whenComplete((v, e) -> {
            if (e != null) {
                finished.completeExceptionally(e);
                return;
            }
            sent.addAndGet(n);
            // Through the loop's queue: a write accepted at once would otherwise recurse.
            loop.execute(this::next);
        });
    }
}
