package org.tcpip4j.netif.tap;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tcpip4j.netif.loop.EventLoop;
import org.tcpip4j.netif.loop.LoopPoller;
import org.tcpip4j.netif.loop.RealTimeEventLoop;
import org.tcpip4j.netif.tap.internal.DescriptorGuard;
import org.tcpip4j.netif.tap.internal.Errno;
import org.tcpip4j.netif.tap.internal.ErrnoCapture;
import org.tcpip4j.netif.tap.internal.Libc;
import org.tcpip4j.netif.tap.internal.LinuxAbi;

/**
 * A {@link LoopPoller} that reads TAP devices on the event loop's own thread: a
 * {@link RealTimeEventLoop} built with one waits in {@code poll(2)} on the descriptors of
 * the devices opened on it and on an eventfd that wakes it for tasks (its wait as precise
 * as a timer's deadline, {@code ppoll(2)}), and
 * {@link TapNetif#open(TapConfig, EventLoop)} on such a loop starts no
 * reader thread: the loop reads each device's frames and delivers them itself, between its
 * tasks when busy (one {@code poll} with no wait per turn) and in its wait when idle. A frame
 * then costs no hand-off between threads and no wake-up of a second thread, at the price of
 * the loop's thread doing the device's reads too (one thread per device or queue, as Netty's
 * epoll loop reads its sockets).
 *
 * <pre>{@code
 * RealTimeEventLoop loop = new RealTimeEventLoop("stack", new TapPoller());
 * TapNetif tap = TapNetif.open(TapConfig.named("tap0"), loop);
 * }</pre>
 *
 * <p>One poller per loop: a second loop built with the same poller is refused. The
 * descriptors it holds are closed when the loop ends. Should {@code poll(2)} itself fail
 * (it should not: its descriptors are the poller's own), the loop goes on running its
 * tasks and timers, tries again at most once a millisecond while idle, and says so in the
 * log once, then every thousandth time, and once more when it works again.
 */
public final class TapPoller implements LoopPoller {

    private static final Logger LOG = LoggerFactory.getLogger(TapPoller.class);
    private static final long POLLFD_SIZE = 8;
    /** The longest an idle loop waits after a failed poll before trying again. */
    static final long FAILURE_PAUSE_NANOS = 1_000_000L;

    /** The poll(2) call: {@link Libc#ppoll}, or a stand-in in tests. */
    @FunctionalInterface
    interface PollCall {
        int ppoll(ErrnoCapture errno, MemorySegment pollfds, long count, MemorySegment timespec);
    }

    /**
     * A descriptor the poller watches, what reads it when it is readable, and what gives
     * up the reading for good (run once the loop no longer reads it, at the latest when the
     * loop ends).
     */
    record Source(int fd, Runnable readable, Runnable release) {
    }

    private final int wakeFd;
    private final PollCall pollCall;
    private final AtomicReference<EventLoop> loop = new AtomicReference<>();
    /** Loop only: poll(2) failures in a row. */
    private long failures;
    /** Keeps the eventfd open while another thread writes to it, so closing never races a wake-up. */
    private final DescriptorGuard wakeGuard;
    private final MemorySegment one;
    private final ErrnoCapture wakeErrno = ErrnoCapture.allocate();
    // Loop only:
    private final ErrnoCapture errno = ErrnoCapture.allocate();
    private final MemorySegment drained = Arena.ofAuto().allocate(ValueLayout.JAVA_LONG);
    /** struct timespec { long tv_sec; long tv_nsec; }: the wait, to the nanosecond (a timer may be due in microseconds). */
    private final MemorySegment timespec = Arena.ofAuto().allocate(16, 8);
    private Source[] sources = new Source[0];
    private MemorySegment pollFds;
    // Guarded by this: the loop has ended (close ran), and releases waiting for it to.
    private boolean closed;
    private final java.util.List<Runnable> releasesAtClose = new java.util.ArrayList<>();

    /** A poller with its own eventfd for wake-ups; it watches no device until one is opened on its loop. */
    public TapPoller() {
        this(Libc::ppoll);
    }

