package org.tcpip4j.tcp;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.tcpip4j.netif.IpEndpoint;

/**
 * One TCP connection: Mirage's {@code Mirage_flow.S} with {@code write_nodelay}. Every
 * method may be called from any thread; futures complete on the event loop, so code that
 * continues on them must not block.
 *
 * <p>Buffers given to the write operations belong to the flow until their future
 * completes: the caller must not change or reuse them before that.
 */
public interface TcpFlow {

    /**
     * Reads what has arrived (Mirage's {@code read}).
     *
     * @return a future completing with {@link ReadResult.Data} (at least one byte, in a
     *     buffer the caller owns), or {@link ReadResult.Eof} once the peer closed its
     *     direction and every byte it sent before has been read; it fails with
     *     {@link TcpException.Reset} when the peer reset the connection, or
     *     {@link TcpException.Timeout} when it stopped answering. Only one read may be
     *     pending at a time.
     */
    CompletableFuture<ReadResult> read();

    /**
     * Writes {@code data} (position..limit). Small writes may wait to be coalesced (Nagle,
     * RFC 896).
     *
     * @return a future completing when the data is accepted into the send buffer (it waits
     *     while the buffer is full), or failing with {@link TcpException.Closed} when the
     *     flow no longer sends
     */
    CompletableFuture<Void> write(ByteBuffer data);

    /** Writes several buffers in order, as {@link #write}. */
    CompletableFuture<Void> writev(List<ByteBuffer> data);

    /**
     * Writes {@code data} without waiting to coalesce it (Nagle bypassed).
     *
     * @return a future completing when the data has been transmitted, or failing with
     *     {@link TcpException.Closed}
     */
    CompletableFuture<Void> writeNodelay(ByteBuffer data);

    /** Writes several buffers in order, as {@link #writeNodelay}. */
    CompletableFuture<Void> writevNodelay(List<ByteBuffer> data);

    /**
     * Flushes pending writes, sends FIN, and completes when the peer has closed too
     * (Mirage's {@code close}). Reading stays possible until then.
     *
     * @return a future that completes when both directions are closed; it never fails
     */
    CompletableFuture<Void> close();

    /**
     * Closes one direction or both (Mirage_flow's {@code shutdown}): {@link Shutdown#WRITE}
     * flushes and sends FIN, {@link Shutdown#READ} makes reads give Eof.
     *
     * @return a future completing when the shutdown has taken effect locally
     */
    CompletableFuture<Void> shutdown(Shutdown mode);

    /** The local address and port. */
    IpEndpoint src();

    /** The peer's address and port. */
    IpEndpoint dst();

    /**
     * A snapshot of the connection's state, windows and round-trip figures (Linux's
     * {@code ss -ti}), taken on the event loop. A stack that cannot see inside its
     * connections (the socket stack) fills what it knows and leaves the rest -1.
     */
    default CompletableFuture<TcpInfo> info() {
        return CompletableFuture.failedFuture(new UnsupportedOperationException(
            getClass().getName() + " gives no connection information"));
    }

    /**
     * True when the calling thread is the event loop on which this flow's futures
     * complete: waiting there for one of them would wait forever. False for a flow that
     * cannot tell.
     */
    default boolean inEventLoop() {
        return false;
    }

    /**
     * A blocking {@link InputStream} over {@link #read()}, for code on its own (virtual)
     * thread; on the event loop ({@link #inEventLoop}) its reads fail at once with
     * {@link IllegalStateException}.
     */
    default InputStream inputStream() {
        return new FlowInputStream(this);
    }

    /**
     * A blocking {@link OutputStream} over {@link #write}; {@code close()} closes the
     * flow's write direction ({@link Shutdown#WRITE}). On the event loop
     * ({@link #inEventLoop}) its writes and close fail at once with
     * {@link IllegalStateException}.
     */
    default OutputStream outputStream() {
        return new FlowOutputStream(this);
    }
}
