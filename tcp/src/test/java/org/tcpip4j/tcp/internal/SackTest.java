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
}
