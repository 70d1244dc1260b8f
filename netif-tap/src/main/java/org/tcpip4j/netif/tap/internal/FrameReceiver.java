package org.tcpip4j.netif.tap.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tcpip4j.netif.loop.EventLoop;

/**
 * The receive path of a TAP device: a dedicated platform thread blocks in {@code poll} on
 * the TAP and on a wake-up eventfd, reads each frame straight into a pooled direct buffer,
 * and hands full buffers to the event loop through a lock-free ring; the loop delivers them
 * and gives the buffers back through a second ring.
 *
 * <p>In the steady state nothing is allocated per frame: the buffers, their memory segments
 * and the drain task are made once, and the loop is only woken when it is not already
 * draining. When the loop falls behind and the pool is empty, the reader still drains the
 * device (into a scratch buffer) and counts the frame as dropped, so the kernel's queue
 * never backs up behind a slow stack.
 *
 * <p>On a loop that reads the device itself (a {@code TapPoller}'s), there is no thread
 * and no ring: the loop calls {@link #readReady} when the device is readable, which reads
 * up to a batch of frames into one buffer and delivers each as it is read.
 *
 * <p>On a device opened with a {@code virtio_net_hdr} ({@link VirtioNetHeader}) the header
 * is read with the frame, into the front of the same buffer, and the sink gets the frame
 * alone with the header's flags and GSO type.
 */
public final class FrameReceiver {

    /** Where received frames and failures go. */
    public interface Sink {

        /**
         * One frame, between the buffer's position and limit, read-only; on the event loop,
         * valid only during the call. {@code vnetFlags} and {@code gsoType} are its header's
         * ({@link VirtioNetHeader}), 0 on a device without one.
         */
        void deliver(ByteBuffer frame, int vnetFlags, int gsoType);

        /** The device stopped working (deleted, or the loop refused work); on the reader thread or the loop. */
        void failed(String reason);
    }

    private static final Logger LOG = LoggerFactory.getLogger(FrameReceiver.class);
    /** How long a poll waits before checking again for closing, in case a wake-up is lost. */
    private static final int POLL_TIMEOUT_MILLIS = 500;
    /** Frames read per poll before looking at the wake-up descriptor again. */
    private static final int READ_BATCH = 64;
    /** Frames delivered per loop task, so other tasks and timers interleave with a burst. */
    private static final int DRAIN_BATCH = 64;
    private static final long POLLFD_SIZE = 8;
    // What one read(2) of the device gave ({@link #outcome}).
    private static final int READ_FRAME = 0;
    private static final int READ_EMPTY = 1;
    private static final int READ_AGAIN = 2;
    private static final int READ_DROPPED = 3;
    private static final int READ_FAILED = 4;

    /**
     * A pooled buffer, made once with its memory segment (header and frame, what one read
     * fills) and its read-only view of the frame alone (after the header): the layers above
     * may lend the bytes of a read-only frame on without copying them.
     */
    private record FrameSlot(MemorySegment segment, ByteBuffer frame) {
    }

    private final String name;
    private final int tapFd;
    private final int wakeFd;
    private final DescriptorGuard guard;
    private final EventLoop loop;
    private final Sink sink;
    private final int headerLength;
    private final int frameCapacity;
    private final SpscRing<FrameSlot> full;
    private final SpscRing<FrameSlot> empty;
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final AtomicLong drops = new AtomicLong();
    private final Runnable drainTask = this::drain;
    /** Null when the loop reads the device itself ({@link #readReady}). */
    private final Thread thread;
    /** The loop reads the device itself: its buffer, reused for every frame, and its errno. */
    private final FrameSlot inline;
    private final ErrnoCapture inlineErrno;

    /**
     * A receiver for the TAP {@code tapFd}, woken for closing through {@code wakeFd}; both
     * stay open while the reader holds a use of {@code guard}.
     *
     * @param headerLength the size of the {@code virtio_net_hdr} in front of each frame, 0 for none
     * @param frameCapacity the largest frame accepted, header aside; larger ones are dropped and counted
     * @param queueCapacity how many frames may wait for the loop
     */
    public FrameReceiver(String name, int tapFd, int wakeFd, DescriptorGuard guard, EventLoop loop,
                         int headerLength, int frameCapacity, int queueCapacity, Sink sink) {
        this(name, tapFd, wakeFd, guard, loop, headerLength, frameCapacity, queueCapacity, sink, false);
    }

