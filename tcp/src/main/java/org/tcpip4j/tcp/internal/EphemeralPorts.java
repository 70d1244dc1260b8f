package org.tcpip4j.tcp.internal;

import java.util.function.IntPredicate;
import java.util.random.RandomGenerator;
import org.tcpip4j.netif.IpAddress;
import org.tcpip4j.netif.loop.Secrets;

/**
 * Ephemeral ports for active opens in 49152..65535 (RFC 6335 6, the dynamic range), by
 * RFC 6056 3.3.4, "Algorithm 4: Double-Hash Port Selection", with Linux's refinements
 * ({@code __inet_hash_connect}): the search for a port to a destination starts at
 * {@code offset + table[index]}, where the offset is a keyed hash F of (local address,
 * remote address, remote port; the addresses as 128 bits, {@link FourTuple#hash}) and the
 * index another, G, into a table of counters; each
 * port handed out moves that counter past the ports tried and a small random step more.
 *
 * <p>So a port needs only to be unique for its 4-tuple, not stack-wide (the whole range
 * serves each destination), ports to one destination do not tell an off-path attacker
 * where another destination's sequence stands (its own offset, and almost always its own
 * counter), and a reconnection to the same destination moves on from the previous port
 * rather than reusing it while the peer may still hold it in TIME_WAIT (RFC 6056 2.3).
 * A port on which a listener of this layer waits is never handed out.
 */
final class EphemeralPorts {

    /** The first port of the dynamic range (RFC 6335 6). */
    static final int FIRST = 49152;
    /** The last port of the dynamic range. */
    static final int LAST = 65535;
    static final int COUNT = LAST - FIRST + 1;
    /** Counters of algorithm 4's table (RFC 6056 suggests 10; Linux has 65536, against tracking). */
    static final int TABLE_SIZE = 1 << 14;
    /** The random step added after each port, below this (Linux: 0..7 steps). */
    private static final int RANDOM_STEP = 8;

    private final long k0;
    private final long k1;
    private final int[] table = new int[TABLE_SIZE];
    private final int[] listeners = new int[COUNT];
    private final RandomGenerator random;

    private final int shares;
    private final int share;

    /** Ports keyed with 128 bits of {@code secrets}, stepping with {@code random}. */
    EphemeralPorts(Secrets secrets, RandomGenerator random) {
        this(secrets, random, 0, 1);
    }

    /**
     * Ports of share {@code share} of {@code shares} only ({@code port % shares == share}):
     * for one of several TCP layers that connect from the same addresses.
     */
    EphemeralPorts(Secrets secrets, RandomGenerator random, int share, int shares) {
        this.k0 = secrets.nextLong();
        this.k1 = secrets.nextLong();
        this.random = random;
        this.share = share;
        this.shares = shares;
    }

    /**
     * A port for a connection from {@code localAddress} to {@code remoteAddress}:{@code
     * remotePort} whose 4-tuple is free ({@code free} tells), or -1 when every port of the
     * range is taken for this destination.
     */
    int pick(IpAddress localAddress, IpAddress remoteAddress, int remotePort, IntPredicate free) {
        long lh = FourTuple.high(localAddress);
        long ll = FourTuple.low(localAddress);
        long rh = FourTuple.high(remoteAddress);
        long rl = FourTuple.low(remoteAddress);
        int offset = (int) FourTuple.hash(k0, k1, lh, ll, rh, rl, remotePort);
        int index = (int) FourTuple.hash(k0, k1, lh, ll, rh, rl, remotePort | (1L << 32)) & (TABLE_SIZE - 1);
        int next = table[index];
        for (int i = 0; i < COUNT; i++) {
            int port = FIRST + Math.floorMod(offset + next + i, COUNT);
            if (shares > 1 && port % shares != share) {
                continue;
            }
            if (listeners[port - FIRST] == 0 && free.test(port)) {
                table[index] = next + i + 1 + random.nextInt(RANDOM_STEP);
                return port;
            }
        }
        return -1;
    }

    /** A listener waits on {@code port}; ports outside the range are not tracked. */
    void listen(int port) {
        if (port >= FIRST) {
            listeners[port - FIRST]++;
        }
    }

    /** A listener on {@code port} went away. */
    void unlisten(int port) {
        if (port >= FIRST && listeners[port - FIRST] > 0) {
            listeners[port - FIRST]--;
        }
    }
}
