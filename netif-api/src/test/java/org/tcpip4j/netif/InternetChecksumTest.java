package org.tcpip4j.netif;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class InternetChecksumTest {

    private static int naive(byte[] b, int off, int len) {
        long sum = 0;
        for (int i = 0; i + 1 < len; i += 2) {
            sum += ((b[off + i] & 0xff) << 8) | (b[off + i + 1] & 0xff);
        }
        if ((len & 1) != 0) {
            sum += (b[off + len - 1] & 0xff) << 8;
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) (~sum & 0xffff);
    }

    @Test
    void matchesTheWordByWordDefinitionForAnyLengthAndOffset() {
        SplittableRandom r = new SplittableRandom(7);
        for (int round = 0; round < 2000; round++) {
            byte[] data = new byte[r.nextInt(1, 3000)];
            r.nextBytes(data);
            if (round % 3 == 0) {
                java.util.Arrays.fill(data, (byte) 0xff);
            }
            int off = r.nextInt(0, Math.min(9, data.length));
            int len = data.length - off;
            ByteBuffer buf = ByteBuffer.wrap(data);
            if (round % 2 == 0) {
                buf.order(ByteOrder.LITTLE_ENDIAN);
            }
            assertEquals(naive(data, off, len), InternetChecksum.compute(buf, off, len), "round " + round);
            ByteBuffer direct = ByteBuffer.allocateDirect(data.length).put(data).flip();
            assertEquals(naive(data, off, len), InternetChecksum.compute(direct, off, len));
        }
    }

    @Test
    void rfc1071ExampleSumsToTheKnownValue() {
        // RFC 1071 section 3: 0001 f203 f4f5 f6f7 sums to ddf2 (before complement).
        ByteBuffer buf = ByteBuffer.wrap(new byte[] {0x00, 0x01, (byte) 0xf2, 0x03, (byte) 0xf4, (byte) 0xf5, (byte) 0xf6, (byte) 0xf7});
        assertEquals(0xddf2, InternetChecksum.fold16(InternetChecksum.sum(buf, 0, 8, 0)));
    }

    @Test
    void incrementalUpdateEqualsARecomputation() {
        SplittableRandom r = new SplittableRandom(11);
        for (int round = 0; round < 500; round++) {
            byte[] data = new byte[40];
            r.nextBytes(data);
            ByteBuffer buf = ByteBuffer.wrap(data);
            buf.putShort(10, (short) 0);
            int ck = InternetChecksum.compute(buf, 0, 40);
            buf.putShort(10, (short) ck);
            int field = r.nextInt(0, 20) * 2;
            if (field == 10) {
                continue;
            }
            int old = buf.getShort(field) & 0xffff;
            int neu = r.nextInt(0, 0x10000);
            buf.putShort(field, (short) neu);
            int updated = InternetChecksum.update(ck, old, neu);
            buf.putShort(10, (short) 0);
            int recomputed = InternetChecksum.compute(buf, 0, 40);
            // 0x0000 and 0xffff are the same value in ones' complement.
            assertEquals(recomputed == 0xffff ? 0 : recomputed, updated == 0xffff ? 0 : updated);
        }
    }

    @org.junit.jupiter.api.Test
    void copyAndSumCopiesAndSumsAsSumDoesAtEveryLengthAndOffset() {
        java.util.SplittableRandom r = new java.util.SplittableRandom(9);
        byte[] src = new byte[300];
        r.nextBytes(src);
        for (java.nio.ByteOrder order : new java.nio.ByteOrder[] {java.nio.ByteOrder.BIG_ENDIAN,
                java.nio.ByteOrder.LITTLE_ENDIAN}) {
            for (int from = 0; from < 9; from++) {
                for (int length = 0; length < 200; length++) {
                    java.nio.ByteBuffer dst = java.nio.ByteBuffer.allocateDirect(256).order(order);
                    long fused = InternetChecksum.copyAndSum(src, from, dst, 3, length, 0);
                    for (int i = 0; i < length; i++) {
                        org.junit.jupiter.api.Assertions.assertEquals(src[from + i], dst.get(3 + i));
                    }
                    org.junit.jupiter.api.Assertions.assertEquals(
                        InternetChecksum.fold16(InternetChecksum.sum(dst, 3, length, 0)), InternetChecksum.fold16(fused),
                        "from " + from + " length " + length + " " + order);
                }
            }
        }
    }

    @org.junit.jupiter.api.Test
    void aSumOfBytesAtAnOddOffsetIsSwappedIntoPlace() {
        java.util.SplittableRandom r = new java.util.SplittableRandom(10);
        byte[] b = new byte[101];
        r.nextBytes(b);
        java.nio.ByteBuffer all = java.nio.ByteBuffer.wrap(b);
        for (int cut = 0; cut <= b.length; cut++) {
            long head = InternetChecksum.sum(all, 0, cut, 0);
            long tail = InternetChecksum.sum(all, cut, b.length - cut, 0);
            long joined = (cut & 1) == 0 ? head + tail : head + InternetChecksum.swapped(tail);
            org.junit.jupiter.api.Assertions.assertEquals(InternetChecksum.fold16(InternetChecksum.sum(all, 0, b.length, 0)),
                InternetChecksum.fold16(joined), "cut at " + cut);
        }
    }
}
