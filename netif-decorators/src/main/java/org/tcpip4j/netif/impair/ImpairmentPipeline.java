package org.tcpip4j.netif.impair;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import org.tcpip4j.netif.FrameHandler;
import org.tcpip4j.netif.loop.EventLoop;
import org.tcpip4j.netif.loop.Timer;

/**
 * One direction of an {@link ImpairedNetif}: the stages of an {@link Impairment}, in its
 * documented order, between the frames offered and the {@code output}.
 *
 * <p>A frame is either borrowed (the device's buffer, valid only during the call) or owned
 * (a buffer of the pool, position 0). A borrowed frame that only passes through is handed
 * on as it is, without a copy; a stage that must keep or change one copies it into the
 * pool first. Owned frames go back to the pool once passed on or dropped. Loop only.
 */
final class ImpairmentPipeline {

    private final EventLoop loop;
    private final RandomGenerator random;
    private final FramePool pool;
    private final FrameHandler output;
    private final Runnable onDrop;
    private final ImpairmentCounters counters = new ImpairmentCounters();
    private final Consumer<ByteBuffer> releaseToPool;

    private final double lossProbability;
    private final GilbertElliottChannel burstLoss;
    private final double duplicateProbability;
    private final double corruptProbability;
    private final int corruptBits;
    private final int corruptFromOffset;
    private final int[] flippedBits;
    private final double trailerProbability;
    private final int trailerLength;
    private final int maxOutputFrame;
    private final int maxFrameSize;
    private final long[] blackoutFrom;
    private final long[] blackoutUntil;
    private final SerialisationQueue bandwidth;
    private final DelayLine delayLine;
    private final long delayNanos;
    private final long jitterNanos;
    private final double reorderProbability;
    private final int reorderDistance;
    private final long reorderMaxHoldNanos;

    private ByteBuffer held;
    private int overtaken;
    private Timer holdTimer;
    private boolean closed;

    /**
     * A pipeline applying {@code config} with {@code random}, passing surviving frames to
     * {@code output}, calling {@code onDrop} for each frame dropped, and never making a
     * frame longer than {@code maxOutputFrame} by appending bytes.
     */
    ImpairmentPipeline(EventLoop loop, Impairment config, RandomGenerator random, FramePool pool,
                       FrameHandler output, Runnable onDrop, int maxOutputFrame) {
        this.loop = loop;
        this.random = random;
        this.pool = pool;
        this.output = output;
        this.onDrop = onDrop;
        this.maxOutputFrame = maxOutputFrame;
        this.releaseToPool = pool::release;
        this.lossProbability = config.lossProbability();
        this.burstLoss = config.burstLoss().isNone() ? null : new GilbertElliottChannel(config.burstLoss());
        this.duplicateProbability = config.duplicateProbability();
        this.corruptProbability = config.corruptProbability();
        this.corruptBits = config.corruptBits();
        this.corruptFromOffset = config.corruptFromOffset();
        this.flippedBits = new int[corruptBits];
        this.trailerProbability = config.trailerLength() == 0 ? 0 : config.trailerProbability();
        this.trailerLength = config.trailerLength();
        this.maxFrameSize = config.maxFrameSize();
        List<Impairment.Blackout> blackouts = config.blackouts();
        this.blackoutFrom = new long[blackouts.size()];
        this.blackoutUntil = new long[blackouts.size()];
        for (int i = 0; i < blackouts.size(); i++) {
            blackoutFrom[i] = blackouts.get(i).fromNanos();
            blackoutUntil[i] = blackouts.get(i).untilNanos();
        }
        this.bandwidth = config.bandwidthBitsPerSecond() == 0 ? null
                : new SerialisationQueue(loop, config.bandwidthBitsPerSecond(), config.queueLimit(), this::afterBandwidth);
        this.delayNanos = config.delay().toNanos();
        this.jitterNanos = config.jitter().toNanos();
        this.delayLine = delayNanos == 0 ? null : new DelayLine(loop, this::afterDelay);
        this.reorderProbability = config.reorderProbability();
        this.reorderDistance = config.reorderDistance();
        this.reorderMaxHoldNanos = config.reorderMaxHold().toNanos();
    }

    ImpairmentStats stats() {
        return counters.snapshot();
    }

    void resetStats() {
        counters.reset();
    }

    /** Takes one frame, its position..limit, borrowed or {@code owned}. */
    void offer(ByteBuffer frame, boolean owned) {
        if (closed) {
            drop(frame, owned);
            return;
        }
        counters.offered++;
        int length = frame.remaining();
        if (inBlackout(loop.nanoTime())) {
            counters.droppedByBlackout++;
            drop(frame, owned);
        } else if (maxFrameSize > 0 && length > maxFrameSize) {
            counters.droppedByMtu++;
            drop(frame, owned);
        } else if (lossProbability > 0 && random.nextDouble() < lossProbability) {
            counters.droppedByLoss++;
            drop(frame, owned);
        } else if (burstLoss != null && burstLoss.nextLost(random)) {
            counters.droppedByBurst++;
            drop(frame, owned);
        } else {
            if (duplicateProbability > 0 && random.nextDouble() < duplicateProbability) {
                counters.duplicated++;
                // The copy goes first: the original may be borrowed and passed on as it is.
                alter(pool.copyOf(frame, 0), true);
            }
            alter(frame, owned);
        }
    }

