package org.tcpip4j.tcp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tcpip4j.tcp.internal.SackTest.bytes;
import static org.tcpip4j.tcp.internal.SackTest.ours;
import static org.tcpip4j.tcp.internal.TailLossProbeTest.ack;
import static org.tcpip4j.tcp.internal.TailLossProbeTest.open;
import static org.tcpip4j.tcp.internal.TcpHarness.*;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tcpip4j.tcp.TcpFlow;

/**
 * Loss detection and recovery with exact segments: the per-segment scoreboard, RACK's
 * time rule and reordering timer (RFC 8985 6), fast recovery paced by PRR (RFC 6937),
 * recovery after a timeout that keeps the scoreboard (RFC 6675 5.1), and undoing a
 * reduction shown spurious by D-SACK (RFC 3708) or timestamps (RFC 3522). The connection
 * of {@link TailLossProbeTest#open}: SACK, SRTT 50 ms, segments of 1000 bytes, initial
 * window 4 segments, NewReno.
 */
class LossRecoveryTest {

    /** An ACK with a window wide enough that only congestion control limits sending. */
    private static TestSegment wide(int ack) {
        return from(40000, 80, ACK, 5001, ack).window(65535);
    }

    private static List<Integer> seqs(List<TestSegment> segments) {
        return segments.stream().map(s -> s.seq).toList();
    }

    // ---- the scoreboard ----------------------------------------------------------------------

    @Test
    void sackBlocksMarkWholeSegmentsAndBadBlocksAreIgnored() {
        TcpHarness h = new TcpHarness();
        TcpFlow flow = open(h);
        flow.write(ByteBuffer.wrap(bytes(4000, 1)));
        h.settle();
        assertEquals(4, h.sent().size());
        TransmitQueue q = h.connection(flow).sender.queue;
        h.advance(Duration.ofMillis(50));
        // Beyond SND.MAX, below SND.UNA (a D-SACK), and empty: none is believed.
        h.inject(ack(1001).sack(4001, 5002, 900, 1001, 3001, 3001));
        assertEquals(0, q.sackedBytes());
        // A block covering part of a segment marks nothing of it.
        h.inject(ack(1001).sack(3001, 4001, 2001, 2501));
        assertEquals("TransmitQueue[1001-2001 2001-3001 3001-4001S 4001-5001]", q.toString());
        h.inject(ack(1001).sack(2001, 4001));
        assertEquals("TransmitQueue[1001-2001 2001-3001S 3001-4001S 4001-5001]", q.toString());
        assertEquals(2000, q.sackedBytes());
        h.inject(ack(3001).sack(3001, 4001));
        assertEquals("TransmitQueue[3001-4001S 4001-5001]", q.toString(), "the cumulative ACK takes the front");
        h.inject(ack(5001));
        assertTrue(q.isEmpty());
        assertEquals(0, q.sackedBytes());
    }

    @Test
    void theScoreboardSurvivesARetransmissionTimeout() {
        TcpHarness h = new TcpHarness();
        TcpFlow flow = open(h);
        flow.write(ByteBuffer.wrap(bytes(4000, 1)));
        h.settle();
        h.sent();
        // 2001 is SACKed; 1001, 3001 and 4001 are lost, and so is every later ACK.
        h.inject(ack(1001).sack(2001, 3001));
        Sender snd = h.connection(flow).sender;
        h.advance(Duration.ofMillis(300));
        List<TestSegment> sent = h.sent();
        assertTrue(h.tcp.counters().get("tx.rto_expiries") >= 1);
        assertFalse(seqs(sent).contains(2001), "RFC 6675 5.1: SACKed data is not resent after a timeout: " + sent);
        assertEquals(1000, snd.queue.sackedBytes());
        assertTrue(snd.recovery.inLoss());
        // The retransmission of 1001 arrives: what the timeout marked lost follows in slow start.
        h.inject(ack(2001).sack(2001, 3001));
        assertEquals(List.of(3001, 4001), seqs(h.sent()).stream().filter(s -> s < 5001).toList());
    }

