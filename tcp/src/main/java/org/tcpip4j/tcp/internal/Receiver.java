package org.tcpip4j.tcp.internal;

import java.nio.ByteBuffer;
import org.tcpip4j.netif.loop.EventLoop;
import org.tcpip4j.netif.loop.Timer;
import org.tcpip4j.tcp.internal.wire.TcpHeader;

/**
 * The receive half of a connection (gVisor's rcv.go): the receive sequence variables of
 * RFC 9293 3.3.1, the acceptability test and trimming of RFC 9293 3.10.7.4, reassembly of
 * out-of-order data ({@link ReceiveBuffer}), the window we offer with receiver-side silly
 * window avoidance (RFC 9293 3.8.6.2.2; RFC 1122 4.2.3.3) and window scaling (RFC 7323 2),
 * delayed acknowledgments (RFC 9293 3.8.6.3; RFC 1122 4.2.3.2; RFC 5681 4.2), and the SACK
 * blocks that describe the out-of-order data held (RFC 2018 4, {@link SackBlocks}).
 *
 * <p>The receive buffer, and with it the window offered, starts at the configured size and
 * grows with the rate the application reads at (dynamic right-sizing,
 * {@link BufferAutoTuning}); the buffer commits memory only as data fills it
 * ({@link ReceiveBuffer}). The window offered never reaches past what the buffer may grow
 * to, and that never shrinks.
 *
 * <p>Delayed ACK policy: acknowledge at once out-of-order data, data that fills a hole,
 * and a FIN; acknowledge in-order data once at least two full segments are unacknowledged;
 * otherwise within {@value #DELAYED_ACK_MILLIS} ms (Linux's minimum delayed-ACK time, well
 * under the 500 ms bound of RFC 1122). Any segment we send carries the ACK and clears it.
 */
final class Receiver {

    /** The delayed-ACK timeout in milliseconds. */
    static final int DELAYED_ACK_MILLIS = 40;
    private static final long DELAYED_ACK_NANOS = DELAYED_ACK_MILLIS * 1_000_000L;
    /** Out-of-order ranges held at most: the reassembly queue's bound besides the window. */
    static final int MAX_OUT_OF_ORDER_RANGES = 32;

    private final Connection conn;
    private final TcpCounters counters;
    /** The receive buffer size: the most the window offered plus the unread bytes reach. Never shrinks. */
    private int target;
    /** Created when first armed: an idle connection holds no timer it never used. */
    private Timer delayedAckTimer;

    /** IRS: the peer's initial sequence number. */
    int irs;
    /** RCV.NXT: the next sequence number expected. */
    int rcvNxt;
    /** Our window shift count (RFC 7323 2.3), 0 when scaling is not in use. */
    int rcvScale;
    /** The right edge of the window last offered (RCV.NXT + RCV.WND then); never moves left. */
    private int advertisedEdge;
    /** The user fixed the buffer size ({@link #fixTarget}): auto-tuning leaves it alone. */
    private boolean targetFixed;
    /** The window field of the last segment sent, in bytes (Linux's rcv_wnd). */
    private int windowOffered;
    /** Last.ACK.sent (RFC 7323 4.3): the acknowledgment number of the last segment sent. */
    int lastAckSent;
    /** SACK was agreed (RFC 2018 2): out-of-order data is reported in SACK blocks. */
    private boolean sackEnabled;
    private final SackBlocks sackBlocks = new SackBlocks();

    /** In-order and out-of-order data; allocated when the connection is established. */
    ReceiveBuffer buffer;
    private boolean finPending;
    private int finSeq;
    /** The peer's FIN has been received in sequence. */
    boolean finReceived;
    /** The user shut the read direction: data is acknowledged and dropped. */
    boolean readShutdown;

    /** Bytes received in order over the connection (for TcpInfo). */
    long bytesReceived;
    private int unackedBytes;
    private boolean ackNow;
    /** The largest segment seen: what "a full-sized segment" means for delayed ACKs. */
    private int rcvMss = 536;
    /** The MSS we announced. */
    private int advMss = 536;
    /**
     * In-order payload of the segment being processed, set aside for the reception waiting
     * for it ({@link #handOverLent}): the received frame (read-only), where the bytes begin,
     * how many. Null when there is none.
     */
    private ByteBuffer lentFrom;
    private int lentOffset;
    private int lentLength;
    /**
     * While a reception is being lent a frame's bytes: those bytes, which count as held in
     * the buffer for the window offered meanwhile (a receiver that writes from its
     * {@code data} sends the window, and may leave bytes that are then stored).
     */
    private int lending;

