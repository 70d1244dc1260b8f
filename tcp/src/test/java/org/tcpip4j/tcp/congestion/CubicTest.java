package org.tcpip4j.tcp.congestion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tcpip4j.tcp.congestion.TestSample.MS;

import org.junit.jupiter.api.Test;

/**
 * CUBIC's congestion avoidance, reductions, timeouts and undo against RFC 9438's
 * equations, driven by a window-limited flow on a path of fixed round-trip time (one ACK
 * per segment, spread over each round trip). Sizes are segments of 1000 bytes.
 */
class CubicTest {

    private static final int MSS = 1000;
    private static final long RTT = 100 * MS;

    private final TestSample s = new TestSample().rtt(RTT);

    /** RFC 9438 4.2, figure 1, in segments. */
    private static double wCubic(double t, double k, double wMax) {
        return Cubic.C * Math.pow(t - k, 3) + wMax;
    }

    private static double segments(int bytes) {
        return bytes / (double) MSS;
    }

    /** A CUBIC flow that slow-started to {@code wMax} segments and lost a segment there. */
    private Cubic reducedFrom(int wMax) {
        Cubic cc = new Cubic(MSS);
        s.growTo(cc, wMax * MSS);
        s.lossAndRecovery(cc);
        return cc;
    }

    @Test
    void windowFollowsTheCubicFunctionAfterAReduction() {
        Cubic cc = reducedFrom(1000);
        assertEquals(700 * MSS, cc.cwnd());
        double k = Math.cbrt(1000 * (1 - 0.7) / 0.4);
        long epoch = s.now + RTT / 700; // the first ACK of congestion avoidance starts the epoch
        for (double t : new double[] {1, 2, 4, 6, 8, k, 10, 12, 13}) {
            while (s.now < epoch + (long) (t * 1e9)) {
                s.round(cc, RTT);
            }
            double at = (s.now - epoch) / 1e9;
            double expected = wCubic(at, k, 1000);
            assertEquals(expected, segments(cc.cwnd()), 0.5, "cwnd at t=" + at + " s follows W_cubic(t)");
        }
    }

    @Test
    void kIsTheTimeBackToWmax() {
        Cubic cc = reducedFrom(1000);
        s.round(cc, RTT);
        assertEquals(Math.cbrt(1000 * (1 - 0.7) / 0.4), cc.k(), 1e-3, "K = cbrt(W_max (1 - beta) / C)");
        assertEquals(1000.0 * MSS, cc.wMax(), 1e-9);
        assertEquals(700 * MSS, cc.wCubic(0), 1, "the curve starts at the reduced window");
        assertEquals(1000 * MSS, cc.wCubic(cc.k()), 1e-6, "and reaches W_max at K");
    }

    @Test
    void concaveBelowWmaxConvexAbove() {
        Cubic cc = reducedFrom(1000);
        double k = Math.cbrt(1000 * (1 - 0.7) / 0.4);
        long epoch = s.now;
        int previous = cc.cwnd();
        int previousGrowth = Integer.MAX_VALUE / 2;
        int plateauLow = Integer.MAX_VALUE;
        int plateauHigh = 0;
        boolean convex = false;
        while (s.now < epoch + (long) ((k + 4) * 1e9)) {
            s.round(cc, RTT);
            double t = (s.now - epoch) / 1e9;
            int growth = cc.cwnd() - previous;
            previous = cc.cwnd();
            if (t < k - 1.5) {
                assertTrue(growth <= previousGrowth + MSS / 2, "concave: growth per round falls before K (t=" + t + ")");
                assertTrue(cc.cwnd() < 1000 * MSS, "below W_max before K");
            } else if (t > k + 1.5) {
                assertTrue(growth >= previousGrowth - MSS / 2, "convex: growth per round rises after K (t=" + t + ")");
                assertTrue(cc.cwnd() > 1000 * MSS, "above W_max after K");
                convex = true;
            }
            if (Math.abs(t - k) <= 1) {
                plateauLow = Math.min(plateauLow, cc.cwnd());
                plateauHigh = Math.max(plateauHigh, cc.cwnd());
            }
            previousGrowth = growth;
        }
        assertTrue(convex);
        assertTrue(plateauLow >= 995 * MSS && plateauHigh <= 1005 * MSS,
            "plateau: within a second of K the window stays within 0.5% of W_max: " + plateauLow + ".." + plateauHigh);
    }

