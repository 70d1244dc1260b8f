package org.tcpip4j.netif.impair;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.function.Consumer;
import org.tcpip4j.netif.loop.EventLoop;
import org.tcpip4j.netif.loop.Timer;

/**
 * A bandwidth limit: a bounded FIFO in front of a link of a given bit rate. The frame at
 * the head is "on the wire" for {@code length * 8 / rate} seconds and leaves when the last
 * bit is out; the next one starts then. A frame that finds the queue full is refused
 * (tail drop, as a router's FIFO does). The remainder of every division is carried to the
 * next frame, so over any run the link's throughput is exactly its rate. Loop only.
 */
final class SerialisationQueue {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final EventLoop loop;
    private final long bitsPerSecond;
    private final int limit;
    private final Consumer<ByteBuffer> onSent;
    private final ArrayDeque<ByteBuffer> queue;
    private Timer timer;
    private boolean sending;
    /** Nanosecond fractions (in units of 1/bitsPerSecond) not yet accounted for. */
    private long carry;
    /** When the last bit of the frame on the wire is out; a late timer does not slow the link down. */
    private long wireFreeAt;

    /** A link of {@code bitsPerSecond} with room for {@code limit} frames, handing each sent frame to {@code onSent}. */
    SerialisationQueue(EventLoop loop, long bitsPerSecond, int limit, Consumer<ByteBuffer> onSent) {
        this.loop = loop;
        this.bitsPerSecond = bitsPerSecond;
        this.limit = limit;
        this.onSent = onSent;
        this.queue = new ArrayDeque<>(Math.min(limit, 1024));
    }

    /** Queues {@code frame} (owned by the queue from now on); false, and nothing kept, when the queue is full. */
    boolean offer(ByteBuffer frame) {
        if (queue.size() >= limit) {
            return false;
        }
        queue.addLast(frame);
        if (!sending) {
            startHead(false);
        }
        return true;
    }

    int size() {
        return queue.size();
    }

    private void startHead(boolean backToBack) {
        sending = true;
        long bitTimes = queue.peekFirst().remaining() * 8L * NANOS_PER_SECOND + carry;
        long nanos = bitTimes / bitsPerSecond;
        carry = bitTimes % bitsPerSecond;
        if (timer == null) {
            timer = loop.newTimer(this::headSent);
        }
        long now = loop.nanoTime();
        long start = backToBack || wireFreeAt - now > 0 ? wireFreeAt : now;
        wireFreeAt = start + nanos;
        timer.schedule(wireFreeAt - now);
    }

    private void headSent() {
        ByteBuffer frame = queue.pollFirst();
        sending = false;
        // The next frame starts on the wire now, before this one's receiver can react.
        if (!queue.isEmpty()) {
            startHead(true);
        }
        onSent.accept(frame);
    }

    /** Drops every queued frame, handing each to {@code release}, and stops the link. */
    void clear(Consumer<ByteBuffer> release) {
        ByteBuffer b;
        while ((b = queue.pollFirst()) != null) {
            release.accept(b);
        }
        sending = false;
        if (timer != null) {
            timer.cancel();
        }
    }
}
