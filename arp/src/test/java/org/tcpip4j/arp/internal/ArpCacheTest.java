package org.tcpip4j.arp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.tcpip4j.netif.MacAddress;

class ArpCacheTest {

    @Test
    void behavesLikeAnAccessOrderedMapBoundedInSize() {
        SplittableRandom r = new SplittableRandom(17);
        int max = 50;
        ArpCache cache = new ArpCache(max);
        LinkedHashMap<Integer, Long> model = new LinkedHashMap<>(16, 0.75f, true);
        for (int i = 0; i < 50_000; i++) {
            // Few distinct keys, spread over subnets, so that chains, hits and evictions all happen.
            int ip = (r.nextInt(4) << 24) | r.nextInt(120);
            if (r.nextBoolean()) {
                long mac = r.nextLong(1, 1L << 48);
                cache.put(ip, new MacAddress(mac), Long.MAX_VALUE);
                model.put(ip, mac);
                if (model.size() > max) {
                    Iterator<Map.Entry<Integer, Long>> it = model.entrySet().iterator();
                    it.next();
                    it.remove();
                }
            } else {
                ArpCache.Entry e = cache.lookup(ip, 0);
                Long expected = model.get(ip);
                assertEquals(expected, e == null ? null : e.mac().bits());
            }
            assertEquals(model.size(), cache.size());
        }
    }

    @Test
    void anExpiredEntryIsRemovedOnLookup() {
        ArpCache cache = new ArpCache(4);
        cache.put(1, MacAddress.BROADCAST, 100);
        assertSame(cache.peek(1), cache.lookup(1, 99));
        assertNull(cache.lookup(1, 100));
        assertEquals(0, cache.size());
    }

    @Test
    void relearningTheSameMacKeepsTheCompletedFuture() {
        ArpCache cache = new ArpCache(4);
        var first = cache.put(1, new MacAddress(5), 100).resolved();
        assertSame(first, cache.put(1, new MacAddress(5), 200).resolved());
        assertEquals(new MacAddress(6), cache.put(1, new MacAddress(6), 300).resolved().getNow(null));
    }
}
