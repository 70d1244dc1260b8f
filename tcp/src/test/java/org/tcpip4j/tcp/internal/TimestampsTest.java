package org.tcpip4j.tcp.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tcpip4j.tcp.internal.TcpHarness.*;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.tcpip4j.tcp.ReadResult;
import org.tcpip4j.tcp.TcpException;
import org.tcpip4j.tcp.TcpFlow;

/**
 * The Timestamps option (RFC 7323) with exact segments: negotiation (3.2), the effective
 * MSS, which TSval is echoed (4.3), round-trip measurement (4.1), PAWS (5.3) and its
 * 24-day limit (5.5). In the harness the timestamp clock's offset is 0, so our TSval is the
 * virtual time in milliseconds.
 */
class TimestampsTest {

    static TestSegment ours(int flags, int seq, int ack) {
        return TestSegment.of(80, 40000, flags, seq, ack).window(8192);
    }

    static int nowMs(TcpHarness h) {
        return (int) (h.loop.nanoTime() / 1_000_000);
    }

    /** Passive open at 5 ms with the peer's TSval 777, then its ACK with TSval 778. */
    static TcpFlow openWithTimestamps(TcpHarness h) {
        h.listen(80);
        h.advance(Duration.ofMillis(5));
        h.inject(from(40000, 80, SYN, 5000, 0).window(8192).mss(1460).ts(777, 0));
        assertEquals(ours(SYN | ACK, 1000, 5001).mss(1460).ts(5, 777), h.sentOne(),
            "RFC 7323 3.2: TSopt answers TSopt, echoing the SYN's TSval");
        h.inject(from(40000, 80, ACK, 5001, 1001).window(8192).ts(778, 5));
        h.sentNothing();
        return h.accepted.removeFirst();
    }

    @Test
    void aSynWithTimestampsGetsThemBackAndTheyCostTheMssTwelveBytes() {
        TcpHarness h = new TcpHarness();
        TcpFlow flow = openWithTimestamps(h);
        Connection c = h.connection(flow);
        assertTrue(c.timestamps.enabled());
        assertEquals(1460 - 12, c.sender.mss, "RFC 6691 2: options come out of the MSS");
        assertEquals(778, c.timestamps.recent());
        flow.write(ByteBuffer.wrap(new byte[3000]));
        h.settle();
        var sent = h.sent();
        assertEquals(1448, sent.get(0).payload.length);
        assertEquals(ours(ACK, 1001, 5001).ts(5, 778).payload(new byte[1448]), sent.get(0),
            "every segment carries TSopt (RFC 7323 3.2)");
    }

    @Test
    void aSynWithoutTimestampsGetsNone() {
        TcpHarness h = new TcpHarness();
        h.listen(80);
        h.inject(from(40000, 80, SYN, 5000, 0).window(8192).mss(1460));
        assertEquals(ours(SYN | ACK, 1000, 5001).mss(1460), h.sentOne());
        h.inject(from(40000, 80, ACK, 5001, 1001).window(8192));
        Connection c = h.connection(h.accepted.getFirst());
        assertFalse(c.timestamps.enabled());
        assertEquals(1460, c.sender.mss);
        c.sendAck();
        assertEquals(ours(ACK, 1001, 5001), h.sentOne());
    }

    @Test
    void activeOpenOffersTimestampsAndUsesThemOnlyWhenTheSynAckHasThem() throws Exception {
        TcpHarness h = new TcpHarness();
        h.advance(Duration.ofMillis(42));
        CompletableFuture<TcpFlow> f = h.tcp.connect(REMOTE, 443);
        TestSegment syn = h.sentOne();
        assertEquals(TestSegment.of(syn.srcPort, 443, SYN, 1000, 0).window(8192).mss(1460).windowScale(0)
            .sackPermitted().ts(42, 0), syn);
        h.advance(Duration.ofMillis(10));
        h.inject(from(443, syn.srcPort, SYN | ACK, 9000, 1001).window(8192).mss(1460).ts(123456, 42));
        assertEquals(TestSegment.of(syn.srcPort, 443, ACK, 1001, 9001).window(8192).ts(52, 123456), h.sentOne());
        assertTrue(h.connection(f.get()).timestamps.enabled());

        TcpHarness plain = new TcpHarness();
        CompletableFuture<TcpFlow> g = plain.tcp.connect(REMOTE, 443);
        int port = plain.sentOne().srcPort;
        plain.inject(from(443, port, SYN | ACK, 9000, 1001).window(8192).mss(1460));
        assertEquals(TestSegment.of(port, 443, ACK, 1001, 9001).window(8192), plain.sentOne(),
            "RFC 7323 3.2: no TSopt in the SYN-ACK, none from then on");
        assertEquals(1460, plain.connection(g.get()).sender.mss);
    }

