package org.tcpip4j.tcp;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * A blocking OutputStream over a {@link TcpFlow}, for code on its own thread. On the
 * flow's event loop, where the write it waits for could never complete, every write and
 * close fails at once.
 *
 * <p>The flow owns a buffer given to {@code write} until the write's future completes, and
 * the caller may change its array as soon as a stream write returns, so the stream hands
 * the flow a copy: into a buffer of its own, reused from write to write (grown to the
 * largest write, at most {@value #MAX_CHUNK} bytes; a larger write goes in pieces of that
 * size, one after the other). A write whose wait is interrupted leaves that buffer to the
 * flow, and the next write takes a new one.
 */
final class FlowOutputStream extends OutputStream {

    /** The most one write of the flow carries. */
    static final int MAX_CHUNK = 64 * 1024;
    private static final int MIN_BUFFER = 512;

    private final TcpFlow flow;
    private ByteBuffer buffer;
    private boolean closed;

    FlowOutputStream(TcpFlow flow) {
        this.flow = flow;
    }

    @Override
    public void write(int b) throws IOException {
        start();
        ByteBuffer buf = buffer(1);
        buf.put((byte) b).flip();
        send(buf);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        start();
        while (len > 0) {
            int n = Math.min(len, MAX_CHUNK);
            ByteBuffer buf = buffer(n);
            buf.put(b, off, n).flip();
            send(buf);
            off += n;
            len -= n;
        }
    }

    @Override
    public void close() throws IOException {
        onLoopCheck();
        if (!closed) {
            closed = true;
            await(flow.shutdown(Shutdown.WRITE));
        }
    }

    private void start() throws IOException {
        onLoopCheck();
        if (closed) {
            throw new IOException("stream closed");
        }
    }

    /** The stream's buffer, cleared, with room for {@code n} bytes. */
    private ByteBuffer buffer(int n) {
        ByteBuffer buf = buffer;
        if (buf == null || buf.capacity() < n) {
            int size = Math.min(MAX_CHUNK, Math.max(MIN_BUFFER, Integer.highestOneBit(Math.max(1, n - 1)) << 1));
            buf = ByteBuffer.allocate(size);
            buffer = buf;
        }
        return buf.clear();
    }

    private void send(ByteBuffer buf) throws IOException {
        CompletableFuture<Void> written = flow.write(buf);
        try {
            await(written);
        } catch (InterruptedIOException e) {
            if (!written.isDone()) {
                buffer = null; // the flow may still copy from it
            }
            throw e;
        }
    }

    private void onLoopCheck() {
        if (flow.inEventLoop()) {
            throw new IllegalStateException("a blocking write on the event loop would wait forever for the loop"
                + " itself: use TcpFlow.write() there");
        }
    }

    private static void await(CompletableFuture<Void> f) throws IOException {
        try {
            f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("write interrupted");
        } catch (ExecutionException e) {
            throw new IOException(e.getCause().getMessage(), e.getCause());
        }
    }
}
