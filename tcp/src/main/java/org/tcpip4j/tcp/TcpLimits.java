package org.tcpip4j.tcp;

/**
 * What one TCP layer may hold at most, and how it defends its half-open queue: the bounds
 * a server facing strangers needs. Every bound is counted when it bites (the layer's
 * counters, {@code conn.*}, {@code listen.*}, {@code mem.*}, {@code syncookies.*}).
 *
 * @param maxConnections connections held at once, in every state but TIME_WAIT (whose
 *     compact records {@code maxTimeWait} bounds): past it a SYN is not answered and
 *     {@code connect} fails with {@link TcpException.Resources}
 * @param maxListenerConnections connections one listener's port holds open at once, half-open
 *     ones included: past it the listener answers no more SYNs (not even with a cookie) until
 *     one closes, as Linux does when a listener's accept queue is full; the client's SYN
 *     retransmission tries again. Listeners hand every connection to the application at
 *     once, so this is where a server bounds what one port takes
 * @param memoryPressure bytes of send and receive buffers past which the layer is under
 *     memory pressure (Linux's {@code tcp_mem[1]}): buffers and windows stop growing, and a
 *     connection that needs memory drops its out-of-order data first
 * @param memoryLimit bytes of send and receive buffers at most (Linux's {@code tcp_mem[2]}):
 *     past it no buffer takes more than the one chunk every buffer is owed; received data
 *     that does not fit is dropped (and sent again by the peer), writes wait
 * @param maxTimeWait connections held in TIME_WAIT at once (Linux's
 *     {@code tcp_max_tw_buckets}): past it a connection that would enter TIME_WAIT closes
 *     at once
 * @param synCookies answer SYNs with cookies (RFC 4987 3.6) when a listener's half-open
 *     queue ({@link TcpConfig#synBacklog()}) is full, instead of dropping them
 */
public record TcpLimits(int maxConnections, int maxListenerConnections, long memoryPressure, long memoryLimit,
                        int maxTimeWait, boolean synCookies) {

    /** The most a bound on connections may be. */
    public static final int MAX_CONNECTIONS = 1 << 24;
    /** The smallest memory limit: 64 KiB. */
    public static final long MIN_MEMORY = 64 * 1024;

    /**
     * A million connections, every one on a listener's port if it likes, buffers under
     * pressure past three quarters of the limit, the limit a quarter of the JVM's largest
     * heap (at least 64 MiB), 262,144 TIME_WAIT records, SYN cookies on.
     */
    public static final TcpLimits DEFAULT = defaults();

    /** Checks the values. */
    public TcpLimits {
        check("maxConnections", maxConnections, 1, MAX_CONNECTIONS);
        check("maxListenerConnections", maxListenerConnections, 1, MAX_CONNECTIONS);
        check("maxTimeWait", maxTimeWait, 0, MAX_CONNECTIONS);
        if (memoryLimit < MIN_MEMORY) {
            throw new IllegalArgumentException("memoryLimit must be at least " + MIN_MEMORY + " bytes, not "
                + memoryLimit);
        }
        if (memoryPressure < 0 || memoryPressure > memoryLimit) {
            throw new IllegalArgumentException("memoryPressure must be in [0, memoryLimit " + memoryLimit + "], not "
                + memoryPressure);
        }
    }

    private static void check(String name, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be in [" + min + ", " + max + "], not " + value);
        }
    }

    private static TcpLimits defaults() {
        long limit = Math.max(64L << 20, Runtime.getRuntime().maxMemory() / 4);
        return new TcpLimits(1 << 20, 1 << 20, limit / 4 * 3, limit, 262_144, true);
    }

    /** These limits with at most {@code connections} connections, {@code perListener} on one listener's port. */
    public TcpLimits withConnections(int connections, int perListener) {
        return new TcpLimits(connections, perListener, memoryPressure, memoryLimit, maxTimeWait, synCookies);
    }

    /** These limits with buffers under pressure past {@code pressure} bytes and at most {@code limit}. */
    public TcpLimits withMemory(long pressure, long limit) {
        return new TcpLimits(maxConnections, maxListenerConnections, pressure, limit, maxTimeWait, synCookies);
    }

    /** These limits with at most {@code records} connections in TIME_WAIT. */
    public TcpLimits withMaxTimeWait(int records) {
        return new TcpLimits(maxConnections, maxListenerConnections, memoryPressure, memoryLimit, records, synCookies);
    }

    /** These limits with SYN cookies on or off. */
    public TcpLimits withSynCookies(boolean on) {
        return new TcpLimits(maxConnections, maxListenerConnections, memoryPressure, memoryLimit, maxTimeWait, on);
    }
}
