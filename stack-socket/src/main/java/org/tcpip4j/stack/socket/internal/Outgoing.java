package org.tcpip4j.stack.socket.internal;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One entry of a flow's send queue: data from one write (or writev), or the FIN that
 * shutting down the write direction sends after everything before it.
 */
final class Outgoing {

    private ByteBuffer[] data;
    private final long size;
    private final boolean nodelay;
    private final boolean fin;
    private final CompletableFuture<Void> future;

    private Outgoing(ByteBuffer[] data, long size, boolean nodelay, boolean fin, CompletableFuture<Void> future) {
        this.data = data;
        this.size = size;
        this.nodelay = nodelay;
        this.fin = fin;
        this.future = future;
    }

    /**
     * The data of {@code buffers} (each position..limit), sent with Nagle bypassed when
     * {@code nodelay}. The buffers are read through duplicates: the caller's positions do
     * not move.
     */
    static Outgoing data(List<ByteBuffer> buffers, boolean nodelay) {
        ByteBuffer[] views = new ByteBuffer[buffers.size()];
        long size = 0;
        for (int i = 0; i < views.length; i++) {
            views[i] = buffers.get(i).duplicate();
            size += views[i].remaining();
        }
        return new Outgoing(views, size, nodelay, false, new CompletableFuture<>());
    }

    /** The FIN, completing {@code future} once sent. */
    static Outgoing fin(CompletableFuture<Void> future) {
        return new Outgoing(new ByteBuffer[0], 0, false, true, future);
    }

    /**
     * Takes a copy of the data, for a write whose future completes when it is accepted:
     * from then on the caller may reuse its buffers.
     */
    void copyIntoSendBuffer() {
        if (size == 0) {
            return;
        }
        ByteBuffer copy = ByteBuffer.allocate(Math.toIntExact(size));
        for (ByteBuffer b : data) {
            copy.put(b);
        }
        data = new ByteBuffer[] {copy.flip()};
    }

    ByteBuffer[] data() {
        return data;
    }

    long size() {
        return size;
    }

    boolean nodelay() {
        return nodelay;
    }

    boolean fin() {
        return fin;
    }

    CompletableFuture<Void> future() {
        return future;
    }
}
