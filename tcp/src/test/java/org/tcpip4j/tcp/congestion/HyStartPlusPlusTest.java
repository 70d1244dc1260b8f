package org.tcpip4j.tcp.congestion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tcpip4j.tcp.congestion.TestSample.MS;

import org.junit.jupiter.api.Test;

/**
 * HyStart++ (RFC 9406 4.2) in CUBIC's first slow start: rounds of acknowledgments whose RTT
 * samples the test chooses, the first ACK of each round starting it.
 */
class HyStartPlusPlusTest {

    private static final int MSS = 1000;
    private static final long BASE = 100 * MS;

    private final TestSample s = new TestSample().rtt(BASE);
    private final Cubic cc = new Cubic(MSS);

    /** {@code acks} ACKs of one segment measuring {@code rtt}, the first starting a round. */
    private void round(long rtt, int acks) {
        for (int i = 0; i < acks; i++) {
            ack(rtt, i == 0);
        }
    }

    private void ack(long rtt, boolean roundStart) {
        s.now += MS;
        s.roundStart = roundStart;
        s.rttSample = rtt;
        s.ack(cc, MSS);
    }

    /** Two rounds at the base RTT, then a round at {@code rtt} until CSS begins (8 samples). */
    private void enterCss(long rtt) {
        round(BASE, 10);
        round(BASE, 10);
        round(rtt, 8);
        assertTrue(cc.hyStart().inCss());
    }

    @Test
    void rttThresholdIsAnEighthOfTheLastMinimumBetween4And16Ms() {
        assertEquals(12_500_000L, HyStartPlusPlus.rttThresh(100 * MS));
        assertEquals(4 * MS, HyStartPlusPlus.rttThresh(20 * MS), "MIN_RTT_THRESH");
        assertEquals(16 * MS, HyStartPlusPlus.rttThresh(200 * MS), "MAX_RTT_THRESH");
    }

    @Test
    void aDelayIncreaseOfTheThresholdEndsSlowStartIntoCss() {
        round(BASE, 10);
        round(BASE, 10);
        long risen = BASE + 12_500_000L;
        ack(risen, true);
        for (int i = 1; i < 7; i++) {
            ack(risen, false);
        }
        assertFalse(cc.hyStart().inCss(), "seven samples are not enough (N_RTT_SAMPLE = 8)");
        ack(risen, false);
        assertTrue(cc.hyStart().inCss(), "the eighth sample of a round 12.5 ms above the last one's minimum");
        assertEquals(risen, cc.hyStart().cssBaselineMinRtt());
        assertTrue(cc.inSlowStart(), "CSS is still slow start: ssthresh stays");
        assertEquals(Integer.MAX_VALUE, cc.ssthresh());
    }

    @Test
    void aRiseBelowTheThresholdKeepsSlowStart() {
        round(BASE, 10);
        round(BASE, 10);
        round(BASE + 12_400_000L, 20);
        assertFalse(cc.hyStart().inCss());
    }

    @Test
    void theThresholdIsClampedToFourAndSixteenMilliseconds() {
        round(200 * MS, 10);
        round(200 * MS, 10);
        round(200 * MS + 15_900_000L, 10);
        assertFalse(cc.hyStart().inCss(), "200 ms / 8 = 25 ms, clamped to 16 ms");
        round(200 * MS + 15_900_000L + 16 * MS, 10);
        assertTrue(cc.hyStart().inCss());

        Cubic other = new Cubic(MSS);
        TestSample fast = new TestSample().rtt(20 * MS);
        for (long rtt : new long[] {20 * MS, 20 * MS, 23_900_000L}) {
            fast.roundStart = true;
            for (int i = 0; i < 10; i++) {
                fast.rttSample = rtt;
                fast.ack(other, MSS);
            }
        }
        assertFalse(other.hyStart().inCss(), "20 ms / 8 = 2.5 ms, raised to 4 ms");
        fast.roundStart = true;
        for (int i = 0; i < 10; i++) {
            fast.rttSample = 27_900_000L;
            fast.ack(other, MSS);
        }
        assertTrue(other.hyStart().inCss());
    }

    @Test
    void acksWithoutRttSamplesDoNotCount() {
        round(BASE, 10);
        round(BASE, 10);
        ack(150 * MS, true);
        for (int i = 1; i < 7; i++) {
            ack(150 * MS, false);
        }
        for (int i = 0; i < 10; i++) {
            ack(-1, false);
        }
        assertFalse(cc.hyStart().inCss(), "seven samples, however many ACKs");
    }

