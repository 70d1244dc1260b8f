package org.tcpip4j.tcp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ConnectionTableTest {

    record Key(long addresses, long ports) {
    }

    @Test
    void findsWhatWasPutAndForgetsWhatWasRemoved() {
        ConnectionTable<String> t = new ConnectionTable<>(1);
        long a = ConnectionTable.addressKey(0xc6120001, 0xc6120002);
        t.put(a, ConnectionTable.portKey(80, 40000), "x");
        assertEquals("x", t.get(a, ConnectionTable.portKey(80, 40000)));
        assertNull(t.get(a, ConnectionTable.portKey(40000, 80)), "ports are ordered local, remote");
        assertThrows(IllegalStateException.class, () -> t.put(a, ConnectionTable.portKey(80, 40000), "y"));
        assertFalse(t.remove(a, ConnectionTable.portKey(80, 40000), "other"), "only the same connection is removed");
        assertTrue(t.remove(a, ConnectionTable.portKey(80, 40000), "x"));
        assertEquals(0, t.size());
    }

    @Test
    void agreesWithAHashMapUnderRandomOperations() {
        SplittableRandom r = new SplittableRandom(3);
        ConnectionTable<Object> t = new ConnectionTable<>(r.nextLong());
        Map<Key, Object> reference = new HashMap<>();
        for (int i = 0; i < 200_000; i++) {
            // A small key space makes probe chains collide, grow and shrink.
            Key k = new Key(ConnectionTable.addressKey(r.nextInt(4), r.nextInt(4)),
                ConnectionTable.portKey(r.nextInt(20), r.nextInt(20)));
            Object present = reference.get(k);
            if (r.nextBoolean()) {
                if (present == null) {
                    Object v = new Object();
                    t.put(k.addresses(), k.ports(), v);
                    reference.put(k, v);
                }
            } else if (present != null) {
                assertTrue(t.remove(k.addresses(), k.ports(), present));
                reference.remove(k);
            }
            assertSame(reference.get(k), t.get(k.addresses(), k.ports()));
        }
        assertEquals(reference.size(), t.size());
        for (Map.Entry<Key, Object> e : reference.entrySet()) {
            assertSame(e.getValue(), t.get(e.getKey().addresses(), e.getKey().ports()));
        }
        assertEquals(reference.size(), t.snapshot().size());
    }
}
