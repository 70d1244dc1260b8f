package org.tcpip4j.tcp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tcpip4j.tcp.internal.TcpHarness.*;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.tcpip4j.ip.IpError;
import org.tcpip4j.tcp.Keepalive;
import org.tcpip4j.tcp.TcpConfig;
import org.tcpip4j.tcp.TcpException;
import org.tcpip4j.tcp.TcpFlow;
import org.tcpip4j.tcp.TcpLimits;

/** Opening connections: RFC 9293 3.5, 3.10.7.2, 3.10.7.3, and the listener API. */
class HandshakeTest {

    static Throwable failure(CompletableFuture<?> f) {
        assertTrue(f.isDone(), "future should be done");
        ExecutionException e = assertThrows(ExecutionException.class, f::get);
        return e.getCause();
    }

    @Test
    void passiveOpenAnswersSynWithSynAckAndHandsTheFlowOutOnTheAck() {
        TcpHarness h = new TcpHarness();
        h.listen(80);
        h.inject(from(40000, 80, SYN, 5000, 0).window(4000).mss(1400));
        assertEquals(TestSegment.of(80, 40000, SYN | ACK, 1000, 5001).window(8192).mss(1460), h.sentOne());
        assertTrue(h.accepted.isEmpty(), "not before the handshake completes");
        assertEquals(TcpState.SYN_RECEIVED, h.tcp.connection(LOCAL, 80, REMOTE, 40000).state);
        h.inject(from(40000, 80, ACK, 5001, 1001).window(4000));
        h.sentNothing();
        assertEquals(1, h.accepted.size());
        TcpFlow flow = h.accepted.getFirst();
        assertEquals(80, flow.src().port());
        assertEquals(REMOTE, flow.dst().address());
        Connection c = h.connection(flow);
        assertEquals(TcpState.ESTABLISHED, c.state);
        assertEquals(1400, c.sender.mss, "RFC 9293 3.7.1: the peer's MSS bounds our segments");
        assertEquals(4000, c.sender.sndWnd);
        assertEquals(1, h.tcp.counters().get("conn.passive_opens"));
        assertEquals(1, h.tcp.counters().get("conn.established"));
    }

    @Test
    void synAckOffersWindowScaleOnlyWhenTheSynDid() {
        TcpHarness h = new TcpHarness(TcpConfig.DEFAULT);
        h.listen(80);
        h.inject(from(40000, 80, SYN, 5000, 0).mss(1460));
        assertEquals(-1, h.sentOne().windowScale, "RFC 7323 2.2: no WS in the SYN, none in the SYN-ACK");
        h.inject(from(40001, 80, SYN, 7000, 0).mss(1460).windowScale(7).sackPermitted());
        TestSegment synAck = h.sentOne();
        assertEquals(7, synAck.windowScale, "RFC 7323 2.3: the shift covers the 6 MiB the window may grow to");
        assertEquals(65535, synAck.window, "the window of a SYN is never scaled");
        assertTrue(synAck.sackPermitted, "RFC 2018 2: SACK-Permitted answers SACK-Permitted");
        h.inject(from(40001, 80, ACK, 7001, 1001).window(100));
        Connection c = h.tcp.connection(LOCAL, 80, REMOTE, 40001);
        assertEquals(100 << 7, c.sender.sndWnd, "the peer's window is scaled once established");
        assertTrue(c.peerSackPermitted, "SACK-Permitted is remembered");
        c.sendAck();
        assertEquals(262144 >> 7, h.sentOne().window, "our window is scaled by our shift");
    }

