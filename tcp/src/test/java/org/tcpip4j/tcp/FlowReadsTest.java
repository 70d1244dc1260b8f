package org.tcpip4j.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.CompletionHandler;
import java.nio.channels.ReadPendingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.tcpip4j.netif.IpEndpoint;

/**
 * The default buffer read and reception of {@link TcpFlow}, over {@code read()}, for
 * flows that implement only that: bytes that do not fit are kept for the next read, the
 * end and failures come through unwrapped, one read at a time, and a reception pauses
 * on bytes left and resumes with them.
 */
class FlowReadsTest {

    /** A flow that implements only {@code read()}, whose futures the test completes. */
    static final class ScriptedFlow implements TcpFlow {
        final ArrayDeque<CompletableFuture<ReadResult>> reads = new ArrayDeque<>();
        int readCalls;

        @Override
        public CompletableFuture<ReadResult> read() {
            readCalls++;
            CompletableFuture<ReadResult> f = new CompletableFuture<>();
            reads.add(f);
            return f;
        }

        void give(String text) {
            reads.remove().complete(new ReadResult.Data(ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII))));
        }

        void end() {
            reads.remove().complete(ReadResult.EOF);
        }

        void fail(Throwable e) {
            reads.remove().completeExceptionally(e);
        }

        @Override
        public CompletableFuture<Void> write(ByteBuffer data) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletableFuture<Void> writev(List<ByteBuffer> data) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletableFuture<Void> writeNodelay(ByteBuffer data) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletableFuture<Void> writevNodelay(List<ByteBuffer> data) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletableFuture<Void> close() {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletableFuture<Void> shutdown(Shutdown mode) {
            throw new UnsupportedOperationException();
        }

        @Override
        public IpEndpoint src() {
            throw new UnsupportedOperationException();
        }

        @Override
        public IpEndpoint dst() {
            throw new UnsupportedOperationException();
        }
    }

    /** Records the outcomes of reads as strings: the bytes read, "-1", or the failure's class. */
    static final class Outcomes implements CompletionHandler<Integer, ByteBuffer> {
        final List<String> results = new ArrayList<>();

        @Override
        public void completed(Integer n, ByteBuffer dst) {
            results.add(n < 0 ? "-1" : new String(dst.array(), 0, dst.position(), StandardCharsets.US_ASCII));
        }

        @Override
        public void failed(Throwable e, ByteBuffer dst) {
            results.add(e.getClass().getSimpleName());
        }
    }

    private static ByteBuffer four() {
        return ByteBuffer.allocate(4);
    }

    @Test
    void bytesThatDoNotFitAreKeptForTheNextReads() {
        ScriptedFlow flow = new ScriptedFlow();
        Outcomes o = new Outcomes();
        ByteBuffer first = four();
        flow.read(first, first, o);
        flow.give("abcdefghij");
        ByteBuffer second = four();
        flow.read(second, second, o);
        ByteBuffer third = four();
        flow.read(third, third, o);
        assertEquals(List.of("abcd", "efgh", "ij"), o.results);
        assertEquals(1, flow.readCalls, "the kept bytes were read without asking the flow");
        ByteBuffer fourth = four();
        flow.read(fourth, fourth, o);
        assertEquals(2, flow.readCalls);
        flow.end();
        assertEquals("-1", o.results.getLast());
    }

    @Test
    void aFailureReachesTheHandlerUnwrappedAndTheFutureToo() throws Exception {
        ScriptedFlow flow = new ScriptedFlow();
        Outcomes o = new Outcomes();
        ByteBuffer dst = four();
        flow.read(dst, dst, o);
        flow.fail(new TcpException.Reset("reset"));
        assertEquals(List.of("Reset"), o.results);
        CompletableFuture<Integer> read = flow.read(four());
        flow.fail(new TcpException.Timeout("gone"));
        ExecutionException e = assertThrows(ExecutionException.class, () -> read.get(1, TimeUnit.SECONDS));
        assertInstanceOf(TcpException.Timeout.class, e.getCause());
    }

    @Test
    void oneReadAtATimeAndNoReadOnlyBuffer() {
        ScriptedFlow flow = new ScriptedFlow();
        Outcomes o = new Outcomes();
        flow.read(four(), four(), o);
        assertThrows(ReadPendingException.class, () -> flow.read(four(), four(), o));
        assertThrows(IllegalStateException.class, () -> flow.receive(new Recorder()));
        flow.give("ab");
        assertThrows(IllegalArgumentException.class, () -> flow.read(four().asReadOnlyBuffer(), null, o));
    }

    @Test
    void handlersReadingKeptBytesAgainNestABoundedNumberOfTimes() throws Exception {
        ScriptedFlow flow = new ScriptedFlow();
        ByteBuffer one = ByteBuffer.allocate(1);
        ThreadLocal<int[]> depth = ThreadLocal.withInitial(() -> new int[1]); // handlers nested on one thread
        int[] deepest = new int[1];
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        CompletableFuture<Void> done = new CompletableFuture<>();
        CompletionHandler<Integer, Void> handler = new CompletionHandler<>() {
            @Override
            public void completed(Integer n, Void a) {
                int[] d = depth.get();
                d[0]++;
                synchronized (got) {
                    got.write(one.get(0));
                    deepest[0] = Math.max(deepest[0], d[0]);
                }
                if (got.size() == 100) {
                    done.complete(null);
                } else {
                    flow.read(one.clear(), null, this);
                }
                d[0]--;
            }

            @Override
            public void failed(Throwable e, Void a) {
                done.completeExceptionally(e);
            }
        };
        flow.read(one, null, handler);
        flow.give("x".repeat(100));
        done.get(10, TimeUnit.SECONDS);
        assertEquals("x".repeat(100), got.toString(StandardCharsets.US_ASCII));
        synchronized (got) {
            assertTrue(deepest[0] <= 17, "nested " + deepest[0]);
        }
    }

    /** Takes at most {@code take} bytes of each view (all when negative). */
    static final class Recorder implements FlowReceiver {
        final StringBuilder text = new StringBuilder();
        int take = -1;
        boolean readOnly = true;
        String end;

        @Override
        public void data(ByteBuffer view) {
            readOnly &= view.isReadOnly();
            int n = take < 0 ? view.remaining() : Math.min(take, view.remaining());
            for (int i = 0; i < n; i++) {
                text.append((char) view.get());
            }
        }

        @Override
        public void end() {
            end = "end";
        }

        @Override
        public void failed(TcpException cause) {
            end = cause.getClass().getSimpleName();
        }
    }

    @Test
    void aReceptionLendsEachBufferPausesOnBytesLeftAndResumesWithThem() {
        ScriptedFlow flow = new ScriptedFlow();
        Outcomes o = new Outcomes();
        ByteBuffer dst = ByteBuffer.allocate(2);
        flow.read(dst, dst, o);
        flow.give("abcdef");
        Recorder r = new Recorder();
        r.take = 3;
        FlowReception reception = flow.receive(r);
        assertEquals("cde", r.text.toString(), "what the read left comes first");
        assertTrue(reception.isPaused());
        assertEquals(1, flow.readCalls, "paused: no read");
        r.take = -1;
        reception.resume();
        assertEquals("cdef", r.text.toString());
        flow.give("gh");
        assertEquals("cdefgh", r.text.toString());
        reception.pause();
        flow.give("ij");
        assertEquals("cdefgh", r.text.toString());
        reception.resume();
        flow.end();
        assertEquals("cdefghij", r.text.toString());
        assertEquals("end", r.end);
        assertTrue(r.readOnly);
    }

    @Test
    void aFailureEndsAPausedReceptionAtOnce() {
        ScriptedFlow flow = new ScriptedFlow();
        Recorder r = new Recorder();
        FlowReception reception = flow.receive(r);
        reception.pause();
        flow.fail(new TcpException.Reset("reset"));
        assertEquals("Reset", r.end);
    }
}
