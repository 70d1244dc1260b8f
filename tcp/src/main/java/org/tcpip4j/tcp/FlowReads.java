package org.tcpip4j.tcp;

import java.nio.ByteBuffer;
import java.nio.channels.CompletionHandler;
import java.nio.channels.ReadPendingException;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.WeakHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default implementations of {@link TcpFlow}'s buffer read and reception, over
 * {@link TcpFlow#read()}, for flows that do not implement them: one per flow, found in a
 * table weakly keyed by the flow, holding the bytes a read gave that did not fit in the
 * caller's buffer. It keeps no reference to its flow, so the table never keeps one alive.
 */
final class FlowReads {

    private static final Logger LOG = LoggerFactory.getLogger(FlowReads.class);
    private static final Map<TcpFlow, FlowReads> BY_FLOW = Collections.synchronizedMap(new WeakHashMap<>());
    /** Handlers called in a row on one thread with kept bytes before the next is handed to another thread. */
    private static final int MAX_NESTED = 16;
    private static final ThreadLocal<int[]> NESTED = ThreadLocal.withInitial(() -> new int[1]);

    /** Completes the future a read's attachment is. */
    static final CompletionHandler<Integer, CompletableFuture<Integer>> TO_FUTURE = new CompletionHandler<>() {
        @Override
        public void completed(Integer count, CompletableFuture<Integer> future) {
            future.complete(count);
        }

        @Override
        public void failed(Throwable e, CompletableFuture<Integer> future) {
            future.completeExceptionally(e);
        }
    };

    // Guarded by this.
    private ByteBuffer kept;
    private boolean busy;

    private FlowReads() {
    }

    /** {@code flow}'s state. */
    static FlowReads of(TcpFlow flow) {
        return BY_FLOW.computeIfAbsent(flow, f -> new FlowReads());
    }

    /** See {@link TcpFlow#read(ByteBuffer, Object, CompletionHandler)}. */
    <A> void read(TcpFlow flow, ByteBuffer dst, A attachment, CompletionHandler<Integer, ? super A> handler) {
        Objects.requireNonNull(dst, "dst");
        Objects.requireNonNull(handler, "handler");
        if (dst.isReadOnly()) {
            throw new IllegalArgumentException("read into a read-only buffer");
        }
        ByteBuffer from;
        synchronized (this) {
            if (busy) {
                throw new ReadPendingException();
            }
            busy = true;
            from = kept;
        }
        if (!dst.hasRemaining() || from != null) {
            int n = from == null ? 0 : transfer(from, dst);
            synchronized (this) {
                kept = from != null && from.hasRemaining() ? from : null;
                busy = false;
            }
            int[] nested = NESTED.get();
            if (nested[0] >= MAX_NESTED) {
                CompletableFuture.runAsync(() -> completed(handler, n, attachment));
                return;
            }
            nested[0]++;
            try {
                completed(handler, n, attachment);
            } finally {
                nested[0]--;
            }
            return;
        }
        CompletableFuture<ReadResult> read;
        try {
            read = flow.read();
        } catch (RuntimeException e) {
            release();
            throw e;
        }
        read.whenComplete((result, error) -> {
            if (error != null) {
                release();
                failed(handler, unwrap(error), attachment);
            } else if (result instanceof ReadResult.Data d) {
                ByteBuffer data = d.data();
                int n = transfer(data, dst);
                synchronized (this) {
                    kept = data.hasRemaining() ? data : null;
                    busy = false;
                }
                completed(handler, n, attachment);
            } else {
                release();
                completed(handler, -1, attachment);
            }
        });
    }

    /** See {@link TcpFlow#receive}. */
    FlowReception receive(TcpFlow flow, FlowReceiver receiver) {
        Objects.requireNonNull(receiver, "receiver");
        ByteBuffer from;
        synchronized (this) {
            if (busy) {
                throw new IllegalStateException("a read is pending or the flow is already received from");
            }
            busy = true;
            from = kept;
            kept = null;
        }
        Reception r = new Reception(flow, receiver, from == null ? null : from.asReadOnlyBuffer());
        r.deliver();
        return r;
    }

    private synchronized void release() {
        busy = false;
    }

    private static int transfer(ByteBuffer from, ByteBuffer dst) {
        int n = Math.min(from.remaining(), dst.remaining());
        dst.put(dst.position(), from, from.position(), n);
        dst.position(dst.position() + n);
        from.position(from.position() + n);
        return n;
    }

    private static Throwable unwrap(Throwable e) {
        return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    }

    private static <A> void completed(CompletionHandler<Integer, ? super A> handler, int n, A attachment) {
        try {
            handler.completed(n, attachment);
        } catch (RuntimeException e) {
            LOG.warn("a read handler failed", e);
        }
    }

    private static <A> void failed(CompletionHandler<Integer, ? super A> handler, Throwable cause, A attachment) {
        try {
            handler.failed(cause, attachment);
        } catch (RuntimeException e) {
            LOG.warn("a read handler failed", e);
        }
    }

    /**
     * A reception over {@link TcpFlow#read()}: lends each buffer a read gives, reads again
     * once the receiver has taken it all. One thread delivers at a time; a call that finds
     * another delivering leaves the work to it.
     */
    private final class Reception implements FlowReception {
        private final TcpFlow flow;
        private final FlowReceiver receiver;
        // Guarded by this.
        private ByteBuffer current;
        private Object end;
        private boolean paused;
        private boolean reading;
        private boolean delivering;
        private boolean ended;
        private int resumes;

        Reception(TcpFlow flow, FlowReceiver receiver, ByteBuffer first) {
            this.flow = flow;
            this.receiver = receiver;
            this.current = first;
        }

        @Override
        public synchronized void pause() {
            paused = true;
        }

        @Override
        public void resume() {
            synchronized (this) {
                resumes++;
                if (!paused) {
                    return;
                }
                paused = false;
            }
            deliver();
        }

        @Override
        public synchronized boolean isPaused() {
            return paused;
        }

        void deliver() {
            synchronized (this) {
                if (delivering || ended) {
                    return;
                }
                delivering = true;
            }
            while (true) {
                ByteBuffer view = null;
                Object last = null;
                boolean read = false;
                int seen;
                synchronized (this) {
                    seen = resumes;
                    if (end instanceof Throwable) {
                        last = end;
                        current = null;
                    } else if (paused) {
                        delivering = false;
                        return;
                    } else if (current != null && current.hasRemaining()) {
                        view = current;
                    } else if (end != null) {
                        last = end;
                    } else if (reading) {
                        delivering = false;
                        return;
                    } else {
                        reading = true;
                        read = true;
                    }
                    if (last != null) {
                        ended = true;
                        delivering = false;
                    }
                }
                if (last != null) {
                    FlowReads.this.release();
                    try {
                        if (last instanceof TcpException e) {
                            receiver.failed(e);
                        } else if (last instanceof Throwable t) {
                            // not a TcpException: the flow broke its contract; the reception ends
                            LOG.warn("the reception of {} ends on {}", flow, t.toString());
                            receiver.failed(new TcpException.Reset("reading failed: " + t));
                        } else {
                            receiver.end();
                        }
                    } catch (RuntimeException e) {
                        LOG.warn("the receiver of {} failed", flow, e);
                    }
                    return;
                }
                if (read) {
                    flow.read().whenComplete(this::onRead);
                    continue;
                }
                try {
                    receiver.data(view);
                } catch (RuntimeException e) {
                    LOG.warn("the receiver of {} failed", flow, e);
                }
                if (view.hasRemaining()) {
                    synchronized (this) {
                        if (resumes == seen) {
                            paused = true;
                        }
                    }
                }
            }
        }

        private void onRead(ReadResult result, Throwable error) {
            synchronized (this) {
                reading = false;
                if (error != null) {
                    end = unwrap(error);
                } else if (result instanceof ReadResult.Data d) {
                    current = d.data().asReadOnlyBuffer();
                } else {
                    end = ReadResult.EOF;
                }
            }
            deliver();
        }
    }
}
