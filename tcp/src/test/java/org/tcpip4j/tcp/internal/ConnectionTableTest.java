package org.tcpip4j.tcp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.tcpip4j.netif.IpAddress;
import org.tcpip4j.netif.Ipv4Address;
import org.tcpip4j.netif.Ipv6Address;
import org.tcpip4j.netif.SipHash;

class ConnectionTableTest {

    /** A table entry: just its 4-tuple. */
    static final class Entry extends FourTuple {
        Entry(IpAddress local, int localPort, IpAddress remote, int remotePort) {
            super(local, localPort, remote, remotePort);
        }
    }

    record Key(IpAddress local, int localPort, IpAddress remote, int remotePort) {
    }

    private static <V extends FourTuple> V get(ConnectionTable<V> t, IpAddress local, int localPort, IpAddress remote,
                                               int remotePort) {
        return t.get(FourTuple.high(local), FourTuple.low(local), FourTuple.high(remote), FourTuple.low(remote),
            FourTuple.ports(localPort, remotePort));
    }

    @Test
    void findsWhatWasPutAndForgetsWhatWasRemoved() {
        ConnectionTable<Entry> t = new ConnectionTable<>(1, 2);
        Ipv4Address l = Ipv4Address.parse("198.18.0.1");
        Ipv4Address r = Ipv4Address.parse("198.18.0.2");
        Entry x = new Entry(l, 80, r, 40000);
        t.put(x);
        assertSame(x, get(t, l, 80, r, 40000));
        assertNull(get(t, l, 40000, r, 80), "ports are ordered local, remote");
        assertNull(get(t, r, 80, l, 40000), "addresses are ordered local, remote");
        assertThrows(IllegalStateException.class, () -> t.put(new Entry(l, 80, r, 40000)));
        assertFalse(t.remove(new Entry(l, 80, r, 40000)), "only the same connection is removed");
        assertTrue(t.remove(x));
        assertEquals(0, t.size());
    }

    @Test
    void keysCoverAll128BitsOfBothAddresses() {
        ConnectionTable<Entry> t = new ConnectionTable<>(3, 4);
        Ipv6Address l = Ipv6Address.parse("2001:2::1");
        Ipv6Address r = Ipv6Address.parse("2001:2::2");
        Entry x = new Entry(l, 80, r, 40000);
        t.put(x);
        assertSame(x, get(t, l, 80, r, 40000));
        // Addresses that differ from the stored ones in one bit of each word.
        assertNull(get(t, Ipv6Address.parse("2001:3::1"), 80, r, 40000));
        assertNull(get(t, Ipv6Address.parse("2001:2::3"), 80, r, 40000));
        assertNull(get(t, l, 80, Ipv6Address.parse("2001:3::2"), 40000));
        assertNull(get(t, l, 80, Ipv6Address.parse("2001:2::3"), 40000));
        // The same last 32 bits over IPv4 is another 4-tuple.
        assertNull(get(t, new Ipv4Address(1), 80, new Ipv4Address(2), 40000));
        Entry v4 = new Entry(new Ipv4Address(1), 80, new Ipv4Address(2), 40000);
        t.put(v4);
        assertSame(v4, get(t, new Ipv4Address(1), 80, new Ipv4Address(2), 40000));
        assertSame(x, get(t, l, 80, r, 40000));
    }

    @Test
    void anIpv4AddressIsKeyedAsItsIpv4MappedIpv6Address() {
        Ipv4Address a = Ipv4Address.parse("198.18.0.1");
        Ipv6Address mapped = Ipv6Address.parse("::ffff:198.18.0.1");
        assertEquals(mapped.high(), FourTuple.high(a));
        assertEquals(mapped.low(), FourTuple.low(a));
        assertTrue(DefaultTcp.samePair(a, Ipv4Address.parse("198.18.0.2")));
        assertFalse(DefaultTcp.samePair(mapped, Ipv6Address.parse("2001:2::2")), "refused at the door");
        assertFalse(DefaultTcp.samePair(a, Ipv6Address.parse("2001:2::2")));
    }

