package org.tcpip4j.ipv6.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PathMtuTableTest {

    /** 2001:2::/64 and hosts in it. */
    private static final long NET = 0x2001_0002_0000_0000L;
    private static final long LIFETIME = 600_000_000_000L;

    private final PathMtuTable table = new PathMtuTable(4, LIFETIME);

    @Test
    void aLowerMtuIsRememberedUntilItExpires() {
        assertTrue(table.isEmpty());
        assertEquals(1400, table.lower(NET, 1, 1400, 1500, 0));
        assertEquals(1400, table.get(NET, 1, LIFETIME - 1));
        assertEquals(0, table.get(NET, 2, 0));
        assertEquals(0, table.get(NET + 1, 1, 0), "all 128 bits are the key");
        assertEquals(0, table.get(NET, 1, LIFETIME));
        assertTrue(table.isEmpty(), "an expired entry is removed when looked up");
    }

    @Test
    void reportsBelow1280AreRaisedTo1280AndHigherOnesChangeNothing() {
        assertEquals(1280, table.lower(NET, 1, 68, 1500, 0));
        assertEquals(1280, table.lower(NET, 1, 1400, 1500, 0));
        assertEquals(1280, table.get(NET, 1, 0));
        assertEquals(1500, table.lower(NET, 2, 9000, 1500, 0));
        assertEquals(1, table.size());
    }

    @Test
    void aFullTableEvictsTheEntryClosestToExpiry() {
        for (int i = 0; i < 4; i++) {
            table.lower(NET, i, 1300, 1500, i);
        }
        table.lower(NET, 10, 1300, 1500, 100);
        assertEquals(4, table.size());
        assertEquals(0, table.get(NET, 0, 100), "the oldest went");
        assertEquals(1300, table.get(NET, 1, 100));
        assertEquals(1300, table.get(NET, 10, 100));
    }

    @Test
    void randomOperationsAgreeWithAPlainMap() {
        SplittableRandom random = new SplittableRandom(7);
        PathMtuTable big = new PathMtuTable(64, 1_000);
        Map<Long, long[]> reference = new HashMap<>();
        long now = 0;
        for (int step = 0; step < 20_000; step++) {
            now += random.nextInt(20);
            // Few distinct keys differing in either half: exercises probing and backward-shift removal.
            long low = random.nextInt(24);
            long high = NET + random.nextInt(2);
            long key = high * 31 + low;
            if (random.nextBoolean()) {
                int mtu = 1280 + random.nextInt(200);
                long[] r = reference.get(key);
                boolean live = r != null && now - r[1] < 0;
                int inUse = live ? (int) r[0] : 1500;
                if (mtu < inUse) {
                    reference.put(key, new long[] {mtu, now + 1_000});
                }
                big.lower(high, low, mtu, 1500, now);
            } else {
                long[] r = reference.get(key);
                int expected = r != null && now - r[1] < 0 ? (int) r[0] : 0;
                assertEquals(expected, big.get(high, low, now), "step " + step);
            }
        }
    }
}
