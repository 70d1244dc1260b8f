package org.tcpip4j.arp;

import java.time.Duration;
import java.util.Objects;

/**
 * How an ARP layer behaves.
 *
 * <p>Resolutions of unknown neighbours are bounded twice, so that strangers cannot grow
 * memory by making this host talk to addresses that never answer (spoofed on-link
 * sources of pings and SYNs, each answer needing a resolution): at most
 * {@code maxPendingResolutions} addresses resolve at once, the oldest giving way to a new
 * one (its query fails with {@link ArpException.Evicted}), and the datagrams held meanwhile
 * by the IPv4 layer take at most {@code maxPendingBytes} in all, the oldest dropped first.
 *
 * @param cacheSize the most learned entries the cache holds (least recently used go first;
 *     static entries are not counted), in 1..1,048,576
 * @param entryLifetime how long a learned entry is used, more than zero and at most a day;
 *     an entry still in use in its last {@code retries * retryInterval} is refreshed with
 *     unicast requests to the MAC it holds (RFC 1122 2.3.2.1), so that a busy neighbour
 *     never drops out of the cache
 * @param retries how many requests a query sends before it fails, in 1..100
 * @param retryInterval the time between two requests of one query, more than zero and at
 *     most an hour
 * @param pendingPacketsPerAddress packets held while an address resolves, per address (the
 *     IPv4 layer holds them and reads this value), in 0..65,536
 * @param probeBeforeUse when true, an address given to {@link Arp#setIps} or
 *     {@link Arp#addIp} is probed first (RFC 5227 2.1): it is answered for, and announced,
 *     only once three probes went unanswered, about five to nine seconds later
 * @param maxPendingResolutions the most addresses resolving at once, in 1..1,048,576
 * @param maxPendingBytes the most bytes of datagrams held, over all addresses, while their
 *     next hop resolves (each counted with its payload and {@link #HELD_OVERHEAD}), in
 *     0..1,073,741,824
 */
public record ArpConfig(int cacheSize, Duration entryLifetime, int retries, Duration retryInterval,
                        int pendingPacketsPerAddress, boolean probeBeforeUse, int maxPendingResolutions,
                        int maxPendingBytes) {

    /** Bytes a held datagram is charged on top of its payload: its record, buffer and queue slot. */
    public static final int HELD_OVERHEAD = 96;
    /** The default bound on addresses resolving at once. */
    public static final int DEFAULT_MAX_PENDING_RESOLUTIONS = 512;
    /** The default bound on bytes held waiting for resolutions: 1 MiB. */
    public static final int DEFAULT_MAX_PENDING_BYTES = 1 << 20;
    private static final int MAX_TABLE = 1 << 20;

    /**
     * 1024 entries, 60 s lifetime, 3 requests one second apart, 101 held packets per address
     * (Linux's unres_qlen: a burst of connections to a neighbour not yet resolved, a server's
     * first SYN-ACKs, waits for the reply rather than a retransmission a second later), no
     * probing, 512 addresses resolving at once, 1 MiB held in all.
     */
    public static final ArpConfig DEFAULT = new ArpConfig(1024, Duration.ofSeconds(60), 3, Duration.ofSeconds(1), 101,
            false);

    /**
     * Checks the bounds.
     *
     * @throws IllegalArgumentException naming the first field out of its range
     */
    public ArpConfig {
        check("cacheSize", cacheSize, 1, MAX_TABLE);
        check("retries", retries, 1, 100);
        check("pendingPacketsPerAddress", pendingPacketsPerAddress, 0, 65_536);
        check("maxPendingResolutions", maxPendingResolutions, 1, MAX_TABLE);
        check("maxPendingBytes", maxPendingBytes, 0, 1 << 30);
        check("entryLifetime", entryLifetime, Duration.ofDays(1));
        check("retryInterval", retryInterval, Duration.ofHours(1));
    }

    /** A configuration with the default bounds on pending resolutions. */
    public ArpConfig(int cacheSize, Duration entryLifetime, int retries, Duration retryInterval,
                     int pendingPacketsPerAddress, boolean probeBeforeUse) {
        this(cacheSize, entryLifetime, retries, retryInterval, pendingPacketsPerAddress, probeBeforeUse,
                DEFAULT_MAX_PENDING_RESOLUTIONS, DEFAULT_MAX_PENDING_BYTES);
    }

    /** A configuration without probing before use, with the default bounds on pending resolutions. */
    public ArpConfig(int cacheSize, Duration entryLifetime, int retries, Duration retryInterval,
                     int pendingPacketsPerAddress) {
        this(cacheSize, entryLifetime, retries, retryInterval, pendingPacketsPerAddress, false);
    }

    /** This configuration with probing before use turned on or off. */
    public ArpConfig withProbeBeforeUse(boolean probe) {
        return new ArpConfig(cacheSize, entryLifetime, retries, retryInterval, pendingPacketsPerAddress, probe,
                maxPendingResolutions, maxPendingBytes);
    }

    /** This configuration with other bounds on pending resolutions and the bytes they hold. */
    public ArpConfig withPendingBounds(int resolutions, int bytes) {
        return new ArpConfig(cacheSize, entryLifetime, retries, retryInterval, pendingPacketsPerAddress,
                probeBeforeUse, resolutions, bytes);
    }

    private static void check(String field, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException("ArpConfig." + field + " must be in " + min + ".." + max + ": " + value);
        }
    }

    private static void check(String field, Duration value, Duration max) {
        Objects.requireNonNull(value, field);
        if (value.isNegative() || value.isZero() || value.compareTo(max) > 0) {
            throw new IllegalArgumentException("ArpConfig." + field + " must be more than 0 and at most " + max + ": "
                    + value);
        }
    }
}
