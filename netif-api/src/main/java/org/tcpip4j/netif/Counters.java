package org.tcpip4j.netif;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The named counters of one layer ("rx.bad_checksum", "tx.packets", ...): what a stack
 * counts instead of throwing when input is bad. A layer creates its counters once and
 * increments them on its event loop; {@link #snapshot()} reads them from any thread.
 *
 * <p>Names are lower case, dot separated, direction first ({@code rx.}/{@code tx.}) where
 * there is one; the CLI, logs and the HTTP status page all use these names.
 */
public final class Counters {

    private final String layer;
    private final Map<String, Counter> counters = Collections.synchronizedMap(new LinkedHashMap<>());

    /** Counters of the layer named {@code layer} ("ethernet", "arp", "ipv4", ...). */
    public Counters(String layer) {
        this.layer = layer;
    }

    /** The layer's name. */
    public String layer() {
        return layer;
    }

    /** The counter named {@code name}, created at zero on first use. Call at setup, not per packet. */
    public Counter counter(String name) {
        return counters.computeIfAbsent(name, n -> new Counter());
    }

    /**
     * The gauge named {@code name}, created at zero on first use: a counter of something
     * held now (connections open, bytes of buffers) that goes up and down, and that
     * {@link #reset()} leaves alone. Call at setup, not per packet.
     */
    public Counter gauge(String name) {
        return counters.computeIfAbsent(name, n -> new Counter(true));
    }

    /** The value of the counter named {@code name}, 0 when it does not exist. */
    public long get(String name) {
        Counter c = counters.get(name);
        return c == null ? 0 : c.get();
    }

    /** Every counter and its value, in creation order. */
    public Map<String, Long> snapshot() {
        Map<String, Long> out = new LinkedHashMap<>();
        synchronized (counters) {
            counters.forEach((k, v) -> out.put(k, v.get()));
        }
        return out;
    }

    /** Sets every counter but the gauges to zero. */
    public void reset() {
        synchronized (counters) {
            counters.values().forEach(Counter::reset);
        }
    }

    @Override
    public String toString() {
        return layer + snapshot();
    }

    /**
     * One counter: written on the event loop only (one writer), read from anywhere. The
     * loop reads its own last value plainly and publishes each new one with a release
     * store, which on x86 and in the JMM's terms needs no fence: another thread sees some
     * recent value, never a torn one, and the loop pays no more than a plain store.
     */
    public static final class Counter {
        private static final VarHandle VALUE;

        static {
            try {
                VALUE = MethodHandles.lookup().findVarHandle(Counter.class, "value", long.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private final boolean gauge;
        @SuppressWarnings("unused") // through VALUE
        private long value;

        Counter() {
            this(false);
        }

        Counter(boolean gauge) {
            this.gauge = gauge;
        }

        /** Adds one. Event loop only. */
        public void increment() {
            VALUE.setRelease(this, (long) VALUE.get(this) + 1);
        }

        /** Adds {@code n}. Event loop only. */
        public void add(long n) {
            VALUE.setRelease(this, (long) VALUE.get(this) + n);
        }

        /** The value now: the latest the loop published, from any thread. */
        public long get() {
            return (long) VALUE.getAcquire(this);
        }

        /** Sets the value (a gauge). Event loop only. */
        public void set(long n) {
            VALUE.setRelease(this, n);
        }

        void reset() {
            if (!gauge) {
                VALUE.setRelease(this, 0L);
            }
        }
    }
}
