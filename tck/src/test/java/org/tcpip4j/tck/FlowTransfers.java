package org.tcpip4j.tck;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.CompletionHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.tcpip4j.tcp.FlowReceiver;
import org.tcpip4j.tcp.FlowReception;
import org.tcpip4j.tcp.ReadResult;
import org.tcpip4j.tcp.TcpException;
import org.tcpip4j.tcp.TcpFlow;

/**
 * Transfers over a {@link TcpFlow} as futures, for cases that must not block: reading a
 * number of bytes or up to Eof, writing a large array, echoing. Nothing here blocks, so it
 * runs as well on the virtual-time loop as on a real one; reads that complete at once are
 * taken in a loop rather than by recursion, so a long stream does not grow the stack.
 */
public final class FlowTransfers {

    /** How much one write hands the flow: several writes queue up, in order. */
    public static final int WRITE_CHUNK = 64 * 1024;

    private FlowTransfers() {
    }

    /**
     * Reads exactly {@code size} bytes. Fails with an {@link AssertionError} when Eof comes
     * first or a read gives more than was asked for.
     */
    public static CompletableFuture<byte[]> readExactly(TcpFlow flow, int size) {
        return readExactly(flow, size, null);
    }

    /**
     * Reads exactly {@code size} bytes, waiting for {@code pause} (when not null) after each
     * read before the next one: a slow reader.
     */
    public static CompletableFuture<byte[]> readExactly(TcpFlow flow, int size,
                                                        Supplier<CompletableFuture<Void>> pause) {
        byte[] into = new byte[size];
        int[] filled = {0};
        if (size == 0) {
            return CompletableFuture.completedFuture(into);
        }
        return pump(flow, data -> {
            int n = data.remaining();
            if (n > size - filled[0]) {
                throw new AssertionError("a read gave " + n + " bytes where only " + (size - filled[0])
                        + " were still expected (" + filled[0] + " of " + size + " read)");
            }
            data.get(into, filled[0], n);
            filled[0] += n;
            return filled[0] < size;
        }, pause).thenApply(eof -> {
            if (eof) {
                throw new AssertionError("Eof after " + filled[0] + " of " + size + " bytes");
            }
            return into;
        });
    }

    /** Reads every byte up to Eof. */
    public static CompletableFuture<byte[]> readToEof(TcpFlow flow) {
        ByteArrayOutputStream into = new ByteArrayOutputStream();
        return pump(flow, data -> {
            byte[] chunk = new byte[data.remaining()];
            data.get(chunk);
            into.write(chunk, 0, chunk.length);
            return true;
        }, null).thenApply(eof -> into.toByteArray());
    }

    /**
     * Reads every byte up to the end of the stream with
     * {@link TcpFlow#read(ByteBuffer, Object, CompletionHandler)} into one buffer of
     * {@code bufferSize} bytes, read again from the handler. Fails with an
     * {@link AssertionError} when a handler runs off the flow's event loop or a read gives
     * 0 bytes.
     */
    public static CompletableFuture<byte[]> readToEofInto(TcpFlow flow, int bufferSize) {
        CompletableFuture<byte[]> done = new CompletableFuture<>();
        ByteArrayOutputStream into = new ByteArrayOutputStream();
        ByteBuffer buffer = ByteBuffer.allocate(bufferSize);
        flow.read(buffer, flow, new CompletionHandler<Integer, TcpFlow>() {
            @Override
            public void completed(Integer n, TcpFlow f) {
                if (!f.inEventLoop()) {
                    done.completeExceptionally(new AssertionError("a read handler ran off the event loop"));
                } else if (n < 0) {
                    done.complete(into.toByteArray());
                } else if (n == 0 || n != buffer.position()) {
                    done.completeExceptionally(new AssertionError("read " + n + ", buffer at " + buffer.position()));
                } else {
                    into.write(buffer.array(), 0, n);
                    f.read(buffer.clear(), f, this);
                }
            }

            @Override
            public void failed(Throwable e, TcpFlow f) {
                done.completeExceptionally(e);
            }
        });
        return done;
    }

    /** A receiver that keeps every byte it is lent, and completes {@link #done} at the end. */
    public static final class Keeper implements FlowReceiver {
        private final TcpFlow flow;
        private final ByteArrayOutputStream into = new ByteArrayOutputStream();
        /** Completes with every byte at the end; fails on a failure, or when a call ran off the loop or lent a writable view. */
        public final CompletableFuture<byte[]> done = new CompletableFuture<>();
        /** Receptions of the flow, started by {@link #start}. */
        public FlowReception reception;
        private volatile long received;

