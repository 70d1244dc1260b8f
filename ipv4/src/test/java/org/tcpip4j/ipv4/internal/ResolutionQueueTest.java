package org.tcpip4j.ipv4.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class ResolutionQueueTest {

    private static ResolutionQueue.Held datagram(int size, int tag) {
        return new ResolutionQueue.Held(1, 2, 17, 64, false, ByteBuffer.allocate(size).put(0, (byte) tag));
    }

    @Test
    void allQueuesTogetherStayWithinTheByteBudgetDroppingTheEldestHopsDatagramsFirst() {
        ResolutionQueue q = new ResolutionQueue(16, 1000, 100);
        assertTrue(q.hold(1, datagram(200, 1)));
        q.hold(1, datagram(200, 2));
        assertTrue(q.hold(2, datagram(200, 3)));
        assertEquals(900, q.bytes());
        q.hold(3, datagram(200, 4));
        assertTrue(q.bytes() <= 1000);
        assertEquals(3, q.size());
        assertEquals(1, q.droppedForBytes());
        assertEquals(2, q.release(1).peekFirst().payload().get(0), "the oldest of the eldest hop went first");
        assertEquals(600, q.bytes());
        for (int i = 0; i < 10_000; i++) {
            q.hold(100 + i, datagram(150, 9));
            assertTrue(q.bytes() <= 1000);
        }
        q.hold(5, datagram(2000, 5));
        assertTrue(q.release(5).isEmpty(), "larger than the whole budget: dropped");
    }

    @Test
    void releasingEveryHopReturnsTheBytesToZero() {
        ResolutionQueue q = new ResolutionQueue(2, 10_000, 96);
        for (int i = 0; i < 5; i++) {
            q.hold(7, datagram(100, i));
        }
        assertEquals(2, q.size());
        assertEquals(3, q.dropped());
        assertEquals(0, q.droppedForBytes());
        assertEquals(2, q.release(7).size());
        assertEquals(0, q.bytes());
        assertEquals(0, q.size());
    }
}
