package org.tcpip4j.icmp.internal;

import org.tcpip4j.icmp.IcmpConfig;
import org.tcpip4j.netif.Counters;
import org.tcpip4j.netif.loop.EventLoop;

/**
 * The rate limit of the errors one ICMP layer generates, for either IP version: the token
 * bucket over all destinations ({@link ErrorRateLimiter}) and the one of each destination
 * ({@link DestinationRateLimiter}), as {@link IcmpConfig} sets them (RFC 1812 4.3.2.8;
 * RFC 4443 2.4 (f), which names the token bucket; Linux's {@code icmp_ratelimit} and
 * {@code icmpv6 ratelimit}, each per peer). What either refuses is counted. Loop only.
 */
final class ErrorBudget {

    private final EventLoop loop;
    private final ErrorRateLimiter limiter;
    private final DestinationRateLimiter perDestination;
    private final Counters.Counter rateLimited;
    private final Counters.Counter destinationRateLimited;
    private final Counters.Counter destinationsGauge;
    private final Counters.Counter destinationsEvicted;

    /** A budget in {@code loop}'s time; {@code seed} spreads destinations over the rate table. */
    ErrorBudget(EventLoop loop, IcmpConfig config, Counters counters, int seed) {
        this.loop = loop;
        this.limiter = new ErrorRateLimiter(config.errorsPerSecond(), config.errorBurst(), loop.nanoTime());
        this.perDestination = new DestinationRateLimiter(config.errorsPerSecondPerDestination(),
                config.errorBurstPerDestination(), config.destinationTableSize(), seed);
        this.rateLimited = counters.counter("error.not_sent.rate_limited");
        this.destinationRateLimited = counters.counter("error.not_sent.rate_limited_destination");
        this.destinationsGauge = counters.counter("error.rate_limit.destinations");
        this.destinationsEvicted = counters.counter("error.rate_limit.evicted_early");
    }

    /**
     * Takes a token for one error to the destination whose bits are {@code high} and
     * {@code low} (an IPv4 address in the low 32 bits), when both buckets have one.
     */
    boolean tryAcquire(long high, long low) {
        // The global bucket is looked at first and drawn from last, as Linux does, so that
        // what one destination is refused costs the others nothing.
        long now = loop.nanoTime();
        if (!limiter.hasToken(now)) {
            rateLimited.increment();
            return false;
        }
        long evictedBefore = perDestination.evictedEarly();
        boolean allowed = perDestination.tryAcquire(high, low, now);
        destinationsEvicted.add(perDestination.evictedEarly() - evictedBefore);
        destinationsGauge.add(perDestination.size() - destinationsGauge.get());
        if (!allowed) {
            destinationRateLimited.increment();
            return false;
        }
        limiter.tryAcquire(now);
        return true;
    }
}
