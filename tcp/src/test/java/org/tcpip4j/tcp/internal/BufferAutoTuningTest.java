package org.tcpip4j.tcp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tcpip4j.tcp.internal.TcpHarness.*;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tcpip4j.netif.loop.StackContext;
import org.tcpip4j.netif.loop.VirtualTimeEventLoop;
import org.tcpip4j.tcp.ReadResult;
import org.tcpip4j.tcp.TcpConfig;
import org.tcpip4j.tcp.TcpFlow;
import org.tcpip4j.tcp.internal.wire.TcpHeader;
import org.tcpip4j.tcp.internal.wire.TcpOptions;

/**
 * Buffer auto-tuning: buffers commit memory only as they fill and give it back when idle;
 * over a path with a large bandwidth-delay product the receive window grows far past its
 * initial size (dynamic right-sizing) and the send buffer follows the congestion window,
 * while with auto-tuning off (maximum == initial) the window stays put; the window offered
 * never moves left.
 */
class BufferAutoTuningTest {

    static final int KIB = 1024;
    static final int MIB = 1024 * 1024;

    // ---- memory committed as used ---------------------------------------------------------------

    /**
     * Passive open on port 80 from peer port 40000 (ISN 5000) with MSS 1460 and window
     * scaling (the peer's shift 0; ours is 7 for the default 6 MiB maximum).
     */
    static TcpFlow acceptScaled(TcpHarness h) {
        h.listen(80);
        h.inject(from(40000, 80, SYN, 5000, 0).window(65535).mss(1460).windowScale(0));
        TestSegment synAck = h.sentOne();
        assertEquals(7, synAck.windowScale);
        h.inject(from(40000, 80, ACK, 5001, h.iss + 1).window(65535));
        h.sentNothing();
        return h.accepted.removeFirst();
    }

    @Test
    void anIdleEstablishedConnectionHoldsNoBufferMemory() {
        TcpHarness h = new TcpHarness(TcpConfig.DEFAULT);
        TcpFlow flow = acceptScaled(h);
        Connection c = h.connection(flow);
        assertEquals(0, c.sender.buffer.capacity(), "no send ring before the first write");
        assertEquals(0, c.receiver.buffer.capacity(), "no receive ring before the first data");
        assertEquals(256 * KIB, c.sender.buffer.limit());
        assertEquals(256 * KIB + 32 * KIB, c.receiver.buffer.limit(),
            "the buffer size and an eighth more for windows rounded up to the scale");
        c.sendAck();
        assertEquals(256 * KIB >> 7, h.sentOne().window, "the window offered is the whole buffer all the same");
        h.advance(Duration.ofMinutes(5));
        h.sentNothing();
        assertEquals(0, h.loop.pendingTimers(), "an idle connection with nothing buffered runs no timer");
        assertEquals(0, c.sender.buffer.capacity());
        assertEquals(0, c.receiver.buffer.capacity());
    }

    @Test
    void buffersHoldChunksForTheDataAndTheirTablesGoBackOnceIdle() throws Exception {
        TcpHarness h = new TcpHarness(TcpConfig.DEFAULT);
        TcpFlow flow = acceptScaled(h);
        Connection c = h.connection(flow);
        ChunkPool pool = h.tcp.chunks;
        // A little each way: a chunk each while held, none once acknowledged and read.
        flow.write(ByteBuffer.wrap(new byte[100]));
        h.settle();
        assertEquals(100, h.sentOne().payload.length);
        assertEquals(ChunkPool.SIZE, c.sender.buffer.capacity());
        h.inject(from(40000, 80, ACK | PSH, 5001, 1101).window(65535).payload(new byte[1000]));
        assertEquals(0, c.sender.buffer.capacity(), "acknowledged: the chunk went back");
        assertEquals(ChunkPool.SIZE, c.receiver.buffer.capacity(), "unread: held");
        CompletableFuture<ReadResult> read = flow.read();
        h.settle();
        assertEquals(1000, ((ReadResult.Data) read.get()).data().remaining());
        h.sent();
        assertEquals(0, c.receiver.buffer.capacity(), "read: the chunk went back");
        assertEquals(0, pool.inUse());
        // A burst of 200 KiB unread: the receive buffer holds the chunks it needs, and no more.
        int seq = 6001;
        for (int i = 0; i < 140; i++) {
            h.inject(from(40000, 80, ACK, seq, 1101).window(65535).payload(new byte[1460]));
            seq += 1460;
        }
        h.sent();
        assertEquals(140 * 1460, c.receiver.buffer.readable());
        int chunks = (140 * 1460 + ChunkPool.SIZE - 1) / ChunkPool.SIZE;
        assertEquals(chunks * ChunkPool.SIZE, c.receiver.buffer.capacity(), "the chunks 204,400 bytes need");
        assertEquals(chunks, pool.inUse());
        int windowBefore = c.receiver.window();
        read = flow.read();
        h.settle();
        assertEquals(140 * 1460, ((ReadResult.Data) read.get()).data().remaining());
        h.sent();
        assertEquals(0, pool.inUse(), "read: every chunk went back");
        assertTrue(c.receiver.buffer.holdsMemory(), "the table of chunk slots waits for the connection to idle");
        h.advance(Duration.ofMillis(Connection.IDLE_RELEASE_MILLIS - 1));
        assertTrue(c.receiver.buffer.holdsMemory(), "less than a second since the last segment");
        h.advance(Duration.ofMillis(1));
        assertFalse(c.receiver.buffer.holdsMemory(), "idle and empty: given back");
        assertFalse(c.sender.buffer.holdsMemory());
        assertEquals(0, c.sender.queue.capacity(), "and the transmit queue's arrays");
        assertEquals(0, h.loop.pendingTimers(), "nothing left to give back: no timer");
        assertTrue(c.receiver.window() >= windowBefore, "the window offered does not depend on the memory held");
        // The next data takes a chunk again.
        h.inject(from(40000, 80, ACK, seq, 1101).window(65535).payload(new byte[10]));
        assertEquals(ChunkPool.SIZE, c.receiver.buffer.capacity());
    }

