package org.tcpip4j.tcp.internal;

import org.tcpip4j.netif.IpAddress;
import org.tcpip4j.netif.SipHash;
import org.tcpip4j.netif.loop.EventLoop;
import org.tcpip4j.netif.loop.Secrets;

/**
 * The budget of resets sent in answer to segments for no connection (RFC 9293 3.10.7.1,
 * and an ACK to a listener, 3.10.7.2): a token bucket per destination, and one for the
 * layer, as FreeBSD bounds them ({@code net.inet.icmp.icmplim}) and as Linux bounds ICMP
 * errors per peer and in all. Each costs a stranger one segment and may go to an address
 * he forged, so without a bound this layer reflects a flood at a victim, or answers a
 * port scan at line rate.
 *
 * <p>The buckets of destinations live in a fixed table of {@value #SLOTS} slots, each
 * address hashed with a secret key to one: memory stays bounded whatever the number of
 * sources. A destination finds its slot free, its own, or held by another; a slot whose
 * bucket has filled up again is given to the newcomer, while one still in use is kept
 * (a forged source that collides with a limited destination cannot reset its budget), and
 * the newcomer is then bounded by the layer's bucket alone. Loop only; allocates nothing.
 */
final class ResetLimiter {

    /** Slots of the table of destinations. */
    static final int SLOTS = 1024;
    /** Resets per second to one destination, and its burst. */
    static final int PER_DESTINATION = 50;
    /** Resets per second from the layer, and its burst. */
    static final int TOTAL = 1000;

    private static final long NANOS_PER_DESTINATION_TOKEN = 1_000_000_000L / PER_DESTINATION;
    private static final long NANOS_PER_TOTAL_TOKEN = 1_000_000_000L / TOTAL;

    private final EventLoop loop;
    private final long k0;
    private final long k1;
    /** Each slot's destination, as 128 bits ({@link FourTuple}: IPv4 addresses mapped). */
    private final long[] highs = new long[SLOTS];
    private final long[] lows = new long[SLOTS];
    private final boolean[] used = new boolean[SLOTS];
    /** When each slot's bucket would be full: a bucket as one timestamp (a "virtual scheduling" GCRA). */
    private final long[] fullAt = new long[SLOTS];
    private long totalFullAt;

    ResetLimiter(EventLoop loop, Secrets secrets) {
        this.loop = loop;
        this.k0 = secrets.nextLong();
        this.k1 = secrets.nextLong();
        this.totalFullAt = loop.nanoTime();
    }

    /** Takes one reset to {@code destination}, of either IP version, from the budgets; false when one of them is spent. */
    boolean tryAcquire(IpAddress destination) {
        return tryAcquire(FourTuple.high(destination), FourTuple.low(destination));
    }

    /** Takes one reset to the destination of these 128 bits from the budgets; false when one of them is spent. */
    boolean tryAcquire(long high, long low) {
        long now = loop.nanoTime();
        int slot = (int) SipHash.hash(k0, k1, high, low) & (SLOTS - 1);
        boolean own = used[slot] && highs[slot] == high && lows[slot] == low;
        if (!own && used[slot] && fullAt[slot] - now > 0) {
            return take(now, -1); // another destination's bucket is in use: the layer's budget alone
        }
        if (!own) {
            used[slot] = true;
            highs[slot] = high;
            lows[slot] = low;
            fullAt[slot] = now;
        }
        return take(now, slot);
    }

    /**
     * Takes a token from the layer's bucket and, when {@code slot} is not -1, from the
     * slot's. A bucket of burst B refilling every T is the time it is full again: taking a
     * token moves it on by T, and the bucket is empty when it lies B * T ahead.
     */
    private boolean take(long now, int slot) {
        long total = Math.max(totalFullAt, now) + NANOS_PER_TOTAL_TOKEN;
        if (total - now > TOTAL * NANOS_PER_TOTAL_TOKEN) {
            return false;
        }
        if (slot >= 0) {
            long mine = Math.max(fullAt[slot], now) + NANOS_PER_DESTINATION_TOKEN;
            if (mine - now > PER_DESTINATION * NANOS_PER_DESTINATION_TOKEN) {
                return false;
            }
            fullAt[slot] = mine;
        }
        totalFullAt = total;
        return true;
    }
}
