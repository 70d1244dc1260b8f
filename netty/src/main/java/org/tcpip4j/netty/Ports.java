package org.tcpip4j.netty;

import java.net.BindException;
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
        Set<Integer> bound = BOUND.computeIfAbsent(new Key(stack, protocol), k -> ConcurrentHashMap.newKeySet());
        if (port != 0) {
            if (!bound.add(port)) {
                throw new BindException("address already in use: " + protocol + " port " + port);
            }
            return port;
        }
        int span = EPHEMERAL_HIGH - EPHEMERAL_LOW + 1;
        int start = ThreadLocalRandom.current().nextInt(span);
        for (int i = 0; i < span; i++) {
            int candidate = EPHEMERAL_LOW + (start + i) % span;
            if (bound.add(candidate)) {
                return candidate;
            }
        }
        throw new BindException("no free ephemeral " + protocol + " port");
    }

    /** Releases a port {@link #reserve} gave. */
    static void release(Object stack, String protocol, int port) {
        Set<Integer> bound = BOUND.get(new Key(stack, protocol));
        if (bound != null) {
            bound.remove(port);
        }
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