    @Test
    void timeWaitGivesTheBuffersBack() throws Exception {
        TcpHarness h = new TcpHarness(TcpConfig.DEFAULT);
        TcpFlow flow = acceptScaled(h);
        Connection c = h.connection(flow);
        flow.write(ByteBuffer.wrap(new byte[100]));
        h.settle();
        h.sent();
        h.inject(from(40000, 80, ACK, 5001, 1101).window(65535).payload(new byte[10]));
        flow.read();
        h.settle();
        flow.close();
        h.settle();
        TestSegment fin = h.sentOne();
        assertEquals(FIN | ACK, fin.flags);
        h.inject(from(40000, 80, FIN | ACK, 5011, fin.seq + 1).window(65535));
        assertEquals(TcpState.TIME_WAIT, h.stateOf(c));
        assertEquals(0, c.sender.buffer.capacity());
        assertEquals(0, c.receiver.buffer.capacity());
        assertFalse(c.sender.buffer.holdsMemory());
        assertEquals(0, h.tcp.chunks.inUse(), "every chunk returned");
    }

    // ---- the policy ----------------------------------------------------------------------------------

    static final long MS = 1_000_000L;

    static ReceivedSegment dataSegment(int length) {
        ReceivedSegment seg = new ReceivedSegment();
        seg.flags = TcpHeader.ACK;
        seg.payloadLength = length;
        return seg;
    }

    @Test
    void withoutTimestampsTheReceiverTimesAWholeWindowAndKeepsTheSmallestTime() {
        VirtualTimeEventLoop loop = new VirtualTimeEventLoop();
        BufferAutoTuning t = new BufferAutoTuning(loop, new Timestamps(loop, 0, false), 6 * MIB, 6 * MIB);
        ReceivedSegment seg = dataSegment(1460);
        t.onDataSegment(seg, 1460, 1460, 100_000); // times RCV.NXT reaching 101,460
        loop.runFor(30 * MS);
        t.onDataSegment(seg, 1460, 100_000, 100_000);
        assertEquals(0, t.receiverRttNanos(), "not a window yet");
        loop.runFor(30 * MS);
        t.onDataSegment(seg, 1460, 101_460, 100_000); // and now 201,460
        assertEquals(60 * MS, t.receiverRttNanos());
        loop.runFor(140 * MS);
        t.onDataSegment(seg, 1460, 201_460, 100_000);
        assertEquals(60 * MS, t.receiverRttNanos(), "a longer window time says the sender idled: ignored");
        loop.runFor(40 * MS);
        t.onDataSegment(seg, 1460, 301_460, 100_000);
        assertEquals(40 * MS, t.receiverRttNanos(), "a shorter one is taken");
    }

