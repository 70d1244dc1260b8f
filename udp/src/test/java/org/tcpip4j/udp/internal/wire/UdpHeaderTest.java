package org.tcpip4j.udp.internal.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.tcpip4j.netif.InternetChecksum;

class UdpHeaderTest {

    private static final HexFormat HEX = HexFormat.of();
    /**
     * A DNS query for example.com from 198.18.1.23:54321 to 198.19.8.8:53 (an off-link resolver): a
     * captured datagram with its addresses rewritten into 198.18.0.0/15. Its checksum, ac5f, was
     * recomputed outside this code base by a throwaway RFC 1071 one's-complement sum (Python) over the
     * pseudo-header and the datagram with the checksum field zero; the same sum gives the captured
     * checksum, 6fd5, for the capture's original addresses.
     */
    private static final String DNS_QUERY =
            "d43100350025ac5f" + "1a2b01000001000000000000076578616d706c6503636f6d0000010001";

    private static long pseudo(int length) {
        ByteBuffer ph = ByteBuffer.allocate(12);
        ph.putInt(0xc612_0117).putInt(0xc613_0808).putShort((short) 17).putShort((short) length);
        return InternetChecksum.sum(ph, 0, 12, 0);
    }

    private static UdpParseResult parse(byte[] b) {
        return UdpHeader.parse(ByteBuffer.wrap(b), pseudo(37));
    }

    @Test
    void parsesAndVerifiesACapturedDatagram() {
        assertEquals(new UdpHeader(54321, 53, 37, 0xac5f), parse(HEX.parseHex(DNS_QUERY)));
    }

    @Test
    void emitWritesTheCapturedBytes() {
        byte[] b = HEX.parseHex(DNS_QUERY);
        Arrays.fill(b, 0, 8, (byte) 0x55);
        new UdpHeader(54321, 53, 37, 0).emit(ByteBuffer.wrap(b), 0, pseudo(37));
        assertArrayEquals(HEX.parseHex(DNS_QUERY), b);
    }

    @Test
    void aComputedZeroChecksumIsSentAsAllOnes() {
        // Choose two data bytes that make the sum come out as 0xffff, i.e. a checksum of 0.
        byte[] b = new byte[10];
        ByteBuffer buf = ByteBuffer.wrap(b);
        new UdpPacket().wrap(buf, 0, 10).emitHeader(1000, 2000, 10);
        int partial = InternetChecksum.fold16(InternetChecksum.sum(buf, 0, 10, pseudo(10)));
        buf.putShort(8, (short) (0xffff - partial));
        new UdpPacket().wrap(buf, 0, 10).fillChecksum(pseudo(10));
        assertEquals(0xffff, buf.getShort(6) & 0xffff);
        assertEquals(new UdpHeader(1000, 2000, 10, 0xffff), UdpHeader.parse(buf, pseudo(10)));
    }

    @Test
    void aZeroChecksumMeansNoneAndIsAccepted() {
        byte[] b = HEX.parseHex(DNS_QUERY);
        b[6] = 0;
        b[7] = 0;
        assertEquals(new UdpHeader(54321, 53, 37, 0), parse(b));
    }

    @Test
    void aCorruptedDatagramFailsItsChecksum() {
        byte[] b = HEX.parseHex(DNS_QUERY);
        b[20] ^= 0x20;
        assertEquals(UdpRejection.BAD_CHECKSUM, parse(b));
    }

    @Test
    void bytesPastTheLengthFieldAreIgnored() {
        byte[] b = Arrays.copyOf(HEX.parseHex(DNS_QUERY), 50);
        b[45] = 7;
        assertEquals(new UdpHeader(54321, 53, 37, 0xac5f), parse(b));
    }

    @Test
    void everyLengthShorterThanAHeaderIsTooShort() {
        byte[] b = HEX.parseHex(DNS_QUERY);
        for (int n = 0; n < 8; n++) {
            assertEquals(UdpRejection.TOO_SHORT, parse(Arrays.copyOf(b, n)));
        }
    }

    @Test
    void aLengthFieldUnderEightOrBeyondTheBytesIsBad() {
        byte[] b = HEX.parseHex(DNS_QUERY);
        assertEquals(UdpRejection.BAD_LENGTH, parse(Arrays.copyOf(b, 36)));
        b[5] = 7;
        assertEquals(UdpRejection.BAD_LENGTH, parse(b));
    }

    @Test
    void fieldsOutOfRangeAreRefusedByTheRecord() {
        assertThrows(IllegalArgumentException.class, () -> new UdpHeader(65_536, 1, 8, 0));
        assertThrows(IllegalArgumentException.class, () -> new UdpHeader(1, 1, 7, 0));
    }

    @Test
    void anyByteStringParsesToAHeaderOrARejection() {
        SplittableRandom r = new SplittableRandom(8);
        byte[] valid = HEX.parseHex(DNS_QUERY);
        for (int i = 0; i < 10_000; i++) {
            byte[] b = Arrays.copyOf(valid, r.nextInt(0, 45));
            for (int k = r.nextInt(0, 3); k > 0 && b.length > 0; k--) {
                b[r.nextInt(b.length)] = (byte) r.nextInt(256);
            }
            assertNotNull(parse(b));
        }
    }
}
