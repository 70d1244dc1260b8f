package org.tcpip4j.tcp.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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

    /** The byte at absolute position {@code i} of a test stream. */
    static byte streamByte(long i) {
        return (byte) (i * 31 + (i >>> 9));
    }

    static ByteBuffer stream(long from, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = streamByte(from + i);
        }
        return ByteBuffer.wrap(b);
    }

    static void assertStream(long from, byte[] actual, String what) {
        for (int i = 0; i < actual.length; i++) {
            if (actual[i] != streamByte(from + i)) {
                throw new AssertionError(what + ": byte " + (from + i) + " differs");
            }
        }
    }

    @Test
    void buffersAllocateNothingUntilTheFirstBytes() {
        SendBuffer s = new SendBuffer(6 << 20);
        ReceiveBuffer r = new ReceiveBuffer(6 << 20, 4);
        assertEquals(0, s.capacity());
        assertEquals(0, r.capacity());
        assertEquals(6 << 20, s.free(), "the limit, not the ring, says what fits");
        assertEquals(6 << 20, r.space());
        assertEquals(0, r.read(100).remaining(), "reading an empty buffer with no ring");
        s.discard(0);
        s.copyTo(0, 0, ByteBuffer.allocate(1), 0);
        s.append(stream(0, 100));
        r.store(0, stream(0, 100), 0, 100);
        assertEquals(SendBuffer.MIN_RING, s.capacity(), "a first ring of the minimum size");
        assertEquals(ReceiveBuffer.MIN_RING, r.capacity());
        SendBuffer tiny = new SendBuffer(1000);
        tiny.append(stream(0, 10));
        assertEquals(1000, tiny.capacity(), "never past the limit");
    }

    @Test
    void receiveRingGrowthKeepsUnreadAndOutOfOrderDataAcrossTheWrap() {
        ReceiveBuffer r = new ReceiveBuffer(20_000, 4);
        // Move the read position near the end of a 4 KiB ring.
        assertEquals(3000, r.store(0, stream(0, 3000), 0, 3000));
        assertStream(0, read(r, 2500), "first read");
        assertEquals(4096, r.capacity());
        // In-order data that wraps: RCV.NXT at 3000, unread from 2500 (ring position 2500).
        assertEquals(1500, r.store(0, stream(3000, 1500), 0, 1500));
        assertEquals(2000, r.readable());
        // Out-of-order ranges, one wrapping inside the old ring, one past its end.
        assertEquals(0, r.store(100, stream(4600, 300), 0, 300));
        assertEquals(0, r.store(1000, stream(5500, 1000), 0, 1000));
        assertEquals(4096, r.capacity(), "still fits: 2000 unread + 2000 up to the last range");
        assertEquals(0, r.store(5000, stream(9500, 200), 0, 200), "7200 bytes from the first unread: grows");
        assertEquals(8192, r.capacity(), "doubled");
        assertEquals(3, r.rangeCount());
        assertEquals(100, r.rangeStart(0));
        assertEquals(400, r.rangeEnd(0));
        assertEquals(1000, r.rangeStart(1));
        assertEquals(2000, r.rangeEnd(1));
        assertEquals(5000, r.rangeStart(2));
        assertEquals(5200, r.rangeEnd(2));
        // Fill the holes in turn; everything must read back in order.
        assertEquals(400, r.store(0, stream(4500, 100), 0, 100), "reaches the first range");
        assertEquals(1600, r.store(0, stream(4900, 600), 0, 600), "reaches the second");
        assertEquals(3200, r.store(0, stream(6500, 3000), 0, 3000), "reaches the third");
        assertEquals(0, r.rangeCount());
        byte[] all = read(r, 100_000);
        assertEquals(9700 - 2500, all.length);
        assertStream(2500, all, "after growth");
        assertTrue(r.release(), "empty: the ring goes back");
        assertEquals(0, r.capacity());
        assertEquals(50, r.store(0, stream(9700, 50), 0, 50), "and comes again with data");
        assertStream(9700, read(r, 100), "after release");
    }

    @Test
    void emptyBuffersAloneGiveTheirRingBack() {
        ReceiveBuffer r = new ReceiveBuffer(10_000, 4);
        r.store(5, stream(5, 5), 0, 5);
        assertFalse(r.release(), "out-of-order data is held");
        r.store(0, stream(0, 5), 0, 5);
        assertFalse(r.release(), "unread data is held");
        read(r, 100);
        assertTrue(r.release());
        assertFalse(r.release(), "nothing left to release");
        SendBuffer s = new SendBuffer(10_000);
        s.append(stream(0, 10));
        assertFalse(s.release());
        s.discard(10);
        assertTrue(s.release());
        assertEquals(0, s.capacity());
        s.append(stream(10, 5000));
        assertEquals(5000, s.capacity(), "regrows to what is needed, the minimum being less");
    }

    @Test
    void limitsRiseAndNeverFall() {
        SendBuffer s = new SendBuffer(5000);
        assertEquals(5000, s.append(stream(0, 9000)));
        assertEquals(0, s.append(stream(5000, 10)));
        s.raiseLimit(12_000);
        s.raiseLimit(100);
        assertEquals(12_000, s.limit());
        assertEquals(7000, s.free());
        ReceiveBuffer r = new ReceiveBuffer(5000, 4);
        r.raiseLimit(9000);
        r.raiseLimit(10);
        assertEquals(9000, r.limit());
        assertEquals(9000, r.space());
    }

    @Test
    void sendRingGrowthKeepsTheBytesAcrossTheWrap() {
        SendBuffer s = new SendBuffer(1 << 20);
        s.append(stream(0, 4000));
        s.discard(3500);
        assertEquals(2000, s.append(stream(4000, 2000)), "wraps in the 4 KiB ring");
        assertEquals(4096, s.capacity());
        assertEquals(3000, s.append(stream(6000, 3000)), "5500 held: grows");
        assertEquals(8192, s.capacity());
        ByteBuffer out = ByteBuffer.allocate(5500);
        s.copyTo(0, 5500, out, 0);
        assertStream(3500, out.array(), "after growth");
    }

    /**
     * Random stores (in order and out of order, within the space), reads, limit raises and
     * releases against a model of the stream: what is read is always the stream, the ring
     * never exceeds the limit, and grows only when data needs it.
     */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void receiveBufferMatchesTheStreamWhateverTheOrderOfGrowth(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        ReceiveBuffer r = new ReceiveBuffer(3000, 6);
        long readAt = 0;
        long rcvNxt = 0;
        for (int step = 0; step < 20_000; step++) {
            int op = random.nextInt(10);
            if (op < 6 && r.space() > 0) {
                int space = r.space();
                int offset = random.nextInt(4) == 0 ? 0 : random.nextInt(space);
                int length = 1 + random.nextInt(Math.min(space - offset, 1500));
                int before = r.capacity();
                int needed = r.readable() + offset + length;
                int advance = r.store(offset, stream(rcvNxt + offset, length), 0, length);
                if (advance > 0) {
                    rcvNxt += advance;
                }
                assertTrue(r.capacity() <= r.limit(), "ring within the limit");
                assertTrue(r.capacity() == before || needed > before, "grew only for data beyond the ring");
            } else if (op < 9) {
                byte[] got = read(r, 1 + random.nextInt(5000));
                assertStream(readAt, got, "seed " + seed + " step " + step);
                readAt += got.length;
            } else if (random.nextBoolean()) {
                r.raiseLimit(r.limit() + random.nextInt(20_000));
            } else if (r.isEmpty()) {
                assertTrue(r.release() || r.capacity() == 0);
            }
            assertEquals(rcvNxt - readAt, r.readable());
        }
        assertTrue(readAt > 100_000, "the stream moved: " + readAt);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4})
    void sendBufferMatchesTheStreamWhateverTheOrderOfGrowth(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        SendBuffer s = new SendBuffer(3000);
        long una = 0;
        long end = 0;
        for (int step = 0; step < 20_000; step++) {
            int op = random.nextInt(10);
            if (op < 4) {
                end += s.append(stream(end, random.nextInt(6000)));
                assertTrue(s.capacity() <= s.limit());
            } else if (op < 7 && s.size() > 0) {
                int from = random.nextInt(s.size());
                int length = random.nextInt(s.size() - from + 1);
                ByteBuffer out = ByteBuffer.allocate(length + 3);
                s.copyTo(from, length, out, 3);
                assertStream(una + from, Arrays.copyOfRange(out.array(), 3, 3 + length), "seed " + seed);
            } else if (op < 9) {
                int n = random.nextInt(s.size() + 1);
                s.discard(n);
                una += n;
            } else if (random.nextBoolean()) {
                s.raiseLimit(s.limit() + random.nextInt(20_000));
            } else {
                s.release();
            }
            assertEquals(end - una, s.size());
        }
        assertTrue(una > 100_000, "the stream moved: " + una);
    }
}