    @Test
    void withTimestampsTheReceiverAveragesTheAgeOfNewEchoes() {
        VirtualTimeEventLoop loop = new VirtualTimeEventLoop();
        Timestamps ts = new Timestamps(loop, 0, true);
        ts.onPeerSyn(new TcpOptions().timestamps(5, 0));
        BufferAutoTuning t = new BufferAutoTuning(loop, ts, 6 * MIB, 6 * MIB);
        loop.runFor(1000 * MS);
        ReceivedSegment seg = dataSegment(1448);
        seg.options.timestamps(100, 950); // echoes our TSval of 50 ms ago
        t.onDataSegment(seg, 1448, 1448, 0);
        assertEquals(50 * MS, t.receiverRttNanos());
        ReceivedSegment small = dataSegment(1000);
        small.options.timestamps(101, 850);
        t.onDataSegment(small, 1448, 2448, 0);
        assertEquals(50 * MS, t.receiverRttNanos(), "a segment shorter than the largest seen is not sampled");
        seg.options.timestamps(101, 850);
        t.onDataSegment(seg, 1448, 3896, 0);
        assertEquals(50 * MS, t.receiverRttNanos(), "nor is an echo seen already");
        seg.options.timestamps(102, 870);
        t.onDataSegment(seg, 1448, 5344, 0);
        assertEquals(50 * MS + (130 - 50) * MS / 8, t.receiverRttNanos(), "a longer sample: averaged in by 1/8");
        seg.options.timestamps(103, 990);
        t.onDataSegment(seg, 1448, 6792, 0);
        assertEquals(10 * MS, t.receiverRttNanos(), "a shorter one replaces the estimate");
    }

    @Test
    void theReceiveBufferGrowsToTwiceWhatWasReadInARoundTripPlusTheReorderingAllowance() {
        VirtualTimeEventLoop loop = new VirtualTimeEventLoop();
        BufferAutoTuning t = new BufferAutoTuning(loop, new Timestamps(loop, 0, false), 6 * MIB, 6 * MIB);
        t.start(0, 100_000, 1460); // the first baseline: 10 segments, 14,600 bytes
        assertEquals(256 * KIB, t.receiveTarget(1_000_000, 256 * KIB, 1460, 0), "no round-trip estimate yet");
        ReceivedSegment seg = dataSegment(1460);
        t.onDataSegment(seg, 1460, 0, 100_000);
        loop.runFor(60 * MS);
        t.onDataSegment(seg, 1460, 100_000, 100_000); // RTT 60 ms
        assertEquals(256 * KIB, t.receiveTarget(10_000, 256 * KIB, 1460, 0), "10,000 bytes: under the baseline");
        loop.runFor(40 * MS);
        assertEquals(256 * KIB, t.receiveTarget(500_000, 256 * KIB, 1460, 0), "once per round trip only");
        loop.runFor(20 * MS);
        assertEquals(2 * 490_000 + 16 * 1460, t.receiveTarget(500_000, 256 * KIB, 1460, 0),
            "490,000 bytes read in a round trip: twice that, and 16 segments");
        loop.runFor(60 * MS);
        assertEquals(1_003_360, t.receiveTarget(900_000, 1_003_360, 1460, 0), "less than the most read: no change");
        loop.runFor(60 * MS);
        assertEquals(2 * 1_000_000 + 100_000, t.receiveTarget(1_900_000, 1_003_360, 1460, 100_000),
            "out-of-order data held 100,000 bytes ahead: that allowance instead");
        loop.runFor(60 * MS);
        assertEquals(6 * MIB, t.receiveTarget(9_000_000, 2_100_000, 1460, 0), "at most the maximum");
        BufferAutoTuning off = new BufferAutoTuning(loop, new Timestamps(loop, 0, false), 256 * KIB, 256 * KIB);
        off.start(0, 100_000, 1460);
        off.onDataSegment(seg, 1460, 0, 100_000);
        loop.runFor(60 * MS);
        off.onDataSegment(seg, 1460, 100_000, 100_000);
        loop.runFor(60 * MS);
        assertEquals(256 * KIB, off.receiveTarget(5_000_000, 256 * KIB, 1460, 0), "maximum == initial: fixed");
    }

    @Test
    void theSendBufferFollowsTwiceTheCongestionWindow() {
        VirtualTimeEventLoop loop = new VirtualTimeEventLoop();
        BufferAutoTuning t = new BufferAutoTuning(loop, new Timestamps(loop, 0, false), 6 * MIB, 6 * MIB);
        assertEquals(256 * KIB, t.sendTarget(100_000, 1448, 256 * KIB), "never below the size now");
        assertEquals(2_000_000, t.sendTarget(1_000_000, 1448, 256 * KIB));
        assertEquals(6 * MIB, t.sendTarget(4 * MIB, 1448, 2_000_000), "at most the maximum");
        assertEquals(2 * 10 * 1448, t.sendTarget(1448, 1448, 1000), "at least twice ten segments");
        BufferAutoTuning off = new BufferAutoTuning(loop, new Timestamps(loop, 0, false), 256 * KIB, 256 * KIB);
        assertEquals(256 * KIB, off.sendTarget(4 * MIB, 1448, 256 * KIB), "maximum == initial: fixed");
    }

