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
        ChunkPool pool = ChunkPool.unbounded();
        SendBuffer s = new SendBuffer(6 << 20, pool);
        ReceiveBuffer r = new ReceiveBuffer(6 << 20, 4, pool);
        assertEquals(0, s.capacity());
        assertEquals(0, r.capacity());
        assertFalse(s.holdsMemory());
        assertFalse(r.holdsMemory());
        assertEquals(6 << 20, s.free(), "the limit, not the memory held, says what fits");
        assertEquals(6 << 20, r.space());
        assertEquals(0, r.read(100).remaining(), "reading an empty buffer");
        s.discard(0);
        s.copyTo(0, 0, ByteBuffer.allocate(1), 0);
        s.append(stream(0, 100));
        r.store(0, stream(0, 100), 0, 100);
        assertEquals(ChunkPool.SIZE, s.capacity(), "one chunk");
        assertEquals(ChunkPool.SIZE, r.capacity());
        assertEquals(2, pool.inUse());
        s.discard(100);
        read(r, 100);
        assertEquals(0, pool.inUse(), "emptied buffers give their chunks back at once");
        assertEquals(0, s.capacity());
        assertEquals(0, r.capacity());
    }

    @Test
    void receiveChunksFollowTheDataAndOutOfOrderDataTakesOnlyTheChunksItTouches() {
        ChunkPool pool = ChunkPool.unbounded();
        ReceiveBuffer r = new ReceiveBuffer(100_000, 4, pool);
        assertEquals(0, r.store(50_000, stream(50_000, 100), 0, 100), "far ahead of a hole");
        assertEquals(1, pool.inUse(), "one chunk, not the 50 KB before it");
        assertEquals(0, r.store(70_000, stream(70_000, 5000), 0, 5000));
        assertEquals(3, pool.inUse(), "5000 bytes across two chunks");
        assertEquals(3000, r.store(0, stream(0, 3000), 0, 3000));
        assertEquals(4, pool.inUse());
        assertStream(0, read(r, 2500), "first read");
        assertEquals(4, pool.inUse(), "the first chunk still holds 500 unread bytes");
        assertStream(2500, read(r, 500), "second read");
        assertEquals(4, pool.inUse(), "the first chunk also holds bytes 3000..4095, still to come");
        assertEquals(1096, r.store(0, stream(3000, 1096), 0, 1096));
        assertStream(3000, read(r, 1096), "to the chunk's end");
        assertEquals(3, pool.inUse(), "read past: the first chunk went back");
        // Fill every hole: the data reads back in order across chunk boundaries.
        assertEquals(46_004, r.store(0, stream(4096, 46_004), 0, 46_004), "reaches the first range");
        assertEquals(24_900, r.store(0, stream(50_100, 19_900), 0, 19_900), "reaches the second");
        byte[] all = read(r, 200_000);
        assertEquals(75_000 - 4096, all.length);
        assertStream(4096, all, "after the holes filled");
        assertEquals(0, pool.inUse(), "every chunk returned");
        assertTrue(r.release(), "the tables go when idle");
        assertFalse(r.holdsMemory());
        assertEquals(50, r.store(0, stream(75_000, 50), 0, 50), "and memory comes again with data");
        assertStream(75_000, read(r, 100), "after release");
        assertEquals(0, pool.inUse());
    }

    @Test
    void emptyBuffersAloneGiveTheirTablesBack() {
        ReceiveBuffer r = new ReceiveBuffer(10_000, 4);
        r.store(5, stream(5, 5), 0, 5);
        assertFalse(r.release(), "out-of-order data is held");
        r.store(0, stream(0, 5), 0, 5);
        assertFalse(r.release(), "unread data is held");
        read(r, 100);
        assertEquals(0, r.capacity(), "the chunk went back with the last byte read");
        assertTrue(r.release());
        assertFalse(r.release(), "nothing left to release");
        SendBuffer s = new SendBuffer(10_000);
        s.append(stream(0, 10));
        assertFalse(s.release());
        s.discard(10);
        assertEquals(0, s.capacity());
        assertTrue(s.release());
        s.append(stream(10, 5000));
        assertEquals(2 * ChunkPool.SIZE, s.capacity(), "5000 bytes in two chunks");
    }

    @Test
    void theBudgetRefusesChunksBeyondTheOneEveryBufferIsOwed() {
        ChunkPool pool = new ChunkPool(2 * ChunkPool.SIZE, 3 * ChunkPool.SIZE, 16);
        SendBuffer a = new SendBuffer(1 << 20, pool);
        SendBuffer b = new SendBuffer(1 << 20, pool);
        ReceiveBuffer r = new ReceiveBuffer(1 << 20, 4, pool);
        assertEquals(3 * ChunkPool.SIZE, a.append(stream(0, 5 * ChunkPool.SIZE)), "three chunks, then the limit");
        assertTrue(pool.exhausted());
        assertTrue(pool.underPressure());
        assertEquals(ChunkPool.SIZE, b.append(stream(0, 2 * ChunkPool.SIZE)), "owed its first chunk only");
        assertEquals(0, b.append(stream(ChunkPool.SIZE, 10)), "and no second");
        assertEquals(0, r.store(10_000, stream(10_000, 100), 0, 100), "out of order, owed its first chunk");
        assertEquals(ReceiveBuffer.NO_MEMORY, r.store(0, stream(0, 100), 0, 100), "a second chunk is refused");
        assertEquals(100, r.pruneOutOfOrder(), "pressure: out-of-order data goes first");
        assertEquals(100, r.store(0, stream(0, 100), 0, 100), "then in-order data fits in the owed chunk");
        assertEquals(5, pool.inUse(), "over the limit only by owed chunks");
        a.discard(3 * ChunkPool.SIZE);
        b.discard(ChunkPool.SIZE);
        read(r, 100);
        assertEquals(0, pool.inUse(), "every chunk returned");
        assertTrue(pool.refused() >= 2);
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
    void sendBytesReadBackAcrossChunkBoundaries() {
        ChunkPool pool = ChunkPool.unbounded();
        SendBuffer s = new SendBuffer(1 << 20, pool);
        s.append(stream(0, 4000));
        s.discard(3500);
        assertEquals(2000, s.append(stream(4000, 2000)), "crosses into a second chunk");
        assertEquals(2, pool.inUse());
        assertEquals(3000, s.append(stream(6000, 3000)));
        assertEquals(3, pool.inUse());
        ByteBuffer out = ByteBuffer.allocate(5500);
        s.copyTo(0, 5500, out, 0);
        assertStream(3500, out.array(), "across chunks");
        s.discard(1000);
        assertEquals(2, pool.inUse(), "the first chunk went back once acknowledged past");
        s.dispose();
        assertEquals(0, pool.inUse(), "every chunk returned");
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
        ChunkPool pool = ChunkPool.unbounded();
        ReceiveBuffer r = new ReceiveBuffer(3000, 6, pool);
        long readAt = 0;
        long rcvNxt = 0;
        for (int step = 0; step < 20_000; step++) {
            int op = random.nextInt(10);
            if (op < 6 && r.space() > 0) {
                int space = r.space();
                int offset = random.nextInt(4) == 0 ? 0 : random.nextInt(space);
                int length = 1 + random.nextInt(Math.min(space - offset, 1500));
                int advance = r.store(offset, stream(rcvNxt + offset, length), 0, length);
                if (advance > 0) {
                    rcvNxt += advance;
                }
                int held = r.readable() + r.outOfOrderEnd();
                assertTrue(r.capacity() <= held + 2 * ChunkPool.SIZE, "no chunk beyond the data held");
            } else if (op < 9) {
                byte[] got = read(r, 1 + random.nextInt(5000));
                assertStream(readAt, got, "seed " + seed + " step " + step);
                readAt += got.length;
            } else if (random.nextBoolean()) {
                r.raiseLimit(r.limit() + random.nextInt(20_000));
            } else if (r.isEmpty()) {
                assertEquals(0, r.capacity(), "an empty buffer holds no chunk");
                r.release();
            }
            assertEquals(rcvNxt - readAt, r.readable());
            assertEquals(pool.inUse() * ChunkPool.SIZE, r.capacity());
        }
        assertTrue(readAt > 100_000, "the stream moved: " + readAt);
        r.dispose();
        assertEquals(0, pool.inUse(), "every chunk returned");
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4})
    void sendBufferMatchesTheStreamWhateverTheOrderOfGrowth(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        ChunkPool pool = ChunkPool.unbounded();
        SendBuffer s = new SendBuffer(3000, pool);
        long una = 0;
        long end = 0;
        for (int step = 0; step < 20_000; step++) {
            int op = random.nextInt(10);
            if (op < 4) {
                end += s.append(stream(end, random.nextInt(6000)));
                assertTrue(s.capacity() <= s.size() + 2 * ChunkPool.SIZE, "no chunk beyond the data held");
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
            assertEquals(pool.inUse() * ChunkPool.SIZE, s.capacity());
        }
        assertTrue(una > 100_000, "the stream moved: " + una);
        s.dispose();
        assertEquals(0, pool.inUse(), "every chunk returned");
    }

    @Test
    void anEmptyReceiveBufferIsOwedAWholeSegmentLargerThanAChunk() {
        ChunkPool pool = new ChunkPool(ChunkPool.SIZE, 2 * ChunkPool.SIZE, 16);
        SendBuffer other = new SendBuffer(1 << 20, pool);
        other.append(stream(0, 2 * ChunkPool.SIZE));
        assertTrue(pool.exhausted(), "another connection holds the layer's memory");
        ReceiveBuffer r = new ReceiveBuffer(1 << 20, 4, pool);
        // A jumbo segment (MSS 8960) to an empty buffer: were only its first chunk owed, it
        // would be refused every time it came until the other connection let go.
        assertEquals(8960, r.store(0, stream(0, 8960), 0, 8960));
        assertEquals(ReceiveBuffer.NO_MEMORY, r.store(0, stream(8960, 8960), 0, 8960),
            "a buffer already holding data is owed nothing more");
        read(r, 8960);
        other.discard(2 * ChunkPool.SIZE);
        assertEquals(0, pool.inUse());
    }
}
