package org.tcpip4j.tcp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tcpip4j.tcp.internal.TcpHarness.*;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tcpip4j.tcp.TcpFlow;

/**
 * Random segments aimed near the live sequence numbers of a listener's connections, with
 * every combination of flags, options (timestamps and SACK blocks too) and payload sizes,
 * while the flows read, write and
 * close: the engine never throws, and after the peer goes quiet and time passes no
 * connection and no timer is left.
 */
class InputFuzzTest {

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void randomSegmentsNeverBreakTheEngine(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        TcpHarness h = new TcpHarness();
        List<TcpFlow> flows = new ArrayList<>();
        h.tcp.listen(80, flows::add);
        for (int i = 0; i < 20_000; i++) {
            int peerPort = 40000 + r.nextInt(6);
            Connection c = h.tcp.connection(LOCAL, 80, REMOTE, peerPort);
            int flags;
            int seq;
            int ack;
            if (c == null) {
                // Mostly SYNs, to open connections.
                flags = r.nextInt(3) > 0 ? SYN : r.nextInt(256);
                seq = r.nextInt();
                ack = r.nextInt();
            } else {
                flags = r.nextInt(256);
                if (r.nextInt(4) > 0) {
                    flags = (flags & ~(SYN | RST)) | ACK; // mostly ordinary segments
                }
                // Mostly plausible numbers: at RCV.NXT or a little ahead, acknowledging
                // between SND.UNA and SND.MAX; sometimes anything nearby.
                seq = c.receiver.rcvNxt + (r.nextInt(3) > 0 ? r.nextInt(0, 3000) : r.nextInt(-5000, 70000));
                int inFlight = c.sender.sndMax - c.sender.sndUna;
                ack = r.nextInt(3) > 0 ? c.sender.sndUna + r.nextInt(inFlight + 1) : c.sender.sndUna + r.nextInt(-5000, 5000);
            }
            TestSegment s = from(peerPort, 80, flags, seq, ack)
                .window(r.nextInt(4) == 0 ? 0 : r.nextInt(65536));
            boolean synOptions = r.nextInt(5) == 0;
            if (synOptions) {
                s.mss(r.nextInt(65536)).windowScale(r.nextInt(20));
                if (r.nextBoolean()) {
                    s.sackPermitted();
                }
            }
            // Timestamps (RFC 7323), mostly near TS.Recent and echoing a recent TSval of ours.
            boolean timestamps = r.nextInt(4) > 0;
            if (timestamps) {
                int recent = c != null ? c.timestamps.recent() : 0;
                int now = (int) (h.loop.nanoTime() / 1_000_000);
                s.ts(r.nextInt(4) > 0 ? recent + r.nextInt(-10, 1000) : r.nextInt(),
                    r.nextInt(4) > 0 ? now - r.nextInt(0, 500) : r.nextInt());
            }
            // SACK blocks (RFC 2018), mostly inside what we sent, sometimes anything nearby.
            if (c != null && !synOptions && r.nextInt(3) == 0) {
                int blocks = 1 + r.nextInt(timestamps ? 3 : 4);
                int[] edges = new int[2 * blocks];
                int inFlight = Math.max(1, c.sender.sndMax - c.sender.sndUna);
                for (int b = 0; b < blocks; b++) {
                    int start = c.sender.sndUna + (r.nextInt(4) > 0 ? r.nextInt(inFlight) : r.nextInt(-3000, 3000));
                    edges[2 * b] = start;
                    edges[2 * b + 1] = start + (r.nextInt(8) > 0 ? r.nextInt(1, 3000) : r.nextInt(-100, 100));
                }
                s.sack(edges);
            }
            if (r.nextBoolean()) {
                byte[] p = new byte[r.nextInt(2000)];
                r.nextBytes(p);
                s.payload(p);
            }
            h.inject(s);
            if (r.nextInt(50) == 0) {
                h.advance(Duration.ofMillis(r.nextInt(3000)));
            }
            if (!flows.isEmpty() && r.nextInt(10) == 0) {
                TcpFlow f = flows.get(r.nextInt(flows.size()));
                switch (r.nextInt(5)) {
                    case 0 -> f.read();
                    case 1 -> f.write(ByteBuffer.wrap(new byte[r.nextInt(5000)]));
                    case 2 -> f.writeNodelay(ByteBuffer.wrap(new byte[r.nextInt(100)]));
                    case 3 -> f.close();
                    default -> f.shutdown(org.tcpip4j.tcp.Shutdown.READ);
                }
                h.settle();
            }
            h.sent();
        }
        assertTrue(flows.size() >= 5, "connections were established: " + flows.size());
        assertTrue(h.tcp.counters().get("rx.bytes") > 1_000, "data was received");
        assertTrue(h.tcp.counters().get("tx.bytes") > 1_000, "data was sent");
        // The peer falls silent: once closed, every connection must end by itself
        // (retransmissions, probes and SYN-ACKs give up; FIN_WAIT_2 and TIME_WAIT expire).
        flows.forEach(TcpFlow::close);
        h.advance(Duration.ofMinutes(30));
        h.sent();
        assertEquals(0, h.tcp.connectionCount());
        assertEquals(0, h.loop.pendingTimers());
        assertTrue(h.tcp.counters().get("rx.segments") >= 20_000);
    }
}
