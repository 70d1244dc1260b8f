package org.tcpip4j.arp;

import java.time.Duration;

/**
 * How an ARP layer behaves.
 *
 * @param cacheSize the most learned entries the cache holds (least recently used go first;
 *     static entries are not counted)
 * @param entryLifetime how long a learned entry is used; an entry still in use in its last
 *     {@code retries * retryInterval} is refreshed with unicast requests to the MAC it
 *     holds (RFC 1122 2.3.2.1), so that a busy neighbour never drops out of the cache
 * @param retries how many requests a query sends before it fails
 * @param retryInterval the time between two requests of one query
 * @param pendingPacketsPerAddress packets held while an address resolves, per address (the
 *     IPv4 layer holds them and reads this value)
 * @param probeBeforeUse when true, an address given to {@link Arp#setIps} or
 *     {@link Arp#addIp} is probed first (RFC 5227 2.1): it is answered for, and announced,
 *     only once three probes went unanswered, about five to nine seconds later
 */
public record ArpConfig(int cacheSize, Duration entryLifetime, int retries, Duration retryInterval,
                        int pendingPacketsPerAddress, boolean probeBeforeUse) {

    /** 1024 entries, 60 s lifetime, 3 requests one second apart, 16 held packets, no probing. */
    public static final ArpConfig DEFAULT = new ArpConfig(1024, Duration.ofSeconds(60), 3, Duration.ofSeconds(1), 16,
            false);

    public ArpConfig {
        if (cacheSize < 1 || retries < 1 || pendingPacketsPerAddress < 0) {
            throw new IllegalArgumentException("cacheSize and retries must be positive, pending packets not negative");
        }
        if (entryLifetime.isNegative() || entryLifetime.isZero() || retryInterval.isNegative()
                || retryInterval.isZero()) {
            throw new IllegalArgumentException("the entry lifetime and the retry interval must be positive");
        }
    }

    /** A configuration without probing before use. */
    public ArpConfig(int cacheSize, Duration entryLifetime, int retries, Duration retryInterval,
                     int pendingPacketsPerAddress) {
        this(cacheSize, entryLifetime, retries, retryInterval, pendingPacketsPerAddress, false);
    }

    /** This configuration with probing before use turned on or off. */
    public ArpConfig withProbeBeforeUse(boolean probe) {
        return new ArpConfig(cacheSize, entryLifetime, retries, retryInterval, pendingPacketsPerAddress, probe);
    }
}
