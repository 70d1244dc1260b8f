package org.tcpip4j.arp;

import java.time.Duration;

/**
 * How an ARP layer behaves.
 *
 * @param cacheSize the most entries the cache holds (least recently used go first)
 * @param entryLifetime how long a learned entry is used before it is refreshed
 * @param retries how many requests a query sends before it fails
 * @param retryInterval the time between two requests of one query
 * @param pendingPacketsPerAddress packets held while an address resolves, per address
 */
public record ArpConfig(int cacheSize, Duration entryLifetime, int retries, Duration retryInterval,
                        int pendingPacketsPerAddress) {

    /** 1024 entries, 60 s lifetime, 3 requests one second apart, 16 held packets. */
    public static final ArpConfig DEFAULT = new ArpConfig(1024, Duration.ofSeconds(60), 3, Duration.ofSeconds(1), 16);

    public ArpConfig {
        if (cacheSize < 1 || retries < 1 || pendingPacketsPerAddress < 0) {
            throw new IllegalArgumentException("cacheSize and retries must be positive, pending packets not negative");
        }
    }
}