    // ---- the window over a long fat path ---------------------------------------------------------

    /** What one transfer showed. */
    record Outcome(double mbitPerSecond, double lastHalfMbitPerSecond, long maxWindow, int receiveTarget,
                   int maxSendLimit, long receiverRttMillis, int edgeRetreats, long virtualMillis) {
    }

    static final int PATTERN_PERIOD = 8 * MIB + 7;
    static final byte[] PATTERN = pattern();

    private static byte[] pattern() {
        byte[] b = new byte[2 * PATTERN_PERIOD];
        new SplittableRandom(7).nextBytes(b);
        System.arraycopy(b, 0, b, PATTERN_PERIOD, PATTERN_PERIOD);
        return b;
    }

    /**
     * Sends {@code total} bytes from a client to a server over a loss-free link with a
     * one-way delay of 25 ms (50 ms round trip) and no rate limit, in virtual time; the
     * server reads as soon as data is there and checks every byte.
     */
    static Outcome transfer(TcpConfig config, int total) throws Exception {
        VirtualTimeEventLoop loop = new VirtualTimeEventLoop();
        SimulatedLink link = new SimulatedLink(loop, 1, new SimulatedLink.Impairments(0, 0, 0, 0, 25_000_000, 0));
        DefaultTcp client = new DefaultTcp(link.a, config, StackContext.seeded(loop, 11, "client"));
        DefaultTcp server = new DefaultTcp(link.b, config, StackContext.seeded(loop, 12, "server"));
        link.a.tcp = client;
        link.b.tcp = server;
        int scale = DefaultTcp.windowScaleFor(config.maxReceiveBufferSize());
        long[] maxWindow = new long[1];
        int[] lastEdge = new int[1];
        boolean[] edgeSeen = new boolean[1];
        int[] retreats = new int[1];
        TcpHeader header = new TcpHeader();
        link.tap = (end, segment) -> {
            if (end != link.b) {
                return;
            }
            header.wrap(segment, 0, segment.remaining());
            if ((header.flags() & TcpHeader.ACK) == 0 || (header.flags() & (TcpHeader.SYN | TcpHeader.RST)) != 0) {
                return;
            }
            long window = (long) header.window() << scale;
            int edge = header.ackNumber() + (int) window;
            maxWindow[0] = Math.max(maxWindow[0], window);
            if (edgeSeen[0] && SeqNum.lt(edge, lastEdge[0])) {
                retreats[0]++;
            }
            lastEdge[0] = edgeSeen[0] ? SeqNum.max(edge, lastEdge[0]) : edge;
            edgeSeen[0] = true;
        };
        Reader reader = new Reader(loop, total);
        server.listen(5001, reader::start);
        TcpFlow flow = loop.await(client.connect(link.b.address, 5001), Duration.ofSeconds(5));
        Connection sender = client.connection(link.a.address, flow.src().port(), link.b.address, 5001);
        Connection receiver = server.connection(link.b.address, 5001, link.a.address, flow.src().port());
        long start = loop.nanoTime();
        writeFrom(flow, 0, total);
        int[] maxSendLimit = new int[1];
        int[] receiveTarget = new int[1];
        long[] rtt = new long[1];
        boolean done = loop.runUntil(() -> {
            maxSendLimit[0] = Math.max(maxSendLimit[0], sender.sender.buffer.limit());
            receiveTarget[0] = Math.max(receiveTarget[0], receiver.receiver.bufferTarget());
            rtt[0] = receiver.autoTuning.receiverRttNanos();
            assertTrue(sender.sender.buffer.capacity() <= sender.sender.buffer.limit() + 2 * ChunkPool.SIZE);
            // Room for everything up to the edge offered, within the limit: never taken back.
            Receiver rcv = receiver.receiver;
            if (rcv.buffer != null) {
                long extent = (long) (rcv.advertisedEdge() - rcv.rcvNxt) + rcv.buffer.readable();
                assertTrue(extent <= rcv.buffer.limit(), "the buffer holds up to the edge offered");
                assertTrue(rcv.buffer.capacity() <= rcv.buffer.limit() + 2 * ChunkPool.SIZE);
            }
            return reader.received >= total;
        }, Duration.ofMinutes(10).toNanos());
        assertTrue(done, "received " + reader.received + " of " + total);
        reader.rethrow();
        double seconds = (loop.nanoTime() - start) / 1e9;
        double lastHalf = (loop.nanoTime() - reader.halfAt) / 1e9;
        return new Outcome(total * 8 / seconds / 1e6, (total - total / 2) * 8 / lastHalf / 1e6, maxWindow[0],
            receiveTarget[0], maxSendLimit[0], rtt[0] / 1_000_000, retreats[0], (loop.nanoTime() - start) / 1_000_000);
    }

