package org.tcpip4j.arp.internal;

import java.util.concurrent.CompletableFuture;
import java.util.random.RandomGenerator;
import org.tcpip4j.arp.ArpException;
import org.tcpip4j.netif.Ipv4Address;
import org.tcpip4j.netif.MacAddress;
import org.tcpip4j.netif.loop.EventLoop;
import org.tcpip4j.netif.loop.Timer;

/**
 * Probes one address before it is used (RFC 5227 2.1) and then announces it (2.3): waits
 * a random time up to PROBE_WAIT, sends PROBE_NUM probes PROBE_MIN to PROBE_MAX apart,
 * waits ANNOUNCE_WAIT, then claims the address and sends ANNOUNCE_NUM announcements
 * ANNOUNCE_INTERVAL apart. The owner calls {@link #conflict} when a packet shows another
 * host using or probing the address (2.1.1), which ends the probe with
 * {@link ArpException.Conflict}. Loop only.
 */
final class AddressProbe {

    /** RFC 5227 1.1: the protocol constants, in nanoseconds and counts. */
    static final long PROBE_WAIT = 1_000_000_000L;
    static final int PROBE_NUM = 3;
    static final long PROBE_MIN = 1_000_000_000L;
    static final long PROBE_MAX = 2_000_000_000L;
    static final int ANNOUNCE_NUM = 2;
    static final long ANNOUNCE_WAIT = 2_000_000_000L;
    static final long ANNOUNCE_INTERVAL = 2_000_000_000L;

    /** What a probe asks of the ARP layer. */
    interface Actions {
        /** Broadcasts a probe: sender 0.0.0.0, target {@code ip} (RFC 5227 2.1.1). */
        void sendProbe(Ipv4Address ip);

        /** Takes {@code ip} into use: answer requests for it from now on. */
        void claim(Ipv4Address ip);

        /** Broadcasts an announcement of {@code ip} (RFC 5227 2.3). */
        void announce(Ipv4Address ip);

        /** The probe ended, one way or the other: forget it. */
        void ended(AddressProbe probe);
    }

    final Ipv4Address ip;
    final CompletableFuture<Void> future = new CompletableFuture<>();
    private final Actions actions;
    private final RandomGenerator random;
    private final Timer timer;
    private int probesSent;
    private int announcementsSent;
    private boolean claimed;

    AddressProbe(Ipv4Address ip, EventLoop loop, RandomGenerator random, Actions actions) {
        this.ip = ip;
        this.actions = actions;
        this.random = random;
        this.timer = loop.newTimer(this::step);
    }

    /** Starts: the first probe goes out after a random delay up to PROBE_WAIT. */
    void start() {
        timer.schedule(random.nextLong(PROBE_WAIT + 1));
    }

    /** True once the address was claimed (probing is over, announcing may go on). */
    boolean claimed() {
        return claimed;
    }

    private void step() {
        if (probesSent < PROBE_NUM) {
            actions.sendProbe(ip);
            probesSent++;
            timer.schedule(probesSent < PROBE_NUM ? PROBE_MIN + random.nextLong(PROBE_MAX - PROBE_MIN + 1)
                    : ANNOUNCE_WAIT);
            return;
        }
        if (!claimed) {
            claimed = true;
            actions.claim(ip);
            future.complete(null);
        }
        actions.announce(ip);
        announcementsSent++;
        if (announcementsSent < ANNOUNCE_NUM) {
            timer.schedule(ANNOUNCE_INTERVAL);
        } else {
            actions.ended(this);
        }
    }

    /**
     * Another host ({@code mac}) uses or probes the address. Before the claim the probe
     * fails; after it, the conflict is the defending rules' business (RFC 5227 2.4) and
     * only the remaining announcements are dropped.
     */
    void conflict(MacAddress mac) {
        timer.cancel();
        actions.ended(this);
        if (!claimed) {
            future.completeExceptionally(new ArpException.Conflict(ip, mac));
        }
    }

    /** Stops the probe (the address was removed, or the layer stopped) with {@code why}. */
    void cancel(Throwable why) {
        timer.cancel();
        future.completeExceptionally(why);
    }
}
