package org.tcpip4j.netif.loop;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An event loop on a dedicated platform thread, in real time. Tasks and timers run on that
 * thread in order; the thread parks when there is nothing to do and is woken by
 * {@link #execute} from other threads.
 *
 * <p>On the loop, {@link #nanoTime} is the time the running task or timer began, or the
 * last {@link #newEvent}: the clock is read once per event, not at every reading (a TCP
 * acknowledgment read it a dozen times, and a clock read costs tens of nanoseconds). Off
 * the loop it is read at each call.
 */
public final class RealTimeEventLoop implements EventLoop, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RealTimeEventLoop.class);

    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final TimerQueue timers;
    private final Thread thread;
    private final long epochMicrosAtStart;
    private final long nanoAtStart;
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    private volatile boolean running = true;
    /** The time the running task, timer or event began. Loop thread only. */
    private long eventTime;
    /** What the loop waits in when idle; null: it parks. */
    private final LoopPoller poller;
    /** The loop is waiting, or about to, in its poller: a task from another thread wakes it. */
    private final java.util.concurrent.atomic.AtomicBoolean waiting = new java.util.concurrent.atomic.AtomicBoolean();

    /** Starts a loop on a new platform thread named {@code name}. */
    public RealTimeEventLoop(String name) {
        this(name, null);
    }

    /**
     * Starts a loop on a new platform thread named {@code name} that waits in
     * {@code poller} when idle and calls it between its tasks when busy, so that the
     * poller's sources are read on the loop's own thread; {@code null} for none.
     *
     * @throws IllegalStateException when {@code poller} already serves another loop
     */
    public RealTimeEventLoop(String name, LoopPoller poller) {
        if (poller != null) {
            poller.attach(this);
        }
        this.poller = poller;
        this.nanoAtStart = System.nanoTime();
        java.time.Instant now = java.time.Instant.now();
        this.epochMicrosAtStart = now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
        this.timers = new TimerQueue(new TimerQueue.LoopClock() {
            @Override
            public long now() {
                return nanoTime();
            }

            @Override
            public void timerArmed(long deadline) {
                // Timers are armed on the loop thread, which recomputes its park time.
            }
        });
        this.thread = Thread.ofPlatform().name(name).daemon(true).unstarted(this::runLoop);
        this.thread.start();
    }

    /** The poller the loop waits in, or null when it parks. */
    public LoopPoller poller() {
        return poller;
    }

    /** Starts a loop named "tcpip4j-loop". */
    public RealTimeEventLoop() {
        this("tcpip4j-loop");
    }

    @Override
    public boolean inEventLoop() {
        return Thread.currentThread() == thread;
    }

    @Override
    public void execute(Runnable task) {
        if (!running) {
            throw new java.util.concurrent.RejectedExecutionException("event loop is shut down");
        }
        tasks.add(task);
        if (!inEventLoop()) {
            if (poller == null) {
                LockSupport.unpark(thread);
            } else if (waiting.get() && waiting.compareAndSet(true, false)) {
                poller.wakeup();
            }
        }
    }

    @Override
    public long nanoTime() {
        return Thread.currentThread() == thread ? eventTime : clock();
    }

    @Override
    public void newEvent() {
        eventTime = clock();
    }

    private long clock() {
        return System.nanoTime() - nanoAtStart;
    }

    @Override
    public long epochMicros() {
        return epochMicrosAtStart + nanoTime() / 1_000;
    }

    @Override
    public Timer newTimer(Runnable task) {
        return timers.newTimer(task);
    }

    private void runLoop() {
        try {
            while (running) {
                int ran = 0;
                Runnable task;
                while (ran < 1024 && (task = tasks.poll()) != null) {
                    eventTime = clock();
                    runSafely(task);
                    ran++;
                }
                long now = clock();
                Runnable expired;
                while ((expired = timers.pollExpired(now)) != null) {
                    eventTime = clock();
                    runSafely(expired);
                    ran++;
                }
                if (poller != null) {
                    pollOnce(ran > 0);
                    continue;
                }
                if (ran == 0 && tasks.isEmpty()) {
                    long next = timers.nextDeadline();
                    if (next == Long.MAX_VALUE) {
                        LockSupport.park(this);
                    } else {
                        long wait = next - clock();
                        if (wait > 0) {
                            LockSupport.parkNanos(this, wait);
                        }
                    }
                }
            }
        } finally {
            if (poller != null) {
                try {
                    poller.close();
                } catch (Throwable t) {
                    LOG.warn("closing the poller of the event loop failed", t);
                }
            }
            terminated.complete(null);
        }
    }

    /**
     * Gives the poller its turn: at once when the loop is busy ({@code busy}, or tasks
     * queued), else waiting until the next timer, a task from another thread, or one of its
     * sources.
     */
    private void pollOnce(boolean busy) {
        long timeout = 0;
        if (!busy) {
            waiting.set(true);
            if (tasks.isEmpty()) {
                long next = timers.nextDeadline();
                timeout = next == Long.MAX_VALUE ? -1 : Math.max(0, next - clock());
            }
        }
        try {
            eventTime = clock();
            poller.poll(timeout);
        } catch (Throwable t) {
            LOG.error("the poller of the event loop failed", t);
        } finally {
            waiting.set(false);
        }
    }

    private static void runSafely(Runnable task) {
        try {
            task.run();
        } catch (Throwable t) {
            LOG.error("task on the event loop failed", t);
        }
    }

    /**
     * Stops the loop after the task running now; queued tasks and timers are dropped.
     *
     * @return a future that completes when the loop's thread has ended
     */
    public CompletableFuture<Void> shutdown() {
        running = false;
        if (poller != null) {
            poller.wakeup();
        }
        LockSupport.unpark(thread);
        return terminated;
    }

    /** Stops the loop and waits up to five seconds for its thread to end. */
    @Override
    public void close() {
        try {
            shutdown().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("event loop did not stop in time", e);
        }
    }
}
