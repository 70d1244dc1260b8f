package org.tcpip4j.ipv6.internal.nd;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tcpip4j.ipv6.Ipv6Neighbor;
import org.tcpip4j.ipv6.Ipv6Neighbor.State;
import org.tcpip4j.netif.Counters;
import org.tcpip4j.netif.Ipv6Address;
import org.tcpip4j.netif.MacAddress;
import org.tcpip4j.netif.loop.EventLoop;
import org.tcpip4j.netif.loop.Timer;

/**
 * The neighbor cache of RFC 4861 5.1 and its reachability state machine (7.2, 7.3, appendix
 * C): INCOMPLETE while multicast solicitations go out, REACHABLE for ReachableTime after a
 * confirmation, then STALE; DELAY for DELAY_FIRST_PROBE_TIME after the first use of a
 * STALE entry, then PROBE with unicast solicitations, then deleted.
 *
 * <p>Bounded: a new entry past the size evicts the least recently used STALE entry, else
 * the least recently used one not INCOMPLETE, else the least recently used. An entry
 * holds the datagrams that wait for its resolution, the oldest dropped past the bound.
 * A lookup of a known neighbor allocates nothing. Loop only.
 */
final class NeighborCache {

    /** RFC 4861 10: the protocol constants. */
    static final int MAX_MULTICAST_SOLICIT = 3;
    static final int MAX_UNICAST_SOLICIT = 3;
    static final long DELAY_FIRST_PROBE_TIME = 5_000_000_000L;

    /** What the cache asks of Neighbor Discovery. */
    interface Actions {
        /** Sends a solicitation for {@code target}: to its solicited-node group when {@code mac} is {@link NdMessage#NONE}, else unicast. */
        void solicit(Ipv6Address target, long mac);

        /** Sends a held datagram to the neighbor now resolved to {@code mac}. */
        void transmit(long mac, ByteBuffer datagram);

        /** A held datagram whose neighbor could not be resolved. */
        void unresolved(ByteBuffer datagram);

        /** The entry of {@code address} was deleted: its resolution failed, or it became unreachable. */
        void gone(Ipv6Address address);

        /** A router's advertisement said it is no longer a router (RFC 4861 7.2.5). */
        void routerBecameHost(Ipv6Address address);

        /** The current RetransTimer, in nanoseconds. */
        long retransNanos();

        /** The current ReachableTime, in nanoseconds. */
        long reachableNanos();
    }

    /** One neighbor. */
    final class Entry {
        final Ipv6Address address;
        long mac = NdMessage.NONE;
        State state;
        boolean router;
        int probes;
        final Timer timer;
        ArrayDeque<ByteBuffer> held;
        Entry newer;
        Entry older;

        Entry(Ipv6Address address) {
            this.address = address;
            this.timer = loop.newTimer(() -> expired(this));
        }

        Ipv6Neighbor view() {
            return new Ipv6Neighbor(address, mac == NdMessage.NONE ? null : new MacAddress(mac), state, router);
        }
    }

    private final EventLoop loop;
    private final Actions actions;
    private final int maxSize;
    private final int maxHeld;
    private final Map<Ipv6Address, Entry> entries = new HashMap<>();
    private Entry newest;
    private Entry oldest;

    private final Counters.Counter resolutionFailed;
    private final Counters.Counter heldDropped;
    private final Counters.Counter evictions;
    private final Counters.Counter unreachable;
    private final Counters.Counter held;

    NeighborCache(EventLoop loop, Actions actions, int maxSize, int maxHeld, Counters counters) {
        this.loop = loop;
        this.actions = actions;
        this.maxSize = maxSize;
        this.maxHeld = maxHeld;
        this.resolutionFailed = counters.counter("nd.resolution_failed");
        this.heldDropped = counters.counter("nd.held_dropped");
        this.held = counters.counter("nd.held");
        this.evictions = counters.counter("nd.cache_evictions");
        this.unreachable = counters.counter("nd.unreachable");
    }

    /** The entry of {@code address} without touching its recency, or null. */
    Entry peek(Ipv6Address address) {
        return entries.get(address);
    }

    /** The number of entries. */
    int size() {
        return entries.size();
    }

