package org.tcpip4j.tcp;

import java.nio.ByteBuffer;

/**
 * What {@link TcpFlow#receive} delivers the stream to: the bytes as they arrive, lent
 * without a copy (from the flow's receive buffer, or straight from the received frame when
 * the flow can), then its end or failure. Called on the flow's
 * event loop (see {@link TcpFlow#receive} for flows that have none), one call at a time,
 * so a receiver must not block.
 *
 * <p>Backpressure: the receiver takes a view's bytes by moving its position. Bytes it
 * leaves (its position short of the limit when {@link #data} returns) stay in the receive
 * buffer, and the reception {@link FlowReception#pause() pauses} itself: nothing more is
 * delivered until {@link FlowReception#resume()}, which offers those bytes again first.
 * Meanwhile the peer's data fills the receive buffer and the window offered closes as it
 * does for a flow nobody reads.
 */
public interface FlowReceiver {

    /**
     * Some bytes arrived: {@code view}'s position..limit, at least one byte, read-only. The
     * view is lent: it is valid only during this call (its bytes and the buffer object are
     * reused afterwards), so keep neither; copy what must outlive the call. Advance the
     * position past what you take ({@code dst.put(view)} takes it all; a relative
     * {@code get} takes what it reads); leaving bytes pauses the reception.
     *
     * <p>One arrival may come as several calls, one per contiguous run of the buffer. A
     * receiver may call the flow (write, close, pause or resume the reception) from here.
     * An exception it throws is logged; what its position says it took is taken.
     */
    void data(ByteBuffer view);

    /**
     * The end of the stream: the peer closed its direction and every byte it sent before
     * has been taken (the rule of {@link ReadResult.Eof}), or the read direction was shut
     * ({@link Shutdown#READ}). The last call.
     */
    void end();

    /**
     * The connection failed, with the exception a {@link TcpFlow#read()} would fail with
     * ({@link TcpException.Reset}, {@link TcpException.Timeout}); bytes not yet taken are
     * discarded on a reset. The last call. It comes even while the reception is paused.
     */
    void failed(TcpException cause);
}
