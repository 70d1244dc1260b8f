package org.tcpip4j.tcp.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tcpip4j.tcp.internal.DataTransferTest.bytes;
import static org.tcpip4j.tcp.internal.DataTransferTest.open;
import static org.tcpip4j.tcp.internal.DataTransferTest.ours;
import static org.tcpip4j.tcp.internal.TcpHarness.*;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.CompletionHandler;
import java.nio.channels.ReadPendingException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tcpip4j.tcp.FlowReceiver;
import org.tcpip4j.tcp.FlowReception;
import org.tcpip4j.tcp.ReadResult;
import org.tcpip4j.tcp.Shutdown;
import org.tcpip4j.tcp.TcpException;
import org.tcpip4j.tcp.TcpFlow;

/**
 * The direct flow's reads into the caller's buffer and its reception of lent views: the
 * same bytes and the same end as {@code read()}, one form at a time, handlers and
 * receivers on the loop, backpressure by pausing, and the window reopened under the rule
 * {@code read()} follows (RFC 9293 3.8.6.2.2). Our buffers are 8 KiB, the peer's segments
 * 1000 bytes.
 */
class FlowReadFormsTest {

    /** Records what buffer reads complete with, and whether each came on the loop. */
    static final class Outcomes implements CompletionHandler<Integer, TcpFlow> {
        final List<Object> results = new ArrayList<>();
        boolean allOnLoop = true;

        @Override
        public void completed(Integer n, TcpFlow flow) {
            allOnLoop &= flow.inEventLoop();
            results.add(n);
        }

        @Override
        public void failed(Throwable e, TcpFlow flow) {
            allOnLoop &= flow.inEventLoop();
            results.add(e);
        }

        Object last() {
            return results.getLast();
        }
    }

    /** Takes at most {@code take} bytes of each view (all when negative), recording them and the calls. */
    static class Recorder implements FlowReceiver {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final List<Integer> views = new ArrayList<>();
        int take = -1;
        boolean readOnly = true;
        int ends;
        TcpException failure;

        @Override
        public void data(ByteBuffer view) {
            readOnly &= view.isReadOnly();
            views.add(view.remaining());
            int n = take < 0 ? view.remaining() : Math.min(take, view.remaining());
            byte[] b = new byte[n];
            view.get(b);
            bytes.writeBytes(b);
        }

        @Override
        public void end() {
            ends++;
        }

        @Override
        public void failed(TcpException cause) {
            failure = cause;
        }
    }

    /** Sends {@code data} from the peer in segments of 1000 bytes from sequence number 5001 + {@code offset}. */
    static void inject(TcpHarness h, byte[] data, int offset) {
        for (int i = 0; i < data.length; i += 1000) {
            h.inject(from(40000, 80, ACK, 5001 + offset + i, 1001)
                .payload(Arrays.copyOfRange(data, i, Math.min(data.length, i + 1000))));
        }
    }

    @Test
    void aReadCopiesWhatFitsLeavesTheRestAndCompletesOnTheLoop() {
        TcpHarness h = new TcpHarness();
        TcpFlow flow = open(h, 1000, 8192);
        byte[] data = bytes(3000, 1);
        inject(h, data, 0);
        Outcomes o = new Outcomes();
        ByteBuffer dst = ByteBuffer.allocate(1200);
        flow.read(dst, flow, o); // the test's thread is the loop's: bytes there, the handler runs at once
        assertEquals(List.of(1200), o.results);
        assertEquals(1200, dst.position());
        assertArrayEquals(Arrays.copyOf(data, 1200), Arrays.copyOf(dst.array(), 1200));
        ByteBuffer big = ByteBuffer.allocate(5000).position(100);
        flow.read(big, flow, o);
        assertEquals(1800, o.last(), "what is left, from the position on");
        assertArrayEquals(Arrays.copyOfRange(data, 1200, 3000), Arrays.copyOfRange(big.array(), 100, 1900));
        flow.read(big.clear(), flow, o);
        h.settle();
        assertEquals(2, o.results.size(), "nothing to read: it waits");
        inject(h, bytes(500, 9), 3000);
        assertEquals(500, o.last());
        assertTrue(o.allOnLoop);
    }

    @Test
    void minusOneComesOnlyAfterEveryByteAndAgainAfter() {
        TcpHarness h = new TcpHarness();
        TcpFlow flow = open(h, 1000, 8192);
        h.inject(from(40000, 80, ACK | FIN, 5001, 1001).payload(bytes(100, 1)));
        Outcomes o = new Outcomes();
        ByteBuffer dst = ByteBuffer.allocate(60);
        flow.read(dst, flow, o);
        flow.read(dst.clear(), flow, o);
        flow.read(dst.clear(), flow, o);
        flow.read(dst.clear(), flow, o);
        assertEquals(List.of(60, 40, -1, -1), o.results);
    }

