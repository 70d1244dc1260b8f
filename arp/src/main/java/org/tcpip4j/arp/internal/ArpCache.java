package org.tcpip4j.arp.internal;

import java.util.concurrent.CompletableFuture;
import org.tcpip4j.netif.MacAddress;

/**
 * The resolved addresses of one link: a hash table keyed by the IPv4 address as an int,
 * bounded by a maximum size, least recently used entries evicted first, each entry valid
 * until its expiry time. Static entries live in the same table but outside the LRU list:
 * they never expire, are never evicted, and are not counted against the maximum.
 *
 * <p>A lookup allocates nothing: no boxing of the key, and each entry keeps the completed
 * future that a query for its address returns. Loop only.
 */
final class ArpCache {

    /** One resolved address. */
    static final class Entry {
        final int ip;
        MacAddress mac;
        CompletableFuture<MacAddress> resolved;
        long expiresAt;
        /** A static entry: set by the user, changed by no packet. */
        boolean permanent;
        /** When the last unicast refresh request went out, valid while {@link #refreshing}. */
        long refreshSentAt;
        /** True from the first refresh request until the entry is learned again. */
        boolean refreshing;
        Entry nextInBucket;
        Entry newer;
        Entry older;

        Entry(int ip) {
            this.ip = ip;
        }

        /** The MAC the address resolved to. */
        MacAddress mac() {
            return mac;
        }

        /** A completed future of {@link #mac()}, the same object for every query. */
        CompletableFuture<MacAddress> resolved() {
            return resolved;
        }
    }

    private final int maxSize;
    private final Entry[] buckets;
    private final int shift;
    private Entry newest;
    private Entry oldest;
    private int size;
    private int staticCount;
    private long evictions;

    /** An empty cache of at most {@code maxSize} entries. */
    ArpCache(int maxSize) {
        this.maxSize = maxSize;
        int n = Integer.highestOneBit(Math.clamp(maxSize, 8, 1 << 20) * 2 - 1);
        this.buckets = new Entry[n];
        this.shift = 32 - Integer.numberOfTrailingZeros(n);
    }

    private int bucket(int ip) {
        // Fibonacci hashing spreads consecutive addresses of one subnet over the table.
        return (ip * 0x9E37_79B9) >>> shift;
    }

    /**
     * The entry of {@code ip} when it exists and has not expired at {@code now}, marked as
     * the most recently used; an expired entry is removed. Null otherwise.
     */
    Entry lookup(int ip, long now) {
        Entry e = find(ip);
        if (e == null) {
            return null;
        }
        if (e.permanent) {
            return e;
        }
        if (now - e.expiresAt >= 0) {
            remove(e);
            return null;
        }
        moveToNewest(e);
        return e;
    }

    /** The entry of {@code ip} whatever its age, without changing its recency. */
    Entry peek(int ip) {
        return find(ip);
    }

    /**
     * Records that {@code ip} is at {@code mac} until {@code expiresAt}, evicting the least
     * recently used entry when the cache is full. A static entry for {@code ip} is left as
     * it is and returned.
     */
    Entry put(int ip, MacAddress mac, long expiresAt) {
        Entry e = find(ip);
        if (e != null && e.permanent) {
            return e;
        }
        if (e == null) {
            if (size == maxSize) {
                remove(oldest);
                evictions++;
            }
            e = new Entry(ip);
            int b = bucket(ip);
            e.nextInBucket = buckets[b];
            buckets[b] = e;
            linkNewest(e);
            size++;
        } else {
            moveToNewest(e);
        }
        if (!mac.equals(e.mac)) {
            e.mac = mac;
            e.resolved = CompletableFuture.completedFuture(mac);
        }
        e.expiresAt = expiresAt;
        e.refreshing = false;
        return e;
    }

    /** Makes {@code ip} a static entry at {@code mac}, replacing a learned entry for it. */
    Entry putStatic(int ip, MacAddress mac) {
        Entry e = find(ip);
        if (e == null) {
            e = new Entry(ip);
            int b = bucket(ip);
            e.nextInBucket = buckets[b];
            buckets[b] = e;
            staticCount++;
        } else if (!e.permanent) {
            unlink(e);
            size--;
            staticCount++;
        }
        e.permanent = true;
        e.refreshing = false;
        if (!mac.equals(e.mac)) {
            e.mac = mac;
            e.resolved = CompletableFuture.completedFuture(mac);
        }
        return e;
    }

    /** Removes the static entry of {@code ip}; true when there was one. */
    boolean removeStatic(int ip) {
        Entry e = find(ip);
        if (e == null || !e.permanent) {
            return false;
        }
        remove(e);
        return true;
    }

    /** The number of static entries. */
    int staticCount() {
        return staticCount;
    }

    /** Removes every entry. */
    void clear() {
        java.util.Arrays.fill(buckets, null);
        newest = oldest = null;
        size = 0;
        staticCount = 0;
    }

    /** The number of learned entries, expired ones not yet looked up included. */
    int size() {
        return size;
    }

    /** Entries evicted so far to make room. */
    long evictions() {
        return evictions;
    }

    private Entry find(int ip) {
        for (Entry e = buckets[bucket(ip)]; e != null; e = e.nextInBucket) {
            if (e.ip == ip) {
                return e;
            }
        }
        return null;
    }

    private void remove(Entry e) {
        int b = bucket(e.ip);
        Entry prev = null;
        for (Entry x = buckets[b]; x != null; prev = x, x = x.nextInBucket) {
            if (x == e) {
                if (prev == null) {
                    buckets[b] = x.nextInBucket;
                } else {
                    prev.nextInBucket = x.nextInBucket;
                }
                break;
            }
        }
        if (e.permanent) {
            staticCount--;
        } else {
            unlink(e);
            size--;
        }
    }

    private void moveToNewest(Entry e) {
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
