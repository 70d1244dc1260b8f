package org.tcpip4j.stack.direct;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.CompletionHandler;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.LongFunction;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.tcpip4j.netif.Ipv4Address;
import org.tcpip4j.netif.Ipv4Cidr;
import org.tcpip4j.netif.MacAddress;
import org.tcpip4j.netif.loop.VirtualTimeEventLoop;
import org.tcpip4j.netif.memory.MemorySwitch;
import org.tcpip4j.tcp.FlowReceiver;
import org.tcpip4j.tcp.TcpException;
import org.tcpip4j.tcp.TcpFlow;
import org.tcpip4j.testsupport.AllocationMeter;

/**
 * A bulk transfer between two direct stacks on the in-memory switch, the application
 * reading every byte, allocates nothing per segment in steady state, on both ends and in
 * the reader: with {@code read(dst, attachment, handler)} into a buffer and a handler used
 * again, with {@code receive} (the switch's read-only frames lent, their bytes never copied
 * into the receive buffer), and with the blocking
 * {@code inputStream()} on a thread of its own. Both stacks share one virtual-time loop,
 * driven by the test's thread; the sender writes its 96 MiB in one write. After 48 MiB of
 * warm-up, the bytes allocated by every thread involved (the loop's and, for the stream,
 * the reader's) are counted over the next 32 MiB and divided by the segments both stacks
 * sent (data and ACKs).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReaderAllocationTest {

    private static final int PORT = 5001;
    private static final long WARM_UP = 48L << 20;
    private static final long MEASURED = 32L << 20;
    /**
     * The bound on bytes allocated per segment: reading the meter boxes a few longs, and a
     * read completes with a count boxed once per value for the JVM's life (a value not seen
     * before costs 16 bytes), together a few hundred bytes over tens of thousands of
     * segments; one object per segment (16 bytes at least) is far above it.
     */
    private static final double BOUND = 0.1;
    /** The bound on bytes allocated per read of 64 KiB: an object per read (16 bytes at least) is above it. */
    private static final double READ_BOUND = 4;
    /**
     * The bound for the stream's reader thread: a resumption costs it a node of the loop's
     * task queue (24 bytes) once per half ring (32 KiB, 22 full segments) at most, which
     * stays under one byte per segment; an object per segment does not.
     */
    private static final double READER_BOUND = 1.0;
    /** The measured bytes are taken in this many windows, the least of them counting. */
    private static final int WINDOWS = 4;

    /** Two stacks on one switch and loop, a connection between them, and the sender's one write. */
    private static final class Transfer {
        final VirtualTimeEventLoop loop = new VirtualTimeEventLoop();
        final DirectStack server;
        final DirectStack client;
        final CompletableFuture<TcpFlow> accepted = new CompletableFuture<>();
        TcpFlow sender;

        Transfer() {
            MemorySwitch network = new MemorySwitch(loop);
            server = DirectStackBuilder.on(network.port(MacAddress.parse("02:00:00:00:00:02")))
                .address(Ipv4Cidr.parse("198.18.0.2/24")).seed(2).name("server").build();
            client = DirectStackBuilder.on(network.port(MacAddress.parse("02:00:00:00:00:01")))
                .address(Ipv4Cidr.parse("198.18.0.1/24")).seed(1).name("client").build();
            server.listenTcp(PORT, accepted::complete);
        }

        /** Connects and starts the sender's one write; returns the server's flow. */
        TcpFlow start() throws Exception {
            sender = loop.await(client.tcp().connect(Ipv4Address.parse("198.18.0.2"), PORT),
                TimeUnit.SECONDS.toNanos(10));
            TcpFlow flow = loop.await(accepted, TimeUnit.SECONDS.toNanos(10));
            sender.write(ByteBuffer.wrap(new byte[96 << 20]));
            return flow;
        }

        long segments() {
            return server.tcp().counters().get("tx.segments") + client.tcp().counters().get("tx.segments");
        }
    }

    /** What the threads allocated over the measured window, and the segments sent meanwhile. */
    private record Allocated(long loopBytes, long readerBytes, long segments, long events) {
        double perSegment() {
            return (double) (loopBytes + readerBytes) / segments;
        }
    }

    /**
     * Runs {@code warmUp}, then {@value #WINDOWS} windows of {@code MEASURED / WINDOWS} bytes
     * each ({@code runTo} runs until the reader has the bytes given), and returns the
     * window with the fewest bytes allocated per segment: the bytes the loop's thread and
     * {@code reader} (when not null) allocated in it, the segments sent meanwhile and the
     * {@code events} counted (reads). Steady state is the least a window shows: a JIT
     * compilation that lands in one window allocates there once, not per segment.
     */
    private static Allocated measure(Transfer t, Runnable warmUp, LongFunction<Runnable> runTo, LongSupplier received,
                                     Thread reader, LongSupplier events) {
        warmUp.run();
        for (int i = 0; i < 1000; i++) {
            AllocationMeter.allocatedBytes(); // warm the meter's reflective paths up
            AllocationMeter.allocatedBytes(Thread.currentThread());
        }
        Allocated best = null;
        for (int w = 1; w <= WINDOWS; w++) {
            long goal = WARM_UP + w * (MEASURED / WINDOWS);
            long segmentsBefore = t.segments();
            long eventsBefore = events.getAsLong();
            long loopBefore = AllocationMeter.allocatedBytes();
            long readerBefore = reader == null ? 0 : AllocationMeter.allocatedBytes(reader);
            runTo.apply(goal).run();
            long loopAfter = AllocationMeter.allocatedBytes();
            long readerAfter = reader == null ? 0 : AllocationMeter.allocatedBytes(reader);
            Allocated a = new Allocated(loopAfter - loopBefore, readerAfter - readerBefore,
                t.segments() - segmentsBefore, events.getAsLong() - eventsBefore);
            assertTrue(received.getAsLong() > goal, "the transfer did not get through the measured bytes");
            assertTrue(loopBefore >= 0 && readerBefore >= 0 && readerAfter >= 0,
                "the JVM does not count the threads' allocations");
            System.out.printf("window %d: %d segments; allocated: loop thread %d bytes, reader thread %d bytes; %.4f"
                + " bytes per segment%n", w, a.segments(), a.loopBytes(), a.readerBytes(), a.perSegment());
            assertTrue(a.segments() > 20_000 / WINDOWS, "segments: " + a.segments());
            if (best == null || a.perSegment() < best.perSegment()) {
                best = a;
            }
        }
        return best;
    }

    /** Runs the loop until {@code condition} holds. */
    private static Runnable until(Transfer t, BooleanSupplier condition) {
        return () -> t.loop.runUntil(condition, TimeUnit.SECONDS.toNanos(120));
    }

    /** A reader that reads into one buffer with one handler, again from the handler. */
    private static final class BufferReader implements CompletionHandler<Integer, TcpFlow> {
        final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        long received;
        long reads;
        Throwable failure;

        @Override
        public void completed(Integer n, TcpFlow flow) {
            if (n < 0) {
                return;
            }
            received += n;
            reads++;
            buffer.clear();
            flow.read(buffer, flow, this);
        }

        @Override
        public void failed(Throwable e, TcpFlow flow) {
            failure = e;
        }
    }

    @Test
    @Order(1)
    void readingIntoAReusedBufferAllocatesNothingPerSegment() throws Exception {
        Transfer t = new Transfer();
        TcpFlow flow = t.start();
        BufferReader reader = new BufferReader();
        flow.read(reader.buffer, flow, reader); // the test's thread is the loop's
        Allocated a = measure(t, until(t, () -> reader.received > WARM_UP),
            goal -> until(t, () -> reader.received > goal), () -> reader.received, null, () -> reader.reads);
        assertEquals(null, reader.failure);
        long reads = a.events();
        double perRead = (double) a.loopBytes() / reads;
        System.out.printf("%d reads, %.1f segments and %.2f bytes allocated per read%n", reads,
            (double) a.segments() / reads, perRead);
        assertTrue(a.perSegment() < BOUND, "bytes allocated per segment: " + a.perSegment());
        assertTrue(perRead < READ_BOUND, "bytes allocated per read: " + perRead);
    }

    /** A receiver that takes every view whole. */
    private static final class Receiver implements FlowReceiver {
        long received;
        long calls;
        TcpException failure;

        @Override
        public void data(ByteBuffer view) {
            received += view.remaining();
            calls++;
            view.position(view.limit());
        }

        @Override
        public void end() {
        }

        @Override
        public void failed(TcpException cause) {
            failure = cause;
        }
    }

    @Test
    @Order(2)
    void receivingLentViewsAllocatesNothingPerSegment() throws Exception {
        Transfer t = new Transfer();
        TcpFlow flow = t.start();
        Receiver receiver = new Receiver();
        flow.receive(receiver);
        Allocated a = measure(t, until(t, () -> receiver.received > WARM_UP),
            goal -> until(t, () -> receiver.received > goal), () -> receiver.received, null, () -> receiver.calls);
        assertEquals(null, receiver.failure);
        System.out.printf("%.1f segments per call%n", (double) a.segments() / a.events());
        long lent = t.server.tcp().counters().get("rx.bytes_lent");
        assertTrue(lent > receiver.received / 2, "lent from the frames: " + lent + " of " + receiver.received);
        assertTrue(a.perSegment() < BOUND, "bytes allocated per segment: " + a.perSegment());
    }

    @Test
    @Order(3)
    void theInputStreamOnAThreadOfItsOwnAllocatesNothingPerSegment() throws Exception {
        Transfer t = new Transfer();
        TcpFlow flow = t.start();
        AtomicLong received = new AtomicLong();
        CompletableFuture<Void> stopped = new CompletableFuture<>();
        // A platform thread: the JVM counts the allocations of platform threads only. It
        // reads to the end of the stream, so that it is still there when measured.
        InputStream in = flow.inputStream();
        Thread reader = Thread.ofPlatform().name("reader").start(() -> {
            byte[] b = new byte[16 * 1024];
            try {
                int n;
                while ((n = in.read(b)) > 0) {
                    received.addAndGet(n);
                }
                stopped.complete(null);
            } catch (IOException | RuntimeException e) {
                stopped.completeExceptionally(e);
            }
        });
        try {
            Allocated a = measure(t, () -> drive(t, received, WARM_UP, reader, in),
                goal -> () -> drive(t, received, goal, reader, in), received::get, reader, () -> 0);
            assertTrue((double) a.loopBytes() / a.segments() < BOUND,
                "bytes the loop allocated per segment: " + (double) a.loopBytes() / a.segments());
            // The reader hands the loop a task (a node of its queue) only when it falls a
            // whole ring behind, at most once per half ring it frees.
            assertTrue((double) a.readerBytes() / a.segments() < READER_BOUND,
                "bytes the reader allocated per segment: " + (double) a.readerBytes() / a.segments());
        } finally {
            t.server.tcp().disconnect(); // resets the flow: the reader's next read fails
            t.loop.runFor(TimeUnit.MILLISECONDS.toNanos(10));
            reader.join(TimeUnit.SECONDS.toMillis(10));
        }
        assertTrue(stopped.isCompletedExceptionally(), "the reader saw the reset");
    }

    /**
     * Runs the loop until the reader has {@code goal} bytes. Time moves on to the next timer
     * only when nothing is ready and the reader waits with its stream empty; while it has
     * bytes to take (or has just been woken to take them), the loop waits for it, as a loop
     * in real time would, whose timers are far slower than a copy from the ring.
     */
    private static void drive(Transfer t, AtomicLong received, long goal, Thread reader, InputStream in) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        try {
            while (received.get() <= goal && reader.isAlive() && System.nanoTime() - deadline < 0) {
                if (t.loop.pendingTasks() > 0 || (reader.getState() == Thread.State.WAITING && in.available() == 0)) {
                    t.loop.step();
                } else {
                    Thread.onSpinWait();
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