    Receiver(Connection conn, EventLoop loop, TcpCounters counters, int receiveBufferSize) {
        this.conn = conn;
        this.counters = counters;
        this.target = receiveBufferSize;
    }

    /** The peer's SYN arrived with sequence number {@code seq} (RFC 9293 3.10.7.2, 3.10.7.3). */
    void synReceived(int seq) {
        irs = seq;
        rcvNxt = seq + 1;
        windowOffered = synWindow();
        advertisedEdge = rcvNxt + windowOffered;
    }

    /** The window of a SYN or SYN-ACK, never scaled (RFC 7323 2.2). */
    int synWindow() {
        return Math.min(target, 0xffff);
    }

    /**
     * The handshake is over: creates the buffer (its ring is allocated as data arrives),
     * with room past the nominal size for the rounding of a scaled window (so that a
     * window offered once is never taken back), and starts measuring what the application
     * consumes.
     */
    void establish(int scale, int ourMss, boolean sack) {
        this.rcvScale = scale;
        this.sackEnabled = sack;
        this.rcvMss = Math.min(rcvMss, ourMss);
        this.advMss = ourMss;
        this.buffer = new ReceiveBuffer(target + slack(), MAX_OUT_OF_ORDER_RANGES, conn.tcp.chunks);
        conn.autoTuning.start(rcvNxt, window(), ourMss);
    }

    /**
     * Room past the buffer size for windows rounded up to the scale ({@link #windowField}):
     * an eighth of the size, at least one scale unit; none without scaling.
     */
    private int slack() {
        return rcvScale > 0 ? Math.max(1 << rcvScale, target / 8) : 0;
    }

    /**
     * Fixes the receive buffer size at {@code bytes} (as Linux's SO_RCVBUF does): auto-tuning
     * no longer changes it. A lower size shrinks the window offered as data is read, never
     * retracting an edge already offered (the buffer still holds what that edge admits).
     */
    void fixTarget(int bytes) {
        targetFixed = true;
        target = bytes;
        if (buffer != null) {
            buffer.raiseLimit(target + slack());
        }
    }

    /** The receive buffer size now (for tests and diagnostics). */
    int bufferTarget() {
        return target;
    }

    /**
     * Raises the receive buffer size to {@code bytes} (never lowers it): the window offered
     * may then grow up to it, and the buffer's limit follows.
     */
    void raiseTarget(int bytes) {
        if (targetFixed) {
            return;
        }
        if (bytes > target && !conn.tcp.chunks.underPressure()) {
            target = bytes;
            if (buffer != null) {
                buffer.raiseLimit(target + slack());
            }
        }
    }

    /** The right edge of the window last offered, RCV.NXT + RCV.WND then (for tests). */
    int advertisedEdge() {
        return advertisedEdge;
    }

    /** RCV.WND: what we last offered, from RCV.NXT. */
    int window() {
        return Math.max(0, advertisedEdge - rcvNxt);
    }

    // ---- RFC 9293 3.10.7.4, first: is the segment acceptable? --------------------------

    /**
     * The acceptability test of RFC 9293 3.10.7.4. A zero window still accepts a segment
     * at RCV.NXT so that its ACK and RST are processed ("special allowance should be made
     * to accept valid ACKs, URGs, and RSTs"); its data is trimmed away.
     */
    boolean acceptable(int seq, int length) {
        int wnd = window();
        if (wnd == 0) {
            return seq == rcvNxt;
        }
        int end = rcvNxt + wnd;
        if (length == 0) {
            return SeqNum.inWindow(seq, rcvNxt, end);
        }
        return SeqNum.inWindow(seq, rcvNxt, end) || SeqNum.inWindow(seq + length - 1, rcvNxt, end);
    }

    // ---- RFC 9293 3.10.7.4, seventh and eighth: text and FIN ----------------------------

    /**
     * Takes the payload and FIN of an acceptable segment: trims what lies before RCV.NXT
     * or past the window, stores the rest in place, and records a FIN to be processed
     * once every byte before it has arrived.
     *
     * @return true when the peer's FIN was reached in sequence by this segment
     */
    boolean onText(ReceivedSegment seg) {
        boolean finReached = text(seg);
        if (seg.payloadLength > 0 && !finReceived) {
            conn.autoTuning.onDataSegment(seg, rcvMss, rcvNxt, windowOffered);
        }
        return finReached;
    }

