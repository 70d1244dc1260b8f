package org.tcpip4j.ipv4;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.tcpip4j.netif.Ipv4Address;
import org.tcpip4j.netif.Ipv4Cidr;

/**
 * Static IPv4 configuration and the layer's limits.
 *
 * <p>Reassembly memory is counted as each fragment's payload plus a fixed overhead per
 * fragment and per incomplete datagram (the bookkeeping they cost), so that a flood of
 * tiny fragments holds no more memory than the limits say.
 *
 * @param cidrs the interface's addresses with their subnets (at least one)
 * @param gateway the default gateway, or {@code null} for on-link routing only
 * @param defaultTtl the TTL of datagrams whose writer names none
 * @param reassemblyTimeout how long fragments of an incomplete datagram are kept
 * @param maxFragmentsPerDatagram the most fragments one datagram may arrive in
 * @param maxReassemblyBytes the most bytes held across all incomplete datagrams
 * @param maxReassemblyBytesPerSource the most of those bytes one source address may hold,
 *     so that one host flooding fragments cannot starve the others
 * @param pathMtuCacheSize the most destinations whose path MTU is remembered (RFC 1191);
 *     0 remembers none
 * @param pathMtuLifetime how long a lowered path MTU is used before the link MTU is tried
 *     again (RFC 1191 6.3 suggests ten minutes)
 * @param maxIncompleteDatagrams the most datagrams being reassembled at once; a first
 *     fragment of another is dropped
 * @param maxIncompleteDatagramsPerSource the most of those one source address may have
 */
