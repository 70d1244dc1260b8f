package org.tcpip4j.netif.loop;

import java.security.SecureRandom;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * Where a stack draws the values an off-path attacker must not predict: the key of its
 * initial sequence numbers (RFC 6528), of its ephemeral ports (RFC 6056), of its
 * IPv4 identifications, ICMP echo identifiers and hash tables, and SYN cookie secrets
 * (RFC 4987). In production they come from {@link SecureRandom} ({@link #secure()}); a
 * simulation that must replay exactly draws them from a seed ({@link #deterministic(long)}),
 * which is the one seam through which tests choose them. {@link java.util.SplittableRandom},
 * the stack's ordinary randomness, says of itself that it is not for secrets.
 *
 * <p>Layers draw their keys once, when they are built, and rarely later (a rotating
 * secret, a UDP ephemeral port); use it on the loop, or while building the stack.
 */
public final class Secrets {

    private final RandomGenerator source;
    private final boolean secure;

    private Secrets(RandomGenerator source, boolean secure) {
        this.source = source;
        this.secure = secure;
    }

    /** Secrets from the system's {@link SecureRandom}: what a stack on a real network uses. */
    public static Secrets secure() {
        return new Secrets(new SecureRandom(), true);
    }

    /**
     * Secrets derived from {@code seed}, the same on every run: for simulations and tests
     * only, since anyone who knows the seed knows every key.
     */
    public static Secrets deterministic(long seed) {
        // A stream of its own, apart from the one StackContext.seeded draws from the same seed.
        return new Secrets(new SplittableRandom(seed).split(), false);
    }

    /**
     * Secrets drawn from {@code source} itself: secure exactly when {@code source} is a
     * {@link SecureRandom}. Contexts built from one generator use it for both.
     */
    public static Secrets from(RandomGenerator source) {
        Objects.requireNonNull(source, "source");
        return new Secrets(source, source instanceof SecureRandom);
    }

    /** 64 secret bits. */
    public long nextLong() {
        return source.nextLong();
    }

    /** 32 secret bits. */
    public int nextInt() {
        return source.nextInt();
    }

    /** A secret value in 0..{@code bound - 1}, uniformly; {@code bound} must be positive. */
    public int nextInt(int bound) {
        return source.nextInt(bound);
    }

    /** Fills {@code bytes} with secret bits. */
    public void nextBytes(byte[] bytes) {
        source.nextBytes(bytes);
    }

    /** True when the secrets come from a {@link SecureRandom}, false when they can be replayed. */
    public boolean isSecure() {
        return secure;
    }

    @Override
    public String toString() {
        return secure ? "Secrets[secure]" : "Secrets[deterministic]";
    }
}
