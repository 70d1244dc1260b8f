package org.tcpip4j.netif.impair;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tcpip4j.netif.impair.TestFrames.bitsDiffering;
import static org.tcpip4j.netif.impair.TestFrames.bytesOf;
import static org.tcpip4j.netif.impair.TestFrames.numbered;
import static org.tcpip4j.netif.impair.TestFrames.seqOf;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tcpip4j.netif.loop.VirtualTimeEventLoop;

/**
 * Over many frames in virtual time, each random impairment does what its configuration
 * says: observed rates are checked against the configured ones within five standard
 * deviations of the count, computed here for each model.
 */
class ImpairmentStatisticsTest {

    private static final int N = 100_000;
    private static final double Z = 5;

    private record Arrival(long nanos, byte[] bytes) {
    }

    private VirtualTimeEventLoop loop;
    private ScriptedNetif device;
    private List<Arrival> arrivals;

    @BeforeEach
    void setUp() {
        loop = new VirtualTimeEventLoop();
        device = new ScriptedNetif(loop);
        arrivals = new ArrayList<>();
    }

    private ImpairedNetif receiving(Impairment impairment, long seed) {
        ImpairedNetif netif = ImpairedNetif.onReceive(device, impairment, new SplittableRandom(seed));
        netif.listen(frame -> arrivals.add(new Arrival(loop.nanoTime(), bytesOf(frame))));
        return netif;
    }

    /** Injects frames 0..n-1 of {@code length} bytes, {@code spacingNanos} apart, then lets everything arrive. */
    private void inject(int n, int length, long spacingNanos) {
        for (int i = 0; i < n; i++) {
            device.inject(numbered(i, length));
            loop.runFor(spacingNanos);
        }
        loop.runUntilIdle();
    }

    /** Asserts that {@code observed} successes in {@code trials} Bernoulli trials fit probability {@code p}. */
    private static void assertBinomial(String what, long observed, long trials, double p) {
        double mean = trials * p;
        double sd = Math.sqrt(trials * p * (1 - p));
        assertTrue(Math.abs(observed - mean) <= Z * sd,
                what + ": observed " + observed + ", expected " + mean + " +- " + Z * sd);
    }

    @Test
    void uniformLossDropsTheConfiguredShare() {
        ImpairedNetif netif = receiving(Impairment.builder().loss(0.05).build(), 1);
        inject(N, 64, 1_000);
        long lost = N - arrivals.size();
        assertBinomial("frames lost", lost, N, 0.05);
        assertEquals(lost, netif.receiveStats().droppedByLoss());
        assertEquals(lost, netif.stats().rxDrops());
        assertEquals(arrivals.size(), netif.stats().rxPackets());
        int previous = -1;
        for (Arrival a : arrivals) {
            assertTrue(seqOf(a.bytes) > previous, "loss alone keeps the order");
            previous = seqOf(a.bytes);
        }
    }

    @Test
    void duplicationDeliversTheConfiguredShareTwice() {
        ImpairedNetif netif = receiving(Impairment.builder().duplicate(0.03).build(), 2);
        inject(N, 64, 1_000);
        long duplicates = arrivals.size() - N;
        assertBinomial("frames duplicated", duplicates, N, 0.03);
        assertEquals(duplicates, netif.receiveStats().duplicated());
        int twice = 0;
        for (int i = 1; i < arrivals.size(); i++) {
            if (seqOf(arrivals.get(i).bytes) == seqOf(arrivals.get(i - 1).bytes)) {
                assertArrayEquals(arrivals.get(i - 1).bytes, arrivals.get(i).bytes);
                twice++;
            }
        }
        assertEquals(duplicates, twice, "the two copies arrive back to back, identical");
    }

