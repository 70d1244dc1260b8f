package org.tcpip4j.netif;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Checksum completion and software segmentation of TCP segments ({@link TcpSegmentation}). */
class TcpSegmentationTest {

    private static final int ETH = Netif.ETHERNET_HEADER_SIZE;

    /** A frame with one TCP segment of {@code payload} bytes, 12 bytes of options, checksum complete. */
    static ByteBuffer frame(boolean ipv6, int payload, int flags, long seed) {
        int ip = ipv6 ? 40 : 20;
        int tcp = 32;
        ByteBuffer b = ByteBuffer.allocate(ETH + ip + tcp + payload);
        b.putShort(12, (short) (ipv6 ? 0x86dd : 0x0800));
        int l3 = ETH;
        if (ipv6) {
            b.put(l3, (byte) 0x60);
            b.putShort(l3 + 4, (short) (tcp + payload));
            b.put(l3 + 6, (byte) 6);
            b.put(l3 + 7, (byte) 64);
            b.putLong(l3 + 8, 0x2001_0002_0000_0007L).putLong(l3 + 16, 1);
            b.putLong(l3 + 24, 0x2001_0002_0000_0007L).putLong(l3 + 32, 2);
        } else {
            b.put(l3, (byte) 0x45);
            b.putShort(l3 + 2, (short) (ip + tcp + payload));
            b.putShort(l3 + 4, (short) 0x1234);
            b.putShort(l3 + 6, (short) 0x4000);
            b.put(l3 + 8, (byte) 64);
            b.put(l3 + 9, (byte) 6);
            b.putInt(l3 + 12, 0xc612_0701).putInt(l3 + 16, 0xc612_0702);
            b.putShort(l3 + 10, (short) InternetChecksum.compute(b, l3, 20));
        }
        int l4 = l3 + ip;
        b.putShort(l4, (short) 40000).putShort(l4 + 2, (short) 5001).putInt(l4 + 4, 0xfffff000).putInt(l4 + 8, 77);
        b.put(l4 + 12, (byte) ((tcp / 4) << 4));
        b.put(l4 + 13, (byte) flags);
        b.putShort(l4 + 14, (short) 1000);
        b.put(l4 + 20, (byte) 1).put(l4 + 21, (byte) 1).put(l4 + 22, (byte) 8).put(l4 + 23, (byte) 10);
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < payload; i++) {
            b.put(l4 + tcp + i, (byte) r.nextInt());
        }
        b.putShort(l4 + 16, (short) InternetChecksum.finish(InternetChecksum.sum(b, l4, tcp + payload,
            pseudo(b, ipv6, tcp + payload))));
        return b;
    }

    static long pseudo(ByteBuffer b, boolean ipv6, int tcpLength) {
        long sum = ipv6 ? InternetChecksum.sum(b, ETH + 8, 32, 0) : InternetChecksum.sum(b, ETH + 12, 8, 0);
        return InternetChecksum.add16(InternetChecksum.add16(sum, 6), tcpLength);
    }

    static boolean tcpChecksumValid(ByteBuffer b, boolean ipv6) {
        int l4 = ETH + (ipv6 ? 40 : 20);
        int length = b.limit() - l4;
        return InternetChecksum.fold16(InternetChecksum.sum(b, l4, length, pseudo(b, ipv6, length))) == 0xffff;
    }

    @ParameterizedTest(name = "ipv6 {0}")
    @ValueSource(booleans = {false, true})
    void aPartialChecksumIsCompleted(boolean ipv6) {
        ByteBuffer f = frame(ipv6, 1001, 0x18, 1);
        int l4 = ETH + (ipv6 ? 40 : 20);
        int complete = f.getShort(l4 + 16) & 0xffff;
        f.putShort(l4 + 16, (short) InternetChecksum.fold16(pseudo(f, ipv6, f.limit() - l4)));
        assertFalse(tcpChecksumValid(f, ipv6));
        TcpSegmentation s = new TcpSegmentation();
        assertTrue(s.parse(f, 0, f.limit()));
        assertEquals(ipv6, s.ipv6());
        assertEquals(l4, s.tcpOffset());
        assertEquals(32, s.tcpHeaderLength());
        assertEquals(1001, s.payloadLength());
        s.completeChecksum(f);
        assertEquals(complete, f.getShort(l4 + 16) & 0xffff);
        assertTrue(tcpChecksumValid(f, ipv6));
    }

    @ParameterizedTest(name = "ipv6 {0}")
    @ValueSource(booleans = {false, true})
    void a64KiBSegmentIsCutIntoWireSegments(boolean ipv6) {
        int mss = 1500 - (ipv6 ? 40 : 20) - 32;
        int payload = 65_000 - (ipv6 ? 40 : 20) - 32;
        // FIN, PSH, ACK and CWR on the large segment.
        ByteBuffer f = frame(ipv6, payload, 0x01 | 0x08 | 0x10 | 0x80, 2);
        TcpSegmentation s = new TcpSegmentation();
        assertTrue(s.parse(f, 0, f.limit()));
        List<ByteBuffer> out = new ArrayList<>();
        int n = s.segment(f, mss, ByteBuffer.allocate(1514), (seg, len) -> {
            ByteBuffer copy = ByteBuffer.allocate(len);
            copy.put(0, seg, 0, len);
            out.add(copy);
        });
        assertEquals((payload + mss - 1) / mss, n);
        assertEquals(n, out.size());
        int l3 = ETH;
        int l4 = l3 + (ipv6 ? 40 : 20);
        int at = 0;
        for (int i = 0; i < n; i++) {
            ByteBuffer seg = out.get(i);
            int len = Math.min(mss, payload - at);
            assertEquals(l4 + 32 + len, seg.limit(), "segment " + i);
            assertTrue(seg.limit() <= 1514);
            assertTrue(tcpChecksumValid(seg, ipv6), "TCP checksum of segment " + i);
            if (ipv6) {
                assertEquals(32 + len, seg.getShort(l3 + 4) & 0xffff);
            } else {
                assertEquals(20 + 32 + len, seg.getShort(l3 + 2) & 0xffff);
                assertEquals(0x1234 + i, seg.getShort(l3 + 4) & 0xffff, "identification");
                assertEquals(0, InternetChecksum.compute(seg, l3, 20), "IPv4 header checksum");
            }
            assertEquals(0xfffff000 + at, seg.getInt(l4 + 4), "sequence number, wrapping");
            int flags = seg.get(l4 + 13) & 0xff;
            boolean last = i == n - 1;
            assertEquals(last, (flags & 0x01) != 0, "FIN on the last only");
            assertEquals(last, (flags & 0x08) != 0, "PSH on the last only");
            assertEquals(i == 0, (flags & 0x80) != 0, "CWR on the first only");
            assertTrue((flags & 0x10) != 0, "ACK on all");
            assertEquals(seg.getInt(l4 + 8), 77, "ack number");
            for (int k = 0; k < len; k += 97) {
                assertEquals(f.get(l4 + 32 + at + k), seg.get(l4 + 32 + k));
            }
            at += len;
        }
        assertEquals(payload, at);
    }

    @Test
    void whatIsNotAWholeTcpSegmentIsLeftAlone() {
        TcpSegmentation s = new TcpSegmentation();
        ByteBuffer f = frame(false, 100, 0x10, 3);
        f.putShort(ETH + 6, (short) 0x2000); // more fragments
        assertFalse(s.parse(f, 0, f.limit()));
        ByteBuffer udp = frame(false, 100, 0x10, 3);
        udp.put(ETH + 9, (byte) 17);
        assertFalse(s.parse(udp, 0, udp.limit()));
        ByteBuffer arp = ByteBuffer.allocate(60).putShort(12, (short) 0x0806);
        assertFalse(s.parse(arp, 0, 60));
        ByteBuffer truncated = frame(true, 100, 0x10, 3);
        assertFalse(s.parse(truncated, 0, truncated.limit() - 1));
        assertFalse(s.parse(ByteBuffer.allocate(10), 0, 10));
    }

    @Test
    void anyBytesAreParsedWithoutAnException() {
        TcpSegmentation s = new TcpSegmentation();
        SplittableRandom r = new SplittableRandom(4);
        for (int i = 0; i < 20_000; i++) {
            ByteBuffer f = frame(r.nextBoolean(), r.nextInt(64), r.nextInt(256), i);
            int flips = 1 + r.nextInt(4);
            for (int k = 0; k < flips; k++) {
                int at = r.nextInt(Math.min(f.limit(), 14 + 40 + 32));
                f.put(at, (byte) r.nextInt());
            }
            int length = r.nextInt(f.limit() + 1);
            if (s.parse(f, 0, length)) {
                assertTrue(s.end() <= length && s.tcpOffset() + s.tcpHeaderLength() <= s.end());
                s.completeChecksum(f);
                s.segment(f, 1 + r.nextInt(100), ByteBuffer.allocate(14 + 60 + 60 + 100), (seg, n) -> { });
            }
        }
    }
}