    private boolean inBlackout(long now) {
        for (int i = 0; i < blackoutFrom.length; i++) {
            if (now >= blackoutFrom[i] && now < blackoutUntil[i]) {
                return true;
            }
        }
        return false;
    }

    /** Corrupts and extends one copy as the dice say, then queues it. */
    private void alter(ByteBuffer frame, boolean owned) {
        boolean corrupt = corruptProbability > 0 && random.nextDouble() < corruptProbability;
        int trailer = trailerProbability > 0 && random.nextDouble() < trailerProbability ? trailerLength : 0;
        int length = frame.remaining();
        trailer = Math.max(0, Math.min(trailer, maxOutputFrame - length));
        if (corrupt || trailer > 0) {
            if (!owned || frame.capacity() < length + trailer) {
                ByteBuffer copy = pool.copyOf(frame, trailer);
                if (owned) {
                    pool.release(frame);
                }
                frame = copy;
                owned = true;
            }
            if (corrupt && flipBits(frame)) {
                counters.corrupted++;
            }
            if (trailer > 0) {
                appendRandom(frame, trailer);
                counters.trailed++;
            }
        }
        toBandwidth(frame, owned);
    }

    /** Flips distinct random bits at or after the protected prefix; false when there are none to flip. */
    private boolean flipBits(ByteBuffer frame) {
        int firstBit = corruptFromOffset * 8;
        int bitCount = frame.limit() * 8 - firstBit;
        if (bitCount <= 0) {
            return false;
        }
        int n = Math.min(corruptBits, bitCount);
        for (int k = 0; k < n; k++) {
            int bit;
            boolean repeat;
            do {
                bit = firstBit + random.nextInt(bitCount);
                repeat = false;
                for (int j = 0; j < k; j++) {
                    repeat |= flippedBits[j] == bit;
                }
            } while (repeat);
            flippedBits[k] = bit;
            int index = bit >>> 3;
            frame.put(index, (byte) (frame.get(index) ^ (0x80 >>> (bit & 7))));
        }
        return true;
    }

    private void appendRandom(ByteBuffer frame, int count) {
        int at = frame.limit();
        frame.limit(at + count);
        for (int i = 0; i < count; i++) {
            frame.put(at + i, (byte) random.nextInt(256));
        }
    }

    private void toBandwidth(ByteBuffer frame, boolean owned) {
        if (bandwidth == null) {
            toDelay(frame, owned);
            return;
        }
        ByteBuffer kept = owned ? frame : pool.copyOf(frame, 0);
        if (!bandwidth.offer(kept)) {
            counters.droppedByQueue++;
            drop(kept, true);
        }
    }

    private void afterBandwidth(ByteBuffer frame) {
        toDelay(frame, true);
    }

    private void toDelay(ByteBuffer frame, boolean owned) {
        if (delayLine == null) {
            toReorder(frame, owned);
            return;
        }
        long delay = jitterNanos == 0 ? delayNanos : delayNanos + random.nextLong(-jitterNanos, jitterNanos + 1);
        counters.delayed++;
        delayLine.add(owned ? frame : pool.copyOf(frame, 0), loop.nanoTime() + delay);
    }

    private void afterDelay(ByteBuffer frame) {
        toReorder(frame, true);
    }

    /** Holds the frame back, or passes it on and lets it overtake the frame held. */
    private void toReorder(ByteBuffer frame, boolean owned) {
        if (reorderProbability > 0 && held == null && random.nextDouble() < reorderProbability) {
            held = owned ? frame : pool.copyOf(frame, 0);
            overtaken = 0;
            if (holdTimer == null) {
                holdTimer = loop.newTimer(this::releaseHeld);
            }
            holdTimer.schedule(reorderMaxHoldNanos);
            return;
        }
        forward(frame, owned);
        if (held != null && ++overtaken >= reorderDistance) {
            releaseHeld();
        }
    }

    private void releaseHeld() {
        ByteBuffer frame = held;
        if (frame == null) {
            return;
        }
        held = null;
        holdTimer.cancel();
        if (overtaken > 0) {
            counters.reordered++;
        }
        forward(frame, true);
    }

    private void forward(ByteBuffer frame, boolean owned) {
        counters.forwarded++;
        try {
            output.frame(frame);
        } finally {
            if (owned) {
                pool.release(frame);
            }
        }
    }

    private void drop(ByteBuffer frame, boolean owned) {
        if (owned) {
            pool.release(frame);
        }
        onDrop.run();
    }

    /** Drops every frame in flight and stops the timers; later offers are dropped. */
    void close() {
        closed = true;
        if (bandwidth != null) {
            bandwidth.clear(releaseToPool);
        }
        if (delayLine != null) {
            delayLine.clear(releaseToPool);
        }
        if (held != null) {
            pool.release(held);
            held = null;
            holdTimer.cancel();
        }
    }
}
