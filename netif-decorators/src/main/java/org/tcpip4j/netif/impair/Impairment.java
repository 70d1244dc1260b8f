package org.tcpip4j.netif.impair;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * What an {@link ImpairedNetif} does to the frames of one direction: an immutable
 * configuration, made with {@link #builder()}; {@link #NONE} leaves frames alone.
 *
 * <p>A frame meets the impairments in this order, the order of a real path (and of Linux
 * netem): it is dropped when it arrives in a {@linkplain Blackout blackout}, when it is
 * larger than {@link #maxFrameSize()}, by uniform loss, by bursty loss; it may be
 * duplicated; each copy may be corrupted and get trailing bytes; it then waits in the
 * bandwidth queue (dropped when the queue is full), is delayed with jitter, and may be
 * held back for reordering before it leaves.
 *
 * @param lossProbability chance that a frame is dropped, independently of the others
 * @param burstLoss correlated loss after the Gilbert-Elliott model; {@link BurstLoss#NONE} for none
 * @param duplicateProbability chance that a frame is delivered twice
 * @param reorderProbability chance that a frame is held back while {@code reorderDistance}
 *     later frames overtake it (one frame is held at a time)
 * @param reorderDistance how many later frames overtake a held frame
 * @param reorderMaxHold how long a held frame waits at most for those frames to come
 * @param delay the one-way delay added to every frame
 * @param jitter each frame's delay is drawn uniformly from {@code delay - jitter} to
 *     {@code delay + jitter}; as in netem, jitter can reorder frames
 * @param corruptProbability chance that a frame has bits flipped
 * @param corruptBits how many distinct bits a corrupted frame has flipped
 * @param corruptFromOffset bytes at the start of a frame that corruption never touches
 *     (14 spares the Ethernet header, so corruption reaches the checksums above)
 * @param trailerProbability chance that random bytes are appended to a frame
 * @param trailerLength how many bytes are appended
 * @param maxFrameSize frames longer than this many bytes, Ethernet header included, are
 *     dropped; 0 for no limit
 * @param blackouts windows of loop time in which every frame is dropped
 * @param bandwidthBitsPerSecond the rate frames leave at (serialisation delay); 0 for no limit
 * @param queueLimit how many frames the bandwidth queue holds, the one being sent included;
 *     a frame arriving at a full queue is dropped (tail drop)
 */
public record Impairment(
        double lossProbability,
        BurstLoss burstLoss,
        double duplicateProbability,
        double reorderProbability,
        int reorderDistance,
        Duration reorderMaxHold,
        Duration delay,
        Duration jitter,
        double corruptProbability,
        int corruptBits,
        int corruptFromOffset,
        double trailerProbability,
        int trailerLength,
        int maxFrameSize,
        List<Blackout> blackouts,
        long bandwidthBitsPerSecond,
        int queueLimit) {

    /** No impairment at all: frames pass untouched and uncopied. */
    public static final Impairment NONE = builder().build();

    /** Checks every setting and keeps the blackouts in time order. */
    public Impairment {
        probability("lossProbability", lossProbability);
        Objects.requireNonNull(burstLoss, "burstLoss");
        probability("duplicateProbability", duplicateProbability);
        probability("reorderProbability", reorderProbability);
        probability("corruptProbability", corruptProbability);
        probability("trailerProbability", trailerProbability);
        Objects.requireNonNull(reorderMaxHold, "reorderMaxHold");
        Objects.requireNonNull(delay, "delay");
        Objects.requireNonNull(jitter, "jitter");
        if (reorderProbability > 0 && (reorderDistance < 1 || !reorderMaxHold.isPositive())) {
            throw new IllegalArgumentException("reordering needs a distance of 1 frame or more and a positive maximum hold");
        }
        if (delay.isNegative() || jitter.isNegative() || jitter.compareTo(delay) > 0) {
            throw new IllegalArgumentException("need 0 <= jitter <= delay, so no frame arrives before it was sent: delay "
                    + delay + ", jitter " + jitter);
        }
        if (corruptBits < 1 || corruptFromOffset < 0) {
            throw new IllegalArgumentException("corruption flips 1 bit or more from an offset of 0 or more");
        }
        if (trailerLength < 0 || maxFrameSize < 0) {
            throw new IllegalArgumentException("trailer length and maximum frame size cannot be negative");
        }
        if (bandwidthBitsPerSecond < 0 || (bandwidthBitsPerSecond > 0 && queueLimit < 1)) {
            throw new IllegalArgumentException("a bandwidth limit needs a queue of 1 frame or more");
        }
        List<Blackout> sorted = new ArrayList<>(Objects.requireNonNull(blackouts, "blackouts"));
        sorted.sort(Comparator.comparingLong(Blackout::fromNanos));
        blackouts = List.copyOf(sorted);
    }

    private static void probability(String name, double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException(name + " must be between 0 and 1: " + p);
        }
    }

    /** A builder with every impairment off. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this configuration. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** True when this configuration leaves every frame alone. */
    public boolean isNone() {
        return lossProbability == 0 && burstLoss.isNone() && duplicateProbability == 0 && reorderProbability == 0
                && delay.isZero() && corruptProbability == 0 && trailerProbability == 0 && maxFrameSize == 0
                && blackouts.isEmpty() && bandwidthBitsPerSecond == 0;
    }

    /**
     * Correlated (bursty) loss after the Gilbert-Elliott model: a two-state Markov chain,
     * good and bad, stepped once per frame, each state with its own loss probability. It
     * starts in the good state. The long-run loss rate is {@link #meanLossRate()}; bursts
     * in the bad state last {@code 1 / badToGood} frames on average.
     *
     * @param goodToBad chance per frame of moving from the good to the bad state
     * @param badToGood chance per frame of moving from the bad to the good state
     * @param lossInGood chance that a frame is lost in the good state
     * @param lossInBad chance that a frame is lost in the bad state
     */
    public record BurstLoss(double goodToBad, double badToGood, double lossInGood, double lossInBad) {

        /** No bursty loss. */
        public static final BurstLoss NONE = new BurstLoss(0, 1, 0, 0);

        /** Checks that every probability is one and that the bad state can be left. */
        public BurstLoss {
            check("goodToBad", goodToBad);
            check("badToGood", badToGood);
            check("lossInGood", lossInGood);
            check("lossInBad", lossInBad);
            if (goodToBad > 0 && badToGood == 0) {
                throw new IllegalArgumentException("badToGood must be positive, or the link dies in the bad state");
            }
        }

        /**
         * {@link Impairment}'s check, repeated here: calling it would initialise Impairment
         * from inside this class's initialisation when BurstLoss is used first, and
         * Impairment's {@link Impairment#NONE} would then read {@link #NONE} while it is
         * still null.
         */
        private static void check(String name, double p) {
            if (!(p >= 0 && p <= 1)) {
                throw new IllegalArgumentException(name + " must be between 0 and 1: " + p);
            }
        }

        /** Gilbert's simple model: nothing is lost in the good state, everything in the bad one. */
        public static BurstLoss gilbert(double goodToBad, double badToGood) {
            return new BurstLoss(goodToBad, badToGood, 0, 1);
        }

        /** The long-run fraction of time in the bad state, {@code goodToBad / (goodToBad + badToGood)}. */
        public double badStateShare() {
            return goodToBad == 0 ? 0 : goodToBad / (goodToBad + badToGood);
        }

        /** The long-run fraction of frames lost. */
        public double meanLossRate() {
            double bad = badStateShare();
            return (1 - bad) * lossInGood + bad * lossInBad;
        }

        /** True when it never drops anything. */
        public boolean isNone() {
            return lossInGood == 0 && (goodToBad == 0 || lossInBad == 0);
        }
    }

    /**
     * A window of loop time, {@code fromNanos} included to {@code untilNanos} excluded, in
     * which every frame is dropped: a cable pulled, a link flapping. Times are those of the
     * loop's {@link org.tcpip4j.netif.loop.EventLoop#nanoTime()} (virtual in a simulation).
     *
     * @param fromNanos start of the window
     * @param untilNanos end of the window
     */
    public record Blackout(long fromNanos, long untilNanos) {

        /** Checks that the window does not end before it starts. */
        public Blackout {
            if (untilNanos < fromNanos) {
                throw new IllegalArgumentException("a blackout ends after it starts: " + fromNanos + ".." + untilNanos);
            }
        }

        /** The window from {@code from} to {@code until}, in loop time. */
        public static Blackout between(Duration from, Duration until) {
            return new Blackout(from.toNanos(), until.toNanos());
        }

        /** True when {@code nanos} falls inside the window. */
        public boolean contains(long nanos) {
            return nanos >= fromNanos && nanos < untilNanos;
        }
    }

    /** Builds an {@link Impairment}; each method sets one impairment and returns the builder. */
    public static final class Builder {
        private double lossProbability;
        private BurstLoss burstLoss = BurstLoss.NONE;
        private double duplicateProbability;
        private double reorderProbability;
        private int reorderDistance = 1;
        private Duration reorderMaxHold = Duration.ofMillis(10);
        private Duration delay = Duration.ZERO;
        private Duration jitter = Duration.ZERO;
        private double corruptProbability;
        private int corruptBits = 1;
        private int corruptFromOffset;
        private double trailerProbability;
        private int trailerLength;
        private int maxFrameSize;
        private final List<Blackout> blackouts = new ArrayList<>();
        private long bandwidthBitsPerSecond;
        private int queueLimit = 1000;

        private Builder() {
        }

        private Builder(Impairment i) {
            lossProbability = i.lossProbability;
            burstLoss = i.burstLoss;
            duplicateProbability = i.duplicateProbability;
            reorderProbability = i.reorderProbability;
            reorderDistance = i.reorderDistance;
            reorderMaxHold = i.reorderMaxHold;
            delay = i.delay;
            jitter = i.jitter;
            corruptProbability = i.corruptProbability;
            corruptBits = i.corruptBits;
            corruptFromOffset = i.corruptFromOffset;
            trailerProbability = i.trailerProbability;
            trailerLength = i.trailerLength;
            maxFrameSize = i.maxFrameSize;
            blackouts.addAll(i.blackouts);
            bandwidthBitsPerSecond = i.bandwidthBitsPerSecond;
            queueLimit = i.queueLimit;
        }

        /** Drops each frame with {@code probability}, independently. */
        public Builder loss(double probability) {
            this.lossProbability = probability;
            return this;
        }

        /** Drops frames in bursts, after the Gilbert-Elliott model. */
        public Builder burstLoss(BurstLoss model) {
            this.burstLoss = Objects.requireNonNull(model, "model");
            return this;
        }

        /** Delivers each frame twice with {@code probability}. */
        public Builder duplicate(double probability) {
            this.duplicateProbability = probability;
            return this;
        }

        /**
         * Holds a frame back with {@code probability}, until {@code distance} later frames
         * have overtaken it or {@code maxHold} has passed.
         */
        public Builder reorder(double probability, int distance, Duration maxHold) {
            this.reorderProbability = probability;
            this.reorderDistance = distance;
            this.reorderMaxHold = maxHold;
            return this;
        }

        /** Delays every frame by {@code delay}, give or take up to {@code jitter} (uniformly). */
        public Builder delay(Duration delay, Duration jitter) {
            this.delay = delay;
            this.jitter = jitter;
            return this;
        }

        /** Delays every frame by exactly {@code delay}. */
        public Builder delay(Duration delay) {
            return delay(delay, Duration.ZERO);
        }

        /** Flips one random bit, anywhere in the frame, in a frame with {@code probability}. */
        public Builder corrupt(double probability) {
            return corrupt(probability, 1, 0);
        }

        /** Flips {@code bits} distinct random bits, at {@code fromOffset} or after, in a frame with {@code probability}. */
        public Builder corrupt(double probability, int bits, int fromOffset) {
            this.corruptProbability = probability;
            this.corruptBits = bits;
            this.corruptFromOffset = fromOffset;
            return this;
        }

        /** Appends {@code length} random bytes to a frame with {@code probability}. */
        public Builder trailer(double probability, int length) {
            this.trailerProbability = probability;
            this.trailerLength = length;
            return this;
        }

        /** Drops frames longer than {@code bytes}, Ethernet header included; 0 for no limit. */
        public Builder maxFrameSize(int bytes) {
            this.maxFrameSize = bytes;
            return this;
        }

        /** Drops every frame that arrives between loop times {@code from} (included) and {@code until}. */
        public Builder blackout(Duration from, Duration until) {
            blackouts.add(Blackout.between(from, until));
            return this;
        }

        /** Lets frames leave at {@code bitsPerSecond}, queueing up to {@code queueLimit} frames and dropping the rest. */
        public Builder bandwidth(long bitsPerSecond, int queueLimit) {
            this.bandwidthBitsPerSecond = bitsPerSecond;
            this.queueLimit = queueLimit;
            return this;
        }

        /** The configuration. */
        public Impairment build() {
            return new Impairment(lossProbability, burstLoss, duplicateProbability, reorderProbability,
                    reorderDistance, reorderMaxHold, delay, jitter, corruptProbability, corruptBits,
                    corruptFromOffset, trailerProbability, trailerLength, maxFrameSize, blackouts,
                    bandwidthBitsPerSecond, queueLimit);
        }
    }
}
