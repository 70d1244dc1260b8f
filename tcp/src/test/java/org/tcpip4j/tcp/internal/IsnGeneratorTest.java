package org.tcpip4j.tcp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.tcpip4j.netif.IpAddress;
import org.tcpip4j.netif.Ipv4Address;
import org.tcpip4j.netif.Ipv6Address;
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

    private static final IpAddress A = Ipv4Address.parse("198.18.0.1");
    private static final IpAddress B = Ipv4Address.parse("198.18.0.2");
    private static final IpAddress C = Ipv4Address.parse("198.18.0.3");
    private static final IpAddress A6 = Ipv6Address.parse("2001:2::1");
    private static final IpAddress B6 = Ipv6Address.parse("2001:2::2");

    @Test
    void differsPerFourTupleAndGrowsWithTime() {
        VirtualTimeEventLoop loop = new VirtualTimeEventLoop();
        IsnGenerator g = new IsnGenerator(loop, Secrets.deterministic(1));
        int a = g.isn(A, 1000, B, 80);
        assertNotEquals(a, g.isn(A, 1001, B, 80));
        assertNotEquals(a, g.isn(A, 1000, C, 80));
        loop.runFor(1_000_000); // 1 ms = 250 ticks of the 4 us clock (RFC 6528 3)
        assertEquals(250, g.isn(A, 1000, B, 80) - a);
        IsnGenerator other = new IsnGenerator(loop, Secrets.deterministic(2));
        assertTrue(other.isn(A, 1000, B, 80) != g.isn(A, 1000, B, 80), "the key changes the sequence space");
    }

    @Test
    void coversEveryBitOfIpv6Addresses() {
        VirtualTimeEventLoop loop = new VirtualTimeEventLoop();
        IsnGenerator g = new IsnGenerator(loop, Secrets.deterministic(1));
        int a = g.isn(A6, 1000, B6, 80);
        // Addresses that differ only in their high 64 bits, or in bits an IPv4 address has not.
        assertNotEquals(a, g.isn(Ipv6Address.parse("2001:3::1"), 1000, B6, 80));
        assertNotEquals(a, g.isn(A6, 1000, Ipv6Address.parse("2001:3::2"), 80));
        assertNotEquals(a, g.isn(A6, 1000, Ipv6Address.parse("2001:2::1:0:0:2"), 80));
        assertNotEquals(g.isn(A, 1000, B, 80), g.isn(Ipv6Address.parse("::1"), 1000, Ipv6Address.parse("::2"), 80));
        assertNotEquals(g.timestampOffset(A6, 1000, B6, 80), g.timestampOffset(A6, 1000, B6, 81));
    }
}
