package org.tcpip4j.tcp;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.ExecutionException;

/**
 * A blocking OutputStream over a {@link TcpFlow}, for code on its own thread. On the
 * flow's event loop, where the write it waits for could never complete, every write and
 * close fails at once.
 */
final class FlowOutputStream extends OutputStream {

    private final TcpFlow flow;
    private boolean closed;

    FlowOutputStream(TcpFlow flow) {
        this.flow = flow;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        onLoopCheck();
        if (closed) {
            throw new IOException("stream closed");
        }
        if (len == 0) {
            return;
        }
        // The flow owns the buffer until the write completes, so hand it a copy.
        byte[] copy = java.util.Arrays.copyOfRange(b, off, off + len);
        await(flow.write(ByteBuffer.wrap(copy)));
    }

    @Override
    public void close() throws IOException {
        onLoopCheck();
        if (!closed) {
            closed = true;
            await(flow.shutdown(Shutdown.WRITE));
        }
    }

    private void onLoopCheck() {
        if (flow.inEventLoop()) {
            throw new IllegalStateException("a blocking write on the event loop would wait forever for the loop"
                + " itself: use TcpFlow.write() there");
        }
    }

    private static void await(java.util.concurrent.CompletableFuture<Void> f) throws IOException {
        try {
            f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("write interrupted");
        } catch (ExecutionException e) {
            throw new IOException(e.getCause().getMessage(), e.getCause());
        }
    }
}
