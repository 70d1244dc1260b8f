package org.tcpip4j.tcp;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.CompletionHandler;
import java.nio.channels.ReadPendingException;
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
 *
 * <p>Reading comes in three forms, one at a time on a flow: {@link #read()} hands over a
 * new buffer of everything readable; {@link #read(ByteBuffer, Object, CompletionHandler)}
 * copies into the caller's buffer, as {@code AsynchronousSocketChannel} does, and
 * allocates nothing when buffer and handler are used again; {@link #receive} lends the
 * receive buffer's own bytes to a callback as they arrive, with a pause switch for
 * backpressure. All give the same bytes and the same end: Eof (or -1, or
 * {@link FlowReceiver#end()}) only after every byte, a failure with the same
 * {@link TcpException}. Whatever the form, taking bytes frees room in the receive
 * buffer, and the window offered to the peer opens as that room grows.
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
     * Reads into {@code dst}, in the manner of java.nio's
     * {@link java.nio.channels.AsynchronousSocketChannel#read(ByteBuffer, Object, CompletionHandler)}:
     * copies as many of the bytes that have arrived as fit into {@code dst} from its
     * position on, advances the position, and completes {@code handler} with their count,
     * at least 1; with -1 at the end of the stream, under the rule of {@link ReadResult.Eof}
     * (the peer closed its direction and every byte it sent before has been read, or the
     * read direction was shut); with 0, at once, when {@code dst} has no room. It fails with
     * the exceptions {@link #read()} fails with ({@link TcpException.Reset},
     * {@link TcpException.Timeout}).
     *
     * <p>{@code dst} belongs to the flow until the handler is called. The handler runs on
     * the event loop and must not block; it may read again from there, which is how a
     * reader streams. A read made on the loop while bytes are there may call its handler
     * before it returns (at most a few such calls nest, as with NIO). A flow of this module
     * allocates nothing for a read made on its loop with a buffer and handler used again.
     *
     * <p>The default implementation reads with {@link #read()} and keeps the bytes that did
     * not fit for the next read (in a table weakly keyed by the flow); its handler runs
     * where {@link #read()}'s futures complete, or on the calling thread when bytes kept
     * from before are there.
     *
     * @param <A> the attachment's type
     * @param dst where the bytes go, from its position to its limit
     * @param attachment handed to the handler as it is
     * @param handler told the outcome
     * @throws ReadPendingException when a read is pending or a reception is going on (a
     *     flow that learns of it only on its loop fails the handler with an
     *     {@link IllegalStateException} instead)
     * @throws IllegalArgumentException when {@code dst} is read-only
     */
    default <A> void read(ByteBuffer dst, A attachment, CompletionHandler<Integer, ? super A> handler) {
        FlowReads.of(this).read(this, dst, attachment, handler);
    }

    /**
     * {@link #read(ByteBuffer, Object, CompletionHandler)} with a future: it completes with
     * the count of bytes read into {@code dst}, -1 at the end of the stream, or fails as that
     * does. A convenience: each call allocates its future.
     *
     * @throws ReadPendingException when a read is pending or a reception is going on
     * @throws IllegalArgumentException when {@code dst} is read-only
     */
    default CompletableFuture<Integer> read(ByteBuffer dst) {
        CompletableFuture<Integer> result = new CompletableFuture<>();
        read(dst, result, FlowReads.TO_FUTURE);
        return result;
    }

    /**
     * Delivers the stream to {@code receiver} from now on: each arrival as a read-only view
     * lent from the receive buffer for the duration of a call (no copy), then the end or
     * the failure (see {@link FlowReceiver}). The returned {@link FlowReception} pauses and
     * resumes the delivery, and a receiver that leaves bytes in a view pauses it too: while
     * paused, what arrives stays in the receive buffer and the window offered closes as it
     * fills, so a slow consumer slows the peer down.
     *
     * <p>The reception holds the flow's reading until its end or failure has been
     * delivered; reads of the other forms then give that same end. Calls to the receiver
     * run on the event loop.
     *
     * <p>The default implementation reads with {@link #read()}, lending each buffer it
     * gives; its calls run where {@link #read()}'s futures complete, or on the calling
     * thread when the bytes were there already, and {@link FlowReception#resume()} delivers
     * on the thread calling it.
     *
     * @return the reception's switch
     * @throws IllegalStateException when a read is pending or the flow is already received from
     */
    default FlowReception receive(FlowReceiver receiver) {
        return FlowReads.of(this).receive(this, receiver);
    }

    /**
     * Writes {@code data} (position..limit). Small writes may wait to be coalesced (Nagle,
     * RFC 896, as Linux applies it: a segment of less than a full size waits only while an
     * earlier one of less than a full size is unacknowledged, so the tail of a response does
     * not wait behind full segments). A response written in two writes (a header, then a
     * body) may so have its second part wait a round trip, or the peer's delayed ACK; write
     * such parts together with {@link #writev}, which sends them as one.
     *
     * @return a future completing when the data is accepted into the send buffer (it waits
     *     while the buffer is full), or failing with {@link TcpException.Closed} when the
     *     flow no longer sends
     */
    CompletableFuture<Void> write(ByteBuffer data);

    /**
     * Writes several buffers in order, as {@link #write}, all taken before any is sent: a
     * header and a body that fit in one segment leave in one.
     */
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
     * Fixes this connection's send and receive buffer sizes, as {@code SO_SNDBUF} and
     * {@code SO_RCVBUF} do on Linux: from then on auto-tuning leaves a fixed direction
     * alone. The receive size bounds the window offered (within the window scale agreed in
     * the handshake); a smaller one closes the window as data is read, never retracting
     * what was offered. The send size bounds what writes buffer; a smaller one keeps what it
     * holds until acknowledged. 0 leaves a direction as it is.
     *
     * @return a future completing once the sizes apply; the default fails it with
     *     {@link UnsupportedOperationException}
     * @throws IllegalArgumentException when a size is negative or above
     *     {@link TcpConfig#MAX_BUFFER_SIZE}
     */
    default CompletableFuture<Void> setBufferSizes(int sendBytes, int receiveBytes) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException(
            getClass().getName() + " does not set buffer sizes"));
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
     * A blocking {@link InputStream} over {@link #receive}, for code on its own (virtual)
     * thread; on the event loop ({@link #inEventLoop}) its reads fail at once with
     * {@link IllegalStateException}. Its first read starts a reception that copies what
     * arrives into a buffer of the stream's own (64 KiB), from which reads take it: on this
     * module's flows, reading allocates nothing while the reader keeps up. From its first
     * read on, the stream holds the flow's reading.
     */
    default InputStream inputStream() {
        return new FlowInputStream(this);
    }

    /**
     * A blocking {@link OutputStream} over {@link #write}, each write copied into a buffer
     * the stream keeps (up to 64 KiB at a time) and waited for; {@code close()} closes the
     * flow's write direction ({@link Shutdown#WRITE}). On the event loop
     * ({@link #inEventLoop}) its writes and close fail at once with
     * {@link IllegalStateException}.
     */
    default OutputStream outputStream() {
        return new FlowOutputStream(this);
    }
}
