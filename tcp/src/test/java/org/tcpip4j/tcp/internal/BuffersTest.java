package org.tcpip4j.tcp.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class BuffersTest {

    static ByteBuffer bytes(int from, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (from + i);
        }
        return ByteBuffer.wrap(b);
    }

    static byte[] read(ReceiveBuffer r, int n) {
        ByteBuffer b = r.read(n);
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    @Test
    void sendBufferWrapsAroundAndCopiesOutByOffset() {
        SendBuffer s = new SendBuffer(10);
        ByteBuffer src = bytes(0, 15);
        assertEquals(10, s.append(src));
        assertEquals(10, src.position(), "what did not fit stays in the source");
        s.discard(7);
        assertEquals(5, s.append(src));
        assertEquals(8, s.size());
        ByteBuffer out = ByteBuffer.allocate(12);
        s.copyTo(1, 8 - 1, out, 3);
        byte[] expected = new byte[12];
        for (int i = 0; i < 7; i++) {
            expected[3 + i] = (byte) (8 + i);
        }
        assertArrayEquals(expected, out.array());
        assertEquals(0, out.position(), "absolute copy leaves the position");
    }

    @Test
    void receiveBufferReassemblesOutOfOrderData() {
        ReceiveBuffer r = new ReceiveBuffer(16, 4);
        assertEquals(0, r.store(4, bytes(4, 4), 0, 4), "ahead of a hole: held");
        assertTrue(r.hasOutOfOrder());
        assertEquals(0, r.store(10, bytes(10, 2), 0, 2));
        assertEquals(2, r.rangeCount());
        assertEquals(8, r.store(0, bytes(0, 4), 0, 4), "filling the first hole delivers up to the next");
        assertEquals(8, r.readable());
        assertEquals(1, r.rangeCount());
        assertArrayEquals(Arrays.copyOfRange(bytes(0, 8).array(), 0, 8), read(r, 100));
        assertEquals(4, r.store(0, bytes(8, 4), 0, 4), "ranges shifted with RCV.NXT: [2,4) is now [2,4)");
        assertFalse(r.hasOutOfOrder());
        assertArrayEquals(bytes(8, 4).array(), read(r, 100));
    }

    @Test
    void receiveBufferMergesOverlapsAndRefusesARangeTooMany() {
        ReceiveBuffer r = new ReceiveBuffer(64, 3);
        r.store(2, bytes(2, 2), 0, 2);
        r.store(6, bytes(6, 2), 0, 2);
        r.store(10, bytes(10, 2), 0, 2);
        assertEquals(-1, r.store(14, bytes(14, 2), 0, 2), "a fourth range is refused");
        assertEquals(0, r.store(3, bytes(3, 5), 0, 5), "overlapping two ranges merges them");
        assertEquals(2, r.rangeCount());
        assertTrue(r.covers(2, 6));
        assertEquals(0, r.store(14, bytes(14, 2), 0, 2), "room again after the merge");
        assertEquals(8, r.store(0, bytes(0, 2), 0, 2), "reaches the merged [2,8)");
        assertEquals(4, r.store(0, bytes(8, 2), 0, 2), "reaches [10,12), shifted to [2,4)");
        assertEquals(12, r.readable());
        assertEquals(1, r.rangeCount());
    }

    @Test
    void receiveBufferWrapsAroundTheRing() {
        ReceiveBuffer r = new ReceiveBuffer(8, 2);
        r.store(0, bytes(0, 6), 0, 6);
        read(r, 6);
        assertEquals(0, r.store(3, bytes(9, 4), 0, 4));
        assertEquals(7, r.store(0, bytes(6, 3), 0, 3));
        assertArrayEquals(bytes(6, 7).array(), read(r, 100));
        assertEquals(8, r.space());
    }
}
