package org.tcpip4j.tcp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tcpip4j.tcp.internal.TcpHarness.*;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.tcpip4j.tcp.TcpConfig;
import org.tcpip4j.tcp.TcpException;
import org.tcpip4j.tcp.TcpFlow;
import org.tcpip4j.tcp.TcpLimits;

/**
 * The layer's limits ({@link TcpLimits}): connections in all and per listener, TIME_WAIT
 * records, and the buffer memory budget with its pressure behaviour.
 */
class LimitsTest {

    private static TcpHarness harness(TcpLimits limits) {
        return new TcpHarness(TcpHarness.SMALL.withLimits(limits));
    }

    @Test
    void pastTheLayersConnectionLimitSynsGoUnansweredAndConnectFails() {
        TcpHarness h = harness(TcpLimits.DEFAULT.withConnections(2, 2));
        h.listen(80);
        for (int i = 0; i < 3; i++) {
            h.inject(from(40000 + i, 80, SYN, 5000, 0));
        }
        assertEquals(2, h.sent().size(), "two SYN-ACKs, the third SYN dropped");
        assertEquals(1, h.tcp.counters().get("conn.limit_reached"));
        assertEquals(2, h.tcp.counters().get("conn.open"));
        CompletableFuture<TcpFlow> f = h.tcp.connect(REMOTE, 443);
        h.settle();
        h.sentNothing();
        assertInstanceOf(TcpException.Resources.class, assertThrows(Exception.class, f::join).getCause());
        // One handshake fails (the peer resets it): room for another.
        h.inject(from(40000, 80, RST, 5001, 0));
        assertEquals(1, h.tcp.counters().get("conn.open"));
        h.inject(from(40009, 80, SYN, 5000, 0));
        assertEquals(SYN | ACK, h.sentOne().flags);
    }

    @Test
    void aListenerTakesAtMostItsShareAndOthersStillConnect() throws Exception {
        TcpHarness h = harness(TcpLimits.DEFAULT.withConnections(100, 2));
        h.listen(80);
        h.listen(81);
        h.inject(from(40000, 80, SYN, 5000, 0));
        h.inject(from(40000, 80, ACK, 5001, h.iss + 1));
        h.inject(from(40001, 80, SYN, 5000, 0));
        h.sent();
        h.inject(from(40002, 80, SYN, 5000, 0));
        h.sentNothing();
        assertEquals(1, h.tcp.counters().get("listen.overflows"), "established and half-open both count");
        h.inject(from(40003, 81, SYN, 5000, 0));
        assertEquals(SYN | ACK, h.sentOne().flags, "another port has its own share");
        // The established one closes: its slot frees.
        TcpFlow first = h.accepted.removeFirst();
        first.close();
        h.settle();
        TestSegment fin = h.sentOne();
        h.inject(from(40000, 80, FIN | ACK, 5001, fin.seq + 1));
        h.sent();
        h.inject(from(40004, 80, SYN, 5000, 0));
        assertEquals(SYN | ACK, h.sentOne().flags);
    }

    @Test
    void pastTheTimeWaitBoundAConnectionClosesAtOnce() throws Exception {
        TcpHarness h = harness(TcpLimits.DEFAULT.withMaxTimeWait(1));
        h.listen(80);
        for (int i = 0; i < 2; i++) {
            h.inject(from(40000 + i, 80, SYN, 5000, 0));
            h.inject(from(40000 + i, 80, ACK, 5001, h.iss + 1));
        }
        h.sent();
        for (int i = 0; i < 2; i++) {
            TcpFlow flow = h.accepted.removeFirst();
            flow.close();
            h.settle();
            TestSegment fin = h.sentOne();
            h.inject(from(40000 + i, 80, FIN | ACK, 5001, fin.seq + 1));
            assertEquals(ACK, h.sentOne().flags, "the peer's FIN is acknowledged either way");
        }
        assertEquals(1, h.tcp.counters().get("conn.time_wait"));
        assertEquals(1, h.tcp.counters().get("conn.time_wait_overflow"));
        assertEquals(1, h.tcp.connectionCount(), "one record, the second connection closed at once");
        assertNull(h.tcp.timeWait(LOCAL, 80, REMOTE, 40001));
        h.advance(Duration.ofSeconds(60));
        assertEquals(0, h.tcp.connectionCount());
        assertEquals(0, h.tcp.counters().get("conn.time_wait"));
        assertEquals(0, h.loop.pendingTimers());
    }