    private boolean text(ReceivedSegment seg) {
        int seq = seg.seq;
        int offset = seg.payloadOffset;
        int length = seg.payloadLength;
        boolean fin = seg.has(TcpHeader.FIN);
        int finAt = seq + length;
        // Trim what we already have (RFC 9293 3.10.7.4: "trimmed to contain only new data").
        int old = rcvNxt - seq;
        if (old > 0) {
            int drop = Math.min(old, length);
            seq += drop;
            offset += drop;
            length -= drop;
            if (drop > 0 && length == 0) {
                counters.rxDuplicate.increment();
                ackNow = true;
            }
            if (drop > 0 && sackEnabled) {
                sackBlocks.onDuplicate(seq - drop, seq); // RFC 2883 4: the part we had
                ackNow = true; // and at once, so that the sender learns of it in time
            }
            if (fin && SeqNum.lt(finAt, rcvNxt)) {
                fin = false; // an old FIN, already processed
            }
        }
        // Trim what lies past the window, and past a FIN already seen.
        int edge = rcvNxt + Math.min(window(), buffer.space() - lending);
        if (finPending && SeqNum.lt(finSeq, edge)) {
            edge = finSeq;
        }
        int room = edge - seq;
        if (length > room) {
            length = Math.max(0, room);
            fin = false;
            ackNow = true; // RFC 9293 3.10.7.4: tell the peer where the window ends
            counters.rxOutOfWindow.increment();
        }
        if (fin && SeqNum.gt(finAt, edge)) {
            fin = false;
        }
        if (length > 0) {
            if (!storeData(seq, offset, length, seg.buffer)) {
                return false; // refused: neither the data nor a FIN behind it is kept
            }
        }
        if (fin && !finPending) {
            finPending = true;
            finSeq = finAt;
        }
        if (finPending && !finReceived && rcvNxt == finSeq) {
            rcvNxt++;
            finReceived = true;
            ackNow = true; // RFC 1122 4.2.3.2 leaves a FIN no reason to wait
            return true;
        }
        return false;
    }

    private boolean storeData(int seq, int offset, int length, ByteBuffer src) {
        int at = seq - rcvNxt;
        if (at > 0 && buffer.covers(at, length)) {
            counters.rxDuplicate.increment();
            ackNow = true;
            if (sackEnabled) {
                sackBlocks.onDuplicate(seq, seq + length); // RFC 2883 4: then the range holding it
                sackBlocks.onOutOfOrder(seq, rcvNxt, buffer);
            }
            return true;
        }
        boolean hadHoles = buffer.hasOutOfOrder();
        int advance;
        boolean lent = at == 0 && !hadHoles && buffer.readable() == 0 && src.isReadOnly() && !readShutdown
            && conn.flow.takesArrivals();
        if (lent) {
            // Nothing waits before these bytes and a reception wants them: they go to it from
            // the frame once the segment is processed, and only what it leaves is stored.
            lentFrom = src;
            lentOffset = offset;
            lentLength = length;
            advance = length;
        } else {
            advance = buffer.store(at, src, offset, length);
        }
        if (advance == ReceiveBuffer.NO_MEMORY && at == 0 && conn.tcp.chunks.underPressure() && buffer.hasOutOfOrder()) {
            // Linux's tcp_prune_ofo_queue: under memory pressure, out-of-order data goes
            // first, so that the data the reader waits for can be stored
            counters.rxOutOfOrderPruned.add(buffer.pruneOutOfOrder());
            if (sackEnabled) {
                sackBlocks.clear();
            }
            hadHoles = false;
            advance = buffer.store(at, src, offset, length);
        }
        if (advance == ReceiveBuffer.NO_MEMORY) {
            counters.rxDroppedMemory.increment();
            ackNow = true;
            return false;
        }
        if (advance < 0) {
            counters.rxOutOfOrderDropped.increment();
            ackNow = true;
            return false;
        }
        if (advance == 0) {
            counters.rxOutOfOrder.increment();
            ackNow = true; // RFC 5681 4.2: a duplicate ACK at once for out-of-order data
            if (sackEnabled) {
                sackBlocks.onOutOfOrder(seq, rcvNxt, buffer); // RFC 2018 4: its block goes first
            }
            return true;
        }
        rcvNxt += advance;
        bytesReceived += advance;
        counters.rxBytes.add(advance);
        if (readShutdown) {
            buffer.discardReadable();
            if (buffer.isEmpty() && buffer.holdsMemory()) {
                conn.onBufferEmptied();
            }
        }
        if (hadHoles) {
            ackNow = true; // RFC 5681 4.2: at once when the data fills (part of) a hole
        } else {
            if (length > rcvMss) {
                // A segment larger than the MSS we announced is several coalesced by the
                // device (GRO): the peer's segments are still at most advMss (Linux reads
                // gso_size for the same estimate).
                rcvMss = Math.min(length, advMss);
            }
            unackedBytes += advance;
            if (unackedBytes >= 2 * rcvMss) {
                ackNow = true; // RFC 5681 4.2: at least every second full-sized segment
            }
        }
        if (!lent) {
            conn.onReadable();
        }
        return true;
    }