    @Test
    void slowStartGrowsByTheBytesAcknowledgedUpToEightSegmentsPerAck() {
        int before = cc.cwnd();
        s.ack(cc, 5 * MSS);
        assertEquals(before + 5 * MSS, cc.cwnd(), "more than byte counting's 2 SMSS: HyStart++'s L = 8");
        before = cc.cwnd();
        s.ack(cc, 20 * MSS);
        assertEquals(before + 8 * MSS, cc.cwnd(), "L = 8 SMSS for a sender that does not pace (RFC 9406 4.3)");
    }

    @Test
    void cssGrowsAQuarterAsFast() {
        enterCss(150 * MS);
        int before = cc.cwnd();
        ack(150 * MS, false);
        assertEquals(before + MSS / 4, cc.cwnd(), "CSS_GROWTH_DIVISOR = 4");
        before = cc.cwnd();
        s.ack(cc, 20 * MSS);
        assertEquals(before + 8 * MSS / 4, cc.cwnd(), "min(N, L SMSS) / CSS_GROWTH_DIVISOR");
    }

    @Test
    void afterCssRoundsCongestionAvoidanceWithSsthreshAtCwnd() {
        enterCss(150 * MS);
        for (int r = 0; r < 4; r++) {
            round(150 * MS, 10);
            assertTrue(cc.hyStart().inCss(), "the partial round CSS began in and " + (r + 1) + " more");
            assertTrue(cc.inSlowStart());
        }
        // CSS_ROUNDS = 5, the partial round included: the start of the sixth round ends CSS.
        int cwnd = cc.cwnd();
        ack(150 * MS, true);
        assertEquals(cwnd, cc.ssthresh(), "ssthresh = cwnd after CSS_ROUNDS rounds (RFC 9406 4.2)");
        assertFalse(cc.inSlowStart());
        assertFalse(cc.hyStart().active());
        assertEquals(0, cc.k(), "RFC 9438 4.10: K = 0 and the curve starts at the window");
        assertEquals(0, cc.wMax());
        assertEquals(cwnd, cc.wCubic(0), 1e-9);
        int before = cc.cwnd();
        ack(150 * MS, false);
        assertTrue(cc.cwnd() - before < MSS / 4, "congestion avoidance grows far slower than CSS");
    }

    @Test
    void aFallingRttInCssResumesSlowStart() {
        enterCss(150 * MS);
        ack(BASE, true);
        for (int i = 1; i < 7; i++) {
            ack(BASE, false);
        }
        assertTrue(cc.hyStart().inCss(), "seven samples decide nothing");
        ack(BASE, false);
        assertFalse(cc.hyStart().inCss(), "the round's minimum fell below cssBaselineMinRtt: the exit was spurious");
        assertTrue(cc.hyStart().active());
        int before = cc.cwnd();
        ack(BASE, false);
        assertEquals(before + MSS, cc.cwnd(), "slow start again");
        round(BASE, 10);
        round(BASE + 20 * MS, 10);
        assertTrue(cc.hyStart().inCss(), "and HyStart++ watches the delay again");
    }

    @Test
    void aTimeoutEndsHyStartForTheConnection() {
        round(BASE, 10);
        s.timeout(cc, 1);
        assertFalse(cc.hyStart().active());
        assertEquals((int) (14 * MSS * 0.7), cc.ssthresh());
        s.ack(cc, 20 * MSS);
        assertEquals(3 * MSS, cc.cwnd(), "slow start after the timeout counts bytes with L = 2 SMSS");
    }

    @Test
    void aLossEndsHyStartForTheConnection() {
        enterCss(150 * MS);
        int cwnd = cc.cwnd();
        s.flightSize = cwnd;
        cc.onRecoveryStart(s);
        assertFalse(cc.hyStart().active());
        assertEquals((int) (cwnd * 0.7), cc.ssthresh(), "the loss response is CUBIC's (RFC 9438 4.6)");
        cc.onRecoveryEnd(s);
        s.timeout(cc, 1);
        int before = cc.cwnd();
        s.ack(cc, 20 * MSS);
        assertEquals(before + 2 * MSS, cc.cwnd(), "later slow starts count bytes with L = 2 SMSS (RFC 3465)");
        assertFalse(cc.hyStart().active());
    }
}