    @Test
    void targetIsClampedToOneAndAHalfTimesTheWindow() {
        Cubic cc = reducedFrom(100);
        s.round(cc, RTT);
        // 20 s without loss puts W_cubic(t + RTT) far above 1.5 cwnd: one round may at most add half a window.
        s.now += 20_000 * MS;
        int before = cc.cwnd();
        s.round(cc, RTT);
        assertTrue(cc.cwnd() <= before * 3 / 2 + MSS, "at most 1.5 cwnd per round: " + before + " -> " + cc.cwnd());
        assertTrue(cc.cwnd() > before * 5 / 4, "the clamp, not the curve, bounds the growth");
    }

    @Test
    void renoFriendlyRegionWhereRenoWouldOutgrowTheCurve() {
        // W_max = 20 segments, RTT = 10 ms: K = cbrt(15) = 2.47 s spans 247 round trips, in which
        // Reno would add alpha_cubic per round; W_est > W_cubic(t), so cwnd tracks W_est (RFC 9438 4.3).
        Cubic cc = reducedFrom(20);
        long rtt = 10 * MS;
        s.rtt(rtt);
        assertEquals(14 * MSS, cc.cwnd());
        long epoch = s.now;
        for (int r = 0; r < 10; r++) {
            s.round(cc, rtt);
        }
        double alpha = 3 * (1 - 0.7) / (1 + 0.7);
        assertEquals(14 + 10 * alpha, segments(cc.cwnd()), 0.5, "W_est grows by alpha_cubic per round");
        double t = (s.now - epoch) / 1e9;
        assertTrue(segments(cc.cwnd()) > wCubic(t, Math.cbrt(15), 20) + 3, "well above W_cubic(t)");
        assertEquals(cc.wEst(), cc.cwnd(), 1, "cwnd = W_est");
        // Once W_est reaches cwnd_prior (20 segments) alpha_cubic becomes 1: Reno's one segment per round.
        while (cc.cwnd() < 21 * MSS) {
            s.round(cc, rtt);
        }
        int from = cc.cwnd();
        for (int r = 0; r < 20; r++) {
            s.round(cc, rtt);
        }
        assertEquals(20, segments(cc.cwnd() - from), 1, "one segment per round above cwnd_prior");
        t = (s.now - epoch) / 1e9;
        assertTrue(segments(cc.cwnd()) > wCubic(t, Math.cbrt(15), 20) + 10);
    }

    @Test
    void fastConvergenceLowersWmaxWhenTheWindowHadNotRegainedIt() {
        Cubic cc = reducedFrom(100);
        assertEquals(100.0 * MSS, cc.wMax(), 1e-9, "a first loss remembers cwnd");
        while (cc.cwnd() < 80 * MSS) {
            s.round(cc, RTT);
        }
        int cwnd = cc.cwnd();
        assertTrue(cwnd < 100 * MSS);
        s.lossAndRecovery(cc);
        assertEquals(cwnd * (1 + 0.7) / 2, cc.wMax(), 1e-6, "W_max = cwnd (1 + beta) / 2 (RFC 9438 4.7)");
        assertEquals((int) (cwnd * 0.7), cc.ssthresh());
        s.round(cc, RTT);
        assertEquals(Math.cbrt((cwnd * 0.85 - (int) (cwnd * 0.7)) / (0.4 * MSS)), cc.k(), 1e-3,
            "K from the lowered W_max and the window the epoch starts with");
    }

    @Test
    void aLossAboveWmaxRemembersTheWindow() {
        Cubic cc = reducedFrom(100);
        while (cc.cwnd() < 110 * MSS) {
            s.round(cc, RTT);
        }
        int cwnd = cc.cwnd();
        s.lossAndRecovery(cc);
        assertEquals(cwnd, cc.wMax(), 1e-9, "no fast convergence once W_max was passed");
    }

    @Test
    void multiplicativeDecreaseBySevenTenths() {
        Cubic cc = new Cubic(MSS);
        s.growTo(cc, 100 * MSS);
        s.flightSize = 100 * MSS;
        cc.onRecoveryStart(s);
        assertEquals(70 * MSS, cc.ssthresh(), "ssthresh = 0.7 cwnd (RFC 9438 4.6)");
        assertEquals(100 * MSS, cc.cwnd(), "the sender's PRR brings the flight down during recovery");
        cc.onRecoveryEnd(s);
        assertEquals(70 * MSS, cc.cwnd(), "cwnd = ssthresh when recovery ends");
        assertFalse(cc.inSlowStart());
    }