    /**
     * As above; with {@code readOnLoop}, no reader thread: the loop calls {@link #readReady}
     * when the device is readable, and the frames are read and delivered on it, from one
     * buffer reused for each.
     */
    public FrameReceiver(String name, int tapFd, int wakeFd, DescriptorGuard guard, EventLoop loop,
                         int headerLength, int frameCapacity, int queueCapacity, Sink sink, boolean readOnLoop) {
        this.name = name;
        this.tapFd = tapFd;
        this.wakeFd = wakeFd;
        this.guard = guard;
        this.loop = loop;
        this.sink = sink;
        this.headerLength = headerLength;
        this.frameCapacity = frameCapacity;
        if (readOnLoop) {
            ByteBuffer buffer = ByteBuffer.allocateDirect(headerLength + frameCapacity);
            this.inline = new FrameSlot(MemorySegment.ofBuffer(buffer),
                    buffer.slice(headerLength, frameCapacity).asReadOnlyBuffer());
            this.inlineErrno = ErrnoCapture.allocate();
            this.full = null;
            this.empty = null;
            this.thread = null;
            return;
        }
        this.inline = null;
        this.inlineErrno = null;
        this.full = new SpscRing<>(queueCapacity);
        this.empty = new SpscRing<>(queueCapacity);
        for (int i = 0; i < queueCapacity; i++) {
            // Direct buffers freed by the collector, not by an arena: a handler may still be
            // running on the loop when the device closes, and must never touch freed memory.
            ByteBuffer buffer = ByteBuffer.allocateDirect(headerLength + frameCapacity);
            empty.offer(new FrameSlot(MemorySegment.ofBuffer(buffer),
                    buffer.slice(headerLength, frameCapacity).asReadOnlyBuffer()));
        }
        this.thread = Thread.ofPlatform().name("tap-reader-" + name).daemon(true).unstarted(this::readUntilClosed);
    }

    /**
     * Starts the reader thread; does nothing if the device is already closing. Reading on
     * the loop, takes the reader's use of the descriptors, which {@link #stop} gives back.
     *
     * @return false when the device is already closing
     */
    public boolean start() {
        // The reader's use of the descriptors begins here, before the thread runs, so a
        // disconnect racing with the start cannot close them under it.
        if (!guard.acquire()) {
            return false;
        }
        if (thread != null) {
            thread.start();
        }
        return true;
    }

    /** Reading on the loop: gives back the reader's use of the descriptors (the loop no longer reads them). */
    public void stop() {
        if (thread == null) {
            guard.release();
        }
    }

    /**
     * On the loop, when the device is readable (or in error): reads up to a batch of frames
     * and delivers each at once, an event of its own. Reading on the loop only.
     */
    public void readReady() {
        if (guard.isClosing()) {
            return;
        }
        long readCapacity = headerLength + frameCapacity;
        for (int i = 0; i < READ_BATCH; i++) {
            long n = Libc.read(inlineErrno, tapFd, inline.segment(), readCapacity);
            int outcome = outcome(n, inlineErrno);
            if (outcome == READ_EMPTY) {
                return;
            } else if (outcome == READ_FAILED) {
                sink.failed(failure(n, inlineErrno));
                return;
            } else if (outcome != READ_FRAME) {
                continue;
            }
            inline.frame().clear().limit((int) n - headerLength);
            loop.newEvent();
            deliver(inline);
            if (guard.isClosing()) {
                return;
            }
        }
    }

    /**
     * What {@code n}, a read's result, means ({@code errno} with it when negative): a frame,
     * nothing to read, a read to try again, a frame dropped (counted here), or the end.
     */
    private int outcome(long n, ErrnoCapture errno) {
        if (n > 0) {
            if (n >= headerLength) {
                return READ_FRAME;
            }
            drops.incrementAndGet(); // not even a whole header
            return READ_DROPPED;
        }
        if (n == 0) {
            // A TAP never reads an empty frame; end of file means the other end is gone, and
            // reading again would only spin.
            return READ_FAILED;
        }
        int e = errno.errno();
        if (e == Errno.EAGAIN) {
            return READ_EMPTY;
        } else if (e == Errno.EINTR) {
            return READ_AGAIN;
        } else if (e == Errno.EFAULT || e == Errno.EINVAL || e == Errno.EMSGSIZE) {
            drops.incrementAndGet(); // larger than the buffer; the kernel has discarded it
            return READ_DROPPED;
        }
        return READ_FAILED;
    }

    /** Why reading stopped, for a {@link #READ_FAILED} outcome of {@code n}. */
    private static String failure(long n, ErrnoCapture errno) {
        return n == 0 ? "end of file: the device is gone" : "read failed: " + Libc.describe(errno.errno());
    }

    /** Hands the frame in {@code slot} to the sink with what its header says. */
    private void deliver(FrameSlot slot) {
        if (headerLength == 0) {
            sink.deliver(slot.frame(), 0, 0);
        } else {
            MemorySegment header = slot.segment();
            sink.deliver(slot.frame(), VirtioNetHeader.flags(header), VirtioNetHeader.gsoType(header));
        }
    }

