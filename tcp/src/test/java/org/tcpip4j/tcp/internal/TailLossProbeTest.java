package org.tcpip4j.tcp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tcpip4j.tcp.internal.SackTest.bytes;
import static org.tcpip4j.tcp.internal.SackTest.ours;
import static org.tcpip4j.tcp.internal.TcpHarness.*;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tcpip4j.tcp.TcpFlow;

/**
 * Tail Loss Probe (RFC 8985 7) with exact segments. The handshake takes 50 ms, so SRTT is
 * 50 ms, the PTO 100 ms and the RTO its 200 ms floor. Our ISN is 1000, the peer's 5000;
 * the peer's MSS is 1000, so the initial window is 4 segments.
 */
class TailLossProbeTest {

    /** Passive open with SACK-Permitted, answered after 50 ms. */
    static TcpFlow open(TcpHarness h) {
        h.listen(80);
        h.inject(from(40000, 80, SYN, 5000, 0).window(8192).mss(1000).sackPermitted());
        assertEquals(ours(SYN | ACK, 1000, 5001).mss(1460).sackPermitted(), h.sentOne());
        h.advance(Duration.ofMillis(50));
        h.inject(from(40000, 80, ACK, 5001, 1001).window(8192));
        TcpFlow flow = h.accepted.removeFirst();
        assertEquals(50_000_000L, h.connection(flow).sender.rtx.srtt());
        return flow;
    }

    static TestSegment ack(int ack) {
        return from(40000, 80, ACK, 5001, ack).window(8192);
    }

    @Test
    void aLostTailIsProbedAfterTwoRoundTripsAndTheProbesSackStartsRecoveryWithoutATimeout() {
        TcpHarness h = new TcpHarness();
        TcpFlow flow = open(h);
        byte[] b = bytes(4000, 5);
        flow.write(ByteBuffer.wrap(b));
        h.settle();
        assertEquals(List.of(1001, 2001, 3001, 4001), h.sent().stream().map(s -> s.seq).toList());
        // The first two arrive; 3001 and 4001, the tail, are lost: nothing will bring dupacks.
        h.advance(Duration.ofMillis(50));
        h.inject(ack(3001));
        h.sentNothing();
        h.advance(Duration.ofMillis(99));
        h.sentNothing();
        h.advance(Duration.ofMillis(1));
        assertEquals(List.of(ours(ACK | PSH, 4001, 5001).payload(Arrays.copyOfRange(b, 3000, 4000))), h.sent(),
            "RFC 8985 7.2, 7.3: 2 * SRTT after the last ACK, with no new data, the last segment is resent");
        assertEquals(1, h.tcp.counters().get("tx.tail_loss_probes"));
        Sender snd = h.connection(flow).sender;
        // The probe arrives above the hole: the peer SACKs it. What was sent before it is lost.
        h.advance(Duration.ofMillis(50));
        h.inject(ack(3001).sack(4001, 5001));
        assertEquals(List.of(ours(ACK, 3001, 5001).payload(Arrays.copyOfRange(b, 2000, 3000))), h.sent(),
            "RFC 8985 6.2: SACK recovery resends the hole at once");
        assertTrue(snd.inRecovery());
        assertEquals(1, h.tcp.counters().get("tx.sack_recoveries"));
        h.advance(Duration.ofMillis(50));
        h.inject(ack(5001));
        assertFalse(snd.inRecovery());
        h.advance(Duration.ofSeconds(2));
        h.sentNothing();
        assertEquals(0, h.tcp.counters().get("tx.rto_expiries"));
    }

    @Test
    void theProbeIsNewDataWhenThePeersWindowAllows() {
        TcpHarness h = new TcpHarness();
        TcpFlow flow = open(h);
        byte[] b = bytes(5000, 5);
        flow.write(ByteBuffer.wrap(b));
        h.settle();
        assertEquals(4, h.sent().size(), "cwnd holds the fifth segment back");
        // Every ACK of the flight is lost.
        h.advance(Duration.ofMillis(99));
        h.sentNothing();
        h.advance(Duration.ofMillis(1));
        assertEquals(List.of(ours(ACK | PSH, 5001, 5001).payload(Arrays.copyOfRange(b, 4000, 5000))), h.sent(),
            "RFC 8985 7.3: a new segment, whatever cwnd says");
        h.advance(Duration.ofMillis(50));
        h.inject(ack(6001));
        Sender snd = h.connection(flow).sender;
        assertFalse(snd.inRecovery());
        assertEquals(0, h.tcp.counters().get("tx.rto_expiries"));
        assertTrue(snd.cwnd() >= 4000, "new data probed: no loss to react to");
    }