    @Test
    void aLayerConfiguredWithoutTimestampsNeitherOffersNorAnswersThem() throws Exception {
        TcpHarness h = new TcpHarness(TcpHarness.SMALL.withTimestamps(false));
        h.tcp.connect(REMOTE, 443);
        assertFalse(h.sentOne().timestamps);
        h.listen(80);
        h.inject(from(40000, 80, SYN, 5000, 0).window(8192).mss(1460).ts(777, 0));
        assertFalse(h.sentOne().timestamps);
    }

    @Test
    void aDelayedAckEchoesTheFirstSegmentItCovers() {
        TcpHarness h = new TcpHarness();
        openWithTimestamps(h);
        // RFC 7323 4.3 case (A): the second segment begins after Last.ACK.sent (5001).
        h.inject(from(40000, 80, ACK, 5001, 1001).ts(800, 5).payload(new byte[100]));
        h.inject(from(40000, 80, ACK, 5101, 1001).ts(801, 5).payload(new byte[100]));
        h.sentNothing();
        h.advance(Duration.ofMillis(Receiver.DELAYED_ACK_MILLIS));
        assertEquals(ours(ACK, 1001, 5201).window(8192 - 200).ts(5 + Receiver.DELAYED_ACK_MILLIS, 800), h.sentOne());
    }

    @Test
    void aSegmentFillingAHoleGivesTheEchoAndOneAheadOfItDoesNot() {
        TcpHarness h = new TcpHarness();
        openWithTimestamps(h);
        // RFC 7323 4.3 case (C): out-of-order data does not move TS.Recent; the filler does.
        h.inject(from(40000, 80, ACK, 5101, 1001).ts(900, 5).payload(new byte[100]));
        assertEquals(ours(ACK, 1001, 5001).ts(5, 778), h.sentOne());
        h.inject(from(40000, 80, ACK, 5001, 1001).ts(901, 5).payload(new byte[100]));
        assertEquals(ours(ACK, 1001, 5201).window(8192 - 200).ts(5, 901), h.sentOne());
    }

    @Test
    void pawsDropsAnOldDuplicateAndAcknowledges() throws Exception {
        TcpHarness h = new TcpHarness();
        TcpFlow flow = openWithTimestamps(h);
        h.inject(from(40000, 80, ACK, 5001, 1001).ts(777, 5).payload("old"));
        assertEquals(ours(ACK, 1001, 5001).ts(5, 778), h.sentOne(), "RFC 7323 5.3 R1: an ACK, and the data dropped");
        assertEquals(1, h.tcp.counters().get("rx.paws_rejected"));
        CompletableFuture<ReadResult> read = flow.read();
        h.settle();
        assertFalse(read.isDone());
        // TSvals compare modulo 2^32 (RFC 7323 5.2): 778 + 2^31 - 1 is newer than 778.
        h.inject(from(40000, 80, ACK, 5001, 1001).ts(778 + Integer.MAX_VALUE, 5).payload("new"));
        assertTrue(read.isDone());
    }

    @Test
    void pawsLetsAResetThrough() {
        TcpHarness h = new TcpHarness();
        TcpFlow flow = openWithTimestamps(h);
        CompletableFuture<ReadResult> read = flow.read();
        h.inject(from(40000, 80, RST, 5001, 0).ts(1, 0));
        h.sentNothing();
        assertInstanceOf(TcpException.Reset.class, read.exceptionNow());
    }

    @Test
    void afterTwentyFourIdleDaysAnOlderTsvalIsTrustedAgain() throws Exception {
        TcpHarness h = new TcpHarness();
        TcpFlow flow = openWithTimestamps(h);
        h.advance(Duration.ofDays(24));
        h.inject(from(40000, 80, ACK, 5001, 1001).ts(700, 5).payload("x"));
        assertEquals(1, h.tcp.counters().get("rx.paws_rejected"), "24 days exactly are not more than 24 days");
        h.sent();
        h.advance(Duration.ofSeconds(1));
        h.inject(from(40000, 80, ACK, 5001, 1001).ts(700, 5).payload("y"));
        assertEquals(1, h.tcp.counters().get("rx.paws_rejected"), "RFC 7323 5.5: TS.Recent went stale");
        ByteBuffer got = ((ReadResult.Data) flow.read().get()).data();
        byte[] bytes = new byte[got.remaining()];
        got.get(bytes);
        assertArrayEquals("y".getBytes(), bytes);
        assertEquals(700, h.connection(flow).timestamps.recent());
    }

