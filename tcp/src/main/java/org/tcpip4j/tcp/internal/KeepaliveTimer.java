package org.tcpip4j.tcp.internal;

import org.tcpip4j.netif.loop.EventLoop;
import org.tcpip4j.netif.loop.Timer;
import org.tcpip4j.tcp.Keepalive;

/**
 * TCP keepalive of one connection (RFC 1122 4.2.3.6; Mirage's {@code Keepalive}): after
 * {@code after} without any segment from the peer, send a probe every {@code interval};
 * once {@code probes} probes went unanswered, the connection is reset.
 *
 * <p>Received segments only record the time: the timer is not re-armed per segment, it
 * re-arms itself when it fires early, so an active connection pays nothing for keepalive.
 */
final class KeepaliveTimer {

    private final Connection conn;
    private final EventLoop loop;
    private final Timer timer;
    private final long after;
    private final long interval;
    private final int probes;
    private long lastActivity;
    private long lastProbeAt;
    private int sent;

    KeepaliveTimer(Connection conn, Keepalive keepalive) {
        this.conn = conn;
        this.loop = conn.loop;
        this.timer = loop.newTimer(this::onTimeout);
        this.after = keepalive.after().toNanos();
        this.interval = keepalive.interval().toNanos();
        this.probes = keepalive.probes();
    }

    /** Starts measuring idleness from now. */
    void start() {
        lastActivity = loop.nanoTime();
        sent = 0;
        timer.schedule(after);
    }

    /** A segment arrived. */
    void onActivity() {
        lastActivity = loop.nanoTime();
    }

    /** Stops probing. */
    void stop() {
        timer.cancel();
    }

    private void onTimeout() {
        long now = loop.nanoTime();
        if (sent > 0 && lastActivity - lastProbeAt >= 0) {
            sent = 0; // the peer answered
        }
        if (sent == 0) {
            long idle = now - lastActivity;
            if (idle < after) {
                timer.schedule(after - idle);
                return;
            }
        }
        if (sent >= probes) {
            conn.onKeepaliveExpired();
            return;
        }
        conn.counters.txKeepaliveProbes.increment();
        conn.sendProbe();
        sent++;
        lastProbeAt = now;
        timer.schedule(interval);
    }
}
