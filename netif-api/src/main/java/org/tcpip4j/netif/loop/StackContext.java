package org.tcpip4j.netif.loop;

import java.util.Objects;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * What every layer of one stack shares: the event loop (and through it, time), the
 * source of ordinary randomness (ARP jitter, the challenge ACK budget) and the source of
 * secrets (ISN keys, ephemeral-port offsets, IPv4 identifications, hash seeds, SYN cookie
 * secrets). All are injected, so a simulation with a fixed seed is deterministic, while a
 * stack on a real network draws its secrets from {@link java.security.SecureRandom}.
 *
 * @param loop the loop all of the stack's state lives on
 * @param random randomness, used on the loop only
 * @param name a short name for logs ("stack-a", "tap0")
 * @param secrets keys an off-path attacker must not predict ({@link Secrets})
 */
public record StackContext(EventLoop loop, RandomGenerator random, String name, Secrets secrets) {

    public StackContext {
        Objects.requireNonNull(loop, "loop");
        Objects.requireNonNull(random, "random");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(secrets, "secrets");
    }

    /**
     * A context whose secrets are drawn from {@code random} as well ({@link Secrets#from}):
     * deterministic when {@code random} is, secure only when it is a
     * {@link java.security.SecureRandom}.
     */
    public StackContext(EventLoop loop, RandomGenerator random, String name) {
        this(loop, random, name, Secrets.from(random));
    }

    /**
     * A context whose randomness and secrets are both derived from {@code seed}
     * ({@link Secrets#deterministic}): for simulations and tests.
     */
    public static StackContext seeded(EventLoop loop, long seed, String name) {
        return new StackContext(loop, new SplittableRandom(seed), name, Secrets.deterministic(seed));
    }

    /**
     * A context for a real network: randomness seeded from the system's entropy, secrets
     * from {@link java.security.SecureRandom} ({@link Secrets#secure}).
     */
    public static StackContext of(EventLoop loop, String name) {
        Secrets secrets = Secrets.secure();
        return new StackContext(loop, new SplittableRandom(secrets.nextLong()), name, secrets);
    }
}
