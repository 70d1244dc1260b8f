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
import org.tcpip4j.tcp.Shutdown;
import org.tcpip4j.tcp.TcpFlow;

/**
 * Closing: every path through FIN_WAIT_1, FIN_WAIT_2, CLOSING, TIME_WAIT, CLOSE_WAIT and
 * LAST_ACK (RFC 9293 3.6, 3.10.4, 3.10.7.4), with exact segments. The peer's ISN is 5000
 * and ours 1000, so our FIN is 1001 and the peer's 5001.
 */
class CloseTest {

    static TestSegment ours(int flags, int seq, int ack) {
        return TestSegment.of(80, 40000, flags, seq, ack).window(8192);
    }

    static byte[] data(ReadResult r) {
        ByteBuffer b = ((ReadResult.Data) r).data();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    @Test
    void activeCloseGoesThroughFinWait1FinWait2AndTimeWait() throws Exception {
        TcpHarness h = new TcpHarness();
        TcpFlow flow = h.acceptFrom(80, 40000, 5000);
        Connection c = h.connection(flow);
        CompletableFuture<Void> closed = flow.close();
        h.settle();
        assertEquals(ours(FIN | ACK, 1001, 5001), h.sentOne());
        assertEquals(TcpState.FIN_WAIT_1, c.state);
        h.inject(from(40000, 80, ACK, 5001, 1002));
        h.sentNothing();
        assertEquals(TcpState.FIN_WAIT_2, c.state);
        assertFalse(closed.isDone(), "the peer has not closed yet");
        h.inject(from(40000, 80, FIN | ACK, 5001, 1002));
        // The FIN takes a sequence number; the right edge stays (RFC 9293 3.8.6.2.2).
        assertEquals(ours(ACK, 1002, 5002).window(8191), h.sentOne());
        assertEquals(TcpState.TIME_WAIT, h.stateOf(c));
        assertTrue(closed.isDone(), "both sides closed");
        assertEquals(ReadResult.EOF, flow.read().get());
        // TIME_WAIT lasts 2 MSL (RFC 9293 3.4.2): 60 s here.
        h.advance(Duration.ofSeconds(60).minusNanos(1));
        assertEquals(1, h.tcp.connectionCount());
        h.advance(Duration.ofNanos(1));
        assertEquals(0, h.tcp.connectionCount());
        assertEquals(TcpState.CLOSED, c.state);
        assertEquals(0, h.loop.pendingTimers());
        h.sentNothing();
    }

    @Test
    void finAndAckTogetherGoFromFinWait1StraightToTimeWait() throws Exception {
        TcpHarness h = new TcpHarness();
        TcpFlow flow = h.acceptFrom(80, 40000, 5000);
        CompletableFuture<Void> closed = flow.close();
        h.settle();
        h.sentOne();
        h.inject(from(40000, 80, FIN | ACK, 5001, 1002));
        assertEquals(ours(ACK, 1002, 5002).window(8191), h.sentOne());
        assertEquals(TcpState.TIME_WAIT, h.stateOf(h.connection(flow)));
        assertTrue(closed.isDone());
    }

    @Test
    void passiveCloseGoesThroughCloseWaitAndLastAck() throws Exception {
        TcpHarness h = new TcpHarness();
        TcpFlow flow = h.acceptFrom(80, 40000, 5000);
        Connection c = h.connection(flow);
        h.inject(from(40000, 80, FIN | ACK, 5001, 1001));
        assertEquals(ours(ACK, 1001, 5002).window(8191), h.sentOne(), "a FIN is acknowledged at once");
        assertEquals(TcpState.CLOSE_WAIT, c.state);
        assertEquals(ReadResult.EOF, flow.read().get());
        CompletableFuture<Void> closed = flow.close();
        h.settle();
        assertEquals(ours(FIN | ACK, 1001, 5002).window(8191), h.sentOne());
        assertEquals(TcpState.LAST_ACK, c.state);
        assertFalse(closed.isDone(), "our FIN is not acknowledged yet");
        h.inject(from(40000, 80, ACK, 5002, 1002));
        h.sentNothing();
        assertEquals(TcpState.CLOSED, c.state);
        assertTrue(closed.isDone());
        assertEquals(0, h.tcp.connectionCount());
        assertEquals(0, h.loop.pendingTimers());
    }

    @Test
    void simultaneousCloseGoesThroughClosing() {
        TcpHarness h = new TcpHarness();
        TcpFlow flow = h.acceptFrom(80, 40000, 5000);
        Connection c = h.connection(flow);
        CompletableFuture<Void> closed = flow.close();
        h.settle();
        h.sentOne();
        // The peer's FIN crosses ours: it does not acknowledge our FIN.
        h.inject(from(40000, 80, FIN | ACK, 5001, 1001));
        assertEquals(ours(ACK, 1002, 5002).window(8191), h.sentOne());
        assertEquals(TcpState.CLOSING, c.state);
        assertFalse(closed.isDone());
        h.inject(from(40000, 80, ACK, 5002, 1002));
        assertEquals(TcpState.TIME_WAIT, h.stateOf(c));
        assertTrue(closed.isDone());
        h.advance(Duration.ofSeconds(60));
        assertEquals(0, h.tcp.connectionCount());
        assertEquals(0, h.loop.pendingTimers());
    }

    @Test
    void aRetransmittedFinInTimeWaitIsAcknowledgedAndRestartsTheTimer() {
        TcpHarness h = new TcpHarness();
        TcpFlow flow = h.acceptFrom(80, 40000, 5000);
        flow.close();
        h.settle();
        h.sentOne();
        h.inject(from(40000, 80, FIN | ACK, 5001, 1002));
        h.sentOne();
        h.advance(Duration.ofSeconds(50));
        h.inject(from(40000, 80, FIN | ACK, 5001, 1002));
        assertEquals(ours(ACK, 1002, 5002).window(8191), h.sentOne());
        h.advance(Duration.ofSeconds(59));
        assertEquals(1, h.tcp.connectionCount(), "2 MSL counted again from the repeated FIN");
        h.advance(Duration.ofSeconds(1));
        assertEquals(0, h.tcp.connectionCount());
    }

    @Test
    void anUnacknowledgedFinIsRetransmitted() {
        TcpHarness h = new TcpHarness();
        TcpFlow flow = h.acceptFrom(80, 40000, 5000);
        flow.close();
        h.settle();
        TestSegment fin = h.sentOne();
        h.advance(Duration.ofMillis(200)); // RTO floor: the handshake took no virtual time
        assertEquals(fin, h.sentOne());
        h.advance(Duration.ofMillis(400));
        assertEquals(fin, h.sentOne(), "backed off to 400 ms");
    }

    @Test
    void halfCloseSendsFinAndKeepsReceiving() throws Exception {
        TcpHarness h = new TcpHarness();
        TcpFlow flow = h.acceptFrom(80, 40000, 5000);
        CompletableFuture<Void> shut = flow.shutdown(Shutdown.WRITE);
        h.settle();
        assertTrue(shut.isDone());
        assertEquals(ours(FIN | ACK, 1001, 5001), h.sentOne());
        h.inject(from(40000, 80, ACK, 5001, 1002));
        assertEquals(TcpState.FIN_WAIT_2, h.connection(flow).state);
        h.inject(from(40000, 80, ACK | PSH, 5001, 1002).payload("still talking"));
        assertArrayEquals("still talking".getBytes(), data(flow.read().get()));
        h.inject(from(40000, 80, FIN | ACK, 5014, 1002));
        assertEquals(ours(ACK, 1002, 5015).window(8192 - 14), h.sent().getLast());
        assertEquals(ReadResult.EOF, flow.read().get());
        assertInstanceOf(org.tcpip4j.tcp.TcpException.Closed.class,
            flow.write(ByteBuffer.wrap(new byte[1])).exceptionNow());
    }

    @Test
    void dataBeforeTheFinIsReadBeforeEof() throws Exception {
        TcpHarness h = new TcpHarness();
        TcpFlow flow = h.acceptFrom(80, 40000, 5000);
        h.inject(from(40000, 80, FIN | ACK | PSH, 5001, 1001).payload("last words"));
        assertEquals(ours(ACK, 1001, 5012).window(8192 - 11), h.sentOne());
        assertArrayEquals("last words".getBytes(), data(flow.read().get()));
        assertEquals(ReadResult.EOF, flow.read().get());
        assertEquals(ReadResult.EOF, flow.read().get(), "Eof again and again");
    }

    @Test
    void aFinAheadOfMissingDataWaitsForIt() throws Exception {
        TcpHarness h = new TcpHarness();
        TcpFlow flow = h.acceptFrom(80, 40000, 5000);
        CompletableFuture<ReadResult> read = flow.read();
        h.inject(from(40000, 80, FIN | ACK, 5006, 1001).payload("world"));
        assertEquals(ours(ACK, 1001, 5001), h.sentOne(), "out of order: a duplicate ACK at once");
        assertEquals(TcpState.ESTABLISHED, h.connection(flow).state);
        assertFalse(read.isDone());
        h.inject(from(40000, 80, ACK, 5001, 1001).payload("hello"));
        assertEquals(ours(ACK, 1001, 5012).window(8192 - 11), h.sentOne());
        assertEquals(TcpState.CLOSE_WAIT, h.connection(flow).state);
        assertArrayEquals("helloworld".getBytes(), data(read.get()));
        assertEquals(ReadResult.EOF, flow.read().get());
    }

    @Test
    void closeFlushesBufferedDataBeforeTheFin() {
        TcpHarness h = new TcpHarness();
        TcpFlow flow = h.acceptFrom(80, 40000, 5000);
        flow.write(ByteBuffer.wrap("abc".getBytes()));
        h.settle();
        h.sentOne();
        flow.write(ByteBuffer.wrap("def".getBytes())); // held by Nagle: "abc" is in flight
        flow.close();
        h.settle();
        assertEquals(ours(FIN | ACK | PSH, 1004, 5001).payload("def"), h.sentOne(),
            "closing pushes the held bytes out with the FIN");
    }

    @Test
    void afterCloseASilentPeerInFinWait2IsProbedThenGivenUp() throws Exception {
        TcpHarness h = new TcpHarness(); // maxRetransmissions 4
        TcpFlow flow = h.acceptFrom(80, 40000, 5000);
        CompletableFuture<Void> closed = flow.close();
        h.settle();
        h.sentOne();
        h.inject(from(40000, 80, ACK, 5001, 1002));
        assertEquals(TcpState.FIN_WAIT_2, h.connection(flow).state);
        h.advance(Duration.ofSeconds(30));
        h.inject(from(40000, 80, ACK | PSH, 5001, 1002).payload("late")); // activity pushes the deadline
        h.advance(Duration.ofMillis(40));
        assertEquals(5005, h.sentOne().ack, "the delayed ACK");
        h.advance(Duration.ofSeconds(60).minusMillis(41));
        h.sentNothing();
        h.advance(Duration.ofMillis(1));
        TestSegment probe = ours(ACK, 1001, 5005).window(8192 - 4);
        assertEquals(probe, h.sentOne(), "after 2 MSL of silence: a probe at SND.UNA - 1");
        h.inject(from(40000, 80, ACK, 5005, 1002)); // a live peer answers
        h.advance(Duration.ofSeconds(60).minusMillis(1));
        h.sentNothing();
        h.advance(Duration.ofMillis(1));
        assertEquals(probe, h.sentOne());
        // Now silence: 3 more probes backing off from the 200 ms RTO, then give up.
        h.advance(Duration.ofMillis(200));
        h.advance(Duration.ofMillis(400));
        h.advance(Duration.ofMillis(800));
        assertEquals(3, h.sent().size());
        assertEquals(1, h.tcp.connectionCount());
        h.advance(Duration.ofMillis(1600));
        assertEquals(0, h.tcp.connectionCount());
        assertTrue(closed.isDone(), "close never fails");
        assertArrayEquals("late".getBytes(), data(flow.read().get()), "what arrived is still read");
        assertInstanceOf(org.tcpip4j.tcp.TcpException.Timeout.class, flow.read().exceptionNow());
        assertEquals(0, h.loop.pendingTimers());
    }

    @Test
    void aHalfClosedFlowWaitsInFinWait2AsLongAsThePeerLikes() {
        TcpHarness h = new TcpHarness();
        TcpFlow flow = h.acceptFrom(80, 40000, 5000);
        flow.shutdown(Shutdown.WRITE);
        h.settle();
        h.sentOne();
        h.inject(from(40000, 80, ACK, 5001, 1002));
        h.advance(Duration.ofHours(1));
        assertEquals(TcpState.FIN_WAIT_2, h.connection(flow).state);
        assertEquals(0, h.loop.pendingTimers());
    }
}