    @Test
    void underMemoryPressureOutOfOrderDataGoesFirstSoThatInOrderDataIsStored() throws Exception {
        TcpHarness h = new TcpHarness(bigBuffers(32 * 1024, 64 * 1024));
        TcpFlow flow = acceptScaledAndFillWithOutOfOrderData(h);
        ChunkPool pool = h.tcp.chunks;
        int seq = 5001 + 5000 + (int) h.tcp.counters().get("rx.out_of_order") * 1000;
        assertTrue(pool.underPressure());
        h.sent();
        long refusedBefore = h.tcp.counters().get("rx.dropped_memory");
        h.inject(from(40000, 80, ACK, seq + 8192, h.iss + 1).window(8192).payload(new byte[1000]));
        assertEquals(refusedBefore + 1, h.tcp.counters().get("rx.dropped_memory"),
            "out-of-order data needing a new chunk is refused past the limit");
        h.sent();
        // The hole's data: stored, after the out-of-order data is pruned.
        h.inject(from(40000, 80, ACK, 5001, h.iss + 1).window(8192).payload(new byte[1000]));
        assertTrue(h.tcp.counters().get("rx.out_of_order_pruned") > 0);
        Connection c = h.connection(flow);
        assertEquals(5001 + 1000, c.receiver.rcvNxt, "the in-order data was taken");
        assertEquals(0, c.receiver.buffer.rangeCount(), "the out-of-order data is gone");
        assertEquals(1, pool.inUse(), "only the chunk it takes is held");
        flow.read();
        h.settle();
        assertEquals(0, pool.inUse(), "read: every chunk returned");
    }

    @Test
    void limitsRejectValuesThatBreakTheirArithmetic() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> TcpLimits.DEFAULT.withConnections(0, 1));
        assertEquals("maxConnections must be in [1, 16777216], not 0", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TcpLimits.DEFAULT.withMemory(10, 1000));
        assertThrows(IllegalArgumentException.class, () -> TcpLimits.DEFAULT.withMemory(1 << 30, 1 << 20));
        assertThrows(IllegalArgumentException.class, () -> TcpLimits.DEFAULT.withMaxTimeWait(-1));
        assertEquals(TcpLimits.DEFAULT, TcpConfig.DEFAULT.limits());
    }

    @Test
    void withPressureAtTheLimitInOrderDataStillPrunesOutOfOrderData() throws Exception {
        // memoryPressure may equal memoryLimit: the pool is then exhausted without being past
        // the pressure threshold, and in-order data must still make room.
        TcpHarness h = new TcpHarness(bigBuffers(64 * 1024, 64 * 1024));
        TcpFlow flow = acceptScaledAndFillWithOutOfOrderData(h);
        ChunkPool pool = h.tcp.chunks;
        h.sent();
        Connection c = h.connection(flow);
        for (int i = 0; i < 3; i++) { // the peer retransmits the hole's data
            h.inject(from(40000, 80, ACK, 5001, h.iss + 1).window(8192).payload(new byte[1000]));
        }
        assertEquals(5001 + 1000, c.receiver.rcvNxt, "the in-order data was taken");
        assertEquals(0, c.receiver.buffer.rangeCount(), "the out-of-order data went for it");
    }

    /** 256 KiB buffers (a window past the 64 KiB budget), the buffer memory under pressure past {@code pressure}. */
    private static TcpConfig bigBuffers(long pressure, long limit) {
        return new TcpConfig(256 * 1024, 256 * 1024, Duration.ofSeconds(30), 3, 4, 4)
            .withLimits(TcpLimits.DEFAULT.withMemory(pressure, limit));
    }

    /**
     * Accepts a connection with window scaling (so that the window reaches past 64 KiB) and
     * sends it out-of-order data past a hole of five segments (the hole's chunk not taken)
     * until the pool is spent.
     */
    private static TcpFlow acceptScaledAndFillWithOutOfOrderData(TcpHarness h) {
        h.listen(80);
        h.inject(from(40000, 80, SYN, 5000, 0).window(65535).mss(1460).windowScale(0));
        h.sentOne();
        h.inject(from(40000, 80, ACK, 5001, h.iss + 1).window(65535));
        TcpFlow flow = h.accepted.removeFirst();
        int seq = 5001 + 5000;
        while (!h.tcp.chunks.exhausted()) {
            h.inject(from(40000, 80, ACK, seq, h.iss + 1).window(8192).payload(new byte[1000]));
            seq += 1000;
        }
        return flow;
    }
}