    @Test
    void agreesWithAHashMapUnderRandomOperations() {
        SplittableRandom r = new SplittableRandom(3);
        ConnectionTable<Entry> t = new ConnectionTable<>(r.nextLong(), r.nextLong());
        Map<Key, Entry> reference = new HashMap<>();
        IpAddress[] addresses = {
            Ipv4Address.parse("198.18.0.1"), Ipv4Address.parse("198.18.0.2"),
            Ipv6Address.parse("2001:2::1"), Ipv6Address.parse("2001:2::2"), Ipv6Address.parse("fe80::1"),
        };
        for (int i = 0; i < 200_000; i++) {
            // A small key space makes probe chains collide, grow and shrink.
            Key k = new Key(addresses[r.nextInt(addresses.length)], r.nextInt(20),
                addresses[r.nextInt(addresses.length)], r.nextInt(20));
            Entry present = reference.get(k);
            if (r.nextBoolean()) {
                if (present == null) {
                    Entry v = new Entry(k.local(), k.localPort(), k.remote(), k.remotePort());
                    t.put(v);
                    reference.put(k, v);
                }
            } else if (present != null) {
                assertTrue(t.remove(present));
                reference.remove(k);
            }
            assertSame(reference.get(k), get(t, k.local(), k.localPort(), k.remote(), k.remotePort()));
        }
        assertEquals(reference.size(), t.size());
        for (Map.Entry<Key, Entry> e : reference.entrySet()) {
            Key k = e.getKey();
            assertSame(e.getValue(), get(t, k.local(), k.localPort(), k.remote(), k.remotePort()));
        }
        assertEquals(reference.size(), t.snapshot().size());
    }

    /** SipHash-2-4 of {@code message}, byte by byte, as the reference implementation reads it. */
    private static long referenceSipHash(long k0, long k1, byte[] message) {
        long[] v = {k0 ^ 0x736f6d6570736575L, k1 ^ 0x646f72616e646f6dL, k0 ^ 0x6c7967656e657261L,
            k1 ^ 0x7465646279746573L};
        int blocks = message.length / 8;
        for (int b = 0; b <= blocks; b++) {
            long m = 0;
            if (b < blocks) {
                for (int i = 7; i >= 0; i--) {
                    m = m << 8 | (message[8 * b + i] & 0xff);
                }
            } else {
                m = (long) message.length << 56;
                for (int i = message.length - 8 * blocks - 1; i >= 0; i--) {
                    m |= (long) (message[8 * b + i] & 0xff) << (8 * i);
                }
            }
            v[3] ^= m;
            sipRound(v);
            sipRound(v);
            v[0] ^= m;
        }
        v[2] ^= 0xff;
        for (int i = 0; i < 4; i++) {
            sipRound(v);
        }
        return v[0] ^ v[1] ^ v[2] ^ v[3];
    }

    private static void sipRound(long[] v) {
        v[0] += v[1]; v[1] = Long.rotateLeft(v[1], 13); v[1] ^= v[0]; v[0] = Long.rotateLeft(v[0], 32);
        v[2] += v[3]; v[3] = Long.rotateLeft(v[3], 16); v[3] ^= v[2];
        v[0] += v[3]; v[3] = Long.rotateLeft(v[3], 21); v[3] ^= v[0];
        v[2] += v[1]; v[1] = Long.rotateLeft(v[1], 17); v[1] ^= v[2]; v[2] = Long.rotateLeft(v[2], 32);
    }

    private static byte[] littleEndian(long... words) {
        byte[] b = new byte[8 * words.length];
        for (int w = 0; w < words.length; w++) {
            for (int i = 0; i < 8; i++) {
                b[8 * w + i] = (byte) (words[w] >>> (8 * i));
            }
        }
        return b;
    }

    @Test
    void theFourTupleHashIsSipHash24OfTheFortyByteMessage() {
        long k0 = 0x0706050403020100L;
        long k1 = 0x0f0e0d0c0b0a0908L;
        // The reference reproduces the published vectors (key 00..0f; message empty, and 00..0f).
        assertEquals(0x726fdb47dd0e0e31L, referenceSipHash(k0, k1, new byte[0]));
        assertEquals(0x3f2acc7f57c29bdbL, referenceSipHash(k0, k1, littleEndian(k0, k1)));
        assertEquals(SipHash.hash(k0, k1, 5, 6), referenceSipHash(k0, k1, littleEndian(5, 6)));
        SplittableRandom r = new SplittableRandom(9);
        for (int i = 0; i < 100; i++) {
            long a = r.nextLong();
            long b = r.nextLong();
            long c = r.nextLong();
            long d = r.nextLong();
            long e = r.nextLong();
            assertEquals(referenceSipHash(k0, k1, littleEndian(a, b, c, d, e)), FourTuple.hash(k0, k1, a, b, c, d, e));
        }
        assertNotEquals(FourTuple.hash(k0, k1, 1, 2, 3, 4, 5), FourTuple.hash(k0, k1 + 1, 1, 2, 3, 4, 5), "keyed");
    }
}