    @Test
    void theWindowScaleOfTheSynCoversTheLargestReceiveBufferAndItsWindowTheInitialOne() {
        // 256 KiB growing to 6 MiB: 6 MiB >> 7 fits in 16 bits, >> 6 does not.
        TcpHarness h = new TcpHarness(TcpConfig.DEFAULT);
        h.tcp.connect(REMOTE, 443);
        TestSegment syn = h.sentOne();
        assertEquals(7, syn.windowScale, "RFC 7323 2.3: the shift is fixed now, so it covers the maximum");
        assertEquals(65535, syn.window, "min(initial 256 KiB, 65535): a SYN's window is never scaled");
        // Fixed at 256 KiB: the shift covers 256 KiB only.
        TcpHarness fixed = new TcpHarness(TcpConfig.DEFAULT.withBuffers(256 << 10, 256 << 10, 256 << 10, 256 << 10));
        fixed.tcp.connect(REMOTE, 443);
        assertEquals(3, fixed.sentOne().windowScale, "256 KiB needs a shift of 3");
        // 1 MiB growing to 64 MiB: shift 11 (64 MiB >> 10 is 65536); the SYN's window is still 65535.
        TcpHarness big = new TcpHarness(TcpConfig.DEFAULT.withBuffers(256 << 10, 256 << 10, 1 << 20, 64 << 20));
        big.tcp.connect(REMOTE, 443);
        TestSegment bigSyn = big.sentOne();
        assertEquals(11, bigSyn.windowScale);
        assertEquals(65535, bigSyn.window);
        // 8 KiB growing to 1 MiB: shift 5, and the SYN offers the initial 8 KiB.
        TcpHarness small = new TcpHarness(TcpConfig.DEFAULT.withBuffers(8192, 8192, 8192, 1 << 20));
        small.tcp.connect(REMOTE, 443);
        TestSegment smallSyn = small.sentOne();
        assertEquals(5, smallSyn.windowScale);
        assertEquals(8192, smallSyn.window);
    }

    @Test
    void activeOpenSendsSynWithOptionsFromAnEphemeralPortAndCompletesOnSynAck() throws Exception {
        TcpHarness h = new TcpHarness();
        CompletableFuture<TcpFlow> f = h.tcp.connect(REMOTE, 443);
        TestSegment syn = h.sentOne();
        assertTrue(syn.srcPort >= 49152 && syn.srcPort <= 65535, "ephemeral port " + syn.srcPort);
        assertEquals(TestSegment.of(syn.srcPort, 443, SYN, 1000, 0).window(8192).mss(1460).windowScale(0)
            .sackPermitted().ts(0, 0), syn);
        h.inject(from(443, syn.srcPort, SYN | ACK, 9000, 1001).window(3000));
        assertEquals(TestSegment.of(syn.srcPort, 443, ACK, 1001, 9001).window(8192), h.sentOne());
        TcpFlow flow = f.get();
        Connection c = h.connection(flow);
        assertEquals(TcpState.ESTABLISHED, c.state);
        assertEquals(536, c.sender.mss, "RFC 9293 3.7.1: 536 when the peer sends no MSS");
        assertEquals(3000, c.sender.sndWnd);
        assertEquals(1, h.tcp.counters().get("conn.active_opens"));
    }

    @Test
    void simultaneousOpenGoesThroughSynReceived() throws Exception {
        TcpHarness h = new TcpHarness();
        CompletableFuture<TcpFlow> f = h.tcp.connect(REMOTE, 443);
        int port = h.sentOne().srcPort;
        // The peer's SYN crosses ours (RFC 9293 3.5, figure 8).
        h.inject(from(443, port, SYN, 300, 0).mss(1000).windowScale(0));
        assertEquals(TestSegment.of(port, 443, SYN | ACK, 1000, 301).window(8192).mss(1460).windowScale(0),
            h.sentOne());
        assertEquals(TcpState.SYN_RECEIVED, h.tcp.connection(LOCAL, port, REMOTE, 443).state);
        assertFalse(f.isDone());
        // The peer's SYN-ACK repeats its SYN and acknowledges ours.
        h.inject(from(443, port, SYN | ACK, 300, 1001).mss(1000).windowScale(0));
        assertEquals(TestSegment.of(port, 443, ACK, 1001, 301).window(8192), h.sentOne());
        assertEquals(TcpState.ESTABLISHED, h.connection(f.get()).state);
        assertEquals(1000, h.connection(f.get()).sender.mss);
    }