    /** A poller that waits with {@code pollCall} (tests make it fail). */
    TapPoller(PollCall pollCall) {
        this.pollCall = pollCall;
        int fd = Libc.eventfd(errno, 0, LinuxAbi.EFD_CLOEXEC | LinuxAbi.EFD_NONBLOCK);
        if (fd < 0) {
            throw new IllegalStateException("eventfd failed: " + Libc.describe(errno.errno()));
        }
        this.wakeFd = fd;
        this.wakeGuard = new DescriptorGuard(() -> Libc.close(ErrnoCapture.allocate(), fd));
        this.one = Arena.ofAuto().allocate(ValueLayout.JAVA_LONG);
        one.set(ValueLayout.JAVA_LONG, 0, 1L);
        rebuild();
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalStateException when this poller already serves another loop: its
     *     descriptors and sources are one loop's
     */
    @Override
    public void attach(EventLoop eventLoop) {
        if (!loop.compareAndSet(null, eventLoop) && loop.get() != eventLoop) {
            throw new IllegalStateException("this TapPoller already serves another event loop; each loop needs its own");
        }
    }

    /**
     * On the loop: watches {@code fd}, running {@code readable} on the loop whenever it has
     * something to read; {@code release} runs if the loop ends while {@code fd} is watched.
     */
    void register(int fd, Runnable readable, Runnable release) {
        sources = Arrays.copyOf(sources, sources.length + 1);
        sources[sources.length - 1] = new Source(fd, readable, release);
        rebuild();
    }

    /**
     * From any thread, when the loop no longer takes tasks: runs {@code release} once the
     * loop's thread has ended its last turn (at once when it has), so that nothing the loop
     * may still be reading is given up under it.
     */
    void releaseWhenClosed(Runnable release) {
        synchronized (this) {
            if (!closed) {
                releasesAtClose.add(release);
                return;
            }
        }
        release.run();
    }

    /** On the loop: stops watching {@code fd}. */
    void unregister(int fd) {
        sources = Arrays.stream(sources).filter(s -> s.fd() != fd).toArray(Source[]::new);
        rebuild();
    }

    /** Descriptors watched, besides the wake-up (tests). */
    int sources() {
        return sources.length;
    }

    private void rebuild() {
        MemorySegment fds = Arena.ofAuto().allocate(POLLFD_SIZE * (sources.length + 1), 8);
        // struct pollfd { int fd; short events; short revents; }: the wake-up first.
        fds.set(ValueLayout.JAVA_INT, 0, wakeFd);
        fds.set(ValueLayout.JAVA_SHORT, 4, LinuxAbi.POLLIN);
        for (int i = 0; i < sources.length; i++) {
            fds.set(ValueLayout.JAVA_INT, POLLFD_SIZE * (i + 1), sources[i].fd());
            fds.set(ValueLayout.JAVA_SHORT, POLLFD_SIZE * (i + 1) + 4, LinuxAbi.POLLIN);
        }
        pollFds = fds;
    }

    @Override
    public int poll(long timeoutNanos) {
        Source[] watched = sources;
        if (timeoutNanos == 0) {
            // The loop is busy: no poll(2) first, each device is read until it has nothing
            // (a read that finds nothing costs what a poll would have).
            for (Source source : watched) {
                source.readable().run();
            }
            return watched.length;
        }
        MemorySegment wait = MemorySegment.NULL;
        if (timeoutNanos >= 0) {
            timespec.set(ValueLayout.JAVA_LONG, 0, timeoutNanos / 1_000_000_000L);
            timespec.set(ValueLayout.JAVA_LONG, 8, timeoutNanos % 1_000_000_000L);
            wait = timespec;
        }
        MemorySegment fds = pollFds;
        int n = watched.length + 1;
        for (int i = 0; i < n; i++) {
            fds.set(ValueLayout.JAVA_SHORT, POLLFD_SIZE * i + 6, (short) 0);
        }
        int ready = pollCall.ppoll(errno, fds, n, wait);
        if (ready < 0) {
            if (errno.errno() != Errno.EINTR) {
                pollFailed(errno.errno(), timeoutNanos);
            }
            return 0;
        }
        if (failures > 0) {
            LOG.info("poll works again, after {} failures in a row", failures);
            failures = 0;
        }
        if (ready == 0) {
            return 0;
        }
        int handled = 0;
        if (fds.get(ValueLayout.JAVA_SHORT, 6) != 0) {
            Libc.read(errno, wakeFd, drained, 8); // clears the eventfd's count
        }
        for (int i = 0; i < watched.length; i++) {
            // Readable, or in error or hung up: the reader finds out which with its read.
            if (fds.get(ValueLayout.JAVA_SHORT, POLLFD_SIZE * (i + 1) + 6) != 0) {
                watched[i].readable().run();
                handled++;
            }
        }
        return handled;
    }

    /**
     * After a failed poll: an idle loop would call it again at once, and again, so it waits
     * as a park would, up to {@link #FAILURE_PAUSE_NANOS} (its timers stay on time); the
     * log says so the first time and every thousandth.
     */
    private void pollFailed(int error, long timeoutNanos) {
        failures++;
        if (failures == 1 || failures % 1000 == 0) {
            LOG.warn("poll failed ({} in a row): {}; the loop tries again within a millisecond", failures,
                    Libc.describe(error));
        }
        LockSupport.parkNanos(this,
                timeoutNanos < 0 ? FAILURE_PAUSE_NANOS : Math.min(timeoutNanos, FAILURE_PAUSE_NANOS));
    }

    @Override
    public void wakeup() {
        if (wakeGuard.acquire()) {
            try {
                Libc.write(wakeErrno, wakeFd, one, 8);
            } finally {
                wakeGuard.release();
            }
        }
    }

    /** On the loop's thread as it ends: the devices still watched and those waiting give up their reading. */
    @Override
    public void close() {
        java.util.List<Runnable> releases = new java.util.ArrayList<>();
        synchronized (this) {
            closed = true;
            releases.addAll(releasesAtClose);
            releasesAtClose.clear();
        }
        for (Source source : sources) {
            releases.add(source.release());
        }
        sources = new Source[0];
        for (Runnable release : releases) {
            try {
                release.run();
            } catch (RuntimeException e) {
                LOG.warn("releasing a device of the poller failed", e);
            }
        }
        wakeGuard.close();
    }
}