    @Test
    void corruptionFlipsOneBitInTheConfiguredShareOfFrames() {
        ImpairedNetif netif = receiving(Impairment.builder().corrupt(0.04).build(), 3);
        inject(N, 100, 1_000);
        assertEquals(N, arrivals.size());
        int corrupted = 0;
        for (int i = 0; i < N; i++) {
            int bits = bitsDiffering(numbered(i, 100), arrivals.get(i).bytes);
            assertTrue(bits == 0 || bits == 1, "frame " + i + " has " + bits + " bits flipped");
            corrupted += bits;
        }
        assertBinomial("frames corrupted", corrupted, N, 0.04);
        assertEquals(corrupted, netif.receiveStats().corrupted());
    }

    @Test
    void corruptionFlipsTheConfiguredNumberOfBitsAfterTheProtectedPrefix() {
        receiving(Impairment.builder().corrupt(0.5, 3, 14).build(), 4);
        inject(10_000, 60, 1_000);
        int corrupted = 0;
        for (int i = 0; i < arrivals.size(); i++) {
            byte[] sent = numbered(i, 60);
            byte[] got = arrivals.get(i).bytes;
            assertEquals(0, bitsDiffering(java.util.Arrays.copyOf(sent, 14), java.util.Arrays.copyOf(got, 14)),
                    "the Ethernet header is never touched");
            int bits = bitsDiffering(sent, got);
            assertTrue(bits == 0 || bits == 3, "3 distinct bits or none: " + bits);
            corrupted += bits / 3;
        }
        assertBinomial("frames corrupted", corrupted, 10_000, 0.5);
    }

    /**
     * Gilbert's model (no loss in good, all lost in bad) with p = 0.01 and r = 0.1: a loss
     * rate of p / (p + r) = 1/11, in bursts of 1 / r = 10 frames on average. The losses are
     * correlated (the chain's lag-k correlation is (1 - p - r)^k), so the count's variance is
     * N * m(1 - m) * (1 + l) / (1 - l) with l = 1 - p - r, not the binomial one.
     */
    @Test
    void burstLossMatchesTheGilbertModelsMeanLossAndBurstLength() {
        double p = 0.01;
        double r = 0.1;
        Impairment.BurstLoss model = Impairment.BurstLoss.gilbert(p, r);
        ImpairedNetif netif = receiving(Impairment.builder().burstLoss(model).build(), 5);
        inject(N, 64, 1_000);

        double m = model.meanLossRate();
        assertEquals(1.0 / 11, m, 1e-12);
        double lambda = 1 - p - r;
        double sd = Math.sqrt(N * m * (1 - m) * (1 + lambda) / (1 - lambda));
        long lost = N - arrivals.size();
        assertTrue(Math.abs(lost - N * m) <= Z * sd, "lost " + lost + ", expected " + N * m + " +- " + Z * sd);
        assertEquals(lost, netif.receiveStats().droppedByBurst());

        // Bursts: runs of missing sequence numbers. Their lengths are geometric with mean 1 / r.
        List<Integer> bursts = new ArrayList<>();
        int expected = 0;
        for (Arrival a : arrivals) {
            int seq = seqOf(a.bytes);
            if (seq > expected) {
                bursts.add(seq - expected);
            }
            expected = seq + 1;
        }
        double meanBurst = bursts.stream().mapToInt(Integer::intValue).average().orElseThrow();
        double burstSd = Math.sqrt((1 - r) / (r * r) / bursts.size());
        assertTrue(Math.abs(meanBurst - 1 / r) <= Z * burstSd,
                "mean burst " + meanBurst + ", expected " + 1 / r + " +- " + Z * burstSd);
    }

