package org.tcpip4j.tcp.internal;

import java.util.random.RandomGenerator;
import org.tcpip4j.netif.loop.EventLoop;

/**
 * The layer's budget of challenge ACKs (RFC 5961 7): the ACKs that answer an in-window
 * reset, a SYN on a synchronized connection or an ACK of data never sent cost an attacker
 * one segment each, so their number is bounded per second over all connections, and a
 * flood of forged segments cannot turn the stack into an ACK amplifier.
 *
 * <p>A fixed budget shared by all connections is itself a side channel (CVE-2016-5696: an
 * off-path attacker who exhausts it and counts the challenge ACKs he still sees learns
 * whether his guesses hit a connection), so each one-second interval's budget is drawn at
 * random between half and one and a half times the configured rate, as Linux does since
 * 4.7. Loop only.
 */
final class ChallengeAckLimiter {

    private static final long INTERVAL_NANOS = 1_000_000_000L;

    private final EventLoop loop;
    private final RandomGenerator random;
    private final int perSecond;
    private long intervalStart;
    private boolean started;
    private int left;

    ChallengeAckLimiter(EventLoop loop, RandomGenerator random, int perSecond) {
        this.loop = loop;
        this.random = random;
        this.perSecond = perSecond;
    }

    /** Takes one challenge ACK from this second's budget; false when it is spent. */
    boolean tryAcquire() {
        long now = loop.nanoTime();
        if (!started || now - intervalStart >= INTERVAL_NANOS) {
            started = true;
            intervalStart = now;
            left = (perSecond + 1) / 2 + random.nextInt(perSecond);
        }
        if (left <= 0) {
            return false;
        }
        left--;
        return true;
    }
}
