package org.tcpip4j.tcp.internal;

import java.util.random.RandomGenerator;

/**
 * Ephemeral ports for active opens, chosen at random in 49152..65535 (RFC 6335 6, the
 * dynamic range; RFC 6056 3.3.1, random port selection) so that an off-path attacker
 * cannot guess them, skipping ports that a connection or listener of this layer uses.
 */
final class EphemeralPorts {

    /** The first port of the dynamic range (RFC 6335 6). */
    static final int FIRST = 49152;
    /** The last port of the dynamic range. */
    static final int LAST = 65535;
    private static final int COUNT = LAST - FIRST + 1;

    private final int[] users = new int[COUNT];
    private final RandomGenerator random;

    EphemeralPorts(RandomGenerator random) {
        this.random = random;
    }

    /**
     * A free port, or -1 when every port of the range is in use. The port is not yet
     * marked used: call {@link #acquire} when the connection is created.
     */
    int pick() {
        int start = random.nextInt(COUNT);
        for (int i = 0; i < COUNT; i++) {
            int index = (start + i) % COUNT;
            if (users[index] == 0) {
                return FIRST + index;
            }
        }
        return -1;
    }

    /** Records one more user of {@code port}; ports outside the range are not tracked. */
    void acquire(int port) {
        if (port >= FIRST) {
            users[port - FIRST]++;
        }
    }

    /** Records one user fewer of {@code port}. */
    void release(int port) {
        if (port >= FIRST && users[port - FIRST] > 0) {
            users[port - FIRST]--;
        }
    }

    /** True when a connection or listener uses {@code port}. */
    boolean inUse(int port) {
        return port >= FIRST && users[port - FIRST] > 0;
    }
}
