package org.tcpip4j.ipv4.internal.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.tcpip4j.netif.Ipv4Address;

class Ipv4HeaderTest {

    private static final HexFormat HEX = HexFormat.of();
    /**
     * A UDP datagram's header as captured (115 bytes, DF) with its addresses rewritten to 198.18.0.1 to
     * 198.18.0.199. Its checksum, ad8d, was recomputed outside this code base by a throwaway RFC 1071
     * one's-complement sum (Python) over the 20 bytes with the checksum field zero; the same sum gives
     * the captured checksum, b861, for the capture's original addresses.
     */
    private static final String HEADER = "45000073000040004011ad8dc6120001c61200c7";
    private static final Ipv4Header PARSED = new Ipv4Header(0, 0, true, false, 0, 64, 17,
            Ipv4Address.parse("198.18.0.1"), Ipv4Address.parse("198.18.0.199"), 95);

    private static byte[] datagram(String header, int payload) {
        byte[] h = HEX.parseHex(header);
        return Arrays.copyOf(h, h.length + payload);
    }

    private static Ipv4ParseResult parse(byte[] b) {
        return Ipv4Header.parse(ByteBuffer.wrap(b));
    }

    /** Rewrites the checksum of a header after a field was changed. */
    private static byte[] withChecksum(byte[] b) {
        ByteBuffer buf = ByteBuffer.wrap(b);
        new Ipv4Packet().wrap(buf, 0, b.length).fillChecksum();
        return b;
    }

    @Test
    void parsesACapturedHeader() {
        assertEquals(PARSED, parse(datagram(HEADER, 95)));
    }

    @Test
    void emitWritesTheCapturedBytes() {
        ByteBuffer b = ByteBuffer.allocate(22);
        PARSED.emit(b, 2);
        assertArrayEquals(HEX.parseHex(HEADER), Arrays.copyOfRange(b.array(), 2, 22));
        assertEquals(20, PARSED.bufferLength());
    }

    @Test
    void aFragmentRoundTrips() {
        Ipv4Header h = new Ipv4Header(0xb8, 0xbeef, false, true, 1480, 1, 6, Ipv4Address.parse("198.18.0.1"),
                Ipv4Address.parse("198.18.0.2"), 1480);
        byte[] b = new byte[1500];
        h.emit(ByteBuffer.wrap(b), 0);
        assertEquals(h, parse(b));
        Ipv4Packet view = new Ipv4Packet().wrap(ByteBuffer.wrap(b), 0, b.length);
        assertTrue(view.isFragment());
        assertEquals(1480, view.fragmentOffset());
    }

    @Test
    void trailingBytesAfterTheTotalLengthAreIgnored() {
        assertEquals(PARSED, parse(datagram(HEADER, 95 + 6)));
    }

    @Test
    void optionsAreSkipped() {
        // IHL 6: four bytes of options (NOP, NOP, NOP, end of list), total 24 + 4 payload.
        byte[] b = HEX.parseHex("4600001c000040004011" + "0000" + "c6120001c61200c7" + "01010100" + "deadbeef");
        withChecksum(b);
        Ipv4Header h = (Ipv4Header) parse(b);
        assertEquals(4, h.payloadLength());
        Ipv4Packet view = new Ipv4Packet().wrap(ByteBuffer.wrap(b), 0, b.length);
        assertEquals(24, view.payloadOffset());
    }

    @Test
    void everyLengthShorterThan20IsTooShort() {
        byte[] b = datagram(HEADER, 95);
        for (int n = 0; n < 20; n++) {
            assertEquals(Ipv4Rejection.TOO_SHORT, parse(Arrays.copyOf(b, n)));
        }
    }

    @Test
    void aVersionOtherThan4IsRejected() {
        byte[] b = datagram(HEADER, 95);
        b[0] = 0x65;
        assertEquals(Ipv4Rejection.BAD_VERSION, parse(b));
    }

    @Test
    void anIhlUnder5OrBeyondTheBytesIsRejected() {
        byte[] b = datagram(HEADER, 95);
        b[0] = 0x44;
        assertEquals(Ipv4Rejection.BAD_HEADER_LENGTH, parse(b));
        byte[] shortOne = Arrays.copyOf(HEX.parseHex(HEADER), 20);
        shortOne[0] = 0x46;
        assertEquals(Ipv4Rejection.BAD_HEADER_LENGTH, parse(shortOne));
    }

    @Test
    void aTotalLengthShorterThanTheHeaderOrLongerThanTheBytesIsRejected() {
        assertEquals(Ipv4Rejection.BAD_TOTAL_LENGTH, parse(datagram(HEADER, 94)));
        byte[] b = datagram(HEADER, 95);
        b[2] = 0;
        b[3] = 19;
        assertEquals(Ipv4Rejection.BAD_TOTAL_LENGTH, parse(b));
    }

    @Test
    void aCorruptedHeaderFailsItsChecksum() {
        byte[] b = datagram(HEADER, 95);
        b[8] = 63;
        assertEquals(Ipv4Rejection.BAD_CHECKSUM, parse(b));
        assertFalse(new Ipv4Packet().wrap(ByteBuffer.wrap(b), 0, b.length).checksumValid());
    }

    @Test
    void theViewChecksWithoutAllocatingARecord() {
        byte[] b = datagram(HEADER, 95);
        Ipv4Packet view = new Ipv4Packet().wrap(ByteBuffer.wrap(b), 0, b.length);
        assertNull(view.check());
        assertTrue(view.checksumValid());
        assertEquals(0xc612_0001, view.source());
        assertEquals(17, view.protocol());
        assertEquals(95, view.payloadLength());
        assertFalse(view.isFragment());
    }

    @Test
    void fieldsOutOfRangeAreRefusedByTheRecord() {
        Ipv4Address a = Ipv4Address.ANY;
        assertThrows(IllegalArgumentException.class, () -> new Ipv4Header(0, 0, false, false, 4, 64, 17, a, a, 0));
        assertThrows(IllegalArgumentException.class, () -> new Ipv4Header(0, 65536, false, false, 0, 64, 17, a, a, 0));
        assertThrows(IllegalArgumentException.class, () -> new Ipv4Header(0, 0, false, false, 0, 256, 17, a, a, 0));
        assertThrows(IllegalArgumentException.class,
                () -> new Ipv4Header(0, 0, false, false, 0, 64, 17, a, a, 65_516));
    }

    @Test
    void anyByteStringParsesToAHeaderOrARejection() {
        SplittableRandom r = new SplittableRandom(3);
        byte[] valid = datagram(HEADER, 95);
        for (int i = 0; i < 20_000; i++) {
            byte[] b = Arrays.copyOf(valid, r.nextInt(0, 130));
            for (int k = r.nextInt(0, 3); k > 0 && b.length > 0; k--) {
                b[r.nextInt(Math.min(b.length, 24))] = (byte) r.nextInt(256);
            }
            assertNotNull(parse(b));
        }
    }
}
