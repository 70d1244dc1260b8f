package org.tcpip4j.netif;

/**
 * SipHash-2-4 (Aumasson and Bernstein), the keyed hash the layers use wherever a value
 * must be unpredictable to whoever does not hold the key ({@link org.tcpip4j.netif.loop.Secrets}):
 * initial sequence numbers (RFC 6528), ephemeral-port offsets (RFC 6056), IPv4
 * identifications. A pseudorandom function of a 128-bit key; allocation-free.
 */
public final class SipHash {

    private SipHash() {
    }

    /** SipHash-2-4 under the key {@code (k0, k1)} of the 16-byte message {@code m0, m1} (little-endian words). */
    public static long hash(long k0, long k1, long m0, long m1) {
        return hash(k0, k1, 2, m0, m1, 0, 0, 0);
    }

    /**
     * SipHash-2-4 under the key {@code (k0, k1)} of the 40-byte message
     * {@code m0, m1, m2, m3, m4} (little-endian words): two 128-bit addresses and one more
     * word, as TCP hashes its 4-tuples.
     */
    public static long hash(long k0, long k1, long m0, long m1, long m2, long m3, long m4) {
        return hash(k0, k1, 5, m0, m1, m2, m3, m4);
    }

    /** SipHash-2-4 of the first {@code words} of {@code m0..m4}. */
    private static long hash(long k0, long k1, int words, long m0, long m1, long m2, long m3, long m4) {
        long v0 = k0 ^ 0x736f_6d65_7073_6575L;
        long v1 = k1 ^ 0x646f_7261_6e64_6f6dL;
        long v2 = k0 ^ 0x6c79_6765_6e65_7261L;
        long v3 = k1 ^ 0x7465_6462_7974_6573L;
        for (int block = 0; block <= words; block++) {
            long m = block == words ? (long) words << 59 // the last block: the message's length in bytes
                    : switch (block) {
                        case 0 -> m0;
                        case 1 -> m1;
                        case 2 -> m2;
                        case 3 -> m3;
                        default -> m4;
                    };
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
