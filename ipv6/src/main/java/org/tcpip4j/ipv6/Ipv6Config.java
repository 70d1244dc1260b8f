package org.tcpip4j.ipv6;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.tcpip4j.netif.Ipv6Address;
import org.tcpip4j.netif.Ipv6Cidr;

/**
 * IPv6 configuration and the layer's limits. Start from {@link #of} or {@link #slaacOnly()}
 * and change what differs with the {@code with} methods.
 *
 * @param addresses addresses configured statically, with their on-link prefixes (may be empty)
 * @param defaultRouter a default router configured statically, or {@code null}; it must be
 *     a link-local address (RFC 4861 8) or in one of the on-link prefixes
 * @param acceptRouterAdvertisements whether router advertisements are processed: default
 *     routers, on-link prefixes, MTU and hop limit (Linux's {@code accept_ra})
 * @param slaac whether addresses are formed from the advertised prefixes (RFC 4862 5.5.3,
 *     Linux's {@code autoconf}); needs {@code acceptRouterAdvertisements}
 * @param solicitRouters whether router solicitations are sent on start (RFC 4861 6.3.7)
 * @param stableSecret the secret of the stable interface identifiers of SLAAC addresses
 *     (RFC 7217, Linux's {@code stable_secret}): 16 bytes, or {@code null} for one drawn from
 *     the stack's secrets (stable for the life of the stack only)
 * @param dadTransmits neighbor solicitations sent by Duplicate Address Detection
 *     (RFC 4862 5.1 DupAddrDetectTransmits); 0 turns it off
 * @param defaultHopLimit the hop limit of datagrams whose writer names none, until a router
 *     advertises another
 * @param reassemblyTimeout how long fragments of an incomplete datagram are kept (RFC 8200
 *     4.5: 60 s)
 * @param maxFragmentsPerDatagram the most fragments one datagram may arrive in
 * @param maxReassemblyBytes the most bytes held across all incomplete datagrams
 * @param maxReassemblyBytesPerSource the most of those one source may hold
 * @param maxIncompleteDatagrams the most datagrams being reassembled at once
 * @param maxIncompleteDatagramsPerSource the most of those one source may have
 * @param pathMtuCacheSize the most destinations whose path MTU is remembered (RFC 8201)
 * @param pathMtuLifetime how long a lowered path MTU is used before the link MTU is tried
 *     again (RFC 8201 4: at least five minutes, ten recommended)
 * @param neighborCacheSize the most entries of the neighbor cache; the least recently used
 *     stale entry goes first
 * @param maxHeldPerNeighbor the most datagrams held for one neighbor while it is resolved
 *     (RFC 4861 7.2.2), the oldest dropped first
 * @param maxRouters the most entries of the default router list
 * @param maxPrefixes the most entries of the prefix list (and of SLAAC addresses)
 * @param acceptRedirects whether redirects are followed (RFC 4861 8.3)
 * @param maxExtensionHeaders the most extension headers walked in one datagram; more is a
 *     parameter problem
 */
