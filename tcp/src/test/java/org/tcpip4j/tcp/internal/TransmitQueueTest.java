package org.tcpip4j.tcp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tcpip4j.tcp.internal.wire.TcpOptions;

/**
 * The transmit queue alone: its per-segment marks and the byte sums that make the flight
 * (RFC 6675's pipe) cost nothing to ask for, through SACKs, losses, retransmissions, a
 * cumulative ACK that ends inside a segment, growth past the initial capacity and
 * sequence-number wraparound.
 */
class TransmitQueueTest {

    /** Records what the queue reports delivered. */
    private static final class Seen implements TransmitQueue.AckVisitor {
        final List<String> ranges = new ArrayList<>();

        @Override
        public void delivered(int start, int end, long sentAt, int flags, long deliveredAtSend, long deliveredTimeAtSend) {
            ranges.add(start + "-" + end);
        }
    }

    private static TcpOptions blocks(int... edges) {
        TcpOptions o = new TcpOptions();
        for (int i = 0; i < edges.length; i += 2) {
            o.addSackBlock(edges[i], edges[i + 1]);
        }
        return o;
    }

    /** Ten segments of 100 bytes from {@code base}. */
    private static TransmitQueue tenSegments(int base) {
        TransmitQueue q = new TransmitQueue();
        for (int i = 0; i < 10; i++) {
            q.append(base + 100 * i, base + 100 * (i + 1), false, i, 0, 0);
        }
        return q;
    }

    @Test
    void sumsFollowSacksLossesRetransmissionsAndAPartialAck() {
        TransmitQueue q = tenSegments(1000);
        assertEquals(1000, q.inFlight(1000, 2000));
        Seen seen = new Seen();
        assertEquals(200, q.sack(blocks(1300, 1500), 1000, 2000, seen));
        assertEquals(List.of("1300-1400", "1400-1500"), seen.ranges);
        assertEquals(200, q.sackedBytes());
        assertTrue(q.markLost(0));
        assertTrue(q.markLost(1));
        assertFalse(q.markLost(3), "a SACKed segment is not lost");
        assertEquals(200, q.lostBytes());
        assertEquals(1000 - 200 - 200, q.inFlight(1000, 2000));
        q.onRetransmitted(0, 20, 0, 0);
        assertEquals(100, q.retransBytes());
        assertFalse(q.needsRetransmission(0));
        assertTrue(q.needsRetransmission(1));
        assertEquals(1000 - 200 - 200 + 100, q.inFlight(1000, 2000));
        // The second is resent too, then SACKed: out of the lost and the retransmitted sums.
        q.onRetransmitted(1, 21, 0, 0);
        assertEquals(200, q.retransBytes());
        assertEquals(100, q.sack(blocks(1100, 1200), 1000, 2000, seen));
        assertEquals(100, q.lostBytes());
        assertEquals(100, q.retransBytes());
        assertEquals(300, q.sackedBytes());
        // The retransmission is lost again: out of the retransmitted sum, still lost.
        assertTrue(q.markLost(0));
        assertEquals(0, q.retransBytes());
        assertEquals(100, q.lostBytes());
        // A cumulative ACK ending inside the third segment (1250): the first two go, the third is cut.
        seen.ranges.clear();
        q.acknowledge(1250, seen);
        assertEquals(List.of("1000-1100", "1200-1250"), seen.ranges, "SACKed segments are not delivered again");
        assertEquals(0, q.lostBytes());
        assertEquals(200, q.sackedBytes());
        assertEquals(1250, q.start(0));
        assertEquals(2000 - 1250 - 200, q.inFlight(1250, 2000));
        // Undo: marks of lost segments never resent are taken back.
        assertTrue(q.markLost(0));
        assertEquals(50, q.lostBytes());
        q.unmarkLostNotRetransmitted();
        assertEquals(0, q.lostBytes());
        q.acknowledge(2000, seen);
        assertTrue(q.isEmpty());
        assertEquals(0, q.sackedBytes() + q.lostBytes() + q.retransBytes());
    }

    @Test
    void aPartialAckOfALostRetransmittedSegmentCutsEverySum() {
        TransmitQueue q = tenSegments(0);
        q.markLost(0);
        q.onRetransmitted(0, 5, 0, 0);
        q.acknowledge(40, new Seen());
        assertEquals(60, q.lostBytes());
        assertEquals(60, q.retransBytes());
        q.clearSacked();
        q.sack(blocks(100, 200), 40, 1000, new Seen());
        q.acknowledge(150, new Seen());
        assertEquals(0, q.lostBytes());
        assertEquals(0, q.retransBytes());
        assertEquals(50, q.sackedBytes(), "what is left of the SACKed segment");
    }

