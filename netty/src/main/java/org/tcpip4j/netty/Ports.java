package org.tcpip4j.netty;

import java.net.BindException;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The ports this module's channels are bound to, per stack and protocol: our layers let a
 * second listener replace the first without a word, where a socket's bind fails with
 * "address already in use"; this keeps the socket's rule among Netty channels.
 */
final class Ports {

    private static final int EPHEMERAL_LOW = 49152;
    private static final int EPHEMERAL_HIGH = 65535;
    private static final Map<Object, Set<Integer>> BOUND = new ConcurrentHashMap<>();

    private Ports() {
    }

    /**
     * Reserves {@code port} (0: a free ephemeral port) of {@code stack} for {@code protocol}.
     *
     * @return the port reserved
     * @throws BindException when the port is bound already, or no ephemeral port is free
     */
    static int reserve(Object stack, String protocol, int port) throws BindException {
        int[] reserved = {-1};
        // One atomic step per key, so that release's removal of an emptied set cannot lose
        // a reservation made meanwhile.
        BOUND.compute(new Key(stack, protocol), (k, bound) -> {
            Set<Integer> ports = bound != null ? bound : new HashSet<>();
            if (port != 0) {
                if (ports.add(port)) {
                    reserved[0] = port;
                }
            } else {
                int span = EPHEMERAL_HIGH - EPHEMERAL_LOW + 1;
                int start = ThreadLocalRandom.current().nextInt(span);
                for (int i = 0; i < span && reserved[0] < 0; i++) {
                    int candidate = EPHEMERAL_LOW + (start + i) % span;
                    if (ports.add(candidate)) {
                        reserved[0] = candidate;
                    }
                }
            }
            return ports.isEmpty() ? null : ports;
        });
        if (reserved[0] < 0) {
            throw new BindException(port != 0 ? "address already in use: " + protocol + " port " + port
                    : "no free ephemeral " + protocol + " port");
        }
        return reserved[0];
    }

    /**
     * Releases a port {@link #reserve} gave; a stack with no port left is forgotten, so that
     * the table holds no stack that is gone.
     */
    static void release(Object stack, String protocol, int port) {
        BOUND.computeIfPresent(new Key(stack, protocol), (k, ports) -> {
            ports.remove(port);
            return ports.isEmpty() ? null : ports;
        });
    }

    /** True while some port of {@code stack} is reserved for {@code protocol} (for tests). */
    static boolean holds(Object stack, String protocol) {
        return BOUND.containsKey(new Key(stack, protocol));
    }

    /** A stack, compared by identity, and a protocol. */
    private record Key(Object stack, String protocol) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.stack == stack && k.protocol.equals(protocol);
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(stack) * 31 + protocol.hashCode();
        }
    }
}
