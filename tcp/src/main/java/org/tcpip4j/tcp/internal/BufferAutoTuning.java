package org.tcpip4j.tcp.internal;

import org.tcpip4j.netif.loop.EventLoop;

/**
 * How one connection's buffers grow with use (Linux's buffer auto-tuning), between the
 * configured initial sizes and maxima ({@code TcpConfig.maxReceiveBufferSize},
 * {@code maxSendBufferSize}; with a maximum equal to the initial size nothing grows).
 *
 * <p><b>Receive buffer: dynamic right-sizing</b> (Linux's tcp_rcv_space_adjust; Fisk and
 * Feng, "Dynamic Right-Sizing in TCP", 2001). The window a receiver offers caps the
 * sender at one window per round trip, so the buffer behind it must hold what the path
 * delivers in a round trip, and more while the sender is still speeding up. The receiver
 * estimates the round trip itself ({@link #onDataSegment}): with timestamps, as the age of
 * the TSecr that data segments echo (tcp_rcv_rtt_measure_ts: a moving average, one sample
 * per new echo, from full-sized segments only); without, as the time to receive one
 * window's worth of data (tcp_rcv_rtt_measure), which can only over-estimate, so only a
 * smaller sample replaces the estimate. Once per estimated round trip, when the
 * application reads ({@link #receiveTarget}), the bytes it consumed since the last
 * measurement are compared with the most consumed in one measurement so far; when they
 * exceed it, the receive buffer grows to twice that amount (the sender may double its rate
 * in the next round trip, as in slow start) plus an allowance for out-of-order data: the
 * extent of what is held out of order, and at least 16 segments (Linux's
 * {@code 16 * advmss}, room to keep going through losses). It never shrinks: a window
 * offered is never taken back (RFC 9293 3.8.6: a receiver should not shrink the window).
 *
 * <p><b>Send buffer</b> (Linux's tcp_sndbuf_expand): after each acknowledgment it is raised
 * to twice the congestion window, at least twice the initial window of ten segments, so
 * that a full window can be in flight while as much again waits to be sent. It never
 * shrinks either.
 *
 * <p>Both buffers commit memory only as they fill ({@link SendBuffer},
 * {@link ReceiveBuffer}); their limits are what grows here. Loop only; the per-segment
 * work is a few comparisons and allocates nothing.
 */
final class BufferAutoTuning {

    /** The out-of-order allowance in segments (Linux's {@code 16 * advmss}). */
    static final int REORDERING_ALLOWANCE_SEGMENTS = 16;
    /** Linux's TCP_INIT_CWND: the first measurement's baseline and the send buffer's floor, in segments. */
    static final int INITIAL_WINDOW_SEGMENTS = 10;

    private final EventLoop loop;
    private final Timestamps timestamps;
    private final int maxReceive;
    private final int maxSend;

    // The receiver's round-trip estimate (Linux's rcv_rtt_est), in nanoseconds; 0 while unknown.
    private long rcvRttNanos;
    private boolean windowTimed;
    private int windowTimedSeq;
    private long windowTimedAt;
    private boolean echoSeen;
    private int lastEcho;

    // Dynamic right-sizing (Linux's rcvq_space): the most consumed in one measurement, and
    // where and when the current measurement began.
    private int space;
    private int spaceSeq;
    private long spaceTime;

    BufferAutoTuning(EventLoop loop, Timestamps timestamps, int maxReceiveBufferSize, int maxSendBufferSize) {
        this.loop = loop;
        this.timestamps = timestamps;
        this.maxReceive = maxReceiveBufferSize;
        this.maxSend = maxSendBufferSize;
    }

    // ---- receive side ------------------------------------------------------------------------

    /**
     * The connection is established (Linux's tcp_init_buffer_space): the first measurement
     * starts at {@code copiedSeq}, the next byte the application will read, with a baseline
     * of min(window, {@value #INITIAL_WINDOW_SEGMENTS} segments of {@code advMss}).
     */
    void start(int copiedSeq, int window, int advMss) {
        space = Math.max(1, Math.min(window, INITIAL_WINDOW_SEGMENTS * advMss));
        spaceSeq = copiedSeq;
        spaceTime = loop.nanoTime();
    }