    @Test
    void theQueueGrowsPastItsInitialCapacityAndAcrossSequenceWraparound() {
        int base = -500; // 0xFFFFFE0C: the sequence numbers wrap after five segments
        TransmitQueue q = new TransmitQueue();
        int n = TransmitQueue.INITIAL_CAPACITY * 3;
        for (int i = 0; i < n; i++) {
            q.append(base + 100 * i, base + 100 * (i + 1), false, i, 0, 0);
        }
        assertEquals(n, q.size());
        assertTrue(q.capacity() >= n);
        assertEquals(7, q.indexOf(base + 750));
        assertEquals(-1, q.indexOf(base + 100 * n));
        q.sack(blocks(base + 4000, base + 4200), base, base + 100 * n, new Seen());
        assertEquals(200, q.sackedBytes());
        assertEquals(base + 4200, q.highestSacked(0));
        q.acknowledge(base + 4200, new Seen());
        assertEquals(n - 42, q.size());
        assertEquals(0, q.sackedBytes());
    }

    @Test
    void splittingASegmentKeepsItsMarksAndTheSumsAndMovesTheRestUp() {
        TransmitQueue q = new TransmitQueue();
        // A ring that wrapped: the head is not at slot 0 when the split shifts entries.
        for (int i = 0; i < 20; i++) {
            q.append(100 * i, 100 * (i + 1), false, i, 0, 0);
        }
        q.acknowledge(1000, new Seen());
        q.append(2000, 2101, true, 20, 7, 8); // 100 bytes and the FIN
        q.markLost(0);
        q.onRetransmitted(0, 30, 0, 0);
        q.markLost(1);
        q.sack(blocks(1300, 1400), 1000, 2101, new Seen());
        int lost = q.lostBytes();
        int retrans = q.retransBytes();
        int sacked = q.sackedBytes();
        int flight = q.inFlight(1000, 2101);
        assertTrue(q.split(1, 40));
        assertTrue(q.split(0, 60));
        assertEquals(13, q.size());
        assertEquals("TransmitQueue[1000-1060LR 1060-1100LR 1100-1140L 1140-1200L 1200-1300 1300-1400S 1400-1500"
            + " 1500-1600 1600-1700 1700-1800 1800-1900 1900-2000 2000-2101]", q.toString());
        assertEquals(lost, q.lostBytes());
        assertEquals(retrans, q.retransBytes());
        assertEquals(sacked, q.sackedBytes());
        assertEquals(flight, q.inFlight(1000, 2101));
        assertEquals(30, q.sentAt(1), "the second part keeps the send time");
        assertTrue(q.has(1, TransmitQueue.EVER_RETRANS));
        assertTrue(q.split(12, 50));
        assertFalse(q.has(12, TransmitQueue.FIN), "the FIN goes with the second part");
        assertTrue(q.has(13, TransmitQueue.FIN));
        assertEquals(50, q.dataLength(12));
        assertEquals(50, q.dataLength(13));
        assertEquals(20, q.sentAt(13));
        assertEquals(7, q.deliveredAtSend(13));
        assertEquals(3, q.indexOf(1150));
        Seen seen = new Seen();
        q.acknowledge(2101, seen);
        assertTrue(q.isEmpty());
        assertEquals(0, q.sackedBytes() + q.lostBytes() + q.retransBytes());
        assertEquals("1000-1060", seen.ranges.get(0));
    }

    @Test
    void aSplitThatFillsTheRingGrowsIt() {
        TransmitQueue q = new TransmitQueue();
        for (int i = 0; i < TransmitQueue.INITIAL_CAPACITY; i++) {
            q.append(100 * i, 100 * (i + 1), false, i, 0, 0);
        }
        assertTrue(q.split(TransmitQueue.INITIAL_CAPACITY - 1, 10));
        assertEquals(TransmitQueue.INITIAL_CAPACITY + 1, q.size());
        assertEquals(100 * TransmitQueue.INITIAL_CAPACITY - 90, q.start(TransmitQueue.INITIAL_CAPACITY));
    }
}
