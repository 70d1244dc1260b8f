package org.tcpip4j.tcp;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.ExecutionException;

/**
 * A blocking InputStream over a {@link TcpFlow}, for code on its own thread. On the
 * flow's event loop, where the read it waits for could never complete, every read fails
 * at once.
 */
final class FlowInputStream extends InputStream {

    private final TcpFlow flow;
    private ByteBuffer current;
    private boolean eof;

    FlowInputStream(TcpFlow flow) {
        this.flow = flow;
    }

    private boolean fill() throws IOException {
        if (flow.inEventLoop()) {
            throw new IllegalStateException("a blocking read on the event loop would wait forever for the loop"
                + " itself: use TcpFlow.read() there");
        }
        while (!eof && (current == null || !current.hasRemaining())) {
            try {
                switch (flow.read().get()) {
                    case ReadResult.Data d -> current = d.data();
                    case ReadResult.Eof e -> eof = true;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("read interrupted");
            } catch (ExecutionException e) {
                throw new IOException(e.getCause().getMessage(), e.getCause());
            }
        }
        return !eof;
    }

    @Override
    public int read() throws IOException {
        return fill() ? current.get() & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        if (!fill()) {
            return -1;
        }
        int n = Math.min(len, current.remaining());
        current.get(b, off, n);
        return n;
    }

    @Override
    public int available() {
        return current == null ? 0 : current.remaining();
    }
}
