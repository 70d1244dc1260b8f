package org.tcpip4j.tcp.internal.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.tcpip4j.netif.InternetChecksum;

class TcpHeaderTest {

    // A SYN from 198.18.0.1:12345 to 198.18.0.2:80, seq 1, window 65535, MSS 1460, checksummed.
    static final byte[] SYN = HexFormat.of().parseHex(
        "3039" + "0050" + "00000001" + "00000000" + "60" + "02" + "ffff" + "0000" + "0000" + "020405b4");

    static long pseudo(int length) {
        long acc = InternetChecksum.add32(0, 0xc6120001);
        acc = InternetChecksum.add32(acc, 0xc6120002);
        acc = InternetChecksum.add16(acc, 6);
        return InternetChecksum.add16(acc, length);
    }

    @Test
    void readsEveryFieldOfAWrittenHeader() {
        ByteBuffer b = ByteBuffer.wrap(SYN.clone());
        TcpHeader h = new TcpHeader().wrap(b, 0, SYN.length);
        assertNull(TcpHeader.check(b, 0, SYN.length));
        assertEquals(12345, h.srcPort());
        assertEquals(80, h.dstPort());
        assertEquals(1, h.seq());
        assertEquals(0, h.ackNumber());
        assertEquals(24, h.headerLength());
        assertEquals(TcpHeader.SYN, h.flags());
        assertEquals(65535, h.window());
        assertEquals(4, h.optionsLength());
        assertEquals(0, h.payloadLength());
        assertEquals(24, h.payloadOffset());
    }

    @Test
    void checksumFilledThenVerifiesAndAnyFlippedBitFails() {
        ByteBuffer b = ByteBuffer.wrap(SYN.clone());
        TcpHeader h = new TcpHeader().wrap(b, 0, SYN.length);
        h.fillChecksum(pseudo(SYN.length));
        assertTrue(h.checksumValid(pseudo(SYN.length)));
        for (int bit = 0; bit < SYN.length * 8; bit++) {
            b.put(bit / 8, (byte) (b.get(bit / 8) ^ (1 << (bit % 8))));
            assertFalse(h.checksumValid(pseudo(SYN.length)), "bit " + bit);
            b.put(bit / 8, (byte) (b.get(bit / 8) ^ (1 << (bit % 8))));
        }
        assertFalse(h.checksumValid(pseudo(SYN.length + 1)), "pseudo-header length counts");
    }

    @Test
    void viewAtAnOffsetLeavesPositionAndLimitAlone() {
        ByteBuffer b = ByteBuffer.allocate(100);
        b.position(3).limit(90);
        TcpHeader h = new TcpHeader().wrap(b, 40, 20);
        h.srcPort(1);
        h.dstPort(2);
        h.seq(-1);
        h.headerLength(20);
        assertEquals(-1, h.seq());
        assertEquals(3, b.position());
        assertEquals(90, b.limit());
        assertEquals(0, b.get(39));
    }

    @Test
    void checkRejectsShortSegmentsBadOffsetsAndPortZero() {
        assertEquals(TcpRejection.TOO_SHORT, TcpHeader.check(ByteBuffer.wrap(SYN), 0, 19));
        assertEquals(TcpRejection.TOO_SHORT, TcpHeader.check(ByteBuffer.wrap(SYN), 10, SYN.length));
        byte[] bad = SYN.clone();
        bad[12] = 0x40; // 16 bytes
        assertEquals(TcpRejection.BAD_DATA_OFFSET, TcpHeader.check(ByteBuffer.wrap(bad), 0, bad.length));
        bad[12] = (byte) 0x70; // 28 bytes, past the end
        assertEquals(TcpRejection.BAD_DATA_OFFSET, TcpHeader.check(ByteBuffer.wrap(bad), 0, bad.length));
        byte[] port0 = SYN.clone();
        port0[2] = 0;
        port0[3] = 0;
        assertEquals(TcpRejection.BAD_PORT, TcpHeader.check(ByteBuffer.wrap(port0), 0, port0.length));
    }

    @Test
    void checkAndOptionParsingAreTotalOnRandomBytes() {
        SplittableRandom r = new SplittableRandom(7);
        TcpOptions options = new TcpOptions();
        for (int i = 0; i < 20_000; i++) {
            byte[] bytes = new byte[r.nextInt(80)];
            r.nextBytes(bytes);
            ByteBuffer b = ByteBuffer.wrap(bytes);
            if (TcpHeader.check(b, 0, bytes.length) == null) {
                TcpHeader h = new TcpHeader().wrap(b, 0, bytes.length);
                options.parse(b, h.optionsOffset(), h.optionsLength());
                assertTrue(h.payloadLength() >= 0);
            }
        }
    }

    @Test
    void flagsPrintByName() {
        assertEquals("SYN|ACK", TcpHeader.flagsToString(TcpHeader.SYN | TcpHeader.ACK));
        assertEquals("-", TcpHeader.flagsToString(0));
    }
}