    // ---- RACK --------------------------------------------------------------------------------

    @Test
    void aHoleBelowOneSackIsResentWhenTheReorderingTimerExpiresNotAtTheTimeout() {
        TcpHarness h = new TcpHarness();
        TcpFlow flow = open(h);
        byte[] b = bytes(2000, 3);
        flow.write(ByteBuffer.wrap(b));
        h.settle();
        assertEquals(List.of(1001, 2001), seqs(h.sent()));
        // 1001 is lost; 2001 is SACKed a round trip later. One SACK is no DupThresh.
        h.advance(Duration.ofMillis(50));
        h.inject(ack(1001).sack(2001, 3001));
        h.sentNothing();
        Sender snd = h.connection(flow).sender;
        assertTrue(snd.rack.timerArmed(), "RFC 8985 6.3: the reordering timer waits out the window");
        // RACK.rtt 50 ms, reordering window min_RTT / 4 = 12.5 ms: 1001 is lost at 62.5 ms after it was sent.
        h.advance(Duration.ofMillis(12));
        h.sentNothing();
        h.advance(Duration.ofMillis(1));
        assertEquals(List.of(ours(ACK, 1001, 5001).payload(Arrays.copyOfRange(b, 0, 1000))), h.sent());
        assertEquals(1, h.tcp.counters().get("tx.reorder_timeouts"));
        assertEquals(0, h.tcp.counters().get("tx.rto_expiries"));
        assertTrue(snd.inRecovery());
    }

    @Test
    void withDupThreshSackedAndNoReorderingSeenTheHoleIsLostAtOnce() {
        TcpHarness h = new TcpHarness();
        TcpFlow flow = open(h);
        byte[] b = bytes(4000, 3);
        flow.write(ByteBuffer.wrap(b));
        h.settle();
        h.sent();
        h.advance(Duration.ofMillis(50));
        h.inject(ack(1001).sack(2001, 5001));
        assertEquals(1001, h.sent().getFirst().seq, "RFC 8985 6.2 step 4: reordering window 0");
        assertEquals(1, h.tcp.counters().get("tx.rack_lost"));
    }

    @Test
    void reorderingOpensTheWindowSoThatALateSegmentIsNotResent() {
        TcpHarness h = new TcpHarness();
        TcpFlow flow = open(h);
        flow.write(ByteBuffer.wrap(bytes(30000, 3)));
        h.settle();
        h.sent();
        h.advance(Duration.ofMillis(50));
        // 1001 arrives after 2001: reordering, seen when its cumulative ACK comes (below RACK.fack).
        h.inject(wide(1001).sack(2001, 3001));
        h.inject(wide(3001));
        h.inject(wide(4001));
        h.inject(wide(5001));
        Sender snd = h.connection(flow).sender;
        assertTrue(snd.rack.reorderingSeen());
        assertTrue(snd.rack.reorderingDegree() >= 1);
        List<Integer> flight = seqs(h.sent());
        assertTrue(flight.size() >= 4 && flight.getFirst() == 5001, "sent at 50 ms: " + flight);
        // 5001 is late while three segments sent with it are SACKed a round trip later: with
        // reordering seen, the window stays min_RTT / 4 (12.5 ms), and 5001 may still come.
        h.advance(Duration.ofMillis(50));
        h.inject(wide(5001).sack(6001, 9001));
        assertFalse(seqs(h.sent()).contains(5001));
        assertTrue(snd.rack.timerArmed());
        h.advance(Duration.ofMillis(5));
        h.inject(wide(9001));
        assertEquals(0, h.tcp.counters().get("tx.retransmits"), "the late segment arrived in time");
        assertFalse(snd.inRecovery());
    }

