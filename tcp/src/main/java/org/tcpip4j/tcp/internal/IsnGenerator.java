package org.tcpip4j.tcp.internal;

import java.util.random.RandomGenerator;
import org.tcpip4j.netif.loop.EventLoop;

/**
 * Initial sequence numbers per RFC 6528 3: {@code ISN = M + F(localip, localport,
 * remoteip, remoteport, secretkey)}, where M is a timer ticking every 4 microseconds and F
 * is SipHash-2-4 keyed with 128 bits drawn once from the stack's random source. Each
 * 4-tuple gets its own sequence space, unpredictable to an off-path attacker, and an
 * incarnation of the same 4-tuple later on starts higher than the one before (RFC 9293
 * 3.4.1).
 */
final class IsnGenerator implements IsnSource {

    private final EventLoop loop;
    private final long k0;
    private final long k1;

    /** A generator keyed from {@code random}, ticking with {@code loop}'s clock. */
    IsnGenerator(EventLoop loop, RandomGenerator random) {
        this.loop = loop;
        this.k0 = random.nextLong();
        this.k1 = random.nextLong();
    }

    @Override
    public int isn(int localAddress, int localPort, int remoteAddress, int remotePort) {
        long m = loop.nanoTime() / 4_000; // RFC 6528 3: M, a 4-microsecond timer
        long f = sipHash24(k0, k1, ConnectionTable.addressKey(localAddress, remoteAddress),
            ConnectionTable.portKey(localPort, remotePort));
        return (int) (m + f);
    }

    /**
     * The offset of the timestamp clock of a connection of this 4-tuple (RFC 7323 5.4,
     * 7.1): the same keyed hash with a bit of the port word set to keep it apart from the
     * ISN's, so the offset tells nothing of the ISN, and is the same for every incarnation
     * of the 4-tuple (RFC 6191 needs their timestamps to grow).
     */
    @Override
    public int timestampOffset(int localAddress, int localPort, int remoteAddress, int remotePort) {
        return (int) sipHash24(k0, k1, ConnectionTable.addressKey(localAddress, remoteAddress),
            ConnectionTable.portKey(localPort, remotePort) | (1L << 62));
    }

    /** SipHash-2-4 (Aumasson and Bernstein) of two 64-bit words. */
    static long sipHash24(long k0, long k1, long m0, long m1) {
        long v0 = k0 ^ 0x736f_6d65_7073_6575L;
        long v1 = k1 ^ 0x646f_7261_6e64_6f6dL;
        long v2 = k0 ^ 0x6c79_6765_6e65_7261L;
        long v3 = k1 ^ 0x7465_6462_7974_6573L;
        for (int block = 0; block < 3; block++) {
            long m = block == 0 ? m0 : block == 1 ? m1 : (16L << 56); // last block: length 16
            v3 ^= m;
            for (int r = 0; r < 2; r++) {
                v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
                v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
                v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
                v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
            }
            v0 ^= m;
        }
        v2 ^= 0xff;
        for (int r = 0; r < 4; r++) {
            v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
            v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
            v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
            v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
        }
        return v0 ^ v1 ^ v2 ^ v3;
    }
}