    private static void writeFrom(TcpFlow flow, long offset, int total) {
        if (offset >= total) {
            return;
        }
        int n = (int) Math.min(256 * KIB, total - offset);
        flow.write(ByteBuffer.wrap(PATTERN, (int) (offset % PATTERN_PERIOD), n))
            .thenRun(() -> writeFrom(flow, offset + n, total));
    }

    /** Reads until {@code total} bytes came, checking each against the pattern. */
    static final class Reader {
        final VirtualTimeEventLoop loop;
        final int total;
        long received;
        long halfAt;
        Throwable failure;

        Reader(VirtualTimeEventLoop loop, int total) {
            this.loop = loop;
            this.total = total;
        }

        void start(TcpFlow flow) {
            flow.read().whenComplete((r, e) -> {
                if (e != null) {
                    failure = e;
                    return;
                }
                if (r instanceof ReadResult.Data d) {
                    ByteBuffer b = d.data();
                    int n = b.remaining();
                    byte[] got = new byte[n];
                    b.get(got);
                    int at = (int) (received % PATTERN_PERIOD);
                    if (!Arrays.equals(got, 0, n, PATTERN, at, at + n)) {
                        failure = new AssertionError("bytes differ after " + received);
                        return;
                    }
                    if (received < total / 2 && received + n >= total / 2) {
                        halfAt = loop.nanoTime();
                    }
                    received += n;
                    start(flow);
                }
            });
        }

        void rethrow() {
            if (failure != null) {
                throw new AssertionError(failure);
            }
        }
    }

    static final int TRANSFER = 64 * MIB;
    /** One 256 KiB window per 50 ms round trip, in Mbit/s: the ceiling without auto-tuning. */
    static final double FIXED_WINDOW_MBIT = 256.0 * KIB * 8 / 0.050 / 1e6;

    @ParameterizedTest(name = "timestamps {0}")
    @ValueSource(booleans = {true, false})
    void theWindowOfferedGrowsWithTheBandwidthDelayProduct(boolean timestamps) throws Exception {
        Outcome o = transfer(TcpConfig.DEFAULT.withTimestamps(timestamps), TRANSFER);
        System.out.printf("auto-tuning, timestamps %s: %s%n", timestamps, o);
        assertTrue(o.maxWindow() >= 4 * MIB, "the window offered reached several MiB: " + o);
        assertTrue(o.receiveTarget() >= 4 * MIB && o.receiveTarget() <= 6 * MIB, o.toString());
        assertTrue(o.maxSendLimit() > 1 * MIB && o.maxSendLimit() <= 6 * MIB, "the send buffer followed cwnd: " + o);
        assertTrue(o.lastHalfMbitPerSecond() > 10 * FIXED_WINDOW_MBIT,
            "far above one 256 KiB window per round trip (" + FIXED_WINDOW_MBIT + " Mbit/s): " + o);
        assertTrue(o.receiverRttMillis() >= 50 && o.receiverRttMillis() < 150, "the receiver's RTT estimate: " + o);
        assertEquals(0, o.edgeRetreats(), "the window offered never moves left: " + o);
    }

    @Test
    void withAutoTuningOffTheWindowStaysPut() throws Exception {
        TcpConfig fixed = TcpConfig.DEFAULT.withBuffers(256 * KIB, 256 * KIB, 256 * KIB, 256 * KIB);
        Outcome o = transfer(fixed, 16 * MIB);
        System.out.printf("fixed 256 KiB buffers: %s%n", o);
        assertTrue(o.maxWindow() <= 256 * KIB + 8, "at most the buffer and one scale unit (shift 3): " + o);
        assertEquals(256 * KIB, o.receiveTarget());
        assertEquals(256 * KIB, o.maxSendLimit());
        assertTrue(o.lastHalfMbitPerSecond() <= FIXED_WINDOW_MBIT * 1.02, "one window per round trip: " + o);
        assertEquals(0, o.edgeRetreats(), o.toString());
    }
}
