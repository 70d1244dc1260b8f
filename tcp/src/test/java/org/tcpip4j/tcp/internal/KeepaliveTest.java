package org.tcpip4j.tcp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tcpip4j.tcp.internal.TcpHarness.*;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.tcpip4j.tcp.Keepalive;
import org.tcpip4j.tcp.ReadResult;
import org.tcpip4j.tcp.TcpException;
import org.tcpip4j.tcp.TcpFlow;

/** Keepalive (RFC 1122 4.2.3.6, Mirage's {after, interval, probes}). */
class KeepaliveTest {

    static final Keepalive KEEPALIVE = new Keepalive(Duration.ofSeconds(10), Duration.ofSeconds(1), 3);
    /** A probe: SND.UNA - 1 (our ISN 1000), no data. */
    static final TestSegment PROBE = TestSegment.of(80, 40000, ACK, 1000, 5001).window(8192);

    static TcpFlow open(TcpHarness h) {
        h.listen(80, KEEPALIVE);
        h.inject(from(40000, 80, SYN, 5000, 0));
        h.sentOne();
        h.inject(from(40000, 80, ACK, 5001, 1001));
        return h.accepted.removeFirst();
    }

    @Test
    void anIdleConnectionIsProbedAndAnAnswerStartsTheCountAgain() {
        TcpHarness h = new TcpHarness();
        open(h);
        h.advance(Duration.ofMillis(9999));
        h.sentNothing();
        h.advance(Duration.ofMillis(1));
        assertEquals(PROBE, h.sentOne());
        h.advance(Duration.ofMillis(500));
        h.inject(from(40000, 80, ACK, 5001, 1001)); // the answer
        h.advance(Duration.ofMillis(9999));
        h.sentNothing();
        h.advance(Duration.ofMillis(1));
        assertEquals(PROBE, h.sentOne(), "idle counted from the answer");
    }

    @Test
    void unansweredProbesResetTheConnectionAndReadsGiveEof() throws Exception {
        TcpHarness h = new TcpHarness();
        TcpFlow flow = open(h);
        CompletableFuture<ReadResult> read = flow.read();
        h.advance(Duration.ofSeconds(10));
        assertEquals(PROBE, h.sentOne());
        h.advance(Duration.ofSeconds(1));
        assertEquals(PROBE, h.sentOne());
        h.advance(Duration.ofSeconds(1));
        assertEquals(PROBE, h.sentOne());
        assertFalse(read.isDone());
        h.advance(Duration.ofSeconds(1));
        assertEquals(TestSegment.of(80, 40000, RST, 1001, 0).window(0), h.sentOne());
        assertEquals(ReadResult.EOF, read.get(), "Mirage: read gives Eof after keepalive gives up");
        assertInstanceOf(TcpException.Closed.class, flow.write(ByteBuffer.wrap(new byte[1])).exceptionNow());
        assertEquals(3, h.tcp.counters().get("tx.keepalive_probes"));
        assertEquals(0, h.tcp.connectionCount());
        assertEquals(0, h.loop.pendingTimers());
    }

    @Test
    void trafficKeepsProbesAway() {
        TcpHarness h = new TcpHarness();
        open(h);
        for (int i = 0; i < 10; i++) {
            h.advance(Duration.ofSeconds(5));
            h.inject(from(40000, 80, ACK, 5001, 1001));
        }
        h.sentNothing();
    }

    @Test
    void connectTakesAKeepaliveToo() throws Exception {
        TcpHarness h = new TcpHarness();
        CompletableFuture<TcpFlow> f = h.tcp.connect(REMOTE, 443, KEEPALIVE);
        int port = h.sentOne().srcPort;
        h.inject(from(443, port, SYN | ACK, 9000, 1001));
        h.sentOne();
        assertTrue(h.connection(f.get()).hasKeepalive());
        h.advance(Duration.ofSeconds(10));
        TestSegment probe = h.sentOne();
        assertEquals(1000, probe.seq);
        assertEquals(9001, probe.ack);
    }
}
