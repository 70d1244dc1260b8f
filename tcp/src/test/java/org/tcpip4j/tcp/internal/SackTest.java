package org.tcpip4j.tcp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tcpip4j.tcp.internal.TcpHarness.*;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tcpip4j.tcp.TcpFlow;
import org.tcpip4j.tcp.internal.wire.TcpOptions;

/**
 * Selective acknowledgments with exact segments: negotiation (RFC 2018 2), the blocks a
 * receiver sends (4), the sender's scoreboard, and SACK-based loss recovery (RFC 6675).
 * Our ISN is 1000, the peer's 5000, our buffers 8 KiB.
 */
class SackTest {

    static TestSegment ours(int flags, int seq, int ack) {
        return TestSegment.of(80, 40000, flags, seq, ack).window(8192);
    }

    static byte[] bytes(int n, int from) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (from + i * 7);
        }
        return b;
    }

    /** Passive open with SACK-Permitted and no timestamps, the peer's MSS and window 8192. */
    static TcpFlow open(TcpHarness h, int peerMss) {
        h.listen(80);
        h.inject(from(40000, 80, SYN, 5000, 0).window(8192).mss(peerMss).sackPermitted());
        assertEquals(ours(SYN | ACK, 1000, 5001).mss(1460).sackPermitted(), h.sentOne());
        h.inject(from(40000, 80, ACK, 5001, 1001).window(8192));
        TcpFlow flow = h.accepted.removeFirst();
        assertTrue(h.connection(flow).sackAgreed);
        return flow;
    }

    static TestSegment data(int seq, int length) {
        return from(40000, 80, ACK, seq, 1001).window(8192).payload(new byte[length]);
    }

    // ---- the receiver's blocks (RFC 2018 4) -------------------------------------------------

    @Test
    void outOfOrderRangesAreReportedMostRecentFirstFourAtMost() {
        TcpHarness h = new TcpHarness();
        open(h, 1460);
        h.inject(data(5101, 100));
        assertEquals(ours(ACK, 1001, 5001).sack(5101, 5201), h.sentOne());
        h.inject(data(5301, 100));
        assertEquals(ours(ACK, 1001, 5001).sack(5301, 5401, 5101, 5201), h.sentOne());
        h.inject(data(5501, 100));
        h.inject(data(5701, 100));
        h.sent();
        h.inject(data(5901, 100));
        assertEquals(ours(ACK, 1001, 5001).sack(5901, 6001, 5701, 5801, 5501, 5601, 5301, 5401), h.sentOne(),
            "five ranges, four blocks: the oldest report is left out");
        // A segment joining two ranges: the joined range goes first.
        h.inject(data(5201, 100));
        assertEquals(ours(ACK, 1001, 5001).sack(5101, 5401, 5901, 6001, 5701, 5801, 5501, 5601), h.sentOne());
        // Filling the first hole moves RCV.NXT past the range: the rest stay, most recent first.
        h.inject(data(5001, 100));
        assertEquals(ours(ACK, 1001, 5401).window(8192 - 400).sack(5901, 6001, 5701, 5801, 5501, 5601), h.sentOne());
    }

    @Test
    void aDuplicateOfHeldDataIsReportedInADsackBlockThenItsRange() {
        TcpHarness h = new TcpHarness();
        open(h, 1460);
        h.inject(data(5101, 100));
        h.inject(data(5301, 100));
        h.sent();
        h.inject(data(5101, 100));
        assertEquals(ours(ACK, 1001, 5001).sack(5101, 5201, 5101, 5201, 5301, 5401), h.sentOne(),
            "RFC 2883 4: the duplicate, then the block holding it (RFC 2018 4), then the others");
        h.inject(data(5501, 100));
        assertEquals(ours(ACK, 1001, 5001).sack(5501, 5601, 5101, 5201, 5301, 5401), h.sentOne(),
            "a D-SACK block is sent once");
    }

    @Test
    void aDuplicateBelowTheCumulativeAckIsReportedInADsackBlock() {
        TcpHarness h = new TcpHarness();
        open(h, 1460);
        h.inject(data(5001, 100));
        h.advance(Duration.ofMillis(Receiver.DELAYED_ACK_MILLIS));
        assertEquals(ours(ACK, 1001, 5101).window(8092), h.sentOne());
        h.inject(data(5001, 100));
        assertEquals(ours(ACK, 1001, 5101).window(8092).sack(5001, 5101), h.sentOne(),
            "RFC 2883 4: a block below the ACK names the duplicate");
        h.inject(data(5051, 100));
        assertEquals(ours(ACK, 1001, 5151).window(8192 - 150).sack(5051, 5101), h.sentOne(),
            "a partly old segment: its old part");
    }

    @Test
    void besideTimestampsThreeBlocksAtMost() {
        TcpHarness h = new TcpHarness();
        h.listen(80);
        h.inject(from(40000, 80, SYN, 5000, 0).window(8192).mss(1460).sackPermitted().ts(1, 0));
        assertEquals(ours(SYN | ACK, 1000, 5001).mss(1460).sackPermitted().ts(0, 1), h.sentOne());
        h.inject(from(40000, 80, ACK, 5001, 1001).window(8192).ts(2, 0));
        for (int seq = 5101; seq < 6000; seq += 200) {
            h.inject(data(seq, 100).ts(3, 0));
        }
        List<TestSegment> sent = h.sent();
        assertEquals(ours(ACK, 1001, 5001).ts(0, 2).sack(5901, 6001, 5701, 5801, 5501, 5601), sent.getLast(),
            "RFC 2018 3: 10 bytes of timestamps leave room for 3 blocks");
    }

    @Test
    void withoutSackPermittedNoBlocksAreSent() {
        TcpHarness h = new TcpHarness();
        h.listen(80);
        h.inject(from(40000, 80, SYN, 5000, 0).window(8192).mss(1460));
        assertEquals(ours(SYN | ACK, 1000, 5001).mss(1460), h.sentOne());
        h.inject(from(40000, 80, ACK, 5001, 1001).window(8192));
        h.inject(data(5101, 100));
        assertEquals(ours(ACK, 1001, 5001), h.sentOne());
    }

    @Test
    void dataSegmentsShrinkToCarryTheBlocks() {
        TcpHarness h = new TcpHarness();
        TcpFlow flow = open(h, 1000);
        h.inject(data(5101, 100));
        h.sentOne();
        flow.write(ByteBuffer.wrap(bytes(2000, 1)));
        h.settle();
        List<TestSegment> sent = h.sent();
        assertEquals(1000 - TcpOptions.sackLength(1), sent.getFirst().payload.length,
            "RFC 9293 3.7.1: the segment with its options fits the peer's MSS");
        assertEquals(ours(ACK, 1001, 5001).sack(5101, 5201).payload(Arrays.copyOfRange(bytes(2000, 1), 0, 988)),
            sent.getFirst());
    }

    // ---- the sender's scoreboard ---------------------------------------------------------

    @Test
    void receivedBlocksFillTheScoreboardAndBadOnesAreIgnored() {
        TcpHarness h = new TcpHarness();
        TcpFlow flow = open(h, 1000);
        flow.write(ByteBuffer.wrap(bytes(4000, 1)));
        h.settle();
        assertEquals(4, h.sent().size());
        SackScoreboard board = h.connection(flow).sender.scoreboard();
        // Beyond SND.MAX, below SND.UNA (a D-SACK), and empty: none is believed.
        h.inject(from(40000, 80, ACK, 5001, 1001).window(8192).sack(4001, 5002, 900, 1001, 3001, 3001));
        assertTrue(board.isEmpty());
        h.inject(from(40000, 80, ACK, 5001, 1001).window(8192).sack(3001, 4001, 2001, 2501));
        assertEquals("SackScoreboard[2001-2501 3001-4001]", board.toString());
        h.inject(from(40000, 80, ACK, 5001, 1001).window(8192).sack(2501, 3001));
        assertEquals("SackScoreboard[2001-4001]", board.toString(), "adjacent ranges merge");
        h.inject(from(40000, 80, ACK, 5001, 2501).window(8192).sack(2001, 4001));
        assertEquals("SackScoreboard[2501-4001]", board.toString(), "the cumulative ACK cuts the range");
        h.inject(from(40000, 80, ACK, 5001, 4001).window(8192));
        assertTrue(board.isEmpty());
    }

    @Test
    void aRetransmissionTimeoutForgetsTheScoreboard() {
        TcpHarness h = new TcpHarness();
        TcpFlow flow = open(h, 1000);
        flow.write(ByteBuffer.wrap(bytes(4000, 1)));
        h.settle();
        h.sent();
        h.inject(from(40000, 80, ACK, 5001, 1001).window(8192).sack(2001, 3001));
        Sender snd = h.connection(flow).sender;
        assertFalse(snd.scoreboard().isEmpty());
        h.advance(Duration.ofMillis(TailLossProbe.MIN_PTO_MILLIS));
        assertEquals(4001, h.sentOne().seq, "RFC 8985 7.3: the tail loss probe resends the last segment");
        h.advance(Duration.ofSeconds(1));
        assertTrue(snd.scoreboard().isEmpty(), "RFC 2018 8: the receiver may have reneged");
        assertEquals(1001, h.sent().getFirst().seq);
    }

    // ---- RFC 6675 loss recovery ------------------------------------------------------------

    @Test
    void lossRecoveryResendsOnlyWhatTheScoreboardCallsLost() {
        TcpHarness h = new TcpHarness();
        TcpFlow flow = open(h, 500);
        byte[] b = bytes(8000, 9);
        flow.write(ByteBuffer.wrap(b));
        h.settle();
        assertEquals(4, h.sent().size(), "initial window: 4 segments of 500 (RFC 5681 3.1)");
        h.inject(from(40000, 80, ACK, 5001, 3001).window(8192));
        List<TestSegment> flight = h.sent();
        assertEquals(List.of(3001, 3501, 4001, 4501, 5001), flight.stream().map(s -> s.seq).toList());
        Sender snd = h.connection(flow).sender;
        // 3001 and 4001 are lost. One ACK SACKs 1500 bytes above 3001: more than
        // (DupThresh - 1) * SMSS, so IsLost(3001) holds at the first duplicate ACK (RFC 6675 5 (2)).
        h.inject(from(40000, 80, ACK, 5001, 3001).window(8192).sack(4501, 5501, 3501, 4001));
        assertEquals(List.of(ours(ACK, 3001, 5001).payload(Arrays.copyOfRange(b, 2000, 2500))), h.sent(),
            "(4.3) only the first hole; pipe 1000 of cwnd 1250 leaves no room for more");
        assertTrue(snd.inRecovery());
        assertEquals(1250, snd.cwnd(), "(4.2) cwnd = ssthresh = FlightSize / 2");
        assertEquals(1, h.tcp.counters().get("tx.fast_retransmits"));
        assertEquals(1, h.tcp.counters().get("tx.sack_recoveries"));
        assertEquals(1500, h.tcp.counters().get("rx.sacked_bytes"));
        // The resent segment arrives: a partial ACK up to the next hole, which is not yet
        // known lost (1000 SACKed bytes above it), so rule 2 sends new data instead.
        h.inject(from(40000, 80, ACK, 5001, 4001).window(8192).sack(4501, 5501));
        assertEquals(List.of(ours(ACK, 5501, 5001).payload(Arrays.copyOfRange(b, 4500, 5000))), h.sent());
        // That new segment is SACKed: 1500 bytes above 4001 now, the hole is lost (rule 1).
        h.inject(from(40000, 80, ACK, 5001, 4001).window(8192).sack(4501, 6001));
        assertEquals(List.of(ours(ACK, 4001, 5001).payload(Arrays.copyOfRange(b, 3000, 3500)),
                ours(ACK, 6001, 5001).payload(Arrays.copyOfRange(b, 5000, 5500))), h.sent(),
            "the lost hole, then new data as pipe allows; SACKed data is never resent");
        // The cumulative ACK passes the recovery point: recovery ends.
        h.inject(from(40000, 80, ACK, 5001, 6001).window(8192));
        assertFalse(snd.inRecovery());
        assertTrue(snd.scoreboard().isEmpty());
        assertEquals(0, h.tcp.counters().get("tx.rto_expiries"));
    }

    @Test
    void aRescueRetransmissionResendsTheTailWhenNothingElseMayGo() {
        TcpHarness h = new TcpHarness();
        TcpFlow flow = open(h, 500);
        byte[] b = bytes(4500, 9);
        flow.write(ByteBuffer.wrap(b));
        h.settle();
        h.sent();
        h.inject(from(40000, 80, ACK, 5001, 3001).window(8192));
        assertEquals(5, h.sent().size(), "3001 to 5501, all that was written");
        // 3001 and the last segment, 5001, are lost.
        h.inject(from(40000, 80, ACK, 5001, 3001).window(8192).sack(3501, 5001));
        assertEquals(List.of(ours(ACK, 3001, 5001).payload(Arrays.copyOfRange(b, 2000, 2500))), h.sent());
        // The hole fills; nothing is SACKed, nothing new to send: RFC 6675 4 rule 4 resends
        // the highest outstanding segment rather than wait for the timer.
        h.inject(from(40000, 80, ACK, 5001, 5001).window(8192));
        assertEquals(List.of(ours(ACK | PSH, 5001, 5001).payload(Arrays.copyOfRange(b, 4000, 4500))), h.sent());
        assertTrue(h.connection(flow).sender.inRecovery(), "the recovery point 5501 is not reached yet");
        h.inject(from(40000, 80, ACK, 5001, 5001).window(8192));
        h.sentNothing();
    }

    @Test
    void threeDuplicateAcksWithSackResendTheHoleAndNotTheSackedData() {
        TcpHarness h = new TcpHarness();
        TcpFlow flow = open(h, 1000);
        byte[] b = bytes(4000, 9);
        flow.write(ByteBuffer.wrap(b));
        h.settle();
        assertEquals(4, h.sent().size());
        h.inject(from(40000, 80, ACK, 5001, 1001).window(8192).sack(2001, 3001));
        h.inject(from(40000, 80, ACK, 5001, 1001).window(8192).sack(2001, 4001));
        h.sentNothing();
        h.inject(from(40000, 80, ACK, 5001, 1001).window(8192).sack(2001, 5001));
        assertEquals(List.of(ours(ACK, 1001, 5001).payload(Arrays.copyOfRange(b, 0, 1000))), h.sent());
        h.inject(from(40000, 80, ACK, 5001, 5001).window(8192));
        assertFalse(h.connection(flow).sender.inRecovery());
        h.sentNothing();
    }

    // ---- the scoreboard alone --------------------------------------------------------------

    static TcpOptions blocks(int... edges) {
        TcpOptions o = new TcpOptions();
        for (int i = 0; i < edges.length; i += 2) {
            o.addSackBlock(edges[i], edges[i + 1]);
        }
        return o;
    }

    @Test
    void isLostCountsRangesAndBytesAbove() {
        SackScoreboard board = new SackScoreboard();
        assertEquals(100, board.update(blocks(200, 300), 0, 1000));
        assertFalse(board.isLost(0, 100), "one range of 100 bytes");
        assertEquals(100, board.update(blocks(400, 500), 0, 1000));
        assertFalse(board.isLost(0, 100), "two ranges, 200 bytes: not more than 2 SMSS");
        assertEquals(1, board.update(blocks(600, 601), 0, 1000));
        assertTrue(board.isLost(0, 100), "DupThresh ranges above");
        assertFalse(board.isLost(300, 100), "only two ranges above 300");
        assertEquals(0, board.update(blocks(200, 300), 0, 1000), "nothing new");
    }

    @Test
    void pipeCountsWhatIsNeitherSackedNorLostPlusWhatWasResent() {
        SackScoreboard board = new SackScoreboard();
        board.update(blocks(100, 200, 300, 400, 500, 600), 0, 800);
        // Holes: [0,100) lost (3 ranges above), [200,300) and [400,500) not, [600,800) not.
        assertEquals(100 + 100 + 200, board.pipe(0, 800, 0, 100, 0));
        assertEquals(100 + 100 + 200 + 50, board.pipe(0, 800, 50, 100, 0), "50 bytes resent");
        board.onCumulativeAck(150);
        assertEquals("SackScoreboard[150-200 300-400 500-600]", board.toString());
    }

    @Test
    void theScoreboardKeepsAtMostItsBoundAndForgetsTheHighest() {
        SackScoreboard board = new SackScoreboard();
        for (int i = 0; i < SackScoreboard.MAX_RANGES + 5; i++) {
            board.update(blocks(10 * i + 1, 10 * i + 5), 0, 100_000);
        }
        assertEquals(SackScoreboard.MAX_RANGES, board.rangeCount());
        assertEquals(10 * (SackScoreboard.MAX_RANGES - 1) + 5, board.highestSacked());
        board.update(blocks(0, 1), 0, 100_000);
        assertEquals(SackScoreboard.MAX_RANGES, board.rangeCount());
        assertEquals(0, board.rangeStart(0));
    }
}
