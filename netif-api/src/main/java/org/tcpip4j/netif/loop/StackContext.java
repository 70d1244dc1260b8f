package org.tcpip4j.netif.loop;

import java.util.Objects;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * What every layer of one stack shares: the event loop (and through it, time) and the
 * source of randomness (ISNs, ephemeral ports, ARP jitter). Both are injected, so a
 * simulation with a fixed seed is deterministic.
 *
 * @param loop the loop all of the stack's state lives on
 * @param random randomness, used on the loop only
 * @param name a short name for logs ("stack-a", "tap0")
 */
public record StackContext(EventLoop loop, RandomGenerator random, String name) {

    public StackContext {
        Objects.requireNonNull(loop, "loop");
        Objects.requireNonNull(random, "random");
        Objects.requireNonNull(name, "name");
    }

    /** A context whose randomness is seeded with {@code seed}. */
    public static StackContext seeded(EventLoop loop, long seed, String name) {
        return new StackContext(loop, new SplittableRandom(seed), name);
    }

    /** A context with randomness seeded from the system's entropy. */
    public static StackContext of(EventLoop loop, String name) {
        return new StackContext(loop, new SplittableRandom(new java.security.SecureRandom().nextLong()), name);
    }
}