    @Test
    void withoutReorderingSeenThreeSacksAboveMakeTheSameLateSegmentLost() {
        TcpHarness h = new TcpHarness();
        TcpFlow flow = open(h);
        flow.write(ByteBuffer.wrap(bytes(30000, 3)));
        h.settle();
        h.sent();
        h.advance(Duration.ofMillis(50));
        h.inject(wide(2001));
        h.inject(wide(3001));
        h.inject(wide(4001));
        h.inject(wide(5001));
        assertFalse(h.connection(flow).sender.rack.reorderingSeen());
        assertEquals(5001, h.sent().getFirst().seq);
        h.advance(Duration.ofMillis(50));
        h.inject(wide(5001).sack(6001, 9001));
        assertTrue(seqs(h.sent()).contains(5001), "RFC 8985 6.2 step 4: DupThresh SACKed, window 0");
        assertTrue(h.connection(flow).sender.inRecovery());
    }

    // ---- PRR -----------------------------------------------------------------------------------

    @Test
    void prrSendsOneSegmentForEveryTwoDeliveredWhileThePipeIsAboveSsthresh() {
        // RFC 6937 3's proportional part with RecoverFS 20 segments and ssthresh 10.
        Prr prr = new Prr();
        int mss = 1000;
        prr.start(20 * mss, 10 * mss);
        int pipe = 19 * mss;
        StringBuilder quotas = new StringBuilder();
        for (int ack = 0; ack < 8; ack++) {
            // The sender lets a whole segment out whenever the quota is positive.
            int quota = prr.sendQuota(mss, pipe, mss, true);
            int sent = quota > 0 ? mss : 0;
            quotas.append(sent / mss);
            prr.onSent(sent);
            pipe = pipe - mss + sent;
        }
        assertEquals("10101010", quotas.toString(), "half the delivered data goes out again");
    }

    @Test
    void prrSlowStartsBackTowardsSsthreshOnceThePipeIsBelowIt() {
        // Heavy loss: the pipe fell to 4 segments while ssthresh is 10 (RFC 6937's PRR-SSRB).
        Prr prr = new Prr();
        int mss = 1000;
        prr.start(20 * mss, 10 * mss);
        prr.onSent(mss); // the fast retransmission
        assertEquals(3 * mss, prr.sendQuota(2 * mss, 4 * mss, mss, true),
            "limit = max(prr_delivered - prr_out, DeliveredData) + MSS: 2 delivered, 3 may go");
        assertEquals(mss, prr.sendQuota(mss, 9 * mss, mss, true), "never past ssthresh: 10 - 9 = 1");
        assertEquals(0, prr.sendQuota(mss, 10 * mss, mss, true));
        assertEquals(mss, prr.sendQuota(mss, 5 * mss, mss, false),
            "an ACK that reveals new loss: no more than was delivered (conservative bound)");
    }

    @Test
    void fastRecoveryWithPrrLetsOutAboutHalfTheDeliveredDataAndEndsAtSsthresh() {
        TcpHarness h = new TcpHarness(TcpHarness.SMALL.withBuffers(65536, 65536, 8192, 8192));
        TcpFlow flow = open(h);
        flow.write(ByteBuffer.wrap(bytes(40000, 3)));
        h.settle();
        h.sent();
        Sender snd = h.connection(flow).sender;
        h.advance(Duration.ofMillis(50));
        // Grow the window to 8 segments: ACK the first 4 one by one.
        for (int a = 2001; a <= 5001; a += 1000) {
            h.inject(wide(a));
        }
        assertEquals(8000, snd.cwnd());
        List<TestSegment> flight = h.sent();
        assertEquals(8, flight.size());
        int first = flight.getFirst().seq;
        h.advance(Duration.ofMillis(50));
        // The first of the flight is lost; the other 7 are SACKed one by one.
        int sentInRecovery = 0;
        int deliveredInRecovery = 0;
        int flightAtEntry = 0;
        for (int k = 1; k < 8; k++) {
            boolean before = snd.inRecovery();
            int flightNow = snd.sndMax - snd.sndUna;
            h.inject(wide(first).sack(first + 1000, first + 1000 * (k + 1)));
            int sent = h.sent().size();
            if (!before && snd.inRecovery()) {
                flightAtEntry = flightNow;
            }
            if (snd.inRecovery()) {
                sentInRecovery += sent;
                deliveredInRecovery += before ? 1 : 0;
            }
        }
        assertTrue(snd.inRecovery());
        assertEquals(flightAtEntry / 2, snd.ssthresh(), "NewReno: half the flight when recovery began");
        // PRR lets out ssthresh / RecoverFS = 1/2 of what is delivered, the retransmission
        // going first; RFC 6675 alone would have sent nothing until pipe fell below cwnd.
        assertTrue(sentInRecovery >= 2 && sentInRecovery <= deliveredInRecovery / 2 + 2,
            "sent " + sentInRecovery + " for " + deliveredInRecovery + " delivered");
        h.inject(wide(snd.sndMax));
        assertFalse(snd.inRecovery());
        int cwnd = snd.cwnd();
        assertTrue(cwnd >= snd.ssthresh() && cwnd <= snd.ssthresh() + 1000,
            "recovery ends with cwnd = ssthresh, which the ending ACK may grow by a segment: " + cwnd);
    }

