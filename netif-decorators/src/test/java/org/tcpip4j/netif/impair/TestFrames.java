package org.tcpip4j.netif.impair;

import java.nio.ByteBuffer;

/** Ethernet frames that carry a sequence number, for following frames through impairments. */
public final class TestFrames {

    private TestFrames() {
    }

    /** A broadcast frame of {@code length} bytes (14 or more) whose bytes follow from {@code seq}. */
    public static byte[] numbered(int seq, int length) {
        byte[] f = new byte[length];
        ByteBuffer b = ByteBuffer.wrap(f);
        b.putLong(0, -1L); // destination ff:ff:ff:ff:ff:ff and the first two octets of the source
        b.putInt(8, 0x0000_0001);
        b.putShort(12, (short) 0x88b5);
        if (length >= 18) {
            b.putInt(14, seq);
        }
        for (int i = 18; i < length; i++) {
            f[i] = (byte) (seq * 31 + i);
        }
        return f;
    }

    /** The sequence number of a frame made by {@link #numbered}. */
    public static int seqOf(byte[] frame) {
        return ByteBuffer.wrap(frame).getInt(14);
    }

    /** The bytes between {@code frame}'s position and limit. */
    public static byte[] bytesOf(ByteBuffer frame) {
        byte[] b = new byte[frame.remaining()];
        frame.get(frame.position(), b);
        return b;
    }

    /** The number of bits that differ between two arrays of the same length. */
    public static int bitsDiffering(byte[] a, byte[] b) {
        int n = 0;
        for (int i = 0; i < a.length; i++) {
            n += Integer.bitCount((a[i] ^ b[i]) & 0xff);
        }
        return n;
    }
}
