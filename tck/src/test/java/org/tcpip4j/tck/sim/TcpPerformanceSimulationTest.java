package org.tcpip4j.tck.sim;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.tcpip4j.netif.impair.ImpairmentStats;
import org.tcpip4j.tcp.TcpConfig;
import org.tcpip4j.tcp.TcpInfo;
import org.tcpip4j.tcp.congestion.CongestionControlProvider;

/**
 * TCP's performance through the whole direct stack, measured in virtual time on a
 * {@link BottleneckPath}: a bottleneck link each way with a finite drop-tail queue (one
 * bandwidth-delay product unless said otherwise), a fixed one-way delay, and on the data
 * direction optional loss and reordering. The other simulations check that data arrives;
 * these check how fast, so a congestion controller or loss recovery that delivers
 * everything but slowly fails here. Every figure is exact for its seed: the seed picks the
 * round-trip time (20 to 50 ms), the impairments' dice and the stacks' randomness.
 *
 * <p>Goodput is what the receiving application reads per virtual second. A single bulk
 * transfer is measured from the moment the reader has {@value #SKIP_PERCENT} % of it (slow
 * start, its overshoot of the queue and the recovery from that are over by then) to its
 * last byte. The reference is the link's payload capacity,
 * {@link BottleneckPath#payloadCapacity()}: its rate less the headers of full segments,
 * 95.6 % of the rate (a 1514-byte frame carries 1448 bytes), so 90 % of it is 86 % of the
 * raw rate. Each case prints one line, {@code [perf] ...}, with the figure, the bound and
 * PASS or FAIL, and the bound is in the assertion's message.
 *
 * <p>Against the sender with RACK-TLP, PRR and CUBIC, four mutants, each applied alone:
 * congestion-avoidance growth removed fails 18 of the 38 cases (the Mathis and two-flow
 * ones); loss detection other than the retransmission timer removed fails 14 (no loss,
 * reordering, two flows, a flow leaving); auto-tuning off fails the 6 long-fat-path cases;
 * RACK's reordering timer off fails none here (bulk flows always have later segments
 * delivered) but every seed of {@link TcpShortFlightSimulationTest}.
 *
 * <p>What each test guards, and so the mutants of the sender it must kill. The figures
 * after "killed" and "not killed" are those of mutants of the NewReno sender that came
 * before RACK and PRR (its window arithmetic changed one way at a time): they show what
 * each bound can and cannot see.
 * <ul>
 *   <li>{@link #fillsTheBottleneckWithoutLoss} (no loss, 20 Mbit/s, queue 1 BDP; goodput at
 *       least 90 % of the payload capacity): that the window <b>reaches the path's capacity
 *       and holds it</b>: slow start, the recovery from its overshoot of the queue, and a
 *       reduction on each later overflow, made once per loss event. Killed: no reduction on
 *       loss (the queue overflows every round trip: 86.5 %). Not killed: no growth in
 *       congestion avoidance, since the slow-start threshold left by the first overshoot is
 *       about the BDP plus the queue, so the window already fills the pipe and never needs to
 *       grow (100 %); the window collapsing to one segment on each fast recovery (93.7 %),
 *       since slow start soon brings it back to a threshold above the BDP.
 *   <li>{@link #reachesMathisUnderRandomLoss} (1 % uniform loss of data frames only; ACKs
 *       are not lost, as Mathis's p is the data segments' loss rate; goodput at least 0.7
 *       times Mathis's bound (MSS / RTT) * sqrt(3/2) / sqrt(p), capped by the payload
 *       capacity, RTT the propagation round trip, the strictest choice): <b>fast
 *       recovery</b> (RFC 5681, RFC 6675, PRR) and <b>congestion-avoidance growth</b>: one
 *       halving per loss event, the lost segment resent from SACK or duplicate ACKs without
 *       waiting for the timer, and the window regrowing one segment per round trip. The
 *       formula is Reno's; CUBIC must reach it too through its Reno-friendly region
 *       (RFC 9438 4.3), which governs at these small windows. Killed: no growth in
 *       congestion avoidance (0.23 of Mathis). Not killed: the window collapsing to one
 *       segment on each fast recovery (0.77 of Mathis, against about 1.0 for the sender
 *       as it should be); no reduction at all (it raises the goodput: the bound is a floor).
 *   <li>{@link #twoFlowsShareTheBottleneckWithinAFactorOfTwo} (a second flow starts
 *       {@value #SECOND_FLOW_AFTER_SECONDS} s after the first; over the last
 *       {@value #FAIRNESS_WINDOW_SECONDS} s of {@value #TWO_FLOWS_SECONDS} their goodputs are
 *       within a factor of 2): <b>multiplicative decrease</b>, proportional to the window,
 *       which is what makes two flows converge. Killed: a decrease by a fixed 8 segments
 *       instead of a factor (ratios 11 to 27). Not killed: no growth in congestion avoidance
 *       (ratio 1.96, just inside).
 *   <li>{@link #takesUpTheCapacityAFlowLeaves} (two flows as above; once the first has sent
 *       its {@value #LEAVING_FLOW_MIB} MiB and left, the second's goodput from
 *       {@value #TAKE_UP_SECONDS} s later, over {@value #TAKE_UP_WINDOW_SECONDS} s, is at
 *       least 90 % of the payload capacity): <b>congestion-avoidance growth</b> in a
 *       lossless path: the window a flow held at its share must grow to the whole
 *       capacity when it frees. Killed: no growth in congestion avoidance (51 %).
 *   <li>{@link #keepsItsWindowThroughReordering} (no loss; 3 % of data frames overtaken by
 *       the 3 frames after them, exactly the duplicate-ACK threshold; goodput at least 90 %
 *       of the payload capacity): the <b>RACK reordering window</b> (RFC 8985 6.2: a segment
 *       is lost only once a later one was delivered more than a reordering window after it
 *       was sent) and the <b>undo</b> of a reduction found spurious (D-SACK, RFC 3708;
 *       {@link TcpInfo#spuriousRecoveries()}). The sender that marks a loss on three
 *       duplicate ACKs or SACKs alone, with no undo, fails it (13 % to 23 %); mutants: a
 *       reordering window of 0, no undo.
 *   <li>{@link #autoTuningFillsALongFatPipe} (40 Mbit/s, RTT 100 ms: a BDP of 500 kB, twice
 *       the 256 KiB the buffers start at; the stack's default buffer maxima of 6 MiB; goodput
 *       at least 90 % of the payload capacity): <b>auto-tuning</b>, the receive buffer (and
 *       so the window offered) grown to the measured bandwidth-delay product and the send
 *       buffer grown with the congestion window. It sends twice the bulk size, so that
 *       the part skipped covers slow start at this round-trip time. Buffers that keep their
 *       initial size fail it (54.6 %: 256 KiB per 100 ms); mutants: no growth of either
 *       buffer, a window scale chosen for the initial buffer rather than the maximum.
 *   <li>{@link #eachFlowRunsTheAlgorithmItWasGiven}: the algorithm named in
 *       {@link TcpConfig#congestionControl()} is the one the connection runs, as
 *       {@link TcpInfo#congestionControl()} reports it. The measuring tests check that too
 *       whenever {@code TcpFlow.info()} answers, so that a figure printed for "cubic" is
 *       CUBIC's.
 * </ul>
 * <p>Except in the auto-tuning case the buffers are fixed at {@value #BUFFER_MIB} MiB, well
 * above twice any BDP here, so that only the congestion window limits the sender.
 *
 * <p>The algorithms are a parameter: {@code -Dtcpip4j.perf.cc=cubic,newreno} (the
 * default; the Mathis case, whose formula is Reno's, runs for each too). An algorithm with
 * no {@link CongestionControlProvider} of that name on the module path is not measured,
 * since the stack would measure another under its name: its cases fail, saying so, rather
 * than being skipped. Other parameters: {@code -Dtcpip4j.perf.seeds=N} (default
 * {@value #DEFAULT_SEEDS}), one seed with {@code -Dtcpip4j.perf.seed=N}, the bulk transfer's
 * size in MiB with {@code -Dtcpip4j.perf.mib=N} (default {@value #DEFAULT_BULK_MIB}; the
 * wall time grows with it, not with the virtual time: a run costs what its frames cost).
 */
