package org.tcpip4j.ipv4.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PathMtuTableTest {

    private static final int A = 0xc612_0001; // 198.18.0.1
    private static final int B = 0xc612_0002;
    private static final long LIFETIME = 600_000_000_000L;

    private final PathMtuTable table = new PathMtuTable(4, LIFETIME);

    @Test
    void anEmptyTableKnowsNothing() {
        assertTrue(table.isEmpty());
        assertEquals(0, table.get(A, 0));
    }

    @Test
    void aLowerMtuIsRememberedUntilItExpires() {
        assertEquals(1000, table.lower(A, 1000, 1500, 0));
        assertEquals(1000, table.get(A, LIFETIME - 1));
        assertEquals(0, table.get(B, 0));
        assertEquals(0, table.get(A, LIFETIME));
        assertTrue(table.isEmpty(), "an expired entry is removed when looked up");
    }

    @Test
    void anMtuAtOrAboveTheOneInUseChangesNothing() {
        assertEquals(1500, table.lower(A, 1500, 1500, 0));
        assertEquals(1500, table.lower(A, 9000, 1500, 0));
        assertTrue(table.isEmpty());
        table.lower(A, 1000, 1500, 0);
        assertEquals(1000, table.lower(A, 1200, 1500, 5));
        assertEquals(1000, table.get(A, LIFETIME - 1), "a higher report neither raises nor renews the entry");
    }

    @Test
    void aFurtherDropLowersAndRenewsTheEntry() {
        table.lower(A, 1200, 1500, 0);
        assertEquals(1000, table.lower(A, 1000, 1500, 10));
        assertEquals(1000, table.get(A, LIFETIME + 9));
    }

    @Test
    void reportsBelowTheFloorAreRaisedToIt() {
        assertEquals(PathMtuTable.MIN_PATH_MTU, table.lower(A, 68, 1500, 0));
        assertEquals(552, table.get(A, 0));
        assertEquals(500, table.lower(B, 68, 500, 0), "a link already below the floor stays as it is");
        assertEquals(0, table.get(B, 0));
    }

    @Test
    void aFullTableEvictsTheEntryClosestToExpiry() {
        for (int i = 0; i < 4; i++) {
            table.lower(A + i, 1000, 1500, i);
        }
        table.lower(A + 10, 1000, 1500, 100);
        assertEquals(4, table.size());
        assertEquals(0, table.get(A, 100), "the oldest went");
        assertEquals(1000, table.get(A + 1, 100));
        assertEquals(1000, table.get(A + 10, 100));
    }

    @Test
    void aFullTablePurgesExpiredEntriesFirst() {
        table.lower(A, 1000, 1500, 0);
        table.lower(A + 1, 1000, 1500, LIFETIME / 2);
        table.lower(A + 2, 1000, 1500, LIFETIME / 2);
        table.lower(A + 3, 1000, 1500, LIFETIME / 2);
        table.lower(A + 4, 1000, 1500, LIFETIME + 1);
        assertEquals(4, table.size());
        for (int i = 1; i <= 4; i++) {
            assertEquals(1000, table.get(A + i, LIFETIME + 1));
        }
    }

    @Test
    void aZeroSizedTableRemembersNothing() {
        PathMtuTable none = new PathMtuTable(0, LIFETIME);
        assertEquals(1500, none.lower(A, 1000, 1500, 0));
        assertTrue(none.isEmpty());
    }

    @Test
    void randomOperationsAgreeWithAPlainMap() {
        SplittableRandom random = new SplittableRandom(7);
        PathMtuTable big = new PathMtuTable(64, 1_000);
        Map<Integer, long[]> reference = new HashMap<>();
        long now = 0;
        for (int step = 0; step < 20_000; step++) {
            now += random.nextInt(20);
            // Few distinct keys, many collisions: exercises probing and backward-shift removal.
            int key = 0xc612_0000 | random.nextInt(48) * 64;
            if (random.nextBoolean()) {
                int mtu = 552 + random.nextInt(900);
                long[] r = reference.get(key);
                boolean live = r != null && now - r[1] < 0;
                int inUse = live ? (int) r[0] : 1500;
                if (mtu < inUse) {
                    reference.put(key, new long[] {mtu, now + 1_000});
                }
                big.lower(key, mtu, 1500, now);
            } else {
                long[] r = reference.get(key);
                int expected = r != null && now - r[1] < 0 ? (int) r[0] : 0;
                assertEquals(expected, big.get(key, now), "step " + step);
            }
        }
    }
}
