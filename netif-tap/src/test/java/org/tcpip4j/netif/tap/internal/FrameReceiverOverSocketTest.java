package org.tcpip4j.netif.tap.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tcpip4j.netif.loop.RealTimeEventLoop;

/**
 * The reader thread, its rings and the real libc calls (poll, read, eventfd, close) over a
 * seqpacket socket pair instead of a TAP: runs without root and without {@code /dev/net/tun}.
 */
class FrameReceiverOverSocketTest {

    private static final int MTU = 1500;
    private static final int FRAME_CAPACITY = MTU + 14 + 4;

    private RealTimeEventLoop loop;
    private SocketPair pair;
    private int wakeFd;
    private final CountDownLatch released = new CountDownLatch(1);
    private final List<byte[]> frames = new CopyOnWriteArrayList<>();
    private final AtomicReference<String> failure = new AtomicReference<>();
    private final CountDownLatch failed = new CountDownLatch(1);
    private DescriptorGuard guard;
    private FrameReceiver receiver;

    @BeforeEach
    void setUp() {
        loop = new RealTimeEventLoop("receiver-test");
        pair = new SocketPair();
        ErrnoCapture errno = ErrnoCapture.allocate();
        wakeFd = Libc.eventfd(errno, 0, LinuxAbi.EFD_CLOEXEC | LinuxAbi.EFD_NONBLOCK);
        assertTrue(wakeFd >= 0, "eventfd");
        guard = new DescriptorGuard(() -> {
            pair.closeDevice();
            Libc.close(ErrnoCapture.allocate(), wakeFd);
            released.countDown();
        });
    }

    /** As TapNetif.disconnect: holds a use while waking, so the wake-up descriptor stays open. */
    private void closeReceiver() {
        boolean inUse = guard.acquire();
        guard.close();
        if (inUse) {
            try {
                FrameReceiver.wake(wakeFd);
            } finally {
                guard.release();
            }
        }
    }

    @AfterEach
    void tearDown() throws Exception {
        closeReceiver();
        released.await(5, TimeUnit.SECONDS);
        pair.close();
        loop.close();
    }

    private void start(int queueCapacity) {
        receiver = new FrameReceiver("pair", pair.device, wakeFd, guard, loop, 0, FRAME_CAPACITY, queueCapacity,
                new FrameReceiver.Sink() {
                    @Override
                    public void deliver(ByteBuffer frame, int vnetFlags, int gsoType) {
                        assertTrue(loop.inEventLoop());
                        byte[] copy = new byte[frame.remaining()];
                        frame.get(copy);
                        frames.add(copy);
                    }

                    @Override
                    public void failed(String reason) {
                        failure.set(reason);
                        failed.countDown();
                    }
                });
        receiver.start();
    }

    /** Frame {@code i}: its length runs over 60..MTU+14, its bytes carry {@code i} so order and content show. */
    static byte[] frame(int i) {
        int length = 60 + (int) ((i * 7919L) % (MTU + 14 - 60 + 1));
        byte[] f = new byte[length];
        ByteBuffer.wrap(f).putInt(0, i);
        for (int k = 4; k < length; k++) {
            f[k] = (byte) (i * 31 + k);
        }
        return f;
    }