public record Ipv4Config(List<Ipv4Cidr> cidrs, Ipv4Address gateway, int defaultTtl, Duration reassemblyTimeout,
                         int maxFragmentsPerDatagram, int maxReassemblyBytes, int maxReassemblyBytesPerSource,
                         int pathMtuCacheSize, Duration pathMtuLifetime, int maxIncompleteDatagrams,
                         int maxIncompleteDatagramsPerSource) {

    /** The default reassembly budget: 1 MiB over all sources. */
    public static final int DEFAULT_REASSEMBLY_BYTES = 1 << 20;
    /** The default number of destinations with a remembered path MTU. */
    public static final int DEFAULT_PATH_MTU_CACHE_SIZE = 1024;
    /** The default lifetime of a lowered path MTU (RFC 1191 6.3). */
    public static final Duration DEFAULT_PATH_MTU_LIFETIME = Duration.ofMinutes(10);
    /** The default number of datagrams being reassembled at once. */
    public static final int DEFAULT_INCOMPLETE_DATAGRAMS = 1024;
    /** The default number of datagrams one source may have being reassembled at once. */
    public static final int DEFAULT_INCOMPLETE_DATAGRAMS_PER_SOURCE = 256;

    /** The largest byte budget accepted (the sums of held bytes stay far from overflow). */
    public static final int MAX_BYTES = 1 << 30;
    /** The largest path MTU cache accepted (its table is allocated whole). */
    public static final int MAX_PATH_MTU_CACHE_SIZE = 1 << 16;

    /**
     * Checks the bounds.
     *
     * @throws IllegalArgumentException naming the first field out of its range
     */
    public Ipv4Config {
        cidrs = List.copyOf(Objects.requireNonNull(cidrs, "cidrs"));
        if (cidrs.isEmpty()) {
            throw new IllegalArgumentException("Ipv4Config.cidrs must hold at least one address");
        }
        check("defaultTtl", defaultTtl, 1, 255);
        check("reassemblyTimeout", reassemblyTimeout, Duration.ofHours(1));
        // A datagram of 65,535 bytes is at most 8,192 fragments of eight bytes.
        check("maxFragmentsPerDatagram", maxFragmentsPerDatagram, 1, 8192);
        check("maxReassemblyBytes", maxReassemblyBytes, 0, MAX_BYTES);
        check("maxReassemblyBytesPerSource", maxReassemblyBytesPerSource, 0, MAX_BYTES);
        check("pathMtuCacheSize", pathMtuCacheSize, 0, MAX_PATH_MTU_CACHE_SIZE);
        check("pathMtuLifetime", pathMtuLifetime, Duration.ofDays(1));
        check("maxIncompleteDatagrams", maxIncompleteDatagrams, 0, 1 << 20);
        check("maxIncompleteDatagramsPerSource", maxIncompleteDatagramsPerSource, 0, 1 << 20);
    }

    private static void check(String field, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException("Ipv4Config." + field + " must be in " + min + ".." + max + ": " + value);
        }
    }

    private static void check(String field, Duration value, Duration max) {
        Objects.requireNonNull(value, field);
        if (value.isNegative() || value.isZero() || value.compareTo(max) > 0) {
            throw new IllegalArgumentException("Ipv4Config." + field + " must be more than 0 and at most " + max
                    + ": " + value);
        }
    }

    /** The configuration with the default bounds on the number of datagrams being reassembled. */
    public Ipv4Config(List<Ipv4Cidr> cidrs, Ipv4Address gateway, int defaultTtl, Duration reassemblyTimeout,
                      int maxFragmentsPerDatagram, int maxReassemblyBytes, int maxReassemblyBytesPerSource,
                      int pathMtuCacheSize, Duration pathMtuLifetime) {
        this(cidrs, gateway, defaultTtl, reassemblyTimeout, maxFragmentsPerDatagram, maxReassemblyBytes,
                maxReassemblyBytesPerSource, pathMtuCacheSize, pathMtuLifetime, DEFAULT_INCOMPLETE_DATAGRAMS,
                DEFAULT_INCOMPLETE_DATAGRAMS_PER_SOURCE);
    }

    /**
     * The configuration with the limits of the first versions: every source may hold a
     * quarter of {@code maxReassemblyBytes}; path MTUs as by default.
     */
    public Ipv4Config(List<Ipv4Cidr> cidrs, Ipv4Address gateway, int defaultTtl, Duration reassemblyTimeout,
                      int maxFragmentsPerDatagram, int maxReassemblyBytes) {
        this(cidrs, gateway, defaultTtl, reassemblyTimeout, maxFragmentsPerDatagram, maxReassemblyBytes,
                maxReassemblyBytes / 4, DEFAULT_PATH_MTU_CACHE_SIZE, DEFAULT_PATH_MTU_LIFETIME);
    }

    /**
     * One address, an optional gateway, and the default limits: TTL 64, 30 s reassembly
     * timeout (RFC 1122 3.3.2 suggests 60 to 120; Linux uses 30), 64 fragments per
     * datagram, 1 MiB held of which 256 KiB per source, 1024 datagrams being reassembled at
     * once of which 256 per source, 1024 path MTUs kept ten minutes.
     */
    public static Ipv4Config of(Ipv4Cidr cidr, Ipv4Address gateway) {
        return new Ipv4Config(List.of(cidr), gateway, 64, Duration.ofSeconds(30), 64, DEFAULT_REASSEMBLY_BYTES);
    }

    /** One address, no gateway, and the default limits. */
    public static Ipv4Config of(Ipv4Cidr cidr) {
        return of(cidr, null);
    }

    /** This configuration with other addresses and gateway, the limits unchanged. */
    public Ipv4Config withAddresses(List<Ipv4Cidr> newCidrs, Ipv4Address newGateway) {
        return new Ipv4Config(newCidrs, newGateway, defaultTtl, reassemblyTimeout, maxFragmentsPerDatagram,
                maxReassemblyBytes, maxReassemblyBytesPerSource, pathMtuCacheSize, pathMtuLifetime,
                maxIncompleteDatagrams, maxIncompleteDatagramsPerSource);
    }

    /** This configuration with other reassembly limits. */
    public Ipv4Config withReassembly(Duration timeout, int maxFragments, int maxBytes, int maxBytesPerSource) {
        return new Ipv4Config(cidrs, gateway, defaultTtl, timeout, maxFragments, maxBytes, maxBytesPerSource,
                pathMtuCacheSize, pathMtuLifetime, maxIncompleteDatagrams, maxIncompleteDatagramsPerSource);
    }

    /** This configuration with another path MTU cache. */
    public Ipv4Config withPathMtuCache(int size, Duration lifetime) {
        return new Ipv4Config(cidrs, gateway, defaultTtl, reassemblyTimeout, maxFragmentsPerDatagram,
                maxReassemblyBytes, maxReassemblyBytesPerSource, size, lifetime, maxIncompleteDatagrams,
                maxIncompleteDatagramsPerSource);
    }

    /** This configuration with other bounds on the number of datagrams being reassembled at once. */
    public Ipv4Config withIncompleteDatagrams(int max, int maxPerSource) {
        return new Ipv4Config(cidrs, gateway, defaultTtl, reassemblyTimeout, maxFragmentsPerDatagram,
                maxReassemblyBytes, maxReassemblyBytesPerSource, pathMtuCacheSize, pathMtuLifetime, max, maxPerSource);
    }
}