    @Test
    void ourResetsCarryTimestampsToo() {
        TcpHarness h = new TcpHarness();
        openWithTimestamps(h);
        h.tcp.disconnect();
        h.settle();
        assertEquals(TestSegment.of(80, 40000, RST, 1001, 0).window(0).ts(5, 778), h.sentOne(),
            "RFC 7323 3.2: SHOULD be sent in an RST");
    }

    @Test
    void aSegmentWithoutTimestampsIsDroppedOnceTheyAreAgreed() throws Exception {
        TcpHarness h = new TcpHarness();
        TcpFlow flow = openWithTimestamps(h);
        h.inject(from(40000, 80, ACK, 5001, 1001).payload("no ts"));
        h.sentNothing();
        assertEquals(1, h.tcp.counters().get("rx.missing_timestamps"));
        CompletableFuture<ReadResult> read = flow.read();
        h.settle();
        assertFalse(read.isDone(), "RFC 7323 3.2: silently dropped");
    }

    @Test
    void anEchoTimesARetransmittedSegmentWhereKarnCouldNot() {
        TcpHarness h = new TcpHarness();
        h.listen(80);
        h.inject(from(40000, 80, SYN, 5000, 0).window(8192).mss(1460).ts(777, 0));
        h.sentOne();
        h.advance(Duration.ofMillis(30));
        h.inject(from(40000, 80, ACK, 5001, 1001).window(8192).ts(778, 0));
        TcpFlow flow = h.accepted.removeFirst();
        Connection c = h.connection(flow);
        assertEquals(30_000_000L, c.sender.rtx.srtt(), "the handshake's round trip");
        flow.write(ByteBuffer.wrap(new byte[100]));
        h.settle();
        h.sentOne();
        h.advance(Duration.ofMillis(200)); // RTO: max(200 ms, 30 + 4 * 15) ms
        TestSegment resent = h.sentOne();
        assertEquals(230, resent.tsVal);
        assertEquals(1, c.sender.rtx.backoffCount());
        h.advance(Duration.ofMillis(30));
        h.inject(from(40000, 80, ACK, 5001, 1101).window(8192).ts(800, resent.tsVal));
        assertEquals(30_000_000L, c.sender.rtx.srtt(), "RFC 7323 4.1: the echo names the retransmission");
        assertEquals(0, c.sender.rtx.backoffCount());
    }

    @Test
    void anEchoOlderThanTheRetransmissionIsNotSampled() {
        TcpHarness h = new TcpHarness();
        h.listen(80);
        h.inject(from(40000, 80, SYN, 5000, 0).window(8192).mss(1460).ts(777, 0));
        h.sentOne();
        h.advance(Duration.ofMillis(30));
        h.inject(from(40000, 80, ACK, 5001, 1001).window(8192).ts(778, 0));
        TcpFlow flow = h.accepted.removeFirst();
        Connection c = h.connection(flow);
        flow.write(ByteBuffer.wrap(new byte[100]));
        h.settle();
        assertEquals(30, h.sentOne().tsVal);
        h.advance(Duration.ofMillis(200));
        assertEquals(230, h.sentOne().tsVal, "resent after the RTO");
        // The peer's ACK of the first transmission was lost; it answers the duplicate with
        // the TSval it holds, the original's: 230 ms after it, a recovery time, not an RTT.
        h.advance(Duration.ofMillis(30));
        h.inject(from(40000, 80, ACK, 5001, 1101).window(8192).ts(800, 30));
        assertEquals(30_000_000L, c.sender.rtx.srtt(), "RFC 3522's test: the echo predates the retransmission");
        assertEquals(0, c.sender.rtx.backoffCount(), "new data was acknowledged all the same");
    }

    @Test
    void ourTimestampClockStartsAtAPerConnectionOffset() {
        DefaultTcp tcp = new DefaultTcp(new CapturingIp(LOCAL), TcpHarness.SMALL,
            org.tcpip4j.netif.loop.StackContext.seeded(new org.tcpip4j.netif.loop.VirtualTimeEventLoop(), 7, "t"));
        int a = tcp.timestampOffset(LOCAL, 80, REMOTE, 40000);
        int b = tcp.timestampOffset(LOCAL, 80, REMOTE, 40001);
        assertEquals(a, tcp.timestampOffset(LOCAL, 80, REMOTE, 40000), "the same 4-tuple, the same offset (RFC 6191)");
        assertTrue(a != b, "RFC 7323 7.1: another 4-tuple, another offset");
    }
}