    @Test
    void aProbeOfNewDataIsTwoFullSegmentsThatADelayingReceiverAcknowledgesAtOnce() {
        TcpHarness h = new TcpHarness();
        TcpFlow flow = open(h);
        byte[] b = bytes(8000, 5);
        flow.write(ByteBuffer.wrap(b));
        h.settle();
        assertEquals(List.of(1001, 2001, 3001, 4001), h.sent().stream().map(s -> s.seq).toList());
        // The whole flight arrives and the one ACK the receiver sends for it is lost: it now
        // holds nothing unacknowledged but the probe. A single full segment would wait for
        // its delayed-ACK timer (RFC 5681 4.2); a second one is acknowledged at once.
        h.advance(Duration.ofMillis(100));
        assertEquals(List.of(ours(ACK, 5001, 5001).payload(Arrays.copyOfRange(b, 4000, 5000)),
                ours(ACK, 6001, 5001).payload(Arrays.copyOfRange(b, 5000, 6000))), h.sent(),
            "two full segments of new data, whatever cwnd says");
        assertEquals(1, h.tcp.counters().get("tx.tail_loss_probes"));
        Sender snd = h.connection(flow).sender;
        h.advance(Duration.ofMillis(50));
        h.inject(ack(7001));
        assertFalse(snd.inRecovery());
        assertTrue(snd.cwnd() >= 4000, "new data probed: no loss to react to");
        assertEquals(List.of(7001, 8001), h.sent().stream().map(s -> s.seq).toList());
        h.inject(ack(9001));
        h.advance(Duration.ofSeconds(1));
        assertEquals(0, h.tcp.counters().get("tx.rto_expiries"));
        assertEquals(1, h.tcp.counters().get("tx.tail_loss_probes"));
    }

    @Test
    void onASubMillisecondPathTheProbeFollowsALostAckWithinTwoMilliseconds() {
        TcpHarness h = new TcpHarness();
        h.listen(80);
        h.inject(from(40000, 80, SYN, 5000, 0).window(8192).mss(1000).sackPermitted());
        h.sentOne();
        h.advance(Duration.ofNanos(300_000));
        h.inject(from(40000, 80, ACK, 5001, 1001).window(8192));
        TcpFlow flow = h.accepted.removeFirst();
        assertEquals(300_000L, h.connection(flow).sender.rtx.srtt());
        byte[] b = bytes(8000, 5);
        flow.write(ByteBuffer.wrap(b));
        h.settle();
        assertEquals(4, h.sent().size());
        // The one ACK for the flight is lost. 2 * SRTT is 0.6 ms; the floor, Linux's
        // allowance, is 2 ms: a floor of 10 ms would leave the path idle 16 round trips.
        h.advance(Duration.ofNanos(1_999_999));
        h.sentNothing();
        h.advance(Duration.ofNanos(1));
        assertEquals(List.of(5001, 6001), h.sent().stream().map(s -> s.seq).toList());
        assertEquals(1, h.tcp.counters().get("tx.tail_loss_probes"));
    }

    @Test
    void aProbeThatRepairedALossHalvesTheWindowAndOneThatWasDuplicatedDoesNot() {
        TcpHarness h = new TcpHarness();
        TcpFlow flow = open(h);
        Sender snd = h.connection(flow).sender;
        flow.write(ByteBuffer.wrap(bytes(4000, 5)));
        h.settle();
        h.sent();
        // Every ACK is lost, and so is the last segment.
        h.advance(Duration.ofMillis(100));
        assertEquals(4001, h.sentOne().seq, "RFC 8985 7.3: the last segment is the probe");
        h.advance(Duration.ofMillis(50));
        // The probe filled the hole: the ACK reaches its end. Did the original arrive too?
        // Not known yet: a D-SACK may follow.
        h.inject(ack(5001));
        int cwnd = snd.cwnd();
        flow.write(ByteBuffer.wrap(bytes(1000, 5)));
        h.settle();
        h.sentOne();
        h.inject(ack(6001));
        assertEquals(cwnd / 2, snd.cwnd(),
            "RFC 8985 7.4.2: acknowledged beyond the probe with no D-SACK, the probe repaired a loss");

        // Two segments whose ACKs are lost; the probe arrives as a duplicate (RFC 2883).
        cwnd = snd.cwnd();
        flow.write(ByteBuffer.wrap(bytes(2000, 5)));
        h.settle();
        assertEquals(2, h.sent().size());
        h.advance(Duration.ofMillis(200));
        assertEquals(7001, h.sentOne().seq);
        assertEquals(2, h.tcp.counters().get("tx.tail_loss_probes"));
        h.inject(ack(8001).sack(7001, 8001));
        assertTrue(snd.cwnd() >= cwnd, "a D-SACK of the probe: the original arrived, nothing was lost");
        assertEquals(0, h.tcp.counters().get("tx.rto_expiries"));
    }