    /** Frames dropped before they reached the loop: pool exhausted, too large, unreadable, no whole header. */
    public long drops() {
        return drops.get();
    }

    /** Sets the drop count to zero. */
    public void resetDrops() {
        drops.set(0);
    }

    /** Wakes the reader out of {@code poll}; the caller holds a use of the guard. */
    public static void wake(int wakeFd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment one = arena.allocate(ValueLayout.JAVA_LONG);
            one.set(ValueLayout.JAVA_LONG, 0, 1L);
            Libc.write(ErrnoCapture.allocate(arena), wakeFd, one, 8);
        }
    }

    private void readUntilClosed() {
        String failure = null;
        try (Arena arena = Arena.ofConfined()) {
            ErrnoCapture errno = ErrnoCapture.allocate(arena);
            MemorySegment pollFds = arena.allocate(2 * POLLFD_SIZE, 8);
            // struct pollfd { int fd; short events; short revents; }
            pollFds.set(ValueLayout.JAVA_INT, 0, tapFd);
            pollFds.set(ValueLayout.JAVA_SHORT, 4, LinuxAbi.POLLIN);
            pollFds.set(ValueLayout.JAVA_INT, POLLFD_SIZE, wakeFd);
            pollFds.set(ValueLayout.JAVA_SHORT, POLLFD_SIZE + 4, LinuxAbi.POLLIN);
            long readCapacity = headerLength + frameCapacity;
            MemorySegment scratch = arena.allocate(readCapacity, 8);
            FrameSlot inHand = null;
            while (failure == null && !guard.isClosing()) {
                pollFds.set(ValueLayout.JAVA_SHORT, 6, (short) 0);
                pollFds.set(ValueLayout.JAVA_SHORT, POLLFD_SIZE + 6, (short) 0);
                int ready = Libc.poll(errno, pollFds, 2, POLL_TIMEOUT_MILLIS);
                if (ready < 0) {
                    if (errno.errno() != Errno.EINTR) {
                        failure = "poll failed: " + Libc.describe(errno.errno());
                    }
                    continue;
                }
                if (ready == 0 || pollFds.get(ValueLayout.JAVA_SHORT, POLLFD_SIZE + 6) != 0) {
                    // A timeout, or the wake-up that only closing sends: look at the flag again.
                    continue;
                }
                if (pollFds.get(ValueLayout.JAVA_SHORT, 6) == 0) {
                    continue;
                }
                for (int i = 0; i < READ_BATCH && failure == null; i++) {
                    if (inHand == null) {
                        inHand = empty.poll();
                    }
                    MemorySegment target = inHand != null ? inHand.segment() : scratch;
                    long n = Libc.read(errno, tapFd, target, readCapacity);
                    int outcome = outcome(n, errno);
                    if (outcome == READ_EMPTY) {
                        break;
                    } else if (outcome == READ_FAILED) {
                        failure = failure(n, errno);
                        continue;
                    } else if (outcome != READ_FRAME) {
                        continue;
                    }
                    if (inHand == null) {
                        drops.incrementAndGet(); // read into the scratch buffer: no pooled one free
                        continue;
                    }
                    inHand.frame().clear().limit((int) n - headerLength);
                    full.offer(inHand); // never full: it holds at most the pool's buffers
                    inHand = null;
                    if (drainScheduled.compareAndSet(false, true)) {
                        try {
                            loop.execute(drainTask);
                        } catch (RejectedExecutionException e) {
                            failure = "its event loop no longer accepts work";
                        }
                    }
                }
            }
        } catch (Throwable t) {
            LOG.error("reader of TAP {} failed", name, t);
            failure = "reader thread failed: " + t;
        } finally {
            try {
                if (failure != null && !guard.isClosing()) {
                    sink.failed(failure);
                }
            } finally {
                guard.release();
            }
        }
    }

    /** On the loop: delivers queued frames and returns their buffers to the pool. */
    private void drain() {
        FrameSlot slot;
        int delivered = 0;
        while (delivered < DRAIN_BATCH && (slot = full.poll()) != null) {
            loop.newEvent(); // each frame is an event of its own: its time is read at its start
            try {
                deliver(slot);
            } finally {
                slot.frame().clear();
                empty.offer(slot);
            }
            delivered++;
        }
        if (!full.isEmpty()) {
            loop.execute(drainTask);
            return;
        }
        drainScheduled.set(false);
        // A frame queued between the last poll and the line above found the flag still set
        // and did not schedule a drain: check once more.
        if (!full.isEmpty() && drainScheduled.compareAndSet(false, true)) {
            loop.execute(drainTask);
        }
    }
}
