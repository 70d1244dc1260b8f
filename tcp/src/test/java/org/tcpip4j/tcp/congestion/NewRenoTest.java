package org.tcpip4j.tcp.congestion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tcpip4j.tcp.congestion.TestSample.MS;

import org.junit.jupiter.api.Test;

/** NewReno's window (RFC 5681, RFC 3465, RFC 6582) driven acknowledgment by acknowledgment. */
class NewRenoTest {

    private static final int MSS = 1000;

    private final TestSample s = new TestSample().rtt(100 * MS);

    /** A NewReno flow in congestion avoidance at {@code segments} segments, after a loss at twice that. */
    private NewReno avoidingAt(int segments) {
        NewReno cc = new NewReno(MSS);
        s.growTo(cc, 2 * segments * MSS);
        s.lossAndRecovery(cc);
        assertEquals(segments * MSS, cc.cwnd());
        return cc;
    }

    @Test
    void initialWindowFollowsRfc5681() {
        assertEquals(4 * 1000, NewReno.initialWindow(1000));
        assertEquals(3 * 1460, NewReno.initialWindow(1460));
        assertEquals(2 * 9000, NewReno.initialWindow(9000));
    }

    @Test
    void slowStartCountsBytesUpToTwoSegmentsPerAck() {
        NewReno cc = new NewReno(MSS);
        s.ack(cc, 500);
        assertEquals(4 * MSS + 500, cc.cwnd(), "grows by the bytes acknowledged (RFC 3465 2.2)");
        s.ack(cc, 5 * MSS);
        assertEquals(6 * MSS + 500, cc.cwnd(), "at most L = 2 SMSS per ACK");
    }

    @Test
    void congestionAvoidanceAddsOneSegmentPerWindowOfBytes() {
        NewReno cc = avoidingAt(10);
        for (int i = 0; i < 9; i++) {
            s.ack(cc, MSS);
        }
        assertEquals(10 * MSS, cc.cwnd(), "less than a window acknowledged: no growth yet");
        s.ack(cc, MSS);
        assertEquals(11 * MSS, cc.cwnd(), "a window's worth acknowledged: one SMSS (RFC 3465 2.1)");
        for (int r = 0; r < 5; r++) {
            s.round(cc, 100 * MS);
        }
        assertEquals(16 * MSS, cc.cwnd(), "one segment per round trip");
    }

    @Test
    void lossHalvesTheFlightWithATwoSegmentFloor() {
        NewReno cc = new NewReno(MSS);
        s.growTo(cc, 40 * MSS);
        s.flightSize = 30 * MSS;
        cc.onRecoveryStart(s);
        assertEquals(15 * MSS, cc.ssthresh(), "ssthresh = FlightSize / 2 (RFC 5681 3.2, equation 4)");
        cc.onRecoveryEnd(s);
        assertEquals(15 * MSS, cc.cwnd());
        s.flightSize = 3 * MSS;
        cc.onRecoveryStart(s);
        assertEquals(2 * MSS, cc.ssthresh(), "at least 2 SMSS");
    }

    @Test
    void timeoutReducesOnceAndCollapsesTheWindow() {
        NewReno cc = new NewReno(MSS);
        s.growTo(cc, 40 * MSS);
        s.timeout(cc, 1);
        assertEquals(20 * MSS, cc.ssthresh());
        assertEquals(MSS, cc.cwnd());
        s.timeout(cc, 2);
        assertEquals(20 * MSS, cc.ssthresh(), "a repeated timeout leaves ssthresh");
        assertTrue(cc.inSlowStart());
    }

    @Test
    void aTimeoutDuringFastRecoveryKeepsItsReductionAndWhatUndoRestores() {
        NewReno cc = new NewReno(MSS);
        s.growTo(cc, 40 * MSS);
        s.flightSize = cc.cwnd();
        cc.onRecoveryStart(s);
        assertEquals(20 * MSS, cc.ssthresh());
        // By the timeout the flight has fallen to 10 segments.
        s.flightSize = 10 * MSS;
        s.consecutiveTimeouts = 1;
        cc.onRetransmissionTimeout(s);
        s.consecutiveTimeouts = 0;
        assertEquals(20 * MSS, cc.ssthresh(), "not halved again: the recovery's reduction stands");
        assertEquals(MSS, cc.cwnd());
        cc.onUndo(s);
        assertEquals(40 * MSS, cc.cwnd(), "undo goes back to before the recovery");
        assertEquals(Integer.MAX_VALUE, cc.ssthresh(), "and to its slow start");
    }

    @Test
    void undoRestoresWindowAndThreshold() {
        NewReno cc = avoidingAt(10);
        s.rounds(cc, 100 * MS, 1);
        int cwnd = cc.cwnd();
        int ssthresh = cc.ssthresh();
        s.lossAndRecovery(cc);
        assertTrue(cc.cwnd() < cwnd);
        cc.onUndo(s);
        assertEquals(cwnd, cc.cwnd());
        assertEquals(ssthresh, cc.ssthresh());
        s.timeout(cc, 1);
        cc.onUndo(s);
        assertEquals(cwnd, cc.cwnd(), "after a timeout too");
        assertFalse(cc.inSlowStart());
    }

    @Test
    void noGrowthWhileNotCwndLimited() {
        NewReno avoiding = avoidingAt(10);
        NewReno cc = new NewReno(MSS);
        s.cwndLimited = false;
        s.ack(cc, MSS);
        assertEquals(4 * MSS, cc.cwnd());
        for (int i = 0; i < 30; i++) {
            s.ack(avoiding, MSS);
        }
        assertEquals(10 * MSS, avoiding.cwnd());
    }
}
