package org.tcpip4j.ipv4.internal;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Datagrams waiting for their next hop's link address, a bounded queue per next hop
 * (RFC 1122 2.3.2.2: "SHOULD save (rather than discard) at least one (the latest)
 * packet"). When a queue is full the oldest datagram is dropped, keeping the latest.
 * Loop only.
 */
final class ResolutionQueue {

    /** A datagram held with its payload copied out of the caller's writer. */
    record Held(int source, int destination, int protocol, int ttl, boolean dontFragment, ByteBuffer payload) {
    }

    private final Map<Integer, ArrayDeque<Held>> waiting = new HashMap<>();
    private final int perHop;
    private long dropped;

    /** Queues of at most {@code perHop} datagrams each. */
    ResolutionQueue(int perHop) {
        this.perHop = perHop;
    }

    /**
     * Holds {@code datagram} until {@code hop} resolves.
     *
     * @return true when it is the first datagram waiting for {@code hop}: the caller then
     *     subscribes to the resolution
     */
    boolean hold(int hop, Held datagram) {
        ArrayDeque<Held> q = waiting.get(hop);
        boolean first = q == null;
        if (first) {
            q = new ArrayDeque<>();
            waiting.put(hop, q);
        }
        if (q.size() >= perHop) {
            q.pollFirst();
            dropped++;
        }
        if (perHop > 0) {
            q.addLast(datagram);
        } else {
            dropped++;
        }
        return first;
    }

    /** Removes and returns what waits for {@code hop}, oldest first; empty when nothing does. */
    ArrayDeque<Held> release(int hop) {
        ArrayDeque<Held> q = waiting.remove(hop);
        return q == null ? new ArrayDeque<>() : q;
    }

    /** Datagrams dropped so far because their queue was full. */
    long dropped() {
        return dropped;
    }

    /** Datagrams held now, over all next hops. */
    int size() {
        int n = 0;
        for (ArrayDeque<Held> q : waiting.values()) {
            n += q.size();
        }
        return n;
    }

    /** Drops everything held. */
    void clear() {
        waiting.clear();
    }
}
