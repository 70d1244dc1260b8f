package org.tcpip4j.ipv4.internal;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Datagrams waiting for their next hop's link address, a bounded queue per next hop
 * (RFC 1122 2.3.2.2: "SHOULD save (rather than discard) at least one (the latest)
 * packet"). When a queue is full the oldest datagram is dropped, keeping the latest.
 *
 * <p>All queues together hold at most {@code maxBytes}, each datagram counted with its
 * payload and {@code overhead} bytes: a datagram that would exceed it drops the oldest
 * datagrams of the next hop that began resolving first (the one closest to failing), then
 * of the next, until it fits; one larger than the whole budget is dropped. The number of
 * next hops is bounded by ARP, which gives up the eldest resolution when too many are
 * under way (and the queue of a next hop is released when its resolution ends either way).
 * Loop only.
 */
final class ResolutionQueue {

    /** A datagram held with its payload copied out of the caller's writer. */
    record Held(int source, int destination, int protocol, int ttl, boolean dontFragment, ByteBuffer payload) {
    }

    private final Map<Integer, ArrayDeque<Held>> waiting = new LinkedHashMap<>();
    private final int perHop;
    private final int maxBytes;
    private final int overhead;
    private int bytes;
    private int count;
    private long dropped;
    private long droppedForBytes;

    /** Queues of at most {@code perHop} datagrams each, at most {@code maxBytes} in all. */
    ResolutionQueue(int perHop, int maxBytes, int overhead) {
        this.perHop = perHop;
        this.maxBytes = maxBytes;
        this.overhead = overhead;
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
        int cost = cost(datagram);
        if (perHop == 0 || cost > maxBytes) {
            dropped++;
            droppedForBytes += perHop == 0 ? 0 : 1;
            return first;
        }
        if (q.size() >= perHop) {
            remove(q);
            dropped++;
        }
        if (bytes + cost > maxBytes) {
            makeRoom(cost);
        }
        q.addLast(datagram);
        bytes += cost;
        count++;
        return first;
    }

    /** Drops the oldest datagrams of the eldest next hops until {@code cost} more bytes fit. */
    private void makeRoom(int cost) {
        Iterator<ArrayDeque<Held>> hops = waiting.values().iterator();
        while (bytes + cost > maxBytes && hops.hasNext()) {
            ArrayDeque<Held> q = hops.next();
            while (bytes + cost > maxBytes && !q.isEmpty()) {
                remove(q);
                dropped++;
                droppedForBytes++;
            }
        }
    }

    private void remove(ArrayDeque<Held> q) {
        Held h = q.pollFirst();
        bytes -= cost(h);
        count--;
    }

    private int cost(Held h) {
        return h.payload().limit() + overhead;
    }

    /** Removes and returns what waits for {@code hop}, oldest first; empty when nothing does. */
    ArrayDeque<Held> release(int hop) {
        ArrayDeque<Held> q = waiting.remove(hop);
        if (q == null) {
            return new ArrayDeque<>();
        }
        for (Held h : q) {
            bytes -= cost(h);
        }
        count -= q.size();
        return q;
    }

    /** Datagrams dropped so far because their queue was full or the byte budget was spent. */
    long dropped() {
        return dropped;
    }

    /** Of {@link #dropped()}, those dropped for the byte budget. */
    long droppedForBytes() {
        return droppedForBytes;
    }

    /** Datagrams held now, over all next hops. */
    int size() {
        return count;
    }

    /** Bytes held now, over all next hops, overheads included. */
    int bytes() {
        return bytes;
    }

    /** Next hops with a queue now (resolving). */
    int hops() {
        return waiting.size();
    }

    /** Drops everything held. */
    void clear() {
        waiting.clear();
        bytes = 0;
        count = 0;
    }
}