    private void awaitFrames(int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (frames.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
    }

    @Test
    void framesArriveWholeAndInOrder() throws Exception {
        start(256);
        // The extremes first, then a spread of sizes.
        byte[] smallest = new byte[60];
        byte[] largest = new byte[MTU + 14];
        largest[MTU + 13] = 0x5a;
        pair.send(smallest);
        pair.send(largest);
        int count = 20_000;
        int eagain = 0;
        for (int i = 0; i < count; i++) {
            eagain += pair.send(frame(i));
            // Stay within the pool: a reader with no free buffer drops by design (tested below).
            while (i + 3 - frames.size() > 128) {
                Thread.onSpinWait();
            }
        }
        awaitFrames(count + 2);
        assertEquals(count + 2, frames.size(), "frames lost (drops " + receiver.drops() + ")");
        assertArrayEquals(smallest, frames.get(0));
        assertArrayEquals(largest, frames.get(1));
        for (int i = 0; i < count; i++) {
            assertArrayEquals(frame(i), frames.get(i + 2), "frame " + i);
        }
        assertEquals(0, receiver.drops());
        assertNull(failure.get());
        System.out.println("[netif-tap] " + count + " frames over a socket pair; the sender met EAGAIN " + eagain
                + " times");
    }

    @Test
    void noFrameWaitsForTheNextOneToBeDelivered() throws Exception {
        start(256);
        // Each frame is sent as soon as the previous one reaches the sink, so the reader
        // queues it while the loop is still finishing its drain: a lost wake-up leaves the
        // frame in the ring with no drain scheduled, and this waits in vain.
        int count = 20_000;
        for (int i = 0; i < count; i++) {
            pair.send(frame(i));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            while (frames.size() <= i) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("frame " + i + " was queued but never delivered");
                }
                Thread.onSpinWait();
            }
        }
        assertEquals(count, frames.size());
        assertEquals(0, receiver.drops());
    }

    @Test
    @SuppressWarnings("restricted")
    void signalsInterruptingPollAndReadAreRetried() throws Throwable {
        start(256);
        pair.send(frame(0));
        awaitFrames(1);
        // The JVM handles SIGPIPE (and ignores it), so one sent to the reader thread makes
        // a blocked poll return EINTR, which the reader must retry rather than fail on.
        Linker linker = Linker.nativeLinker();
        MethodHandle tgkill = linker.downcallHandle(linker.defaultLookup().find("tgkill").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                        ValueLayout.JAVA_INT));
        int pid = (int) ProcessHandle.current().pid();
        int tid = readerThreadId();
        int sigpipe = 13;
        for (int i = 1; i <= 200 && failure.get() == null; i++) {
            assertEquals(0, (int) tgkill.invokeExact(pid, tid, sigpipe), "the reader thread is gone");
            if (i % 2 == 0) {
                pair.send(frame(i / 2));
            }
            Thread.sleep(0, 200_000);
        }
        assertNull(failure.get(), "the reader gave up on a signal");
        awaitFrames(101);
        assertEquals(101, frames.size());
        for (int i = 0; i <= 100; i++) {
            assertArrayEquals(frame(i), frames.get(i));
        }
    }

    /** The kernel's id of the reader thread, found by its name in /proc. */
    private static int readerThreadId() throws Exception {
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                if (Files.readString(task.resolve("comm")).trim().equals("tap-reader-pair")) {
                    return Integer.parseInt(task.getFileName().toString());
                }
            }
        }
        throw new AssertionError("no reader thread in /proc/self/task");
    }

    @Test
    void aSmallPoolUnderASlowLoopDropsAndCountsButKeepsOrder() throws Exception {
        start(4);
        CountDownLatch hold = new CountDownLatch(1);
        loop.execute(() -> {
            try {
                hold.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        int count = 50;
        for (int i = 0; i < count; i++) {
            pair.send(frame(i));
        }
        // The reader keeps draining the socket (the kernel's queue must not back up) while
        // the loop is stuck; frames beyond the pool are dropped and counted.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (receiver.drops() < count - 4 && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        hold.countDown();
        awaitFrames(4);
        Thread.sleep(50);
        assertEquals(count, frames.size() + receiver.drops(), "every frame delivered or counted");
        assertEquals(4, frames.size());
        for (int i = 0; i < frames.size(); i++) {
            assertArrayEquals(frame(i), frames.get(i));
        }
        // The pool came back: later frames arrive again.
        pair.send(frame(1000));
        awaitFrames(5);
        assertArrayEquals(frame(1000), frames.get(4));
    }

    @Test
    void closingWakesTheReaderAndReleasesTheDescriptorsOnce() throws Exception {
        start(16);
        pair.send(frame(1));
        awaitFrames(1);
        long before = System.nanoTime();
        closeReceiver();
        assertTrue(released.await(5, TimeUnit.SECONDS), "descriptors not released");
        // The wake-up, not the 500 ms poll timeout, ended the reader.
        assertTrue(System.nanoTime() - before < TimeUnit.MILLISECONDS.toNanos(400), "reader not woken");
        assertNull(failure.get(), "closing is not a failure");
    }

    @Test
    void theOtherEndGoingAwayEndsTheReaderWithAFailure() throws Exception {
        start(16);
        pair.send(frame(1));
        pair.send(frame(2));
        awaitFrames(2);
        pair.closePeer();
        assertTrue(failed.await(5, TimeUnit.SECONDS), "the reader did not notice the end of file");
        assertNotNull(failure.get());
        assertTrue(failure.get().contains("end of file"), failure.get());
        assertEquals(2, frames.size());
        // The reader gave up its use: closing releases the descriptors at once.
        closeReceiver();
        assertTrue(released.await(1, TimeUnit.SECONDS));
    }
}