    @Test
    void aLostFastRetransmissionIsResentOnceLaterDataIsSackedAndARoundTripPassed() {
        TcpHarness h = new TcpHarness();
        TcpFlow flow = open(h);
        byte[] b = bytes(8000, 5);
        flow.write(ByteBuffer.wrap(b));
        h.settle();
        assertEquals(List.of(1001, 2001, 3001, 4001), h.sent().stream().map(s -> s.seq).toList());
        h.advance(Duration.ofMillis(50));
        // 1001 is lost; the rest arrive. Limited Transmit sends 5001 and 6001 (RFC 3042).
        h.inject(ack(1001).sack(2001, 3001));
        h.inject(ack(1001).sack(2001, 4001));
        assertEquals(List.of(5001, 6001), h.sent().stream().map(s -> s.seq).toList());
        h.inject(ack(1001).sack(2001, 5001));
        assertEquals(List.of(ours(ACK, 1001, 5001).payload(Arrays.copyOfRange(b, 0, 1000))), h.sent(),
            "RFC 6675: the fast retransmission");
        // The fast retransmission is lost too. New data goes out as SACKs come back.
        h.inject(ack(1001).sack(2001, 6001));
        assertEquals(List.of(7001), h.sent().stream().map(s -> s.seq).toList());
        h.inject(ack(1001).sack(2001, 7001));
        assertEquals(List.of(8001), h.sent().stream().map(s -> s.seq).toList());
        // 7001, sent just after the retransmission, is SACKed a round trip later: in recovery,
        // with no reordering seen, the reordering window is 0 (RFC 8985 6.2 step 4), so the
        // retransmission sent before it is lost, and resent before anything else.
        h.advance(Duration.ofMillis(40));
        h.inject(ack(1001).sack(2001, 8001));
        assertEquals(List.of(ours(ACK, 1001, 5001).payload(Arrays.copyOfRange(b, 0, 1000))), h.sent(),
            "RFC 8985 6.2: data sent after the retransmission arrived, and its round trip passed: it was lost");
        assertEquals(1, h.tcp.counters().get("tx.lost_retransmits"));
        h.advance(Duration.ofMillis(50));
        h.inject(ack(9001));
        assertFalse(h.connection(flow).sender.inRecovery());
        assertEquals(0, h.tcp.counters().get("tx.rto_expiries"));
    }

    @Test
    void aTimeoutWhoseDataHadAllArrivedIsUndoneByFrto() {
        TcpHarness h = new TcpHarness();
        TcpFlow flow = open(h);
        byte[] b = bytes(12000, 5);
        flow.write(ByteBuffer.wrap(b));
        h.settle();
        assertEquals(4, h.sent().size());
        Sender snd = h.connection(flow).sender;
        int cwndBefore = snd.cwnd();
        // Every ACK is lost: the probe (new data), then the timeout.
        h.advance(Duration.ofMillis(100));
        assertEquals(List.of(5001, 6001), h.sent().stream().map(s -> s.seq).toList());
        h.advance(Duration.ofMillis(200));
        assertEquals(1001, h.sentOne().seq);
        assertEquals(1, h.tcp.counters().get("tx.rto_expiries"));
        assertEquals(1000, snd.cwnd(), "RFC 5681 3.1: the loss window");
        // All of it had arrived: the first ACK after the timeout acknowledges data sent
        // before it and never resent, so the timeout was spurious (RFC 5682 3, with SACK).
        h.inject(ack(7001));
        assertEquals(1, h.tcp.counters().get("tx.spurious_recoveries"));
        assertTrue(snd.cwnd() >= cwndBefore, "the window held before the timeout is restored");
        assertEquals(List.of(7001, 8001, 9001, 10001, 11001, 12001), h.sent().stream().map(s -> s.seq).toList(),
            "segments marked lost by the timeout are not resent: new data follows at the restored window");
    }

    @Test
    void aTimeoutWhoseRetransmissionWasNeededIsKept() {
        TcpHarness h = new TcpHarness();
        TcpFlow flow = open(h);
        byte[] b = bytes(12000, 5);
        flow.write(ByteBuffer.wrap(b));
        h.settle();
        h.sent();
        Sender snd = h.connection(flow).sender;
        h.advance(Duration.ofMillis(100));
        assertEquals(List.of(5001, 6001), h.sent().stream().map(s -> s.seq).toList());
        h.advance(Duration.ofMillis(200));
        assertEquals(1001, h.sentOne().seq);
        // Only the retransmission's arrival moves the ACK: everything from 1001 was lost.
        h.inject(ack(2001));
        assertEquals(0, h.tcp.counters().get("tx.spurious_recoveries"));
        assertEquals(List.of(2001, 3001), h.sent().stream().map(s -> s.seq).toList(),
            "slow start from the loss window resends what the timeout marked lost");
        assertTrue(snd.cwnd() <= 2000);
    }
}