        public Keeper(TcpFlow flow) {
            this.flow = flow;
        }

        /** Starts receiving the flow, paused at once when {@code paused}. */
        public Keeper start(boolean paused) {
            reception = flow.receive(this);
            if (paused) {
                reception.pause();
            }
            return this;
        }

        /** The bytes received so far. */
        public long received() {
            return received;
        }

        @Override
        public void data(ByteBuffer view) {
            if (!flow.inEventLoop() || !view.isReadOnly()) {
                done.completeExceptionally(new AssertionError("lent off the loop, or writable"));
            }
            byte[] chunk = new byte[view.remaining()];
            view.get(chunk);
            into.write(chunk, 0, chunk.length);
            received += chunk.length;
        }

        @Override
        public void end() {
            done.complete(into.toByteArray());
        }

        @Override
        public void failed(TcpException cause) {
            done.completeExceptionally(cause);
        }
    }

    /**
     * Writes {@code data} in {@link #WRITE_CHUNK} pieces, all handed to the flow at once
     * (they queue in order); completes when every piece is accepted.
     */
    public static CompletableFuture<Void> writeAll(TcpFlow flow, byte[] data) {
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        for (int at = 0; at < data.length; at += WRITE_CHUNK) {
            writes.add(flow.write(ByteBuffer.wrap(data, at, Math.min(WRITE_CHUNK, data.length - at))));
        }
        return CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new));
    }

    /**
     * Writes back everything read until Eof, then closes the flow; completes, with the
     * number of bytes echoed, when the close does.
     */
    public static CompletableFuture<Long> echoUntilEof(TcpFlow flow) {
        long[] echoed = {0};
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        return pump(flow, data -> {
            echoed[0] += data.remaining();
            // What a read gives is the reader's, so it may go straight to write.
            writes.add(flow.write(data));
            return true;
        }, null).thenCompose(eof -> CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)))
                .thenCompose(v -> flow.close())
                .thenApply(v -> echoed[0]);
    }

    /**
     * Reads and hands each chunk to {@code sink} until the sink returns false or Eof comes.
     *
     * @return a future completing with true at Eof, false when the sink stopped; failing
     *     when a read or the sink fails
     */
    public static CompletableFuture<Boolean> pump(TcpFlow flow, Predicate<ByteBuffer> sink,
                                                  Supplier<CompletableFuture<Void>> pause) {
        CompletableFuture<Boolean> done = new CompletableFuture<>();
        new Pump(flow, sink, pause, done).next();
        return done;
    }

    /** One reading loop; see {@link #pump}. */
    private static final class Pump {
        private final TcpFlow flow;
        private final Predicate<ByteBuffer> sink;
        private final Supplier<CompletableFuture<Void>> pause;
        private final CompletableFuture<Boolean> done;

        Pump(TcpFlow flow, Predicate<ByteBuffer> sink, Supplier<CompletableFuture<Void>> pause,
             CompletableFuture<Boolean> done) {
            this.flow = flow;
            this.sink = sink;
            this.pause = pause;
            this.done = done;
        }

        void next() {
            while (true) {
                CompletableFuture<ReadResult> read;
                try {
                    read = flow.read();
                } catch (RuntimeException e) {
                    done.completeExceptionally(e);
                    return;
                }
                if (!read.isDone()) {
                    read.whenComplete((result, failure) -> {
                        if (handled(result, failure)) {
                            continueAfterPause();
                        }
                    });
                    return;
                }
                ReadResult result;
                try {
                    result = read.join();
                } catch (CompletionException e) {
                    handled(null, e);
                    return;
                }
                if (!handled(result, null)) {
                    return;
                }
                if (pause != null) {
                    continueAfterPause();
                    return;
                }
            }
        }

        private void continueAfterPause() {
            if (pause == null) {
                next();
            } else {
                pause.get().whenComplete((v, e) -> next());
            }
        }

        /** Gives the read's outcome to the sink; true when the next read should follow. */
        private boolean handled(ReadResult result, Throwable failure) {
            if (failure != null) {
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure;
                done.completeExceptionally(cause);
                return false;
            }
            try {
                return switch (result) {
                    case ReadResult.Eof eof -> {
                        done.complete(true);
                        yield false;
                    }
                    case ReadResult.Data data -> {
                        if (!sink.test(data.data())) {
                            done.complete(false);
                            yield false;
                        }
                        yield true;
                    }
                };
            } catch (RuntimeException | AssertionError e) {
                done.completeExceptionally(e);
                return false;
            }
        }
    }
}