    @Test
    void ssthreshIsAtLeastTwoSegments() {
        Cubic cc = new Cubic(MSS);
        s.timeout(cc, 1);
        assertEquals(MSS, cc.cwnd());
        s.lossAndRecovery(cc);
        assertEquals(2 * MSS, cc.ssthresh(), "max(0.7 cwnd, 2 SMSS)");
        assertEquals(2 * MSS, cc.cwnd());
    }

    @Test
    void timeoutReducesSsthreshOnceAndCollapsesTheWindow() {
        Cubic cc = new Cubic(MSS);
        s.growTo(cc, 100 * MSS);
        s.timeout(cc, 1);
        assertEquals(70 * MSS, cc.ssthresh(), "ssthresh = 0.7 cwnd (RFC 9438 4.8)");
        assertEquals(MSS, cc.cwnd(), "cwnd = 1 SMSS");
        s.timeout(cc, 2);
        s.timeout(cc, 3);
        assertEquals(70 * MSS, cc.ssthresh(), "repeated timeouts of the same loss leave ssthresh alone");
        assertEquals(MSS, cc.cwnd());
        assertTrue(cc.inSlowStart());
    }

    @Test
    void aTimeoutDuringRecoveryDoesNotReduceSsthreshAgain() {
        Cubic cc = new Cubic(MSS);
        s.growTo(cc, 100 * MSS);
        s.flightSize = 100 * MSS;
        cc.onRecoveryStart(s);
        s.timeout(cc, 1);
        assertEquals(70 * MSS, cc.ssthresh());
        assertEquals(MSS, cc.cwnd());
        cc.onRecoveryEnd(s);
        assertEquals(MSS, cc.cwnd(), "the timeout ended recovery; slow start brings the window back");
    }

    @Test
    void afterATimeoutSlowStartCountsBytesAndTheCurveStartsWithKZero() {
        Cubic cc = reducedFrom(100);
        s.timeout(cc, 1);
        assertEquals(49 * MSS, cc.ssthresh());
        s.ack(cc, 4 * MSS);
        assertEquals(3 * MSS, cc.cwnd(), "byte counting, at most 2 SMSS per ACK (RFC 3465)");
        while (cc.inSlowStart()) {
            s.now += MS;
            s.ack(cc, MSS);
        }
        assertEquals(49 * MSS, cc.cwnd(), "slow start stops at ssthresh");
        s.round(cc, RTT);
        assertEquals(0, cc.k(), "K = 0 in the first congestion avoidance after a timeout (RFC 9438 4.8)");
        assertEquals(0, cc.wMax(), "W_max forgotten");
        assertEquals(49 * MSS, cc.wCubic(0), 1e-9, "the curve starts at the window congestion avoidance began with");
    }

    @Test
    void undoRestoresTheStateBeforeTheReduction() {
        Cubic cc = reducedFrom(100);
        s.rounds(cc, RTT, 2);
        int cwnd = cc.cwnd();
        int ssthresh = cc.ssthresh();
        double wMax = cc.wMax();
        double k = cc.k();
        double wEst = cc.wEst();
        double curve = cc.wCubic(5);
        s.lossAndRecovery(cc);
        s.rounds(cc, RTT, 1);
        assertTrue(cc.cwnd() < cwnd);
        cc.onUndo(s);
        assertEquals(cwnd, cc.cwnd());
        assertEquals(ssthresh, cc.ssthresh());
        assertEquals(wMax, cc.wMax());
        assertEquals(k, cc.k());
        assertEquals(wEst, cc.wEst());
        assertEquals(curve, cc.wCubic(5), "the same epoch: the curve goes on where it was (RFC 9438 4.9)");
        assertTrue(cc.epochRunning());
    }

    @Test
    void undoDuringRecoveryRestoresSsthreshAndRecoveryEndLeavesTheWindow() {
        Cubic cc = reducedFrom(100);
        s.rounds(cc, RTT, 2);
        int cwnd = cc.cwnd();
        int ssthresh = cc.ssthresh();
        s.flightSize = cwnd;
        cc.onRecoveryStart(s);
        assertTrue(cc.ssthresh() < ssthresh);
        cc.onUndo(s);
        assertEquals(ssthresh, cc.ssthresh());
        cc.onRecoveryEnd(s);
        assertEquals(cwnd, cc.cwnd());
    }

