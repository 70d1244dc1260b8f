package org.tcpip4j.tcp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.tcpip4j.netif.loop.Secrets;
import org.tcpip4j.netif.loop.VirtualTimeEventLoop;

class IsnGeneratorTest {

    @Test
    void sipHashMatchesTheReferenceVector() {
        // Key 00..0f, message 00..0f (16 bytes): 0x3f2acc7f57c29bdb (Aumasson-Bernstein vectors).
        long k0 = 0x0706050403020100L;
        long k1 = 0x0f0e0d0c0b0a0908L;
        assertEquals(0x3f2acc7f57c29bdbL, IsnGenerator.sipHash24(k0, k1, k0, k1));
    }

    @Test
    void differsPerFourTupleAndGrowsWithTime() {
        VirtualTimeEventLoop loop = new VirtualTimeEventLoop();
        IsnGenerator g = new IsnGenerator(loop, Secrets.deterministic(1));
        int a = g.isn(1, 1000, 2, 80);
        assertNotEquals(a, g.isn(1, 1001, 2, 80));
        assertNotEquals(a, g.isn(1, 1000, 3, 80));
        loop.runFor(1_000_000); // 1 ms = 250 ticks of the 4 us clock (RFC 6528 3)
        assertEquals(250, g.isn(1, 1000, 2, 80) - a);
        IsnGenerator other = new IsnGenerator(loop, Secrets.deterministic(2));
        assertTrue(other.isn(1, 1000, 2, 80) != g.isn(1, 1000, 2, 80), "the key changes the sequence space");
    }
}