    // ---- undo -------------------------------------------------------------------------------------

    @Test
    void aDsackOfTheOnlyRetransmissionUndoesTheReduction() {
        TcpHarness h = new TcpHarness();
        TcpFlow flow = open(h);
        flow.write(ByteBuffer.wrap(bytes(4000, 3)));
        h.settle();
        h.sent();
        Sender snd = h.connection(flow).sender;
        int cwnd = snd.cwnd();
        h.advance(Duration.ofMillis(50));
        // 1001 is only late: three SACKs mark it lost, it is resent, and the window drops.
        h.inject(ack(1001).sack(2001, 5001));
        assertEquals(1001, h.sent().getFirst().seq);
        assertTrue(snd.inRecovery());
        // The original arrives, then the retransmission: the peer reports the duplicate.
        h.inject(ack(5001));
        h.inject(ack(5001).sack(1001, 2001));
        assertEquals(1, h.tcp.counters().get("tx.spurious_recoveries"), "RFC 3708: every retransmission was needless");
        assertTrue(snd.cwnd() >= cwnd, "the window held before is restored: " + snd.cwnd());
        assertTrue(snd.rack.reoWndMult() >= 2, "RFC 8985 6.2 step 4: a D-SACK widens the reordering window");
    }

    @Test
    void anEchoOlderThanTheRetransmissionUndoesTheReduction() {
        TcpHarness h = new TcpHarness();
        TcpFlow flow = TimestampsTest.openWithTimestamps(h);
        flow.write(ByteBuffer.wrap(bytes(3 * 1448, 3)));
        h.settle();
        List<TestSegment> flight = h.sent();
        assertEquals(3, flight.size(), "RFC 5681 3.1: 3 segments of 1448");
        int originalTs = flight.getFirst().tsVal;
        Sender snd = h.connection(flow).sender;
        int cwnd = snd.cwnd();
        h.advance(Duration.ofMillis(50));
        // Three duplicate ACKs (no SACK on this connection): fast retransmit.
        for (int i = 0; i < 3; i++) {
            h.inject(from(40000, 80, ACK, 5001, 1001).window(8192).ts(779 + i, originalTs));
        }
        // (A tail loss probe of the last segment may have gone first.)
        TestSegment resent = h.sent().stream().filter(x -> x.seq == 1001).findFirst().orElseThrow();
        assertTrue(resent.tsVal - originalTs > 0);
        assertTrue(snd.inRecovery());
        // The ACK of everything echoes the original's TSval: the original arrived (RFC 3522).
        h.inject(from(40000, 80, ACK, 5001, 1001 + 3 * 1448).window(8192).ts(790, originalTs));
        assertEquals(1, h.tcp.counters().get("tx.spurious_recoveries"));
        assertTrue(snd.cwnd() >= cwnd, "the window is restored: " + snd.cwnd());
    }