class TcpPerformanceSimulationTest {

    static final int DEFAULT_SEEDS = 3;
    static final int DEFAULT_BULK_MIB = 12;
    static final String DEFAULT_ALGORITHMS = "cubic,newreno";
    static final int SKIP_PERCENT = 25;
    static final int BUFFER_MIB = 8;
    static final long MBIT = 1_000_000L;
    /** Virtual time a bulk transfer may take at most; one that does not finish is measured up to it. */
    static final Duration BULK_BOUND = Duration.ofMinutes(30);

    static final int SECOND_FLOW_AFTER_SECONDS = 3;
    static final int TWO_FLOWS_SECONDS = 20;
    static final int FAIRNESS_WINDOW_SECONDS = 10;
    static final int LEAVING_FLOW_MIB = 12;
    static final int TAKE_UP_SECONDS = 3;
    static final int TAKE_UP_WINDOW_SECONDS = 5;

    // ---- parameters ------------------------------------------------------------------

    static List<String> algorithms() {
        String list = System.getProperty("tcpip4j.perf.cc", DEFAULT_ALGORITHMS);
        return Arrays.stream(list.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    static LongStream seeds() {
        String one = System.getProperty("tcpip4j.perf.seed");
        if (one != null && !one.isBlank()) {
            return LongStream.of(Long.parseLong(one.trim()));
        }
        return LongStream.range(0, Long.getLong("tcpip4j.perf.seeds", DEFAULT_SEEDS));
    }

    static Stream<Arguments> algorithmsAndSeeds() {
        List<Arguments> all = new ArrayList<>();
        for (String cc : algorithms()) {
            seeds().forEach(seed -> all.add(Arguments.of(cc, seed)));
        }
        return all.stream();
    }

    static Stream<String> algorithmNames() {
        return algorithms().stream();
    }

    static long bulkBytes() {
        return Long.getLong("tcpip4j.perf.mib", DEFAULT_BULK_MIB) << 20;
    }

    /** The seed's round-trip time, 20 to 50 ms. */
    static Duration rtt(long seed) {
        return Duration.ofMillis(20 + new SplittableRandom(seed * 31 + 7).nextInt(31));
    }

    /** Buffers fixed at {@value #BUFFER_MIB} MiB, MSL 1 s, the algorithm {@code cc}. */
    static TcpConfig fixedBuffers(String cc) {
        int size = BUFFER_MIB << 20;
        return new TcpConfig(size, size, Duration.ofSeconds(1), 6, 12, 1024).withBuffers(size, size, size, size)
                .withCongestionControl(cc);
    }

    /** The stack's default buffers (256 KiB, growing to 6 MiB), MSL 1 s, the algorithm {@code cc}. */
    static TcpConfig defaultBuffers(String cc) {
        TcpConfig d = TcpConfig.DEFAULT;
        return new TcpConfig(d.sendBufferSize(), d.receiveBufferSize(), Duration.ofSeconds(1), 6, 12, 1024)
                .withBuffers(d.sendBufferSize(), d.maxSendBufferSize(), d.receiveBufferSize(),
                        d.maxReceiveBufferSize())
                .withCongestionControl(cc);
    }

    // ---- the cases -------------------------------------------------------------------

    @ParameterizedTest(name = "{0}, seed {1}")
    @MethodSource("algorithmsAndSeeds")
    void fillsTheBottleneckWithoutLoss(String cc, long seed) {
        BottleneckPath path = BottleneckPath.of(20 * MBIT, rtt(seed));
        Bulk run = bulk(cc, seed, path, fixedBuffers(cc));
        double bound = 0.9 * path.payloadCapacity();
        report("no loss", cc, seed, run, bound, "90% of the payload capacity", "");
        assertAll(atLeast(run, bound, "90% of the payload capacity"), algorithmInUse(cc, run));
    }

    @ParameterizedTest(name = "{0}, seed {1}")
    @MethodSource("algorithmsAndSeeds")
    void reachesMathisUnderRandomLoss(String cc, long seed) {
        double p = 0.01;
        BottleneckPath path = BottleneckPath.of(20 * MBIT, rtt(seed)).withDataLoss(p);
        Bulk run = bulk(cc, seed, path, fixedBuffers(cc));
        double mathis = BottleneckPath.MSS * 8.0 / (path.rtt().toNanos() / 1e9) * Math.sqrt(1.5) / Math.sqrt(p);
        double bound = Math.min(0.7 * mathis, path.payloadCapacity());
        ImpairmentStats data = run.net.senderLink.sendStats();
        String extra = String.format(Locale.ROOT, "; Mathis %.2f Mbit/s, goodput/Mathis %.2f; data frames lost %.2f%%",
                mathis / 1e6, run.goodput / mathis, 100.0 * data.droppedByLoss() / Math.max(1, data.offered()));
        report("1% data loss", cc, seed, run, bound, "0.7 x Mathis", extra);
        assertAll(atLeast(run, bound, String.format(Locale.ROOT, "0.7 x Mathis's %.2f Mbit/s", mathis / 1e6)),
                algorithmInUse(cc, run));
    }

    @ParameterizedTest(name = "{0}, seed {1}")
    @MethodSource("algorithmsAndSeeds")
    void twoFlowsShareTheBottleneckWithinAFactorOfTwo(String cc, long seed) {
        requireProvider(cc);
        long wall = System.nanoTime();
        BottleneckPath path = BottleneckPath.of(20 * MBIT, rtt(seed));
        PathNetwork net = new PathNetwork(seed, path, fixedBuffers(cc));
        PathNetwork.Flow first = net.start(Long.MAX_VALUE);
        net.runUntilTime(Duration.ofSeconds(SECOND_FLOW_AFTER_SECONDS).toNanos());
        PathNetwork.Flow second = net.start(Long.MAX_VALUE);
        long from = Duration.ofSeconds(TWO_FLOWS_SECONDS - FAIRNESS_WINDOW_SECONDS).toNanos();
        long to = Duration.ofSeconds(TWO_FLOWS_SECONDS).toNanos();
        net.runUntilTime(to);
        double g1 = goodput(first, from, to);
        double g2 = goodput(second, from, to);
        double ratio = Math.max(g1, g2) / Math.max(1, Math.min(g1, g2));
        String[] why1 = new String[1];
        String[] why2 = new String[1];
        TcpInfo info1 = net.info(first, why1);
        TcpInfo info2 = net.info(second, why2);
        net.disconnectAndCheckPools();
        boolean pass = ratio <= 2;
        System.out.printf(Locale.ROOT,
                "[perf] %-7s two flows      seed %d, %s: %.2f + %.2f Mbit/s from %d s to %d s, ratio %.2f"
                        + " (bound <= 2), together %.1f%% of the %.2f Mbit/s payload capacity: %s (wall %.1f s)%n",
                cc, seed, path, g1 / 1e6, g2 / 1e6, TWO_FLOWS_SECONDS - FAIRNESS_WINDOW_SECONDS, TWO_FLOWS_SECONDS,
                ratio, 100 * (g1 + g2) / path.payloadCapacity(), path.payloadCapacity() / 1e6,
                pass ? "PASS" : "FAIL", (System.nanoTime() - wall) / 1e9);
        printInfo(info1, why1[0]);
        printInfo(info2, why2[0]);
        String where = "seed " + seed + ", rerun: -Dtcpip4j.perf.seed=" + seed + " -Dtcpip4j.perf.cc=" + cc
                + "\nfirst: " + first + "\nsecond: " + second + "\n" + net.describe();
        assertAll(
                () -> assertTrue(ratio <= 2, String.format(Locale.ROOT,
                        "goodputs %.2f and %.2f Mbit/s differ by %.2f times, more than the bound of 2: %s",
                        g1 / 1e6, g2 / 1e6, ratio, where)),
                () -> algorithmIs(cc, info1, why1[0], where),
                () -> algorithmIs(cc, info2, why2[0], where));
    }

    @ParameterizedTest(name = "{0}, seed {1}")
    @MethodSource("algorithmsAndSeeds")
    void takesUpTheCapacityAFlowLeaves(String cc, long seed) {
        requireProvider(cc);
        long wall = System.nanoTime();
        BottleneckPath path = BottleneckPath.of(20 * MBIT, rtt(seed));
        PathNetwork net = new PathNetwork(seed, path, fixedBuffers(cc));
        long firstBytes = LEAVING_FLOW_MIB << 20;
        PathNetwork.Flow first = net.start(firstBytes);
        net.runUntilTime(Duration.ofSeconds(SECOND_FLOW_AFTER_SECONDS).toNanos());
        PathNetwork.Flow second = net.start(Long.MAX_VALUE);
        boolean left = net.loop.runUntil(() -> first.received() >= firstBytes, Duration.ofMinutes(10).toNanos());
        long leftAt = left ? first.sink().timeReaching(firstBytes) : net.loop.nanoTime();
        long from = leftAt + Duration.ofSeconds(TAKE_UP_SECONDS).toNanos();
        long to = from + Duration.ofSeconds(TAKE_UP_WINDOW_SECONDS).toNanos();
        net.runUntilTime(to);
        double g = goodput(second, from, to);
        double bound = 0.9 * path.payloadCapacity();
        String[] why = new String[1];
        TcpInfo info = net.info(second, why);
        net.disconnectAndCheckPools();
        System.out.printf(Locale.ROOT,
                "[perf] %-7s flow leaves   seed %d, %s: the first flow's %d MiB done at %.2f s%s; the second's goodput"
                        + " %.2f Mbit/s from %d s after (%.1f%% of the %.2f Mbit/s payload capacity); bound >= %.2f"
                        + " Mbit/s (90%% of the payload capacity): %s (wall %.1f s)%n",
                cc, seed, path, LEAVING_FLOW_MIB, leftAt / 1e9, left ? "" : " (NOT DONE)", g / 1e6, TAKE_UP_SECONDS,
                100 * g / path.payloadCapacity(), path.payloadCapacity() / 1e6, bound / 1e6,
                left && g >= bound ? "PASS" : "FAIL", (System.nanoTime() - wall) / 1e9);
        System.out.println("[perf]         " + net.senderCounters());
        printInfo(info, why[0]);
        String where = "seed " + seed + ", rerun: -Dtcpip4j.perf.seed=" + seed + " -Dtcpip4j.perf.cc=" + cc
                + "\nfirst: " + first + "\nsecond: " + second + "\n" + net.describe();
        assertAll(
                () -> assertTrue(left, "the first flow did not finish: " + where),
                () -> assertTrue(g >= bound, String.format(Locale.ROOT,
                        "the remaining flow's goodput %.2f Mbit/s is below the bound of %.2f Mbit/s (90%% of the"
                                + " payload capacity): %s", g / 1e6, bound / 1e6, where)),
                () -> algorithmIs(cc, info, why[0], where));
    }

    @ParameterizedTest(name = "{0}, seed {1}")
    @MethodSource("algorithmsAndSeeds")
    void keepsItsWindowThroughReordering(String cc, long seed) {
        BottleneckPath path = BottleneckPath.of(20 * MBIT, rtt(seed)).withReordering(0.03, 3, Duration.ofMillis(10));
        Bulk run = bulk(cc, seed, path, fixedBuffers(cc));
        double bound = 0.9 * path.payloadCapacity();
        String extra = "; data frames reordered " + run.net.senderLink.sendStats().reordered();
        report("reordering 3", cc, seed, run, bound, "90% of the payload capacity", extra);
        assertAll(atLeast(run, bound, "90% of the payload capacity"), algorithmInUse(cc, run));
    }

    @ParameterizedTest(name = "{0}, seed {1}")
    @MethodSource("algorithmsAndSeeds")
    void autoTuningFillsALongFatPipe(String cc, long seed) {
        BottleneckPath path = BottleneckPath.of(40 * MBIT, Duration.ofMillis(100));
        Bulk run = bulk(cc, seed, path, defaultBuffers(cc), 2 * bulkBytes());
        double bound = 0.9 * path.payloadCapacity();
        String extra = String.format(Locale.ROOT, "; BDP %d kB, buffers from %d KiB to %d KiB", path.bdpBytes() / 1000,
                TcpConfig.DEFAULT.receiveBufferSize() >> 10, TcpConfig.DEFAULT.maxReceiveBufferSize() >> 10);
        report("auto-tuning", cc, seed, run, bound, "90% of the payload capacity", extra);
        assertAll(atLeast(run, bound, "90% of the payload capacity"), algorithmInUse(cc, run));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("algorithmNames")
    void eachFlowRunsTheAlgorithmItWasGiven(String cc) {
        requireProvider(cc);
        BottleneckPath path = BottleneckPath.of(20 * MBIT, Duration.ofMillis(20));
        PathNetwork net = new PathNetwork(0, path, fixedBuffers(cc));
        PathNetwork.Flow flow = net.start(1 << 20);
        net.loop.runUntil(() -> flow.received() >= 1 << 20, Duration.ofMinutes(1).toNanos());
        String[] why = new String[1];
        TcpInfo info = net.info(flow, why);
        assertNotNull(info, cc + ": the connection's TcpInfo, to see the algorithm it runs: " + why[0]);
        assertEquals(cc, info.congestionControl(), "the algorithm the connection runs: " + info.summary());
    }

    // ---- running and measuring -------------------------------------------------------

    /** One bulk transfer and its figures. */
    record Bulk(String cc, long seed, PathNetwork net, PathNetwork.Flow flow, long bytes, double goodput, long fromNanos, long toNanos,
                boolean finished, TcpInfo info, String noInfo, double wallSeconds) {

        String where() {
            return cc + ", seed " + seed + " (rerun: -Dtcpip4j.perf.cc=" + cc + " -Dtcpip4j.perf.seed=" + seed
                    + "), " + net.path + "; measured " + fromNanos / 1e9 + " s to " + toNanos / 1e9 + " s"
                    + (finished ? "" : " (unfinished after " + BULK_BOUND + ")") + "\nflow: " + flow
                    + "\ninfo: " + (info == null ? noInfo : info.summary()) + "\n" + net.describe();
        }
    }

    /**
     * Sends {@link #bulkBytes()} from the sender to the receiver on {@code path} and
     * measures the goodput from the first {@value #SKIP_PERCENT} % read to the last byte
     * (or to {@link #BULK_BOUND} when it does not finish by then).
     */
    static Bulk bulk(String cc, long seed, BottleneckPath path, TcpConfig config) {
        return bulk(cc, seed, path, config, bulkBytes());
    }

    /** {@link #bulk(String, long, BottleneckPath, TcpConfig)} of {@code bytes}. */
    static Bulk bulk(String cc, long seed, BottleneckPath path, TcpConfig config, long bytes) {
        requireProvider(cc);
        long wall = System.nanoTime();
        PathNetwork net = new PathNetwork(seed, path, config);
        PathNetwork.Flow flow = net.start(bytes);
        boolean finished = net.loop.runUntil(() -> flow.received() >= bytes, BULK_BOUND.toNanos());
        PathNetwork.Sink sink = flow.sink();
        long from = sink == null ? -1 : sink.timeReaching(bytes * SKIP_PERCENT / 100);
        long to = finished ? sink.timeReaching(bytes) : net.loop.nanoTime();
        double goodput = from < 0 || to <= from ? 0 : (sink.bytesAt(to) - sink.bytesAt(from)) * 8e9 / (to - from);
        String[] why = new String[1];
        TcpInfo info = net.info(flow, why);
        net.disconnectAndCheckPools();
        return new Bulk(cc, seed, net, flow, bytes, goodput, from, to, finished, info, why[0],
                (System.nanoTime() - wall) / 1e9);
    }

    /** Goodput of {@code flow} between two virtual times, bits per second. */
    static double goodput(PathNetwork.Flow flow, long from, long to) {
        PathNetwork.Sink sink = flow.sink();
        return sink == null ? 0 : (sink.bytesAt(to) - sink.bytesAt(from)) * 8e9 / (to - from);
    }

    static void report(String what, String cc, long seed, Bulk run, double bound, String boundName, String extra) {
        BottleneckPath path = run.net.path;
        System.out.printf(Locale.ROOT,
                "[perf] %-7s %-13s seed %d, %s: %.2f Mbit/s of %s (%.1f%% of the link, %.1f%% of its %.2f Mbit/s"
                        + " payload capacity)%s; bound >= %.2f Mbit/s (%s): %s (wall %.1f s)%n",
                cc, what, seed, path, run.goodput / 1e6, BottleneckPath.mbit(path.bitsPerSecond()),
                100 * run.goodput / path.bitsPerSecond(), 100 * run.goodput / path.payloadCapacity(),
                path.payloadCapacity() / 1e6, run.finished ? "" : " UNFINISHED", bound / 1e6, boundName,
                run.goodput >= bound ? "PASS" : "FAIL", run.wallSeconds);
        System.out.println("[perf]         " + extra.replaceFirst("^; ", "") + (extra.isEmpty() ? "" : "; ")
                + run.net.senderCounters());
        printInfo(run.info, run.noInfo);
    }

    static void printInfo(TcpInfo info, String noInfo) {
        System.out.println("[perf]         " + (info == null ? "no TcpInfo, so the algorithm in use is not confirmed: "
                + noInfo : info.summary()));
    }

    static Executable atLeast(Bulk run, double bound, String boundName) {
        return () -> assertTrue(run.goodput >= bound, String.format(Locale.ROOT,
                "goodput %.2f Mbit/s is below the bound of %.2f Mbit/s (%s): %s", run.goodput / 1e6, bound / 1e6,
                boundName, run.where()));
    }

    /** When the flow tells which algorithm it runs, it must be {@code cc}; when it cannot tell, that is printed. */
    static Executable algorithmInUse(String cc, Bulk run) {
        return () -> algorithmIs(cc, run.info, run.noInfo, run.where());
    }

    static void algorithmIs(String cc, TcpInfo info, String noInfo, String where) {
        if (info != null) {
            assertEquals(cc, info.congestionControl(), "the algorithm the flow runs: " + where);
        }
    }

    /** The names of the congestion-control providers on the module path. */
    static Set<String> providerNames() {
        Set<String> names = new TreeSet<>();
        ServiceLoader.load(CongestionControlProvider.class).forEach(p -> names.add(p.name()));
        return names;
    }

    /**
     * Fails, loudly, when no provider is named {@code cc}: the stack would run some other
     * algorithm, and its figures printed under the name {@code cc} would mislead.
     */
    static void requireProvider(String cc) {
        Set<String> names = providerNames();
        if (!names.contains(cc)) {
            String message = "NOT MEASURED: no congestion-control provider named \"" + cc + "\" on the module path"
                    + " (there are " + names + "); to measure only those, run with -Dtcpip4j.perf.cc="
                    + String.join(",", names);
            System.out.println("[perf] " + cc + ": " + message);
            fail(message);
        }
    }
}