    /**
     * RFC 4861 7.2.2, 7.3.3: the MAC to send to {@code address}, or {@link NdMessage#NONE}
     * after starting (or while waiting for) its resolution. A STALE entry moves to DELAY.
     */
    long resolve(Ipv6Address address) {
        Entry e = entries.get(address);
        if (e == null) {
            e = create(address);
            e.state = State.INCOMPLETE;
            e.probes = 1;
            e.timer.schedule(actions.retransNanos());
            actions.solicit(address, NdMessage.NONE);
            return NdMessage.NONE;
        }
        touch(e);
        switch (e.state) {
            case INCOMPLETE -> {
                return NdMessage.NONE;
            }
            case STALE -> {
                e.state = State.DELAY;
                e.timer.schedule(DELAY_FIRST_PROBE_TIME);
                return e.mac;
            }
            default -> {
                return e.mac;
            }
        }
    }

    /** Holds a copy of {@code datagram} for the INCOMPLETE {@code address}; false when dropped at once. */
    boolean hold(Ipv6Address address, ByteBuffer datagram) {
        Entry e = entries.get(address);
        if (e == null || maxHeld == 0) {
            heldDropped.increment();
            return false;
        }
        ByteBuffer copy = ByteBuffer.allocate(datagram.remaining());
        copy.put(datagram.duplicate()).flip();
        if (e.state != State.INCOMPLETE) {
            // Resolved between the lookup and the hold: send it now.
            actions.transmit(e.mac, copy);
            return true;
        }
        if (e.held == null) {
            e.held = new ArrayDeque<>(Math.min(maxHeld, 8));
        }
        if (e.held.size() == maxHeld) {
            e.held.pollFirst();
            heldDropped.increment();
        }
        e.held.addLast(copy);
        held.increment();
        return true;
    }

    /** RFC 4861 7.3.1: upper-layer confirmation; an entry with a MAC becomes REACHABLE. */
    void confirm(Ipv6Address address) {
        Entry e = entries.get(address);
        if (e != null && e.state != State.INCOMPLETE) {
            reachable(e);
        }
    }

    /**
     * RFC 4861 7.2.3, 6.3.4, 8.3: a solicitation, advertisement or redirect carried the
     * link-layer address {@code mac} of {@code address}: a new entry is STALE, a changed
     * one becomes STALE, an INCOMPLETE one resolves to STALE and sends what it held.
     *
     * @param router true to mark the neighbor a router (advertisements, redirects); false leaves the flag
     */
    void learn(Ipv6Address address, long mac, boolean router) {
        Entry e = entries.get(address);
        if (e == null) {
            e = create(address);
            e.mac = mac;
            e.state = State.STALE;
        } else if (e.state == State.INCOMPLETE) {
            e.mac = mac;
            stale(e);
            release(e);
        } else if (e.mac != mac) {
            e.mac = mac;
            stale(e);
        }
        if (router) {
            e.router = true;
        }
    }

    /**
     * RFC 4861 7.2.5: a neighbor advertisement for {@code address} with its flags and target
     * link-layer address ({@link NdMessage#NONE} when absent). Nothing is created for a
     * neighbor not in the cache.
     */
    void advertised(Ipv6Address address, long mac, boolean router, boolean solicited, boolean override) {
        Entry e = entries.get(address);
        if (e == null) {
            return;
        }
        if (e.state == State.INCOMPLETE) {
            if (mac == NdMessage.NONE) {
                return;
            }
            e.mac = mac;
            if (solicited) {
                reachable(e);
            } else {
                stale(e);
            }
            e.router = router;
            release(e);
            return;
        }
        boolean different = mac != NdMessage.NONE && mac != e.mac;
        if (!override && different) {
            // The advertisement does not update the entry; a REACHABLE one becomes STALE.
            if (e.state == State.REACHABLE) {
                stale(e);
            }
            return;
        }
        if (different) {
            e.mac = mac;
        }
        if (solicited) {
            reachable(e);
        } else if (different) {
            stale(e);
        }
        if (e.router && !router) {
            e.router = false;
            actions.routerBecameHost(address);
        } else {
            e.router = router;
        }
    }

    /** Marks an existing entry's neighbor a router (RFC 4861 6.3.4, 8.3: without a link-layer address). */
    void markRouter(Ipv6Address address) {
        Entry e = entries.get(address);
        if (e != null) {
            e.router = true;
        }
    }

    /** Removes the entry of {@code address}, dropping what it held. */
    void remove(Ipv6Address address) {
        Entry e = entries.get(address);
        if (e != null) {
            delete(e);
            dropHeld(e);
        }
    }