    @Test
    void aDsackDuringRecoveryOfItsOnlyRetransmissionEndsItAsSpurious() {
        TcpHarness h = new TcpHarness(TcpHarness.SMALL.withBuffers(65536, 65536, 8192, 8192));
        TcpFlow flow = open(h);
        flow.write(ByteBuffer.wrap(bytes(30000, 3)));
        h.settle();
        h.sent();
        Sender snd = h.connection(flow).sender;
        h.advance(Duration.ofMillis(50));
        for (int a = 2001; a <= 5001; a += 1000) {
            h.inject(wide(a));
        }
        int cwnd = snd.cwnd();
        assertEquals(List.of(5001, 6001, 7001, 8001, 9001, 10001, 11001, 12001), seqs(h.sent()));
        h.advance(Duration.ofMillis(50));
        // 5001 is late: three segments above it are SACKed, so it is marked lost and resent.
        h.inject(wide(5001).sack(6001, 9001));
        assertTrue(snd.inRecovery());
        assertTrue(seqs(h.sent()).contains(5001));
        h.inject(wide(5001).sack(6001, 12001));
        // The original arrives; 12001 is not yet acknowledged, so recovery goes on...
        h.inject(wide(12001));
        assertTrue(snd.inRecovery());
        assertEquals(0, h.tcp.counters().get("tx.spurious_recoveries"));
        // ...and the peer reports the retransmission as a duplicate: the only one was needless.
        h.inject(wide(12001).sack(5001, 6001));
        assertFalse(snd.inRecovery(), "RFC 3708: undone before the recovery point");
        assertEquals(1, h.tcp.counters().get("tx.spurious_recoveries"));
        assertTrue(snd.cwnd() >= cwnd, "the window is restored: " + snd.cwnd() + " of " + cwnd);
    }

    @Test
    void anUndoneTimeoutDoesNotResendWhatItHadMarkedLost() {
        TcpHarness h = new TcpHarness();
        TcpFlow flow = open(h);
        flow.write(ByteBuffer.wrap(bytes(5000, 3)));
        h.settle();
        assertEquals(List.of(1001, 2001, 3001, 4001), seqs(h.sent()));
        // Every ACK is lost: the tail loss probe (new data, 5001), then the timeout.
        h.advance(Duration.ofMillis(100));
        assertEquals(5001, h.sentOne().seq);
        h.advance(Duration.ofMillis(200));
        assertEquals(1001, h.sentOne().seq, "the timeout resends the first segment");
        // The first ACK after it SACKs originals sent before it: the timeout was spurious
        // (F-RTO, RFC 5682 3). What it marked lost and did not resend is not lost after all.
        h.inject(ack(1001).sack(2001, 4001));
        assertEquals(1, h.tcp.counters().get("tx.spurious_recoveries"));
        List<Integer> after = seqs(h.sent());
        assertFalse(after.contains(4001) || after.contains(5001), "nothing marked lost by the timeout is resent: " + after);
        assertEquals(1000, h.connection(flow).sender.queue.lostBytes(), "only the resent first segment stays lost");
    }

    // ---- delivery rate ------------------------------------------------------------------------

    @Test
    void theDeliveryRateIsWhatWasDeliveredOverTheTimeItTook() throws Exception {
        TcpHarness h = new TcpHarness();
        TcpFlow flow = open(h);
        Sender snd = h.connection(flow).sender;
        assertEquals(-1, snd.deliveryRate(), "nothing delivered yet");
        flow.write(ByteBuffer.wrap(bytes(4000, 3)));
        h.settle();
        h.sent();
        h.advance(Duration.ofMillis(50));
        h.inject(ack(3001));
        assertEquals(2000 * 20, snd.deliveryRate(), "2000 bytes in 50 ms: 40,000 bytes/s");
        h.advance(Duration.ofMillis(50));
        h.inject(ack(5001));
        assertEquals(4000 * 10, snd.deliveryRate(),
            "from the send of the last segment delivered: 4000 bytes in 100 ms");
        assertEquals(4000 * 10 * 8, h.loop.await(flow.info(), Duration.ofSeconds(1)).deliveryRate(),
            "TcpInfo gives it in bits per second");
    }
}
