package org.tcpip4j.ip.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class PathMtuTableTest {

    private static final long LIFETIME = 600_000_000_000L;

    /** IPv4 destinations, as IPv4-mapped keys, with IPv4's floor of 552 bytes. */
    @Nested
    class Ipv4Keys {

        private static final int A = 0xc612_0001; // 198.18.0.1
        private static final int B = 0xc612_0002;

        private final PathMtuTable table = new PathMtuTable(4, LIFETIME, 552);

        private int get(PathMtuTable t, int destination, long now) {
            return t.get(AddressBits.ipv4High(), AddressBits.ipv4Low(destination), now);
        }

        private int lower(PathMtuTable t, int destination, int mtu, int linkMtu, long now) {
            return t.lower(AddressBits.ipv4High(), AddressBits.ipv4Low(destination), mtu, linkMtu, now);
        }

        @Test
        void anEmptyTableKnowsNothing() {
            assertTrue(table.isEmpty());
            assertEquals(0, get(table, A, 0));
        }

        @Test
        void aLowerMtuIsRememberedUntilItExpires() {
            assertEquals(1000, lower(table, A, 1000, 1500, 0));
            assertEquals(1000, get(table, A, LIFETIME - 1));
            assertEquals(0, get(table, B, 0));
            assertEquals(0, get(table, A, LIFETIME));
            assertTrue(table.isEmpty(), "an expired entry is removed when looked up");
        }

        @Test
        void anMtuAtOrAboveTheOneInUseChangesNothing() {
            assertEquals(1500, lower(table, A, 1500, 1500, 0));
            assertEquals(1500, lower(table, A, 9000, 1500, 0));
            assertTrue(table.isEmpty());
            lower(table, A, 1000, 1500, 0);
            assertEquals(1000, lower(table, A, 1200, 1500, 5));
            assertEquals(1000, get(table, A, LIFETIME - 1), "a higher report neither raises nor renews the entry");
        }

        @Test
        void aFurtherDropLowersAndRenewsTheEntry() {
            lower(table, A, 1200, 1500, 0);
            assertEquals(1000, lower(table, A, 1000, 1500, 10));
            assertEquals(1000, get(table, A, LIFETIME + 9));
        }

        @Test
        void reportsBelowTheFloorAreRaisedToIt() {
            assertEquals(552, lower(table, A, 68, 1500, 0));
            assertEquals(552, get(table, A, 0));
            assertEquals(500, lower(table, B, 68, 500, 0), "a link already below the floor stays as it is");
            assertEquals(0, get(table, B, 0));
        }

        @Test
        void aFullTableEvictsTheEntryClosestToExpiry() {
            for (int i = 0; i < 4; i++) {
                lower(table, A + i, 1000, 1500, i);
            }
            lower(table, A + 10, 1000, 1500, 100);
            assertEquals(4, table.size());
            assertEquals(0, get(table, A, 100), "the oldest went");
            assertEquals(1000, get(table, A + 1, 100));
            assertEquals(1000, get(table, A + 10, 100));
        }

        @Test
        void aFullTablePurgesExpiredEntriesFirst() {
            lower(table, A, 1000, 1500, 0);
            lower(table, A + 1, 1000, 1500, LIFETIME / 2);
            lower(table, A + 2, 1000, 1500, LIFETIME / 2);
            lower(table, A + 3, 1000, 1500, LIFETIME / 2);
            lower(table, A + 4, 1000, 1500, LIFETIME + 1);
            assertEquals(4, table.size());
            for (int i = 1; i <= 4; i++) {
                assertEquals(1000, get(table, A + i, LIFETIME + 1));
            }
        }

        @Test
        void aZeroSizedTableRemembersNothing() {
            PathMtuTable none = new PathMtuTable(0, LIFETIME, 552);
            assertEquals(1500, lower(none, A, 1000, 1500, 0));
            assertTrue(none.isEmpty());
        }

        @Test
        void randomOperationsAgreeWithAPlainMap() {
            SplittableRandom random = new SplittableRandom(7);
            PathMtuTable big = new PathMtuTable(64, 1_000, 552);
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
                    lower(big, key, mtu, 1500, now);
                } else {
                    long[] r = reference.get(key);
                    int expected = r != null && now - r[1] < 0 ? (int) r[0] : 0;
                    assertEquals(expected, get(big, key, now), "step " + step);
                }
            }
        }
    }

    /** IPv6 destinations, with IPv6's floor of 1280 bytes. */
    @Nested
    class Ipv6Keys {

        /** 2001:2::/64 and hosts in it. */
        private static final long NET = 0x2001_0002_0000_0000L;

        private final PathMtuTable table = new PathMtuTable(4, LIFETIME, 1280);

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
        void thePathMtuIsTheLinksUnlessALowerOneWasLearned() {
            assertEquals(1500, table.pathMtu(NET, 1, 1500, 0));
            assertTrue(table.update(NET, 1, 1400, 1500, 0), "went down");
            assertEquals(1400, table.pathMtu(NET, 1, 1500, 0));
            assertEquals(1300, table.pathMtu(NET, 1, 1300, 0), "a link below what was learned");
            assertEquals(1500, table.pathMtu(NET, 2, 1500, 0));
            assertEquals(false, table.update(NET, 1, 1450, 1500, 1), "a higher report");
            assertEquals(false, table.update(NET, 1, 1400, 1500, 1), "the same report");
            assertEquals(1500, table.pathMtu(NET, 1, 1500, LIFETIME), "expired");
        }

        @Test
        void anIpv4KeyAndAnIpv6KeyNeverMeet() {
            int a = 0xc612_0001;
            PathMtuTable mixed = new PathMtuTable(4, LIFETIME, 552);
            mixed.lower(AddressBits.ipv4High(), AddressBits.ipv4Low(a), 1000, 1500, 0);
            assertEquals(0, mixed.get(0, a & 0xffff_ffffL, 0), "IPv4-compatible is not IPv4-mapped");
            assertEquals(1000, mixed.get(0, 0x0000_ffff_0000_0000L | (a & 0xffff_ffffL), 0));
        }

        @Test
        void randomOperationsAgreeWithAPlainMap() {
            SplittableRandom random = new SplittableRandom(7);
            PathMtuTable big = new PathMtuTable(64, 1_000, 1280);
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
}