    /**
     * The general Gilbert-Elliott model, with loss in both states: the mean loss is
     * (1 - b) * lossInGood + b * lossInBad for b = p / (p + r), and the count's variance is
     * N * [m(1 - m) + 2 (lossInBad - lossInGood)^2 b (1 - b) l / (1 - l)].
     */
    @Test
    void burstLossWithLossInBothStatesMatchesItsMean() {
        Impairment.BurstLoss model = new Impairment.BurstLoss(0.02, 0.2, 0.01, 0.6);
        receiving(Impairment.builder().burstLoss(model).build(), 6);
        inject(N, 64, 1_000);
        double b = model.badStateShare();
        double m = model.meanLossRate();
        assertEquals((1 - b) * 0.01 + b * 0.6, m, 1e-12);
        double lambda = 1 - 0.02 - 0.2;
        double e = 0.6 - 0.01;
        double sd = Math.sqrt(N * (m * (1 - m) + 2 * e * e * b * (1 - b) * lambda / (1 - lambda)));
        long lost = N - arrivals.size();
        assertTrue(Math.abs(lost - N * m) <= Z * sd, "lost " + lost + ", expected " + N * m + " +- " + Z * sd);
    }

    @Test
    void delayWithJitterStaysInItsBoundsAndAveragesTheDelay() {
        long delay = Duration.ofMillis(10).toNanos();
        long jitter = Duration.ofMillis(2).toNanos();
        long spacing = 1_000;
        ImpairedNetif netif = receiving(
                Impairment.builder().delay(Duration.ofNanos(delay), Duration.ofNanos(jitter)).build(), 7);
        inject(N, 64, spacing);
        assertEquals(N, arrivals.size());
        assertEquals(N, netif.receiveStats().delayed());
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        double sum = 0;
        for (Arrival a : arrivals) {
            long latency = a.nanos - seqOf(a.bytes) * spacing;
            assertTrue(latency >= delay - jitter && latency <= delay + jitter, "latency " + latency);
            min = Math.min(min, latency);
            max = Math.max(max, latency);
            sum += latency;
        }
        double mean = sum / N;
        double sdOfMean = jitter / Math.sqrt(3) / Math.sqrt(N); // uniform on [-j, j] has sd j / sqrt(3)
        assertTrue(Math.abs(mean - delay) <= Z * sdOfMean, "mean latency " + mean);
        assertTrue(min < delay - jitter * 0.99 && max > delay + jitter * 0.99, "the jitter spans its range");
    }

    @Test
    void aFixedDelayKeepsTheOrderAndDelaysEveryFrameExactly() {
        receiving(Impairment.builder().delay(Duration.ofMillis(3)).build(), 8);
        inject(1000, 64, 10_000);
        for (int i = 0; i < 1000; i++) {
            assertEquals(i, seqOf(arrivals.get(i).bytes));
            assertEquals(i * 10_000L + 3_000_000L, arrivals.get(i).nanos);
        }
    }

    /**
     * Reordering holds one frame at a time; after a hold, {@code k} frames pass before the
     * next can be held, so holds form a renewal process with cycles of G + k frames, G
     * geometric with mean 1 / p: about N / (1 / p + k) holds, with variance N s^2 / mu^3.
     */
    @Test
    void reorderingMovesHeldFramesExactlyTheConfiguredDistance() {
        double p = 0.1;
        int k = 3;
        ImpairedNetif netif = receiving(Impairment.builder().reorder(p, k, Duration.ofSeconds(1)).build(), 9);
        inject(N, 64, 1_000);
        assertEquals(N, arrivals.size());
        int[] order = arrivals.stream().mapToInt(a -> seqOf(a.bytes)).toArray();
        int held = 0;
        int lastInOrder = -1;
        for (int i = 0; i < order.length; i++) {
            int s = order[i];
            if (s < lastInOrder) {
                held++;
                assertEquals(s + k, order[i - 1], "overtaken by exactly " + k + " frames");
                assertEquals(s + 1, order[i - k]);
            } else {
                lastInOrder = s;
            }
        }
        assertEquals(held, netif.receiveStats().reordered());
        double mu = 1 / p + k;
        double variance = (1 - p) / (p * p);
        double sd = Math.sqrt(N * variance / (mu * mu * mu));
        assertTrue(Math.abs(held - N / mu) <= Z * sd, "held " + held + ", expected " + N / mu + " +- " + Z * sd);
    }
}
