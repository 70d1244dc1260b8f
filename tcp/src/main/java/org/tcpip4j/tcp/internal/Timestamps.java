package org.tcpip4j.tcp.internal;

import org.tcpip4j.netif.loop.EventLoop;
import org.tcpip4j.tcp.internal.wire.TcpHeader;
import org.tcpip4j.tcp.internal.wire.TcpOptions;

/**
 * The Timestamps option of one connection (RFC 7323 3-5): our timestamp clock, the
 * agreement to use the option, TS.Recent and the PAWS test.
 *
 * <ul>
 *   <li>Our TSval is a per-connection offset plus the loop's clock in milliseconds (RFC 7323
 *       5.4: a tick of 1 ms to 1 s; 7.1: an offset, so that the value says nothing about
 *       the host's uptime). The offset is a keyed hash of the 4-tuple, so a later incarnation
 *       of the same 4-tuple carries larger timestamps, as RFC 6191 relies on.
 *   <li>The option is used once both SYNs carried it (RFC 7323 3.2, Snd.TS.OK); from then
 *       on every segment we send carries it, and a received segment other than a reset
 *       without it is dropped (3.2: "SHOULD silently drop").
 *   <li>TS.Recent is the TSval to echo; it is taken from a segment that is acceptable and
 *       begins at or before Last.ACK.sent (RFC 7323 4.3), so that with delayed or
 *       out-of-order ACKs the echo measures the longest RTT. It is only taken from a segment
 *       whose ACK was found acceptable too, so that a forged in-window segment cannot move
 *       it ahead and turn PAWS against the real peer.
 *   <li>PAWS (RFC 7323 5.3 R1): a segment other than a reset whose TSval is older than
 *       TS.Recent is an old duplicate, answered with an ACK and dropped; after 24 days of
 *       idleness TS.Recent is no longer trusted (5.5) and the segment's TSval replaces it.
 * </ul>
 */
final class Timestamps {

    /** RFC 7323 5.5: after 24 days without an update, TS.Recent may have wrapped. */
    static final long PAWS_IDLE_NANOS = 24L * 24 * 3600 * 1_000_000_000L;
    /** RTT samples longer than this are taken for a bad echo (the RTO ceiling is 60 s). */
    private static final int MAX_RTT_MILLIS = 120_000;

    private final EventLoop loop;
    private final int offset;
    /** We offer the option on our SYN (the layer's configuration). */
    final boolean offered;
    /** Snd.TS.OK: both SYNs carried the option. */
    private boolean enabled;
    private int recent;
    private long recentAge;

    Timestamps(EventLoop loop, int offset, boolean offered) {
        this.loop = loop;
        this.offset = offset;
        this.offered = offered;
    }

    /** True once both ends agreed to use the option (RFC 7323 3.2). */
    boolean enabled() {
        return enabled;
    }

    /** Our TSval now: the offset plus the loop's clock in milliseconds. */
    int now() {
        return offset + clock(loop);
    }

    /** The timestamp clock: the loop's time in milliseconds, to which each 4-tuple adds its offset. */
    static int clock(EventLoop loop) {
        return (int) (loop.nanoTime() / 1_000_000L);
    }

    /** TS.Recent: the TSval we echo in TSecr. */
    int recent() {
        return recent;
    }

    /**
     * The peer's SYN (in LISTEN or SYN_SENT) or SYN-ACK (in SYN_SENT) arrived: the option is
     * in use when we offered it and the peer's segment carries it, and its TSval is the first
     * TS.Recent (RFC 7323 3.2, 4.3).
     */
    void onPeerSyn(TcpOptions options) {
        enabled = offered && options.hasTimestamps();
        if (enabled) {
            setRecent(options.timestampValue());
        }
    }

    /**
     * The connection opens from a SYN cookie: the option is in use when the cookie's SYN-ACK
     * carried it ({@code agreed}: the client's SYN offered it and we do), and the ACK's
     * TSval is the first TS.Recent.
     */
    void onCookie(boolean agreed, TcpOptions ackOptions) {
        enabled = agreed && offered && ackOptions.hasTimestamps();
        if (enabled) {
            setRecent(ackOptions.timestampValue());
        }
    }

    /**
     * RFC 7323 3.2: once the option is in use, a segment other than a reset that lacks it
     * is dropped.
     */
    boolean missingFrom(ReceivedSegment seg) {
        return enabled && !seg.options.hasTimestamps() && !seg.has(TcpHeader.RST);
    }

    /**
     * PAWS (RFC 7323 5.3 R1): true when the segment carries a TSval older than TS.Recent and
     * is no reset, so it must be answered with an ACK and dropped. A TS.Recent untouched for
     * 24 days is stale (5.5): the segment's TSval replaces it and the segment goes on.
     */
    boolean rejects(ReceivedSegment seg) {
        if (!enabled || !seg.options.hasTimestamps() || seg.has(TcpHeader.RST)) {
            return false;
        }
        int value = seg.options.timestampValue();
        if (value - recent >= 0) {
            return false;
        }
        if (loop.nanoTime() - recentAge > PAWS_IDLE_NANOS) {
            setRecent(value);
            return false;
        }
        return true;
    }

    /**
     * RFC 7323 4.3 (2): an acceptable segment whose TSval is not older than TS.Recent and
     * that begins at or before Last.ACK.sent gives the next TSecr.
     */
    void onAcceptable(ReceivedSegment seg, int lastAckSent) {
        if (!enabled || !seg.options.hasTimestamps()) {
            return;
        }
        int value = seg.options.timestampValue();
        if (value - recent >= 0 && SeqNum.le(seg.seq, lastAckSent)) {
            setRecent(value);
        }
    }

    private void setRecent(int value) {
        recent = value;
        recentAge = loop.nanoTime();
    }

    /**
     * The round-trip time that the TSecr of an ACK measures (RFC 7323 4.1), in nanoseconds,
     * or -1 when the segment has no usable echo. Millisecond resolution: a sample of 0 is a
     * round trip of under a millisecond.
     */
    long rttNanos(ReceivedSegment seg) {
        if (!enabled || !seg.options.hasTimestamps()) {
            return -1;
        }
        int elapsed = now() - seg.options.timestampEcho();
        if (elapsed < 0 || elapsed > MAX_RTT_MILLIS) {
            return -1;
        }
        return elapsed * 1_000_000L;
    }
}