    /** Every entry, most recently used first. */
    List<Ipv6Neighbor> list() {
        List<Ipv6Neighbor> out = new ArrayList<>(entries.size());
        for (Entry e = newest; e != null; e = e.older) {
            out.add(e.view());
        }
        return out;
    }

    /** Removes every entry and stops its timer; held datagrams are dropped. */
    void clear() {
        for (Entry e : List.copyOf(entries.values())) {
            delete(e);
            dropHeld(e);
        }
    }

    private void reachable(Entry e) {
        e.state = State.REACHABLE;
        e.probes = 0;
        e.timer.schedule(actions.reachableNanos());
    }

    private void stale(Entry e) {
        e.state = State.STALE;
        e.probes = 0;
        e.timer.cancel();
    }

    /** Sends what an entry held now that it has a MAC; a STALE entry moves to DELAY with it (7.3.3). */
    private void release(Entry e) {
        ArrayDeque<ByteBuffer> waiting = e.held;
        e.held = null;
        if (waiting == null || waiting.isEmpty()) {
            return;
        }
        if (e.state == State.STALE) {
            e.state = State.DELAY;
            e.timer.schedule(DELAY_FIRST_PROBE_TIME);
        }
        for (ByteBuffer d : waiting) {
            actions.transmit(e.mac, d);
        }
    }

    private void expired(Entry e) {
        if (entries.get(e.address) != e) {
            return;
        }
        switch (e.state) {
            case INCOMPLETE -> {
                if (e.probes < MAX_MULTICAST_SOLICIT) {
                    e.probes++;
                    e.timer.schedule(actions.retransNanos());
                    actions.solicit(e.address, NdMessage.NONE);
                    return;
                }
                // RFC 4861 7.2.2: resolution failed; each held datagram gets its ICMPv6 error.
                resolutionFailed.increment();
                delete(e);
                ArrayDeque<ByteBuffer> waiting = e.held;
                e.held = null;
                if (waiting != null) {
                    for (ByteBuffer d : waiting) {
                        actions.unresolved(d);
                    }
                }
                actions.gone(e.address);
            }
            case REACHABLE -> e.state = State.STALE;
            case DELAY -> {
                e.state = State.PROBE;
                e.probes = 1;
                e.timer.schedule(actions.retransNanos());
                actions.solicit(e.address, e.mac);
            }
            case PROBE -> {
                if (e.probes < MAX_UNICAST_SOLICIT) {
                    e.probes++;
                    e.timer.schedule(actions.retransNanos());
                    actions.solicit(e.address, e.mac);
                    return;
                }
                // RFC 4861 7.3.3: unreachable; the entry goes, and a router's traffic goes elsewhere.
                unreachable.increment();
                delete(e);
                actions.gone(e.address);
            }
            default -> {
            }
        }
    }

    private Entry create(Ipv6Address address) {
        if (entries.size() >= maxSize) {
            evict();
        }
        Entry e = new Entry(address.withoutZone());
        entries.put(e.address, e);
        linkNewest(e);
        return e;
    }

    private void evict() {
        Entry victim = null;
        for (Entry e = oldest; e != null; e = e.newer) {
            if (e.state == State.STALE) {
                victim = e;
                break;
            }
        }
        if (victim == null) {
            for (Entry e = oldest; e != null; e = e.newer) {
                if (e.state != State.INCOMPLETE) {
                    victim = e;
                    break;
                }
            }
        }
        if (victim == null) {
            victim = oldest;
        }
        evictions.increment();
        delete(victim);
        dropHeld(victim);
    }

    private void dropHeld(Entry e) {
        if (e.held != null) {
            heldDropped.add(e.held.size());
            e.held = null;
        }
    }

    private void delete(Entry e) {
        e.timer.cancel();
        entries.remove(e.address);
        unlink(e);
    }

    private void touch(Entry e) {
        if (newest != e) {
            unlink(e);
            linkNewest(e);
        }
    }

    private void linkNewest(Entry e) {
        e.older = newest;
        e.newer = null;
        if (newest != null) {
            newest.newer = e;
        }
        newest = e;
        if (oldest == null) {
            oldest = e;
        }
    }

    private void unlink(Entry e) {
        if (e.newer != null) {
            e.newer.older = e.older;
        } else {
            newest = e.older;
        }
        if (e.older != null) {
            e.older.newer = e.newer;
        } else {
            oldest = e.newer;
        }
        e.newer = e.older = null;
    }
}