    @Test
    void aResetFailsTheReadAndDiscardsWhatWasNotRead() {
        TcpHarness h = new TcpHarness();
        TcpFlow flow = open(h, 1000, 8192);
        Outcomes o = new Outcomes();
        flow.read(ByteBuffer.allocate(10), flow, o);
        h.inject(from(40000, 80, ACK, 5001, 1001).payload(bytes(100, 1)));
        h.inject(from(40000, 80, RST, 5101, 0));
        flow.read(ByteBuffer.allocate(10), flow, o);
        assertEquals(10, o.results.getFirst());
        assertInstanceOf(TcpException.Reset.class, o.last(), "the 90 bytes left are discarded");
    }

    @Test
    void aBufferWithoutRoomCompletesWithZeroAtOnceAndAReadOnlyOneIsRefused() {
        TcpHarness h = new TcpHarness();
        TcpFlow flow = open(h, 1000, 8192);
        Outcomes o = new Outcomes();
        flow.read(ByteBuffer.allocate(0), flow, o);
        assertEquals(List.of(0), o.results);
        assertThrows(IllegalArgumentException.class,
            () -> flow.read(ByteBuffer.allocate(10).asReadOnlyBuffer(), flow, o));
    }

    @Test
    void oneReadAtATimeWhateverItsForm() {
        TcpHarness h = new TcpHarness();
        TcpFlow flow = open(h, 1000, 8192);
        Outcomes o = new Outcomes();
        flow.read(ByteBuffer.allocate(10), flow, o);
        assertThrows(ReadPendingException.class, () -> flow.read(ByteBuffer.allocate(10), flow, o));
        assertInstanceOf(IllegalStateException.class, flow.read().exceptionNow());
        assertThrows(IllegalStateException.class, () -> flow.receive(new Recorder()));
        h.inject(from(40000, 80, ACK, 5001, 1001).payload(bytes(10, 1)));
        assertEquals(List.of(10), o.results, "the first read got the bytes");
        var pending = flow.read();
        assertThrows(ReadPendingException.class, () -> flow.read(ByteBuffer.allocate(10), flow, o));
        assertFalse(pending.isDone());
    }

    @Test
    void aHandlerThatReadsAgainNestsABoundedNumberOfTimesAndTheRestFollows() {
        TcpHarness h = new TcpHarness();
        TcpFlow flow = open(h, 1000, 8192);
        inject(h, bytes(3000, 1), 0);
        ByteBuffer one = ByteBuffer.allocate(1);
        int[] depth = new int[2];
        int[] total = new int[1];
        CompletionHandler<Integer, Void> handler = new CompletionHandler<>() {
            @Override
            public void completed(Integer n, Void a) {
                total[0] += n;
                depth[0]++;
                depth[1] = Math.max(depth[1], depth[0]);
                flow.read(one.clear(), null, this);
                depth[0]--;
            }

            @Override
            public void failed(Throwable e, Void a) {
            }
        };
        flow.read(one, null, handler);
        assertTrue(depth[1] <= 16, "nested " + depth[1]);
        h.settle();
        assertEquals(3000, total[0], "the rest, in later dispatches");
    }

    @Test
    void shuttingTheReadDirectionEndsAPendingReadWithMinusOne() {
        TcpHarness h = new TcpHarness();
        TcpFlow flow = open(h, 1000, 8192);
        Outcomes o = new Outcomes();
        flow.read(ByteBuffer.allocate(10), flow, o);
        flow.shutdown(Shutdown.READ);
        h.settle();
        assertEquals(List.of(-1), o.results);
    }

    /**
     * The window shut by unread data reopens, as for {@code read()}, only once the reader
     * has freed min(buffer / 2, MSS) = 1000 bytes: 999 read, nothing is sent; one more, and
     * the window update goes out at once.
     */
    @Test
    void theWindowReopensUnderTheRuleOfReadWhenTheBufferReadFreesEnough() {
        TcpHarness h = new TcpHarness();
        TcpFlow flow = open(h, 1000, 8192);
        fill(h);
        Outcomes o = new Outcomes();
        flow.read(ByteBuffer.allocate(999), flow, o);
        h.settle();
        h.sentNothing();
        flow.read(ByteBuffer.allocate(1), flow, o);
        h.settle();
        assertEquals(ours(ACK, 1001, 5001 + 8192).window(1000), h.sentOne());
    }

    /** The same when a receiver takes the bytes. */
    @Test
    void theWindowReopensUnderTheRuleOfReadWhenAReceiverTakesEnough() {
        TcpHarness h = new TcpHarness();
        TcpFlow flow = open(h, 1000, 8192);
        fill(h);
        Recorder r = new Recorder();
        r.take = 999;
        FlowReception reception = flow.receive(r);
        h.settle();
        assertEquals(999, r.bytes.size());
        assertTrue(reception.isPaused(), "bytes left in the view: paused");
        h.sentNothing();
        r.take = 1;
        reception.resume();
        h.settle();
        assertEquals(1000, r.bytes.size());
        assertEquals(ours(ACK, 1001, 5001 + 8192).window(1000), h.sentOne());
    }