    /**
     * After the text of a segment was taken, before its FIN is processed: lends the in-order
     * payload {@link #storeData} set aside to the reception waiting for it, read-only and
     * without copying it (the receive buffer was empty, so nothing comes before it). What
     * the reception leaves is stored in the buffer, where it finds it again when it resumes;
     * nothing is stored when the read direction was shut or the connection closed meanwhile
     * (as {@link #storeData} discards data after a shut read).
     */
    void handOverLent() {
        ByteBuffer src = lentFrom;
        if (src == null) {
            return;
        }
        lentFrom = null;
        ReceiveBuffer b = buffer;
        int took;
        lending = lentLength;
        try {
            took = conn.flow.lend(src, lentOffset, lentLength);
        } finally {
            lending = 0;
        }
        if (took > 0) {
            counters.rxBytesLent.add(took);
        }
        if (buffer != b || readShutdown || conn.state == TcpState.CLOSED) {
            return;
        }
        if (took < lentLength) {
            // Into an empty buffer, all of whose chunks are owed: stored whole.
            b.store(0, src, lentOffset + took, lentLength - took);
            conn.onReadable();
        }
        if (took > 0) {
            onUserRead();
        }
    }

    // ---- the window we offer (RFC 9293 3.8.6.2.2, RFC 7323 2.3) ------------------------

    /**
     * The value for the window field of a segment about to be sent, and records the edge it
     * offers. The right edge moves right only by at least min(buffer/2, MSS) (receiver
     * silly window avoidance), is never moved left, and is rounded to the scale: down
     * normally, up when rounding down would retract it (as Linux's tcp_select_window aligns
     * the current window up). Rounding up offers a little past the buffer size, and as
     * RCV.NXT moves by amounts that are not multiples of the scale unit, it may do so
     * again on the next segment; the buffer has room past its size for that (an eighth of
     * it, at least one unit, {@link #slack}). Only past that room is the window rounded
     * down, so that the edge on the wire retracts by less than one unit, which RFC 7323
     * 2.4 expects senders to handle (its Appendix F); data up to the furthest edge ever
     * offered is still accepted, and the buffer holds it.
     */
    int windowField() {
        if (buffer == null) {
            windowOffered = synWindow();
            return windowOffered;
        }
        int free = Math.max(0, target - buffer.readable() - lending);
        int candidate = rcvNxt + free;
        int edge = advertisedEdge;
        if (SeqNum.lt(edge, rcvNxt)) {
            edge = rcvNxt;
        }
        if (SeqNum.gt(candidate, edge) && candidate - edge >= Math.min(target / 2, rcvMss)) {
            edge = candidate;
        }
        int wnd = edge - rcvNxt;
        int field;
        if (rcvScale == 0) {
            field = Math.min(wnd, 0xffff);
        } else {
            field = wnd >>> rcvScale;
            if (SeqNum.lt(rcvNxt + (field << rcvScale), advertisedEdge)) {
                int up = (advertisedEdge - rcvNxt + (1 << rcvScale) - 1) >>> rcvScale;
                if ((up << rcvScale) <= buffer.space() - lending) {
                    field = up;
                }
            }
            field = Math.min(field, 0xffff);
        }
        windowOffered = field << rcvScale;
        int offered = rcvNxt + windowOffered;
        if (SeqNum.gt(offered, advertisedEdge)) {
            advertisedEdge = offered;
        }
        return field;
    }

    // ---- delayed acknowledgments ----------------------------------------------------------

    // ---- SACK blocks (RFC 2018 4) --------------------------------------------------------------

