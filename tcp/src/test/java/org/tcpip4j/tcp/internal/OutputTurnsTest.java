package org.tcpip4j.tcp.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tcpip4j.tcp.internal.TcpHarness.from;
import static org.tcpip4j.tcp.internal.wire.TcpHeader.ACK;
import static org.tcpip4j.tcp.internal.wire.TcpHeader.SYN;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tcpip4j.netif.NetifOffloads;
import org.tcpip4j.tcp.TcpConfig;
import org.tcpip4j.tcp.TcpFlow;

/**
 * A bulk sender's turns ({@link OutputTurns}): once the congestion window is wider than
 * a quantum, one acknowledgment that opens it sends {@link OutputTurns#QUANTUM} bytes of
 * new data (up to the segment that crosses it), and the rest follows a quantum per loop
 * turn (the loop runs what else is ready in between), until the window or the data is
 * used up; every segment carries the bytes written at its sequence numbers. Our ISN is 1000, the peer's 5000, MSS 1460, TSO, the peer's window 8 MiB.
 */
class OutputTurnsTest {

    static final int MSS = 1460;
    static final TcpConfig BIG = new TcpConfig(8 << 20, 65536, Duration.ofSeconds(30), 3, 4, 4)
        .withCongestionControl("newreno");

    /**
     * The highest offset sent so far in the stream, from segments {@code sent}, each of
     * whose payload must be the bytes of {@code data} at its sequence numbers.
     */
    private static int highest(List<TestSegment> sent, int before, byte[] data) {
        int top = before;
        for (TestSegment s : sent) {
            int from = s.seq - 1001;
            assertArrayEquals(Arrays.copyOfRange(data, from, from + s.payload.length), s.payload,
                "the payload at offset " + from);
            top = Math.max(top, from + s.payload.length);
        }
        return top;
    }

    /** A turn's new data: a quantum, up to the segment that crosses it (at most 64 KiB with TSO). */
    private static void assertQuantum(int bytes, String turn) {
        assertTrue(bytes >= OutputTurns.QUANTUM && bytes < OutputTurns.QUANTUM + 65536,
            turn + " sent " + bytes + " bytes, not a quantum");
    }

    @Test
    void anAckOpeningAWideWindowSendsAQuantumAndTheRestFollowsTurnByTurn() {
        TcpHarness h = new TcpHarness(BIG);
        h.ip.offloads = NetifOffloads.ALL;
        h.listen(80);
        h.inject(from(40000, 80, SYN, 5000, 0).window(65535).mss(MSS).windowScale(7));
        h.sentOne();
        h.inject(from(40000, 80, ACK, 5001, 1001).window(65535));
        TcpFlow flow = h.accepted.removeFirst();
        byte[] data = new byte[8 << 20];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 131 + 17);
        }
        flow.write(ByteBuffer.wrap(data));
        h.settle();

        // Slow start, acknowledging every second wire segment, until a flight is wider
        // than two quanta; no single acknowledgment sends more than a quantum meanwhile.
        int sent = highest(h.sent(), 0, data);
        int acked = 0;
        while (sent - acked < 2 * OutputTurns.QUANTUM) {
            int flightEnd = sent;
            while (acked < flightEnd) {
                acked = Math.min(flightEnd, acked + 2 * MSS);
                h.inject(from(40000, 80, ACK, 5001, 1001 + acked).window(65535));
                int now = highest(h.sent(), sent, data);
                assertTrue(now - sent < OutputTurns.QUANTUM + 65536, "one ACK sent " + (now - sent) + " bytes");
                sent = now;
            }
            h.advance(Duration.ofMillis(1));
            sent = highest(h.sent(), sent, data);
        }

        // One ACK of the whole flight: the window opens by more than two quanta.
        int window = sent - acked;
        acked = sent;
        h.inject(from(40000, 80, ACK, 5001, 1001 + acked).window(65535));
        int first = highest(h.sent(), sent, data);
        assertQuantum(first - sent, "the ACK's own turn");
        h.advance(Duration.ofNanos(1));
        int second = highest(h.sent(), first, data);
        assertQuantum(second - first, "the loop's next turn");
        h.advance(Duration.ofNanos(10));
        int rest = highest(h.sent(), second, data);
        assertTrue(rest - sent >= window, "the whole window in the turns that follow: " + (rest - sent)
            + " of " + window);

        // Acknowledge the rest until all 8 MiB are sent, each segment with its own bytes.
        int guard = 0;
        while (rest < data.length && guard++ < 10_000) {
            acked = rest;
            h.inject(from(40000, 80, ACK, 5001, 1001 + acked).window(65535));
            h.advance(Duration.ofMillis(1));
            rest = highest(h.sent(), rest, data);
        }
        assertEquals(data.length, rest, "all the data was sent");
    }
}
