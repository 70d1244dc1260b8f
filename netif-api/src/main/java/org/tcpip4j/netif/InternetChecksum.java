package org.tcpip4j.netif;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The Internet checksum (RFC 1071): the ones' complement of the ones' complement sum of
 * 16-bit words, computed eight bytes at a time and folded at the end.
 *
 * <p>Partial sums compose: {@code sum(b, 0, n, sum(a, 0, m, 0))} sums a then b, as long
 * as {@code m} is even. {@link #finish} folds and complements.
 */
public final class InternetChecksum {

    private InternetChecksum() {
    }

    /**
     * Adds {@code length} bytes at {@code buffer[offset..]} to the partial sum
     * {@code initial}, reading eight bytes at a time, big-endian whatever the buffer's order.
     *
     * @return a partial sum (not folded to 16 bits, not complemented)
     */
    public static long sum(ByteBuffer buffer, int offset, int length, long initial) {
        long acc = initial;
        int i = offset;
        int end = offset + length;
        boolean bigEndian = buffer.order() == ByteOrder.BIG_ENDIAN;
        while (end - i >= 8) {
            long w = buffer.getLong(i);
            if (!bigEndian) {
                w = Long.reverseBytes(w);
            }
            // Add the two 32-bit halves; carries accumulate in the upper bits of acc.
            acc += (w >>> 32) + (w & 0xffff_ffffL);
            i += 8;
            if ((acc & 0xf000_0000_0000_0000L) != 0) {
                acc = fold64(acc);
            }
        }
        while (end - i >= 2) {
            acc += ((buffer.get(i) & 0xff) << 8) | (buffer.get(i + 1) & 0xff);
            i += 2;
        }
        if (i < end) {
            acc += (buffer.get(i) & 0xff) << 8;
        }
        return acc;
    }

    /** Adds a 16-bit value to the partial sum. */
    public static long add16(long acc, int value) {
        return acc + (value & 0xffff);
    }

    /** Adds a 32-bit value (two 16-bit words) to the partial sum. */
    public static long add32(long acc, int value) {
        return acc + ((value >>> 16) & 0xffff) + (value & 0xffff);
    }

    /** Folds a partial sum to 16 bits and complements it: the value to put in a header. */
    public static int finish(long acc) {
        return ~fold16(acc) & 0xffff;
    }

    /** Folds a partial sum to 16 bits without complementing it. */
    public static int fold16(long acc) {
        long s = fold64(acc);
        while ((s >>> 16) != 0) {
            s = (s & 0xffff) + (s >>> 16);
        }
        return (int) s;
    }

    private static final java.lang.invoke.VarHandle LONG_BE =
        java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    /**
     * Copies {@code length} bytes of {@code src} from {@code srcOffset} into {@code dst} at
     * absolute index {@code dstIndex} and adds them to the sum {@code initial}, in one pass
     * (the checksum computed while copying): the same sum as {@link #sum} over the copy
     * when {@code initial}'s bytes ended on an even offset.
     *
     * @return a partial sum (not folded to 16 bits, not complemented)
     */
    public static long copyAndSum(byte[] src, int srcOffset, ByteBuffer dst, int dstIndex, int length, long initial) {
        java.util.Objects.checkFromIndexSize(srcOffset, length, src.length);
        java.util.Objects.checkFromIndexSize(dstIndex, length, dst.limit());
        long acc = initial;
        int i = 0;
        boolean bigEndian = dst.order() == ByteOrder.BIG_ENDIAN;
        while (length - i >= 8) {
            long w = (long) LONG_BE.get(src, srcOffset + i);
            dst.putLong(dstIndex + i, bigEndian ? w : Long.reverseBytes(w));
            acc += (w >>> 32) + (w & 0xffff_ffffL);
            i += 8;
            if ((acc & 0xf000_0000_0000_0000L) != 0) {
                acc = fold64(acc);
            }
        }
        while (length - i >= 2) {
            int hi = src[srcOffset + i] & 0xff;
            int lo = src[srcOffset + i + 1] & 0xff;
            dst.put(dstIndex + i, (byte) hi);
            dst.put(dstIndex + i + 1, (byte) lo);
            acc += (hi << 8) | lo;
            i += 2;
        }
        if (i < length) {
            int hi = src[srcOffset + i] & 0xff;
            dst.put(dstIndex + i, (byte) hi);
            acc += hi << 8;
        }
        return acc;
    }

    /**
     * A partial sum of bytes that began on an odd offset, turned into the sum of the same
     * bytes on an even one (RFC 1071 2(B): byte order independence, applied to a shift by
     * one byte): what {@link #copyAndSum} and {@link #sum} give for a piece at an odd
     * offset of a larger region is added through this.
     */
    public static long swapped(long acc) {
        int folded = fold16(acc);
        return ((folded & 0xff) << 8) | (folded >>> 8);
    }

    /** The checksum of {@code length} bytes at {@code offset}: 0 means a header verifies. */
    public static int compute(ByteBuffer buffer, int offset, int length) {
        return finish(sum(buffer, offset, length, 0));
    }

    /**
     * Updates a checksum for one 16-bit field changed from {@code oldValue} to
     * {@code newValue} (RFC 1624, eqn. 3), without summing the packet again.
     */
    public static int update(int checksum, int oldValue, int newValue) {
        long acc = (~checksum & 0xffff) + (~oldValue & 0xffff) + (newValue & 0xffff);
        return finish(acc);
    }

    private static long fold64(long acc) {
        long s = (acc >>> 32) + (acc & 0xffff_ffffL);
        s = (s >>> 32) + (s & 0xffff_ffffL);
        return s;
    }
}
