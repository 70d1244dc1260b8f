package org.tcpip4j.tck;

import java.nio.ByteBuffer;

/** Payloads whose every byte depends on their size and a seed, so a moved or lost byte shows. */
public final class Payloads {

    private Payloads() {
    }

    /** {@code size} bytes of a pattern seeded by {@code seed}. */
    public static byte[] pattern(int size, long seed) {
        byte[] b = new byte[size];
        long x = seed * 0x9E37_79B9_7F4A_7C15L + size;
        for (int i = 0; i < size; i++) {
            // xorshift: cheap, and no run of equal bytes that would hide a shifted copy.
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            b[i] = (byte) x;
        }
        return b;
    }

    /** The same pattern in a buffer ready to write. */
    public static ByteBuffer patternBuffer(int size, long seed) {
        return ByteBuffer.wrap(pattern(size, seed));
    }

    /** A copy of {@code payload}'s position..limit, for a callback that writes it back later. */
    public static ByteBuffer copy(ByteBuffer payload) {
        return ByteBuffer.allocate(payload.remaining()).put(payload.duplicate()).flip();
    }
}