    @Test
    void simultaneousOpenAlsoCompletesOnAPlainAck() throws Exception {
        TcpHarness h = new TcpHarness();
        CompletableFuture<TcpFlow> f = h.tcp.connect(REMOTE, 443);
        int port = h.sentOne().srcPort;
        h.inject(from(443, port, SYN, 300, 0));
        h.sentOne();
        h.inject(from(443, port, ACK, 301, 1001));
        h.sentNothing();
        assertEquals(TcpState.ESTABLISHED, h.connection(f.get()).state);
    }

    @Test
    void unansweredSynsBackOffThenConnectFailsWithTimeout() {
        TcpHarness h = new TcpHarness(); // synRetries 3
        CompletableFuture<TcpFlow> f = h.tcp.connect(REMOTE, 443);
        TestSegment first = h.sentOne();
        long[] gaps = {1, 2, 4};
        for (long gap : gaps) {
            h.advance(Duration.ofMillis(gap * 1000 - 1));
            h.sentNothing();
            h.advance(Duration.ofMillis(1));
            first.tsVal = (int) (h.loop.nanoTime() / 1_000_000); // RFC 7323 3.2: the clock moved on
            assertEquals(first, h.sentOne(), "the same SYN again after " + gap + " s (RFC 6298 5.5)");
        }
        h.advance(Duration.ofMillis(8000 - 1));
        assertFalse(f.isDone());
        h.advance(Duration.ofMillis(1));
        h.sentNothing();
        assertInstanceOf(TcpException.Timeout.class, failure(f));
        assertEquals(0, h.tcp.connectionCount());
        assertEquals(0, h.loop.pendingTimers());
        assertEquals(1, h.tcp.counters().get("conn.timeouts"));
    }

    @Test
    void resetAcknowledgingTheSynRefusesTheConnection() {
        TcpHarness h = new TcpHarness();
        CompletableFuture<TcpFlow> f = h.tcp.connect(REMOTE, 443);
        int port = h.sentOne().srcPort;
        h.inject(from(443, port, RST | ACK, 0, 1001));
        h.sentNothing();
        assertInstanceOf(TcpException.Refused.class, failure(f));
        assertEquals(0, h.tcp.connectionCount());
        assertEquals(0, h.loop.pendingTimers());
        assertEquals(1, h.tcp.counters().get("conn.refused"));
    }

    @Test
    void synSentIgnoresResetsWithoutAnAcceptableAck() {
        TcpHarness h = new TcpHarness();
        CompletableFuture<TcpFlow> f = h.tcp.connect(REMOTE, 443);
        int port = h.sentOne().srcPort;
        h.inject(from(443, port, RST, 0, 0));
        h.inject(from(443, port, RST | ACK, 0, 1002));
        h.inject(from(443, port, RST | ACK, 0, 1000));
        h.sentNothing();
        assertFalse(f.isDone(), "RFC 9293 3.10.7.3: a reset counts only with an acceptable ACK");
    }

    @Test
    void synSentAnswersAnUnacceptableAckWithAReset() {
        TcpHarness h = new TcpHarness();
        CompletableFuture<TcpFlow> f = h.tcp.connect(REMOTE, 443);
        int port = h.sentOne().srcPort;
        h.inject(from(443, port, SYN | ACK, 9000, 5555));
        assertEquals(TestSegment.of(port, 443, RST, 5555, 0).window(0), h.sentOne());
        assertFalse(f.isDone());
    }

    @Test
    void connectFailsWithNoRouteWhenIpCannotSend() {
        TcpHarness h = new TcpHarness();
        h.ip.failWith = new IpError.NoRoute(REMOTE);
        CompletableFuture<TcpFlow> f = h.tcp.connect(REMOTE, 443);
        h.settle();
        assertInstanceOf(TcpException.NoRoute.class, failure(f));
        assertEquals(0, h.tcp.connectionCount());
        assertEquals(0, h.loop.pendingTimers());
    }

