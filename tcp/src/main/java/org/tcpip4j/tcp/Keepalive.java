package org.tcpip4j.tcp;

import java.time.Duration;
import java.util.Objects;

/**
 * TCP keepalive (Mirage's {@code Keepalive.t}): after {@code after} without traffic, send
 * a probe every {@code interval}; after {@code probes} unanswered probes the connection is
 * closed (read gives Eof, write fails with {@link TcpException.Closed}).
 *
 * @param after idle time before the first probe
 * @param interval time between probes
 * @param probes unanswered probes before giving up
 */
public record Keepalive(Duration after, Duration interval, int probes) {

    public Keepalive {
        Objects.requireNonNull(after, "after");
        Objects.requireNonNull(interval, "interval");
        if (after.isNegative() || interval.isNegative() || interval.isZero() || probes < 1) {
            throw new IllegalArgumentException("keepalive needs after >= 0, interval > 0, probes >= 1");
        }
    }
}