    @Test
    void undoAfterATimeoutRestoresTheWindow() {
        Cubic cc = reducedFrom(100);
        s.rounds(cc, RTT, 2);
        int cwnd = cc.cwnd();
        double wMax = cc.wMax();
        s.timeout(cc, 1);
        s.timeout(cc, 2);
        cc.onUndo(s);
        assertEquals(cwnd, cc.cwnd());
        assertEquals(70 * MSS, cc.ssthresh());
        assertEquals(wMax, cc.wMax());
        assertFalse(cc.inSlowStart());
    }

    @Test
    void undoInTheFirstSlowStartRestartsHyStart() {
        Cubic cc = new Cubic(MSS);
        s.growTo(cc, 50 * MSS);
        s.flightSize = 50 * MSS;
        cc.onRecoveryStart(s);
        assertFalse(cc.hyStart().active());
        cc.onUndo(s);
        assertEquals(Integer.MAX_VALUE, cc.ssthresh());
        assertEquals(50 * MSS, cc.cwnd());
        assertTrue(cc.hyStart().active());
    }

    @Test
    void undoLeavesAWindowThatGrewPastTheSavedOne() {
        Cubic cc = reducedFrom(20);
        s.rtt(10 * MS);
        s.rounds(cc, 10 * MS, 1);
        int saved = cc.cwnd();
        s.lossAndRecovery(cc);
        while (cc.cwnd() <= saved) {
            s.round(cc, 10 * MS);
        }
        int cwnd = cc.cwnd();
        int ssthresh = cc.ssthresh();
        cc.onUndo(s);
        assertEquals(cwnd, cc.cwnd(), "RFC 9438 4.9: keep the current state when cwnd is above the saved one");
        assertEquals(ssthresh, cc.ssthresh());
    }

    @Test
    void undoWithoutReductionDoesNothing() {
        Cubic cc = new Cubic(MSS);
        cc.onUndo(s);
        assertEquals(4 * MSS, cc.cwnd());
        assertEquals(Integer.MAX_VALUE, cc.ssthresh());
    }

    @Test
    void noGrowthWhileNotCwndLimited() {
        Cubic cc = reducedFrom(100);
        s.rounds(cc, RTT, 0.5);
        int cwnd = cc.cwnd();
        s.cwndLimited = false;
        s.rounds(cc, RTT, 5);
        assertEquals(cwnd, cc.cwnd(), "the application, not the window, limited sending (RFC 9438 5.8)");
        s.cwndLimited = true;
        s.round(cc, RTT);
        // Had the 5 s counted in t, W_cubic(t + RTT) would be past W_max = 100 and the window
        // would jump by up to half; the epoch restarted, so it grows as just after a reduction.
        assertTrue(cc.cwnd() - cwnd < 4 * MSS, "no jump after an application-limited period: " + cwnd + " -> " + cc.cwnd());
        assertTrue(cc.cwnd() > cwnd, "growth resumes");
    }

    @Test
    void noGrowthInSlowStartWhileNotCwndLimited() {
        Cubic cc = new Cubic(MSS);
        s.cwndLimited = false;
        s.rtt(RTT);
        for (int i = 0; i < 10; i++) {
            s.ack(cc, MSS);
        }
        assertEquals(4 * MSS, cc.cwnd());
    }

    @Test
    void idleRestartRestartsTheEpoch() {
        Cubic cc = reducedFrom(100);
        s.rounds(cc, RTT, 0.5);
        int cwnd = cc.cwnd();
        s.now += 5_000 * MS;
        cc.onRestartAfterIdle(s);
        assertEquals(cwnd, cc.cwnd());
        s.round(cc, RTT);
        assertTrue(cc.cwnd() - cwnd < 4 * MSS, "idle time does not count in t: " + cwnd + " -> " + cc.cwnd());
    }

    @Test
    void growthCarriesFractionsOfBytes() {
        // Near the plateau each ACK adds well under a byte; the carry must still add them up.
        Cubic cc = reducedFrom(1000);
        double k = Math.cbrt(1000 * (1 - 0.7) / 0.4);
        long epoch = s.now;
        while (s.now < epoch + (long) (k * 1e9)) {
            s.round(cc, RTT);
        }
        int before = cc.cwnd();
        long t = s.now - epoch;
        double expected = (wCubic((t + 3 * RTT) / 1e9, k, 1000) - wCubic(t / 1e9, k, 1000)) * MSS;
        s.round(cc, RTT);
        s.round(cc, RTT);
        s.round(cc, RTT);
        assertTrue(cc.cwnd() > before, "fractional growth is not lost");
        assertEquals(expected, cc.cwnd() - before, Math.max(2, expected * 0.5));
    }
}