    @Test
    void segmentsToAClosedPortGetResetsPerRfc9293Section3_10_7_1() {
        TcpHarness h = new TcpHarness();
        // ACK off: <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>; SYN and FIN count in SEG.LEN.
        h.inject(from(40000, 81, SYN, 5000, 0));
        assertEquals(TestSegment.of(81, 40000, RST | ACK, 0, 5001).window(0), h.sentOne());
        h.inject(from(40000, 81, FIN, 7000, 0).payload("abc"));
        assertEquals(TestSegment.of(81, 40000, RST | ACK, 0, 7004).window(0), h.sentOne());
        // ACK on: <SEQ=SEG.ACK><CTL=RST>.
        h.inject(from(40000, 81, ACK, 5000, 123456).payload("xyz"));
        assertEquals(TestSegment.of(81, 40000, RST, 123456, 0).window(0), h.sentOne());
        // Never a reset for a reset.
        h.inject(from(40000, 81, RST, 5000, 0));
        h.inject(from(40000, 81, RST | ACK, 5000, 1));
        h.sentNothing();
        assertEquals(3, h.tcp.counters().get("conn.resets_sent"));
        assertEquals(5, h.tcp.counters().get("rx.no_connection"));
    }

    @Test
    void listenerAnswersAnAckWithAResetAndIgnoresResetsAndBareSegments() {
        TcpHarness h = new TcpHarness();
        h.listen(80);
        h.inject(from(40000, 80, ACK, 5000, 777));
        assertEquals(TestSegment.of(80, 40000, RST, 777, 0).window(0), h.sentOne());
        h.inject(from(40000, 80, RST, 5000, 0));
        h.inject(from(40000, 80, FIN, 5000, 0));
        h.sentNothing();
        assertEquals(0, h.tcp.connectionCount());
    }

    @Test
    void badChecksumsAndMalformedSegmentsAreCountedAndDropped() {
        TcpHarness h = new TcpHarness();
        h.listen(80);
        h.inject(from(40000, 80, SYN, 5000, 0).corrupt());
        h.sentNothing();
        assertEquals(1, h.tcp.counters().get("rx.bad_checksum"));
        h.tcp.input(REMOTE, LOCAL, ByteBuffer.allocate(10));
        ByteBuffer badOffset = from(40000, 80, SYN, 5000, 0).encode(REMOTE, LOCAL);
        badOffset.put(12, (byte) 0x20);
        h.tcp.input(REMOTE, LOCAL, badOffset);
        h.sentNothing();
        assertEquals(2, h.tcp.counters().get("rx.malformed"));
        h.tcp.input(REMOTE, org.tcpip4j.netif.Ipv4Address.BROADCAST,
            from(40000, 80, SYN, 5000, 0).encode(REMOTE, org.tcpip4j.netif.Ipv4Address.BROADCAST));
        h.sentNothing();
        assertEquals(1, h.tcp.counters().get("rx.bad_address"), "RFC 9293 3.10.7.2: no SYN to a broadcast");
        assertEquals(0, h.tcp.connectionCount());
    }

    @Test
    void theSynQueueIsBounded() {
        TcpHarness h = new TcpHarness(TcpHarness.SMALL.withLimits(TcpLimits.DEFAULT.withSynCookies(false))); // backlog 4
        h.listen(80);
        for (int i = 0; i < 5; i++) {
            h.inject(from(40000 + i, 80, SYN, 5000, 0));
        }
        assertEquals(4, h.sent().size());
        assertEquals(1, h.tcp.counters().get("conn.syn_queue_overflows"));
        // Completing one handshake frees a slot.
        h.inject(from(40000, 80, ACK, 5001, 1001));
        h.inject(from(40009, 80, SYN, 5000, 0));
        assertEquals(SYN | ACK, h.sentOne().flags);
    }

