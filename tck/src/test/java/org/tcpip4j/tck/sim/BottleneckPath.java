package org.tcpip4j.tck.sim;

import java.time.Duration;
import java.util.Locale;
import org.tcpip4j.netif.impair.Impairment;

/**
 * A network path between two stacks for measuring TCP: one bottleneck link of
 * {@code bitsPerSecond} in each direction, each with a finite drop-tail queue of
 * {@code queueFrames} frames, and a fixed one-way delay each way; on the data direction
 * (the sender's port) optionally uniform (Bernoulli) loss, bursty loss and reordering, and
 * on the ACK direction optionally uniform loss. Frames are lost before they reach the
 * bottleneck queue (loss upstream of it), and held back for reordering after the delay
 * (see {@link Impairment} for the order), so neither changes the link's rate.
 *
 * <p>The link's rate counts every byte of an Ethernet frame (header included, no preamble
 * or FCS): a full data segment is a 1514-byte frame carrying {@link #MSS} = 1448 bytes of
 * payload (MTU 1500 less 20 bytes of IPv4, 20 of TCP and 12 of the Timestamps option), so
 * the most the application can receive is {@link #payloadCapacity()}, 95.6 % of the rate.
 *
 * @param bitsPerSecond the bottleneck's rate, each direction
 * @param oneWayDelay the propagation delay, each direction
 * @param queueFrames the bottleneck queue's size in frames, the one being sent included
 * @param dataLoss uniform loss of the data direction's frames
 * @param dataBurstLoss bursty loss of the data direction's frames
 * @param ackLoss uniform loss of the ACK direction's frames
 * @param reorderProbability chance that a data-direction frame is held back
 * @param reorderDistance how many later frames overtake a held one
 * @param reorderMaxHold how long a held frame waits at most for them
 */
record BottleneckPath(long bitsPerSecond, Duration oneWayDelay, int queueFrames, double dataLoss,
                      Impairment.BurstLoss dataBurstLoss, double ackLoss, double reorderProbability,
                      int reorderDistance, Duration reorderMaxHold) {

    /** Payload bytes of a full data segment with timestamps (MTU 1500). */
    static final int MSS = 1448;
    /** The Ethernet frame that carries it: 14 + 20 + 20 + 12 + 1448. */
    static final int FULL_FRAME = 1514;

    /** A lossless path of {@code bitsPerSecond} each way and round trip {@code rtt}, its queues one BDP. */
    static BottleneckPath of(long bitsPerSecond, Duration rtt) {
        BottleneckPath p = new BottleneckPath(bitsPerSecond, rtt.dividedBy(2), 1, 0, Impairment.BurstLoss.NONE, 0, 0,
                1, Duration.ofMillis(10));
        return p.withQueueBdp(1.0);
    }

    /** The round-trip propagation delay (no queueing, no serialisation). */
    Duration rtt() {
        return oneWayDelay.multipliedBy(2);
    }

    /** The bandwidth-delay product, bytes on the wire over one round-trip propagation delay. */
    long bdpBytes() {
        return bitsPerSecond / 8 * rtt().toNanos() / 1_000_000_000L;
    }

    /** The goodput of a perfect sender: the link's rate less the headers of full segments, bits per second. */
    double payloadCapacity() {
        return (double) bitsPerSecond * MSS / FULL_FRAME;
    }

    /** This path with queues of {@code bdps} bandwidth-delay products, in full frames (at least 2). */
    BottleneckPath withQueueBdp(double bdps) {
        return withQueueFrames((int) Math.max(2, Math.ceil(bdps * bdpBytes() / FULL_FRAME)));
    }

    BottleneckPath withQueueFrames(int frames) {
        return new BottleneckPath(bitsPerSecond, oneWayDelay, frames, dataLoss, dataBurstLoss, ackLoss,
                reorderProbability, reorderDistance, reorderMaxHold);
    }

    /** This path losing each data-direction frame with {@code p}, independently. */
    BottleneckPath withDataLoss(double p) {
        return new BottleneckPath(bitsPerSecond, oneWayDelay, queueFrames, p, dataBurstLoss, ackLoss,
                reorderProbability, reorderDistance, reorderMaxHold);
    }

    /** This path losing data-direction frames in bursts. */
    BottleneckPath withDataBurstLoss(Impairment.BurstLoss burst) {
        return new BottleneckPath(bitsPerSecond, oneWayDelay, queueFrames, dataLoss, burst, ackLoss,
                reorderProbability, reorderDistance, reorderMaxHold);
    }

    /** This path losing each ACK-direction frame with {@code p}, independently. */
    BottleneckPath withAckLoss(double p) {
        return new BottleneckPath(bitsPerSecond, oneWayDelay, queueFrames, dataLoss, dataBurstLoss, p,
                reorderProbability, reorderDistance, reorderMaxHold);
    }

    /**
     * This path holding back a data-direction frame with {@code probability} until
     * {@code distance} later frames have overtaken it, or {@code maxHold} has passed.
     */
    BottleneckPath withReordering(double probability, int distance, Duration maxHold) {
        return new BottleneckPath(bitsPerSecond, oneWayDelay, queueFrames, dataLoss, dataBurstLoss, ackLoss,
                probability, distance, maxHold);
    }

    /** What the data direction's sender port does to its frames. */
    Impairment forward() {
        Impairment.Builder b = Impairment.builder().bandwidth(bitsPerSecond, queueFrames).delay(oneWayDelay)
                .loss(dataLoss).burstLoss(dataBurstLoss);
        if (reorderProbability > 0) {
            b.reorder(reorderProbability, reorderDistance, reorderMaxHold);
        }
        return b.build();
    }

    /** What the ACK direction's sender port (the receiver's) does to its frames. */
    Impairment reverse() {
        return Impairment.builder().bandwidth(bitsPerSecond, queueFrames).delay(oneWayDelay).loss(ackLoss).build();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%s Mbit/s, RTT %d ms, queue %d frames",
                mbit(bitsPerSecond), rtt().toMillis(), queueFrames));
        if (dataLoss > 0) {
            sb.append(String.format(Locale.ROOT, ", data loss %.2f%%", dataLoss * 100));
        }
        if (!dataBurstLoss.isNone()) {
            sb.append(String.format(Locale.ROOT, ", data burst loss %.2f%%", dataBurstLoss.meanLossRate() * 100));
        }
        if (ackLoss > 0) {
            sb.append(String.format(Locale.ROOT, ", ACK loss %.2f%%", ackLoss * 100));
        }
        if (reorderProbability > 0) {
            sb.append(String.format(Locale.ROOT, ", %.1f%% of data frames overtaken by %d", reorderProbability * 100,
                    reorderDistance));
        }
        return sb.toString();
    }

    /** Bits per second in Mbit/s, as few digits as it needs. */
    static String mbit(double bitsPerSecond) {
        double m = bitsPerSecond / 1e6;
        return m == Math.rint(m) ? String.valueOf((long) m) : String.format(Locale.ROOT, "%.2f", m);
    }
}