public record Ipv6Config(List<Ipv6Cidr> addresses, Ipv6Address defaultRouter, boolean acceptRouterAdvertisements,
                         boolean slaac, boolean solicitRouters, byte[] stableSecret, int dadTransmits,
                         int defaultHopLimit, Duration reassemblyTimeout, int maxFragmentsPerDatagram,
                         int maxReassemblyBytes, int maxReassemblyBytesPerSource, int maxIncompleteDatagrams,
                         int maxIncompleteDatagramsPerSource, int pathMtuCacheSize, Duration pathMtuLifetime,
                         int neighborCacheSize, int maxHeldPerNeighbor, int maxRouters, int maxPrefixes,
                         boolean acceptRedirects, int maxExtensionHeaders) {

    /** The minimum link MTU of IPv6 (RFC 8200 5). */
    public static final int MIN_MTU = 1280;
    /** The largest byte budget accepted. */
    public static final int MAX_BYTES = 1 << 30;

    /**
     * Checks the bounds.
     *
     * @throws IllegalArgumentException naming the first field out of its range
     */
    public Ipv6Config {
        addresses = List.copyOf(Objects.requireNonNull(addresses, "addresses"));
        for (Ipv6Cidr c : addresses) {
            Ipv6Address a = c.address();
            if (a.isUnspecified() || a.isMulticast() || a.isLoopback()) {
                throw new IllegalArgumentException("not a unicast address for an interface: " + a);
            }
        }
        if (defaultRouter != null && (defaultRouter.isMulticast() || defaultRouter.isUnspecified())) {
            throw new IllegalArgumentException("not a router's address: " + defaultRouter);
        }
        if (defaultRouter != null && !defaultRouter.isLinkLocal()
                && addresses.stream().noneMatch(c -> c.contains(defaultRouter))) {
            throw new IllegalArgumentException("the default router " + defaultRouter
                + " is neither link-local nor in a configured prefix");
        }
        if (slaac && !acceptRouterAdvertisements) {
            throw new IllegalArgumentException("SLAAC needs router advertisements accepted");
        }
        if (stableSecret != null) {
            if (stableSecret.length != 16) {
                throw new IllegalArgumentException("the stable secret is 16 bytes, not " + stableSecret.length);
            }
            stableSecret = stableSecret.clone();
        }
        check("dadTransmits", dadTransmits, 0, 10);
        check("defaultHopLimit", defaultHopLimit, 1, 255);
        Objects.requireNonNull(reassemblyTimeout, "reassemblyTimeout");
        if (reassemblyTimeout.isNegative() || reassemblyTimeout.isZero()
                || reassemblyTimeout.compareTo(Duration.ofMinutes(10)) > 0) {
            throw new IllegalArgumentException("reassemblyTimeout must be in (0, 10 min]: " + reassemblyTimeout);
        }
        check("maxFragmentsPerDatagram", maxFragmentsPerDatagram, 1, 8192);
        check("maxReassemblyBytes", maxReassemblyBytes, 0, MAX_BYTES);
        check("maxReassemblyBytesPerSource", maxReassemblyBytesPerSource, 0, maxReassemblyBytes);
        check("maxIncompleteDatagrams", maxIncompleteDatagrams, 0, 1 << 20);
        check("maxIncompleteDatagramsPerSource", maxIncompleteDatagramsPerSource, 0, maxIncompleteDatagrams);
        check("pathMtuCacheSize", pathMtuCacheSize, 0, 1 << 16);
        Objects.requireNonNull(pathMtuLifetime, "pathMtuLifetime");
        if (pathMtuLifetime.isNegative() || pathMtuLifetime.isZero()) {
            throw new IllegalArgumentException("pathMtuLifetime must be positive: " + pathMtuLifetime);
        }
        check("neighborCacheSize", neighborCacheSize, 1, 1 << 20);
        check("maxHeldPerNeighbor", maxHeldPerNeighbor, 0, 4096);
        check("maxRouters", maxRouters, 0, 256);
        check("maxPrefixes", maxPrefixes, 0, 256);
        check("maxExtensionHeaders", maxExtensionHeaders, 1, 64);
    }

    private static void check(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be in " + min + ".." + max + ": " + value);
        }
    }

    /** Static addresses (maybe none) and an optional default router; router advertisements accepted, no SLAAC. */
    public static Ipv6Config of(List<Ipv6Cidr> addresses, Ipv6Address defaultRouter) {
        return new Ipv6Config(addresses, defaultRouter, true, false, true, null, 1, 64, Duration.ofSeconds(60),
            64, 1 << 20, 1 << 18, 1024, 256, 1024, Duration.ofMinutes(10), 1024, 101, 8, 16, true, 16);
    }

    /** One static address, no default router. */
    public static Ipv6Config of(Ipv6Cidr address) {
        return of(List.of(address), null);
    }

    /** No static address: a link-local address, and addresses and routers from router advertisements. */
    public static Ipv6Config slaacOnly() {
        return of(List.of(), null).withSlaac(true);
    }

    /** With SLAAC on or off (on also accepts router advertisements). */
    public Ipv6Config withSlaac(boolean on) {
        return new Ipv6Config(addresses, defaultRouter, acceptRouterAdvertisements || on, on, solicitRouters,
            stableSecret, dadTransmits, defaultHopLimit, reassemblyTimeout, maxFragmentsPerDatagram,
            maxReassemblyBytes, maxReassemblyBytesPerSource, maxIncompleteDatagrams, maxIncompleteDatagramsPerSource,
            pathMtuCacheSize, pathMtuLifetime, neighborCacheSize, maxHeldPerNeighbor, maxRouters, maxPrefixes,
            acceptRedirects, maxExtensionHeaders);
    }

    /** With router advertisements accepted or ignored, and router solicitation on or off with them. */
    public Ipv6Config withRouterAdvertisements(boolean accept) {
        return new Ipv6Config(addresses, defaultRouter, accept, slaac && accept, accept, stableSecret, dadTransmits,
            defaultHopLimit, reassemblyTimeout, maxFragmentsPerDatagram, maxReassemblyBytes,
            maxReassemblyBytesPerSource, maxIncompleteDatagrams, maxIncompleteDatagramsPerSource, pathMtuCacheSize,
            pathMtuLifetime, neighborCacheSize, maxHeldPerNeighbor, maxRouters, maxPrefixes, acceptRedirects,
            maxExtensionHeaders);
    }

    /** With this many DAD probes (0: addresses are usable at once, as for a simulation). */
    public Ipv6Config withDadTransmits(int transmits) {
        return new Ipv6Config(addresses, defaultRouter, acceptRouterAdvertisements, slaac, solicitRouters,
            stableSecret, transmits, defaultHopLimit, reassemblyTimeout, maxFragmentsPerDatagram, maxReassemblyBytes,
            maxReassemblyBytesPerSource, maxIncompleteDatagrams, maxIncompleteDatagramsPerSource, pathMtuCacheSize,
            pathMtuLifetime, neighborCacheSize, maxHeldPerNeighbor, maxRouters, maxPrefixes, acceptRedirects,
            maxExtensionHeaders);
    }

    /** With the stable secret of SLAAC's interface identifiers (16 bytes). */
    public Ipv6Config withStableSecret(byte[] secret) {
        return new Ipv6Config(addresses, defaultRouter, acceptRouterAdvertisements, slaac, solicitRouters,
            Objects.requireNonNull(secret, "secret"), dadTransmits, defaultHopLimit, reassemblyTimeout,
            maxFragmentsPerDatagram, maxReassemblyBytes, maxReassemblyBytesPerSource, maxIncompleteDatagrams,
            maxIncompleteDatagramsPerSource, pathMtuCacheSize, pathMtuLifetime, neighborCacheSize, maxHeldPerNeighbor,
            maxRouters, maxPrefixes, acceptRedirects, maxExtensionHeaders);
    }

    /** With other reassembly limits. */
    public Ipv6Config withReassembly(Duration timeout, int maxFragments, int maxBytes, int maxBytesPerSource) {
        return new Ipv6Config(addresses, defaultRouter, acceptRouterAdvertisements, slaac, solicitRouters,
            stableSecret, dadTransmits, defaultHopLimit, timeout, maxFragments, maxBytes, maxBytesPerSource,
            maxIncompleteDatagrams, maxIncompleteDatagramsPerSource, pathMtuCacheSize, pathMtuLifetime,
            neighborCacheSize, maxHeldPerNeighbor, maxRouters, maxPrefixes, acceptRedirects, maxExtensionHeaders);
    }

    /** With other limits on datagrams being reassembled at once. */
    public Ipv6Config withIncompleteDatagrams(int max, int maxPerSource) {
        return new Ipv6Config(addresses, defaultRouter, acceptRouterAdvertisements, slaac, solicitRouters,
            stableSecret, dadTransmits, defaultHopLimit, reassemblyTimeout, maxFragmentsPerDatagram,
            maxReassemblyBytes, maxReassemblyBytesPerSource, max, maxPerSource, pathMtuCacheSize, pathMtuLifetime,
            neighborCacheSize, maxHeldPerNeighbor, maxRouters, maxPrefixes, acceptRedirects, maxExtensionHeaders);
    }

    /** With another neighbor cache size and queue per neighbor. */
    public Ipv6Config withNeighborCache(int size, int heldPerNeighbor) {
        return new Ipv6Config(addresses, defaultRouter, acceptRouterAdvertisements, slaac, solicitRouters,
            stableSecret, dadTransmits, defaultHopLimit, reassemblyTimeout, maxFragmentsPerDatagram,
            maxReassemblyBytes, maxReassemblyBytesPerSource, maxIncompleteDatagrams, maxIncompleteDatagramsPerSource,
            pathMtuCacheSize, pathMtuLifetime, size, heldPerNeighbor, maxRouters, maxPrefixes, acceptRedirects,
            maxExtensionHeaders);
    }

    /** With redirects followed or ignored. */
    public Ipv6Config withRedirects(boolean accept) {
        return new Ipv6Config(addresses, defaultRouter, acceptRouterAdvertisements, slaac, solicitRouters,
            stableSecret, dadTransmits, defaultHopLimit, reassemblyTimeout, maxFragmentsPerDatagram,
            maxReassemblyBytes, maxReassemblyBytesPerSource, maxIncompleteDatagrams, maxIncompleteDatagramsPerSource,
            pathMtuCacheSize, pathMtuLifetime, neighborCacheSize, maxHeldPerNeighbor, maxRouters, maxPrefixes, accept,
            maxExtensionHeaders);
    }

    /** The stable secret (a copy), or {@code null}. */
    @Override
    public byte[] stableSecret() {
        return stableSecret == null ? null : stableSecret.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Ipv6Config c && toString().equals(c.toString())
            && java.util.Arrays.equals(stableSecret, c.stableSecret);
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }

    @Override
    public String toString() {
        return "Ipv6Config[addresses=" + addresses + ", defaultRouter=" + defaultRouter + ", acceptRa="
            + acceptRouterAdvertisements + ", slaac=" + slaac + ", solicitRouters=" + solicitRouters
            + ", stableSecret=" + (stableSecret == null ? "none" : "set") + ", dadTransmits=" + dadTransmits
            + ", hopLimit=" + defaultHopLimit + ", reassembly=" + reassemblyTimeout + "/" + maxFragmentsPerDatagram
            + "/" + maxReassemblyBytes + "/" + maxReassemblyBytesPerSource + "/" + maxIncompleteDatagrams + "/"
            + maxIncompleteDatagramsPerSource + ", pmtu=" + pathMtuCacheSize + "/" + pathMtuLifetime
            + ", neighbors=" + neighborCacheSize + "/" + maxHeldPerNeighbor + ", routers=" + maxRouters
            + ", prefixes=" + maxPrefixes + ", redirects=" + acceptRedirects + ", extensionHeaders="
            + maxExtensionHeaders + "]";
    }
}