    @Test
    void listenRejectsInvalidPorts() {
        TcpHarness h = new TcpHarness();
        assertThrows(IllegalArgumentException.class, () -> h.tcp.listen(-1, f -> { }));
        assertThrows(IllegalArgumentException.class, () -> h.tcp.listen(65536, f -> { }));
    }

    @Test
    void aSecondListenerReplacesTheFirst() {
        TcpHarness h = new TcpHarness();
        List<TcpFlow> first = new ArrayList<>();
        h.tcp.listen(80, first::add);
        h.listen(80);
        h.inject(from(40000, 80, SYN, 5000, 0));
        h.sentOne();
        h.inject(from(40000, 80, ACK, 5001, 1001));
        assertTrue(first.isEmpty());
        assertEquals(1, h.accepted.size());
    }

    @Test
    void unlistenRefusesNewConnectionsAndResetsHalfOpenOnes() {
        TcpHarness h = new TcpHarness();
        h.listen(80);
        h.inject(from(40000, 80, SYN, 5000, 0));
        h.sentOne();
        h.tcp.unlisten(80);
        h.inject(from(40001, 80, SYN, 6000, 0));
        assertEquals(RST | ACK, h.sentOne().flags);
        h.inject(from(40000, 80, ACK, 5001, 1001));
        TestSegment rst = h.sentOne();
        assertEquals(RST, rst.flags, "the half-open one has nobody to go to");
        assertEquals(1001, rst.seq);
        assertTrue(h.accepted.isEmpty());
        assertEquals(0, h.tcp.connectionCount());
    }

    @Test
    void aRepeatedSynInSynReceivedGetsTheSynAckAgain() {
        TcpHarness h = new TcpHarness();
        h.listen(80);
        h.inject(from(40000, 80, SYN, 5000, 0));
        TestSegment synAck = h.sentOne();
        h.inject(from(40000, 80, SYN, 5000, 0));
        assertEquals(synAck, h.sentOne());
    }

    @Test
    void synReceivedResendsTheSynAckThenForgetsTheHalfOpenConnection() {
        TcpHarness h = new TcpHarness(); // synRetries 3
        h.listen(80);
        h.inject(from(40000, 80, SYN, 5000, 0));
        TestSegment synAck = h.sentOne();
        h.advance(Duration.ofSeconds(1));
        assertEquals(synAck, h.sentOne());
        h.advance(Duration.ofSeconds(2));
        assertEquals(synAck, h.sentOne());
        h.advance(Duration.ofSeconds(4));
        assertEquals(synAck, h.sentOne());
        h.advance(Duration.ofSeconds(8));
        h.sentNothing();
        assertEquals(0, h.tcp.connectionCount());
        assertEquals(0, h.loop.pendingTimers());
        assertTrue(h.accepted.isEmpty());
    }

    @Test
    void synReceivedAnswersAnUnacceptableAckWithAReset() {
        TcpHarness h = new TcpHarness();
        h.listen(80);
        h.inject(from(40000, 80, SYN, 5000, 0));
        h.sentOne();
        h.inject(from(40000, 80, ACK, 5001, 4242));
        assertEquals(TestSegment.of(80, 40000, RST, 4242, 0).window(0), h.sentOne());
        assertEquals(TcpState.SYN_RECEIVED, h.tcp.connection(LOCAL, 80, REMOTE, 40000).state);
    }

    @Test
    void aListenersKeepaliveIsAppliedBeforeTheCallback() {
        TcpHarness h = new TcpHarness();
        List<Boolean> keepaliveOnAccept = new ArrayList<>();
        h.tcp.listen(80, new Keepalive(Duration.ofSeconds(10), Duration.ofSeconds(1), 3), flow -> {
            keepaliveOnAccept.add(h.connection(flow).hasKeepalive());
            h.accepted.add(flow);
        });
        h.inject(from(40000, 80, SYN, 5000, 0));
        h.sentOne();
        h.inject(from(40000, 80, ACK, 5001, 1001));
        assertEquals(List.of(true), keepaliveOnAccept);
        assertNotNull(h.accepted.getFirst());
    }
}