    /** 8192 bytes from the peer, unread: the window is shut. */
    private static void fill(TcpHarness h) {
        inject(h, bytes(8192, 3), 0);
        h.advance(Duration.ofMillis(40));
        List<TestSegment> acks = h.sent();
        assertEquals(ours(ACK, 1001, 5001 + 8192).window(0), acks.getLast());
    }

    @Test
    void aReceiverIsLentReadOnlyViewsOfTheBufferRunByRunOnTheLoopAfterReceiveReturns() {
        TcpHarness h = new TcpHarness();
        TcpFlow flow = open(h, 1000, 8192);
        byte[] data = bytes(6000, 1);
        inject(h, data, 0);
        Recorder r = new Recorder();
        flow.receive(r);
        assertEquals(List.of(), r.views, "not within receive");
        h.settle();
        assertArrayEquals(data, r.bytes.toByteArray());
        assertTrue(r.readOnly);
        assertEquals(List.of(ChunkPool.SIZE, 6000 - ChunkPool.SIZE), r.views, "one view per chunk the bytes lie in");
        byte[] more = bytes(700, 5);
        inject(h, more, 6000);
        assertEquals(6700, r.bytes.size(), "then each arrival");
    }

    @Test
    void whilePausedBytesStayInTheBufferAndResumeDeliversThemInATaskOfItsOwn() {
        TcpHarness h = new TcpHarness();
        TcpFlow flow = open(h, 1000, 8192);
        Recorder r = new Recorder();
        FlowReception reception = flow.receive(r);
        h.settle();
        reception.pause();
        assertTrue(reception.isPaused());
        inject(h, bytes(3000, 1), 0);
        assertEquals(0, r.bytes.size());
        assertEquals(3000, h.connection(flow).receiver.buffer.readable(), "held in the receive buffer");
        reception.resume();
        assertEquals(0, r.bytes.size(), "not within resume");
        h.settle();
        assertEquals(3000, r.bytes.size());
        assertFalse(reception.isPaused());
    }

    @Test
    void theEndWaitsForTheBytesAndTheResumeButAFailureComesWhilePaused() {
        TcpHarness h = new TcpHarness();
        TcpFlow flow = open(h, 1000, 8192);
        Recorder r = new Recorder();
        FlowReception reception = flow.receive(r);
        reception.pause();
        h.inject(from(40000, 80, ACK | FIN, 5001, 1001).payload(bytes(100, 1)));
        h.settle();
        assertEquals(0, r.ends);
        reception.resume();
        h.settle();
        assertEquals(100, r.bytes.size());
        assertEquals(1, r.ends);
        Outcomes o = new Outcomes();
        flow.read(ByteBuffer.allocate(10), flow, o);
        assertEquals(List.of(-1), o.results, "after the end, reads give the same end");

        TcpHarness h2 = new TcpHarness();
        TcpFlow flow2 = open(h2, 1000, 8192);
        Recorder r2 = new Recorder();
        flow2.receive(r2).pause();
        h2.inject(from(40000, 80, ACK, 5001, 1001).payload(bytes(100, 1)));
        h2.inject(from(40000, 80, RST, 5101, 0));
        assertInstanceOf(TcpException.Reset.class, r2.failure);
        assertEquals(0, r2.bytes.size());
    }

    @Test
    void shuttingTheReadDirectionFromTheReceiverEndsTheReception() {
        TcpHarness h = new TcpHarness();
        TcpFlow flow = open(h, 1000, 8192);
        Recorder r = new Recorder() {
            @Override
            public void data(ByteBuffer view) {
                super.data(view);
                flow.shutdown(Shutdown.READ);
            }
        };
        r.take = 10;
        flow.receive(r);
        inject(h, bytes(3000, 1), 0);
        h.settle();
        assertEquals(10, r.bytes.size());
        assertEquals(1, r.ends);
        assertEquals(ReadResult.EOF, flow.read().resultNow());
    }

    @Test
    void aReceiverThatThrowsLosesNothingItDidNotTake() {
        TcpHarness h = new TcpHarness();
        TcpFlow flow = open(h, 1000, 8192);
        Recorder r = new Recorder() {
            @Override
            public void data(ByteBuffer view) {
                super.data(view);
                throw new IllegalStateException("receiver bug");
            }
        };
        r.take = 100;
        FlowReception reception = flow.receive(r);
        inject(h, bytes(1000, 1), 0);
        h.settle();
        assertEquals(100, r.bytes.size());
        assertTrue(reception.isPaused());
        r.take = -1;
        reception.resume();
        h.settle();
        assertArrayEquals(bytes(1000, 1), r.bytes.toByteArray());
    }
}