    /**
     * Builds the SACK blocks for a segment about to be sent, at most {@code max}.
     *
     * @return how many, read with {@link #sackStart} and {@link #sackEnd}; 0 when SACK is
     *     not in use or nothing is held out of order
     */
    int buildSackBlocks(int max) {
        if (!sackEnabled) {
            return 0;
        }
        return sackBlocks.build(rcvNxt, buffer, max);
    }

    /**
     * A segment failed the acceptability test or PAWS: when its data lies wholly before
     * RCV.NXT it is a duplicate, reported in a D-SACK block (RFC 2883 4).
     */
    void onUnacceptable(int seq, int payloadLength) {
        if (sackEnabled && payloadLength > 0 && SeqNum.le(seq + payloadLength, rcvNxt)) {
            sackBlocks.onDuplicate(seq, seq + payloadLength);
        }
    }

    /** The left edge of SACK block {@code i} of the last {@link #buildSackBlocks}. */
    int sackStart(int i) {
        return sackBlocks.start(i);
    }

    /** The right edge of SACK block {@code i} of the last {@link #buildSackBlocks}. */
    int sackEnd(int i) {
        return sackBlocks.end(i);
    }

    /** A segment carrying our ACK is leaving: nothing is left to acknowledge. */
    void onAckSent() {
        lastAckSent = rcvNxt;
        sackBlocks.onAckSent();
        unackedBytes = 0;
        ackNow = false;
        cancelDelayedAckTimer();
    }

    /** Asks for an ACK at the end of this round of processing. */
    void ackNow() {
        ackNow = true;
    }

    /** True when an ACK must go out now. */
    boolean ackPending() {
        return ackNow;
    }

    /** After a segment was processed: send the ACK now, or arm the delayed-ACK timer. */
    void flushAck() {
        if (ackNow) {
            conn.sendAck();
        } else if (unackedBytes > 0 && !delayedAckTimerScheduled()) {
            delayedAckTimer().schedule(DELAYED_ACK_NANOS);
        }
    }

    private void onDelayedAckTimeout() {
        if (unackedBytes > 0 || ackNow) {
            conn.sendAck();
        }
    }

    /**
     * The user read some bytes: once per round trip the receive buffer may grow with the
     * rate of reading ({@link BufferAutoTuning#receiveTarget}); when the window can then
     * open by at least min(buffer/2, MSS) past the edge offered, say so at once (RFC 9293
     * 3.8.6.2.2), which also ends a peer's zero-window probing. An emptied buffer may
     * give its memory back later, once the connection is idle; after the peer's FIN no
     * more data comes, so at once.
     */
    void onUserRead() {
        if (buffer == null) {
            return;
        }
        if (finReceived) {
            buffer.release();
            return;
        }
        raiseTarget(conn.autoTuning.receiveTarget(rcvNxt - buffer.readable() - lending, target, advMss,
            buffer.outOfOrderEnd()));
        if (buffer.isEmpty() && buffer.holdsMemory()) {
            conn.onBufferEmptied();
        }
        offerGrownWindow();
    }

    /** When the window can open by at least min(buffer/2, MSS) past the edge offered, says so at once. */
    void offerGrownWindow() {
        if (buffer == null || finReceived) {
            return;
        }
        int free = Math.max(0, target - buffer.readable() - lending);
        int candidate = rcvNxt + free;
        int growth = candidate - advertisedEdge;
        if (growth > 0 && growth >= Math.min(target / 2, rcvMss)) {
            conn.sendAck();
        }
    }

    /** Gives the buffer's memory back when nothing is held in it (an idle connection). */
    boolean releaseIfEmpty() {
        return buffer != null && buffer.release();
    }

    /** The user shut the read direction: drop what is buffered and whatever comes. */
    void shutdownRead() {
        readShutdown = true;
        if (buffer != null) {
            buffer.discardReadable();
        }
    }

    /** Stops the delayed-ACK timer. */
    void stopTimers() {
        cancelDelayedAckTimer();
    }

    private Timer delayedAckTimer() {
        if (delayedAckTimer == null) {
            delayedAckTimer = conn.loop.newTimer(this::onDelayedAckTimeout);
        }
        return delayedAckTimer;
    }

    private boolean delayedAckTimerScheduled() {
        return delayedAckTimer != null && delayedAckTimer.isScheduled();
    }

    private void cancelDelayedAckTimer() {
        if (delayedAckTimer != null) {
            delayedAckTimer.cancel();
        }
    }
}
