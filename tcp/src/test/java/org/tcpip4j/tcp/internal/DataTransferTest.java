package org.tcpip4j.tcp.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tcpip4j.tcp.internal.TcpHarness.*;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.tcpip4j.tcp.ReadResult;
import org.tcpip4j.tcp.TcpException;
import org.tcpip4j.tcp.TcpFlow;

/**
 * Data transfer with exact segments: segmentation and Nagle (RFC 9293 3.7), windows
 * (3.8.6), delayed ACKs (RFC 1122 4.2.3.2), reassembly (3.10.7.4), zero-window probes
 * (3.8.6.1), retransmission (RFC 6298), fast retransmit (RFC 5681 3.2) and sequence
 * numbers across 2^32. Our ISN is 1000, the peer's 5000, our buffers 8 KiB.
 */
class DataTransferTest {

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

    static byte[] data(ReadResult r) {
        ByteBuffer b = ((ReadResult.Data) r).data();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    /** Passive open with the peer's MSS and window. */
    static TcpFlow open(TcpHarness h, int peerMss, int peerWindow) {
        h.listen(80);
        h.inject(from(40000, 80, SYN, 5000, 0).mss(peerMss).window(peerWindow));
        h.sentOne();
        h.inject(from(40000, 80, ACK, 5001, 1001).window(peerWindow));
        return h.accepted.removeFirst();
    }

    static void write(TcpHarness h, TcpFlow flow, byte[] b) {
        flow.write(ByteBuffer.wrap(b));
        h.settle();
    }

    // ---- sending --------------------------------------------------------------------------

    @Test
    void dataIsCutAtTheMssAndNagleHoldsASmallSegmentOnlyBehindASmallOne() {
        TcpHarness h = new TcpHarness();
        TcpFlow flow = open(h, 1000, 8192);
        byte[] b = bytes(2500, 1);
        write(h, flow, b);
        // Full segments in flight do not hold the tail back (Minshall's Nagle, as Linux's):
        // the peer may delay its ACK of the odd last full segment by 40 ms.
        assertEquals(List.of(
            ours(ACK, 1001, 5001).payload(Arrays.copyOfRange(b, 0, 1000)),
            ours(ACK, 2001, 5001).payload(Arrays.copyOfRange(b, 1000, 2000)),
            ours(ACK | PSH, 3001, 5001).payload(Arrays.copyOfRange(b, 2000, 2500))), h.sent());
        byte[] c = bytes(300, 2);
        write(h, flow, c);
        h.sentNothing(); // RFC 896: the 500-byte segment is unacknowledged
        h.inject(from(40000, 80, ACK, 5001, 3001).window(8192));
        h.sentNothing(); // still
        h.inject(from(40000, 80, ACK, 5001, 3501).window(8192));
        assertEquals(ours(ACK | PSH, 3501, 5001).payload(c), h.sentOne());
    }

    @Test
    void aWritevLeavesAsOneSegmentWhenItFits() {
        TcpHarness h = new TcpHarness();
        TcpFlow flow = open(h, 1000, 8192);
        byte[] header = bytes(120, 1);
        byte[] body = bytes(600, 2);
        CompletableFuture<Void> written = flow.writev(List.of(ByteBuffer.wrap(header), ByteBuffer.wrap(body)));
        h.settle();
        assertTrue(written.isDone());
        byte[] both = new byte[720];
        System.arraycopy(header, 0, both, 0, 120);
        System.arraycopy(body, 0, both, 120, 600);
        assertEquals(ours(ACK | PSH, 1001, 5001).payload(both), h.sentOne(),
            "not the header alone with the body held behind it by Nagle");
    }

    @Test
    void thePeersWindowLimitsWhatIsSent() {
        TcpHarness h = new TcpHarness();
        TcpFlow flow = open(h, 1000, 1500);
        write(h, flow, bytes(3000, 1));
        List<TestSegment> s = h.sent();
        assertEquals(1, s.size(), "1000 bytes, then 500 of window left: silly window avoidance waits");
        assertEquals(1000, s.getFirst().payload.length);
        h.inject(from(40000, 80, ACK, 5001, 2001).window(1500));
        s = h.sent();
        assertEquals(1, s.size());
        assertEquals(2001, s.getFirst().seq);
        assertEquals(1000, s.getFirst().payload.length);
    }

    @Test
    void aSmallWindowStillGetsHalfOfItsLargestSize() {
        TcpHarness h = new TcpHarness();
        TcpFlow flow = open(h, 1000, 500);
        write(h, flow, bytes(1000, 1));
        TestSegment s = h.sentOne();
        assertEquals(500, s.payload.length, "RFC 9293 3.8.6.2.1: at least Fs = 1/2 of the largest window");
    }

    @Test
    void writeNodelayBypassesNagleAndCompletesOnTransmission() {
        TcpHarness h = new TcpHarness();
        TcpFlow flow = open(h, 1000, 8192);
        write(h, flow, bytes(10, 1));
        assertEquals(10, h.sentOne().payload.length, "nothing in flight: sent at once");
        write(h, flow, bytes(10, 2));
        h.sentNothing(); // Nagle holds it: 10 bytes are in flight
        CompletableFuture<Void> nodelay = flow.writeNodelay(ByteBuffer.wrap(bytes(10, 3)));
        h.settle();
        TestSegment s = h.sentOne();
        assertEquals(1011, s.seq);
        assertEquals(20, s.payload.length, "the held bytes go out with the nodelay ones");
        assertTrue(nodelay.isDone());
    }

    @Test
    void writeNodelayWaitsForTheWindowBeforeCompleting() {
        TcpHarness h = new TcpHarness();
        TcpFlow flow = open(h, 1000, 0);
        CompletableFuture<Void> nodelay = flow.writeNodelay(ByteBuffer.wrap(bytes(10, 1)));
        h.settle();
        h.sentNothing();
        assertFalse(nodelay.isDone(), "not transmitted: the window is shut");
        h.inject(from(40000, 80, ACK, 5001, 1001).window(100));
        assertEquals(10, h.sentOne().payload.length);
        assertTrue(nodelay.isDone());
    }

    // ---- receiving -------------------------------------------------------------------------

    @Test
    void inOrderDataIsAcknowledgedAfterTheDelayedAckTimeout() {
        TcpHarness h = new TcpHarness();
        open(h, 1000, 8192);
        h.inject(from(40000, 80, ACK, 5001, 1001).payload(bytes(100, 1)));
        h.advance(Duration.ofMillis(39));
        h.sentNothing();
        h.advance(Duration.ofMillis(1));
        assertEquals(ours(ACK, 1001, 5101).window(8092), h.sentOne());
    }

    @Test
    void everySecondFullSegmentIsAcknowledgedAtOnce() {
        TcpHarness h = new TcpHarness();
        open(h, 1000, 8192);
        h.inject(from(40000, 80, ACK, 5001, 1001).payload(bytes(1460, 1)));
        h.sentNothing();
        h.inject(from(40000, 80, ACK, 6461, 1001).payload(bytes(1460, 2)));
        assertEquals(ours(ACK, 1001, 7921).window(8192 - 2920), h.sentOne());
        h.advance(Duration.ofMillis(100));
        h.sentNothing();
    }

    @Test
    void outOfOrderDataIsHeldAndAcknowledgedAtOnce() throws Exception {
        TcpHarness h = new TcpHarness();
        TcpFlow flow = open(h, 1000, 8192);
        byte[] b = bytes(200, 3);
        h.inject(from(40000, 80, ACK, 5101, 1001).payload(Arrays.copyOfRange(b, 100, 200)));
        assertEquals(ours(ACK, 1001, 5001), h.sentOne(), "RFC 5681 4.2: a duplicate ACK at once");
        assertEquals(1, h.tcp.counters().get("rx.out_of_order"));
        CompletableFuture<ReadResult> read = flow.read();
        h.settle();
        assertFalse(read.isDone());
        h.inject(from(40000, 80, ACK, 5001, 1001).payload(Arrays.copyOfRange(b, 0, 100)));
        assertEquals(ours(ACK, 1001, 5201).window(8192 - 200), h.sentOne(), "the hole filled: at once");
        assertArrayEquals(b, data(read.get()));
    }

    @Test
    void theOutOfOrderQueueIsBoundedByRangesAndByTheWindow() {
        TcpHarness h = new TcpHarness();
        open(h, 1000, 8192);
        for (int k = 1; k <= Receiver.MAX_OUT_OF_ORDER_RANGES + 1; k++) {
            h.inject(from(40000, 80, ACK, 5001 + 2 * k, 1001).payload(new byte[] {(byte) k}));
            assertEquals(ours(ACK, 1001, 5001), h.sentOne());
        }
        assertEquals(Receiver.MAX_OUT_OF_ORDER_RANGES, h.tcp.counters().get("rx.out_of_order"));
        assertEquals(1, h.tcp.counters().get("rx.out_of_order_dropped"));
        // Past the window: not acceptable, answered with an ACK (RFC 9293 3.10.7.4).
        h.inject(from(40000, 80, ACK, 5001 + 8192, 1001).payload(new byte[10]));
        assertEquals(ours(ACK, 1001, 5001), h.sentOne());
        assertEquals(1, h.tcp.counters().get("rx.out_of_window"));
    }

    @Test
    void dataPastTheWindowIsTrimmedAndTheRestKept() throws Exception {
        TcpHarness h = new TcpHarness();
        TcpFlow flow = open(h, 1000, 8192);
        byte[] b = bytes(8192 + 100, 5);
        h.inject(from(40000, 80, ACK, 5001, 1001).payload(b));
        assertEquals(ours(ACK, 1001, 5001 + 8192).window(0), h.sentOne());
        // The window is shut: the reader opens it, and TCP says so at once.
        assertArrayEquals(Arrays.copyOf(b, 8192), data(flow.read().get()));
        h.settle();
        assertEquals(ours(ACK, 1001, 5001 + 8192), h.sentOne());
    }

    @Test
    void aZeroWindowStillTakesTheAckOfASegmentAtRcvNxt() {
        TcpHarness h = new TcpHarness();
        TcpFlow flow = open(h, 1000, 8192);
        h.inject(from(40000, 80, ACK, 5001, 1001).payload(new byte[8192]));
        h.sent();
        write(h, flow, bytes(10, 1));
        h.sent();
        h.inject(from(40000, 80, ACK, 5001 + 8192, 1011).payload(new byte[5]));
        assertEquals(ours(ACK, 1011, 5001 + 8192).window(0), h.sentOne());
        assertEquals(1011, h.connection(flow).sender.sndUna, "RFC 9293 3.10.7.4: ACKs are taken in a zero window");
    }

    @Test
    void duplicateDataIsAcknowledgedAtOnce() {
        TcpHarness h = new TcpHarness();
        open(h, 1000, 8192);
        TestSegment s = from(40000, 80, ACK, 5001, 1001).payload(bytes(100, 1));
        h.inject(s);
        h.advance(Duration.ofMillis(40));
        h.sentOne();
        h.inject(s);
        assertEquals(ours(ACK, 1001, 5101).window(8092), h.sentOne());
        assertEquals(1, h.tcp.counters().get("rx.out_of_window"));
    }

    @Test
    void aSegmentWithABadChecksumIsDroppedOnAConnectionToo() {
        TcpHarness h = new TcpHarness();
        TcpFlow flow = open(h, 1000, 8192);
        h.inject(from(40000, 80, ACK, 5001, 1001).payload(bytes(100, 1)).corrupt());
        h.advance(Duration.ofSeconds(1));
        h.sentNothing();
        CompletableFuture<ReadResult> read = flow.read();
        h.settle();
        assertFalse(read.isDone());
        assertEquals(1, h.tcp.counters().get("rx.bad_checksum"));
    }

    // ---- timers ----------------------------------------------------------------------------

    @Test
    void aZeroWindowIsProbedWithBackoffForAsLongAsThePeerAnswers() {
        TcpHarness h = new TcpHarness(); // maxRetransmissions 4
        TcpFlow flow = open(h, 1000, 1000);
        write(h, flow, bytes(3000, 1));
        assertEquals(1, h.sent().size());
        h.inject(from(40000, 80, ACK, 5001, 2001).window(0));
        h.sentNothing();
        TestSegment probe = ours(ACK, 2000, 5001);
        long delay = 200;
        for (int i = 0; i < 7; i++) {
            h.advance(Duration.ofMillis(delay - 1));
            h.sentNothing();
            h.advance(Duration.ofMillis(1));
            assertEquals(probe, h.sentOne(), "probe " + i + " at SND.UNA - 1 (RFC 9293 3.8.6.1)");
            h.inject(from(40000, 80, ACK, 5001, 2001).window(0));
            delay *= 2;
        }
        assertEquals(7, h.tcp.counters().get("tx.window_probes"));
        h.inject(from(40000, 80, ACK, 5001, 2001).window(4000));
        List<TestSegment> s = h.sent();
        assertEquals(2, s.size(), "the window opened: the rest goes out");
        assertEquals(2001, s.get(0).seq);
        assertEquals(3001, s.get(1).seq);
        assertFalse(h.connection(flow).sender.persisting());
    }

    @Test
    void unansweredZeroWindowProbesEndTheConnection() {
        TcpHarness h = new TcpHarness();
        TcpFlow flow = open(h, 1000, 1000);
        write(h, flow, bytes(3000, 1));
        h.sent();
        h.inject(from(40000, 80, ACK, 5001, 2001).window(0));
        CompletableFuture<ReadResult> read = flow.read();
        h.advance(Duration.ofSeconds(60));
        assertEquals(4, h.sent().size(), "maxRetransmissions probes");
        assertInstanceOf(TcpException.Timeout.class, read.exceptionNow());
        assertEquals(0, h.tcp.connectionCount());
        assertEquals(0, h.loop.pendingTimers());
    }

    @Test
    void retransmissionsBackOffAndTheRetryBoundEndsTheFlowWithTimeout() {
        TcpHarness h = new TcpHarness(); // maxRetransmissions 4
        TcpFlow flow = open(h, 1000, 8192);
        CompletableFuture<ReadResult> read = flow.read();
        write(h, flow, bytes(100, 1));
        TestSegment first = h.sentOne();
        // The handshake took no virtual time, so the RTO is its 200 ms floor, then doubles.
        for (long rto : new long[] {200, 400, 800, 1600}) {
            h.advance(Duration.ofMillis(rto - 1));
            h.sentNothing();
            h.advance(Duration.ofMillis(1));
            assertEquals(first, h.sentOne(), "retransmission after " + rto + " ms");
        }
        h.advance(Duration.ofMillis(3199));
        assertFalse(read.isDone());
        h.advance(Duration.ofMillis(1));
        h.sentNothing();
        assertInstanceOf(TcpException.Timeout.class, read.exceptionNow());
        assertInstanceOf(TcpException.Closed.class, flow.write(ByteBuffer.wrap(new byte[1])).exceptionNow());
        assertEquals(4, h.tcp.counters().get("tx.retransmits"));
        assertEquals(0, h.tcp.connectionCount());
        assertEquals(0, h.loop.pendingTimers());
    }

    @Test
    void aTimeoutShrinksToOneSegmentAndResendsFromTheFirstUnacknowledgedByte() {
        TcpHarness h = new TcpHarness();
        TcpFlow flow = open(h, 1000, 8192);
        write(h, flow, bytes(3000, 1));
        assertEquals(3, h.sent().size());
        h.advance(Duration.ofMillis(TailLossProbe.MIN_PTO_MILLIS));
        assertEquals(3001, h.sentOne().seq, "RFC 8985 7.3: the tail loss probe resends the last segment");
        h.advance(Duration.ofMillis(200));
        TestSegment again = h.sentOne();
        assertEquals(1001, again.seq, "RFC 5681 3.1: the loss window is one segment");
        assertEquals(1000, h.connection(flow).sender.cwnd());
        h.inject(from(40000, 80, ACK, 5001, 2001).window(8192));
        List<TestSegment> s = h.sent();
        assertEquals(List.of(2001, 3001), s.stream().map(x -> x.seq).toList(), "slow start resends the rest");
    }

    @Test
    void threeDuplicateAcksTriggerAFastRetransmit() {
        TcpHarness h = new TcpHarness();
        TcpFlow flow = open(h, 1000, 8192);
        byte[] b = bytes(4000, 9);
        write(h, flow, b);
        assertEquals(4, h.sent().size(), "initial window: 4 segments of 1000 (RFC 5681 3.1)");
        h.inject(from(40000, 80, ACK, 5001, 1001).window(8192));
        h.inject(from(40000, 80, ACK, 5001, 1001).window(8192));
        h.sentNothing();
        h.inject(from(40000, 80, ACK, 5001, 1001).window(8192));
        assertEquals(ours(ACK, 1001, 5001).payload(Arrays.copyOfRange(b, 0, 1000)), h.sentOne());
        Sender snd = h.connection(flow).sender;
        assertTrue(snd.inRecovery());
        assertEquals(2000, snd.ssthresh(), "RFC 5681 3.2 equation 4: ssthresh = FlightSize / 2");
        assertEquals(1, h.tcp.counters().get("tx.fast_retransmits"));
        h.inject(from(40000, 80, ACK, 5001, 2001).window(8192));
        assertEquals(ours(ACK, 2001, 5001).payload(Arrays.copyOfRange(b, 1000, 2000)), h.sentOne(),
            "RFC 6582: a partial ACK resends the next hole");
        h.inject(from(40000, 80, ACK, 5001, 5001).window(8192));
        assertFalse(snd.inRecovery());
        assertEquals(2000, snd.cwnd(), "deflated to ssthresh");
    }

    @Test
    void limitedTransmitSendsOneNewSegmentOnEachOfTheFirstTwoDuplicateAcks() {
        TcpHarness h = new TcpHarness();
        TcpFlow flow = open(h, 1000, 8192);
        byte[] b = bytes(8000, 3);
        write(h, flow, b);
        assertEquals(List.of(1001, 2001, 3001, 4001), h.sent().stream().map(x -> x.seq).toList(),
            "initial window: 4 segments of 1000");
        Sender snd = h.connection(flow).sender;
        h.inject(from(40000, 80, ACK, 5001, 1001).window(8192));
        assertEquals(List.of(ours(ACK, 5001, 5001).payload(Arrays.copyOfRange(b, 4000, 5000))), h.sent(),
            "RFC 3042 2: the first duplicate ACK lets one new segment go");
        h.inject(from(40000, 80, ACK, 5001, 1001).window(8192));
        assertEquals(List.of(ours(ACK, 6001, 5001).payload(Arrays.copyOfRange(b, 5000, 6000))), h.sent(),
            "and the second one more: cwnd + 2 SMSS outstanding");
        assertEquals(4000, snd.cwnd(), "cwnd does not change");
        assertFalse(snd.inRecovery());
        h.inject(from(40000, 80, ACK, 5001, 1001).window(8192));
        assertEquals(List.of(ours(ACK, 1001, 5001).payload(Arrays.copyOfRange(b, 0, 1000))), h.sent(),
            "the third is fast retransmit, with no room for new data: cwnd 3000 + 3000 = FlightSize");
        assertTrue(snd.inRecovery());
        assertEquals(1, h.tcp.counters().get("tx.fast_retransmits"));
    }

    @Test
    void limitedTransmitStaysWithinThePeersWindow() {
        TcpHarness h = new TcpHarness();
        TcpFlow flow = open(h, 1000, 4000);
        write(h, flow, bytes(8000, 3));
        assertEquals(4, h.sent().size());
        h.inject(from(40000, 80, ACK, 5001, 1001).window(4000));
        h.inject(from(40000, 80, ACK, 5001, 1001).window(4000));
        h.sentNothing(); // RFC 3042 2: only if the receiver's advertised window allows
        assertEquals(4000, h.connection(flow).sender.cwnd());
    }

    // ---- sequence numbers across 2^32 -------------------------------------------------------

    @Test
    void sequenceNumbersWrapAroundInBothDirections() throws Exception {
        TcpHarness h = new TcpHarness();
        h.iss = 0xFFFF_FF00;
        int peerIss = 0xFFFF_FFF0;
        h.listen(80);
        h.inject(from(40000, 80, SYN, peerIss, 0).mss(1000));
        assertEquals(TestSegment.of(80, 40000, SYN | ACK, 0xFFFF_FF00, 0xFFFF_FFF1).window(8192).mss(1460),
            h.sentOne());
        h.inject(from(40000, 80, ACK, 0xFFFF_FFF1, 0xFFFF_FF01));
        TcpFlow flow = h.accepted.removeFirst();

        // Their data crosses 2^32, out of order: the second half first.
        byte[] in = bytes(100, 4);
        h.inject(from(40000, 80, ACK, 0xFFFF_FFF1 + 50, 0xFFFF_FF01).payload(Arrays.copyOfRange(in, 50, 100)));
        assertEquals(0xFFFF_FFF1, h.sentOne().ack);
        h.inject(from(40000, 80, ACK, 0xFFFF_FFF1, 0xFFFF_FF01).payload(Arrays.copyOfRange(in, 0, 50)));
        assertEquals(0x55, h.sentOne().ack, "0xFFFFFFF1 + 100 wraps to 0x55");
        assertArrayEquals(in, data(flow.read().get()));

        // Ours crosses 2^32 too: 1500 bytes from 0xFFFFFF01.
        byte[] out = bytes(1500, 6);
        write(h, flow, out);
        List<TestSegment> sent = h.sent();
        assertEquals(2, sent.size(), "no small segment is in flight: the tail goes at once (Minshall)");
        assertEquals(0xFFFF_FF01, sent.get(0).seq);
        TestSegment tail = sent.get(1);
        assertEquals(0x2E9, tail.seq);
        assertArrayEquals(Arrays.copyOfRange(out, 1000, 1500), tail.payload);
        // The tail's end, past the wrap, is the small segment in flight: more waits for it.
        write(h, flow, bytes(100, 9));
        h.sentNothing();
        h.inject(from(40000, 80, ACK, 0x55, 0xFFFF_FF01 + 1000));
        assertEquals(0x2E9, h.connection(flow).sender.sndUna, "SND.UNA wrapped");
        h.sentNothing();
        h.inject(from(40000, 80, ACK, 0x55, 0xFFFF_FF01 + 1500));
        TestSegment more = h.sentOne();
        assertEquals(0x2E9 + 500, more.seq);
        assertEquals(100, more.payload.length);
        h.inject(from(40000, 80, ACK, 0x55, 0xFFFF_FF01 + 1600));
        assertTrue(h.connection(flow).sender.allAcked());

        // And the close, past the wrap.
        CompletableFuture<Void> closed = flow.close();
        h.settle();
        TestSegment fin = h.sentOne();
        assertEquals(0xFFFF_FF01 + 1600, fin.seq);
        h.inject(from(40000, 80, FIN | ACK, 0x55, fin.seq + 1));
        assertEquals(0x56, h.sentOne().ack);
        assertTrue(closed.isDone());
    }

    @Test
    void retransmissionAndReassemblyWorkAcrossTheWrapUnderTheSimulation() throws Exception {
        // The simulation with ISNs fixed just under 2^32: every byte crosses the wrap.
        var loop = new org.tcpip4j.netif.loop.VirtualTimeEventLoop();
        SimulatedLink link = new SimulatedLink(loop, 99,
            new SimulatedLink.Impairments(0.1, 0.02, 0.2, 0.0, 2_000_000, 4_000_000));
        DefaultTcp a = new DefaultTcp(link.a, SMALL, org.tcpip4j.netif.loop.StackContext.seeded(loop, 1, "a"));
        DefaultTcp b = new DefaultTcp(link.b, SMALL, org.tcpip4j.netif.loop.StackContext.seeded(loop, 2, "b"));
        a.isnSource((w, x, y, z) -> 0xFFFF_F000);
        b.isnSource((w, x, y, z) -> 0xFFFF_FFF0);
        link.a.tcp = a;
        link.b.tcp = b;
        TransferSimulationTest.Peer server = new TransferSimulationTest.Peer(bytes(40_000, 1));
        TransferSimulationTest.Peer client = new TransferSimulationTest.Peer(bytes(50_000, 2));
        b.listen(7, server::start);
        a.connect(link.b.address, 7).thenAccept(client::start);
        assertTrue(loop.runUntil(() -> client.finished() && server.finished(), Duration.ofMinutes(10).toNanos()));
        assertArrayEquals(bytes(40_000, 1), client.received.toByteArray());
        assertArrayEquals(bytes(50_000, 2), server.received.toByteArray());
        assertTrue(a.counters().get("tx.retransmits") > 0 && b.counters().get("tx.retransmits") > 0);
    }
}