    /**
     * A data segment was accepted; {@code rcvNxt} is RCV.NXT after it, {@code window} the
     * window of the last segment we sent (Linux's rcv_wnd: the whole window, not what is
     * left of it). Samples the round trip: from its TSecr when timestamps are in use and it
     * is full-sized ({@code rcvMss} or more) and echoes a TSval not seen before; and from
     * the time RCV.NXT took to move by a whole window.
     */
    void onDataSegment(ReceivedSegment seg, int rcvMss, int rcvNxt, int window) {
        if (timestamps.enabled() && seg.options.hasTimestamps()) {
            int echo = seg.options.timestampEcho();
            if (!echoSeen || echo != lastEcho) {
                echoSeen = true;
                lastEcho = echo;
                if (seg.payloadLength >= rcvMss && echo != 0) {
                    long sample = timestamps.rttNanos(seg);
                    if (sample >= 0) {
                        rttSample(Math.max(sample, 1_000_000L), false); // millisecond ticks: at least one
                    }
                }
            }
        }
        long now = loop.nanoTime();
        if (windowTimed) {
            if (SeqNum.lt(rcvNxt, windowTimedSeq)) {
                return;
            }
            rttSample(Math.max(1, now - windowTimedAt), true);
        }
        windowTimed = window > 0; // a shut window times nothing
        windowTimedSeq = rcvNxt + window;
        windowTimedAt = now;
    }

    /**
     * Linux's tcp_rcv_rtt_update: a smaller sample always replaces the estimate; a larger
     * one is taken into a moving average (gain 1/8) when it comes from a timestamp echo,
     * and ignored when it is a window's receive time, which over-estimates whenever the
     * sender does not fill the window.
     */
    private void rttSample(long nanos, boolean windowBased) {
        if (rcvRttNanos == 0 || nanos < rcvRttNanos) {
            rcvRttNanos = nanos;
        } else if (!windowBased) {
            rcvRttNanos += (nanos - rcvRttNanos) >> 3;
        }
    }

    /** The receiver's round-trip estimate in nanoseconds, 0 while unknown (for tests and diagnostics). */
    long receiverRttNanos() {
        return rcvRttNanos;
    }

    /**
     * The application consumed data up to {@code copiedSeq}: once per estimated round trip,
     * the receive buffer size it calls for (Linux's tcp_rcv_space_adjust).
     *
     * @param target the receive buffer size now
     * @param advMss the MSS we announced
     * @param outOfOrderEnd how far past RCV.NXT out-of-order data is held (0 when none)
     * @return the new size, {@code target} or more, at most the maximum
     */
    int receiveTarget(int copiedSeq, int target, int advMss, int outOfOrderEnd) {
        if (target >= maxReceive || rcvRttNanos == 0) {
            return target;
        }
        long now = loop.nanoTime();
        if (now - spaceTime < rcvRttNanos) {
            return target;
        }
        int copied = copiedSeq - spaceSeq;
        int grown = target;
        if (copied > space) {
            long allowance = Math.max((long) REORDERING_ALLOWANCE_SEGMENTS * advMss, outOfOrderEnd);
            long wanted = 2L * copied + allowance;
            grown = (int) Math.min(maxReceive, Math.max(target, wanted));
            space = copied;
        }
        spaceSeq = copiedSeq;
        spaceTime = now;
        return grown;
    }

    // ---- send side ---------------------------------------------------------------------------

    /**
     * The send buffer size that a congestion window of {@code cwnd} bytes calls for (Linux's
     * tcp_sndbuf_expand): twice the window, at least twice {@value #INITIAL_WINDOW_SEGMENTS}
     * segments, never less than {@code limit} (the size now) nor more than the maximum.
     */
    int sendTarget(int cwnd, int mss, int limit) {
        if (limit >= maxSend) {
            return limit;
        }
        long wanted = 2L * Math.max(cwnd, (long) INITIAL_WINDOW_SEGMENTS * mss);
        return (int) Math.min(maxSend, Math.max(limit, wanted));
    }
}
