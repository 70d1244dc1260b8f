package org.tcpip4j.tcp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
 * Resets and SYNs on existing connections: RFC 9293 3.10.7.4 with the RFC 5961 rules
 * (an RST resets only at exactly RCV.NXT, elsewhere in the window it draws a challenge
 * ACK; a SYN always draws a challenge ACK; an ACK of unsent data is answered).
 */
class ResetTest {

    static TestSegment ours(int flags, int seq, int ack) {
        return TestSegment.of(80, 40000, flags, seq, ack).window(8192);
    }

    static Throwable failure(CompletableFuture<?> f) {
        assertTrue(f.isDone());
        return f.exceptionNow();
    }

    @Test
    void anExactResetEndsAnEstablishedConnection() {
        TcpHarness h = new TcpHarness();
        TcpFlow flow = h.acceptFrom(80, 40000, 5000);
        CompletableFuture<ReadResult> read = flow.read();
        CompletableFuture<Void> closed = flow.close();
        h.settle();
        h.sent();
        h.inject(from(40000, 80, RST, 5001, 0));
        h.sentNothing();
        assertInstanceOf(TcpException.Reset.class, failure(read));
        assertInstanceOf(TcpException.Reset.class, failure(flow.read()));
        assertInstanceOf(TcpException.Closed.class, failure(flow.write(ByteBuffer.wrap(new byte[1]))));
        assertTrue(closed.isDone(), "close never fails: it completes when the connection ends");
        assertEquals(0, h.tcp.connectionCount());
        assertEquals(0, h.loop.pendingTimers());
        assertEquals(1, h.tcp.counters().get("conn.resets_received"));
    }

    @Test
    void aResetElsewhereInTheWindowDrawsAChallengeAck() {
        TcpHarness h = new TcpHarness();
        TcpFlow flow = h.acceptFrom(80, 40000, 5000);
        h.inject(from(40000, 80, RST, 5100, 0));
        assertEquals(ours(ACK, 1001, 5001), h.sentOne());
        assertEquals(TcpState.ESTABLISHED, h.connection(flow).state);
        assertEquals(1, h.tcp.counters().get("tx.challenge_acks"));
    }

    @Test
    void aResetOutsideTheWindowIsIgnored() {
        TcpHarness h = new TcpHarness();
        TcpFlow flow = h.acceptFrom(80, 40000, 5000);
        h.inject(from(40000, 80, RST, 5001 + 8192, 0));
        h.inject(from(40000, 80, RST, 5000, 0));
        h.sentNothing();
        assertEquals(TcpState.ESTABLISHED, h.connection(flow).state);
    }

    @Test
    void aSynOnAnEstablishedConnectionDrawsAChallengeAck() {
        TcpHarness h = new TcpHarness();
        TcpFlow flow = h.acceptFrom(80, 40000, 5000);
        h.inject(from(40000, 80, SYN, 5001, 0));
        assertEquals(ours(ACK, 1001, 5001), h.sentOne());
        h.advance(Duration.ofMillis(500)); // past the connection's limit of one per 500 ms
        h.inject(from(40000, 80, SYN, 9999, 0));
        assertEquals(ours(ACK, 1001, 5001), h.sentOne(), "RFC 5961 4.2: whatever the sequence number");
        assertEquals(TcpState.ESTABLISHED, h.connection(flow).state);
    }

    @Test
    void anAckOfUnsentDataIsAnsweredAndDropped() throws Exception {
        TcpHarness h = new TcpHarness();
        TcpFlow flow = h.acceptFrom(80, 40000, 5000);
        h.inject(from(40000, 80, ACK, 5001, 2000).payload("x"));
        assertEquals(ours(ACK, 1001, 5001), h.sentOne());
        CompletableFuture<ReadResult> read = flow.read();
        h.settle();
        assertTrue(!read.isDone(), "the data of such a segment is not taken");
    }

    @Test
    void aResetInSynReceivedForgetsTheHalfOpenConnection() {
        TcpHarness h = new TcpHarness();
        h.listen(80);
        h.inject(from(40000, 80, SYN, 5000, 0));
        h.sentOne();
        h.inject(from(40000, 80, RST, 5001, 0));
        h.sentNothing();
        assertEquals(0, h.tcp.connectionCount());
        assertTrue(h.accepted.isEmpty());
        h.inject(from(40000, 80, SYN, 6000, 0));
        assertEquals(SYN | ACK, h.sentOne().flags, "the listener is still there");
    }

    /** Brings a connection to {@code state} through the close paths of CloseTest. */
    static TcpFlow in(TcpHarness h, TcpState state) {
        TcpFlow flow = h.acceptFrom(80, 40000, 5000);
        switch (state) {
            case ESTABLISHED -> { }
            case FIN_WAIT_1 -> flow.close();
            case FIN_WAIT_2 -> {
                flow.close();
                h.settle();
                h.inject(from(40000, 80, ACK, 5001, 1002));
            }
            case CLOSE_WAIT -> h.inject(from(40000, 80, FIN | ACK, 5001, 1001));
            case LAST_ACK -> {
                h.inject(from(40000, 80, FIN | ACK, 5001, 1001));
                flow.close();
            }
            case CLOSING -> {
                flow.close();
                h.settle();
                h.inject(from(40000, 80, FIN | ACK, 5001, 1001));
            }
            case TIME_WAIT -> {
                flow.close();
                h.settle();
                h.inject(from(40000, 80, FIN | ACK, 5001, 1002));
            }
            default -> throw new IllegalArgumentException();
        }
        h.settle();
        h.sent();
        assertEquals(state, h.stateOf(h.connection(flow)));
        return flow;
    }

    @Test
    void anExactResetEndsTheConnectionInEverySynchronizedState() throws Exception {
        for (TcpState state : new TcpState[] {TcpState.ESTABLISHED, TcpState.FIN_WAIT_1, TcpState.FIN_WAIT_2,
                TcpState.CLOSE_WAIT, TcpState.CLOSING, TcpState.LAST_ACK, TcpState.TIME_WAIT}) {
            TcpHarness h = new TcpHarness();
            TcpFlow flow = in(h, state);
            Connection c = h.connection(flow);
            int rcvNxt = c.receiver.rcvNxt;
            h.inject(from(40000, 80, RST, rcvNxt + 1, 0));
            if (state == TcpState.TIME_WAIT) {
                // As Linux's TIME_WAIT: a reset not at RCV.NXT is dropped without a word.
                h.sentNothing();
            } else {
                assertEquals(ACK, h.sentOne().flags, "challenge ACK in " + state);
            }
            assertEquals(state, h.stateOf(c));
            h.inject(from(40000, 80, RST, rcvNxt, 0));
            h.sentNothing();
            assertEquals(TcpState.CLOSED, c.state, state.toString());
            assertEquals(0, h.tcp.connectionCount(), state.toString());
            assertEquals(0, h.loop.pendingTimers(), state.toString());
            boolean synchronizedBeforeTheirFin = state == TcpState.ESTABLISHED || state == TcpState.FIN_WAIT_1
                || state == TcpState.FIN_WAIT_2;
            CompletableFuture<ReadResult> read = flow.read();
            h.settle();
            if (synchronizedBeforeTheirFin) {
                assertInstanceOf(TcpException.Reset.class, failure(read), state.toString());
            }
            assertTrue(flow.close().isDone(), state.toString());
        }
    }
}
