package org.tcpip4j.icmp.internal.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.tcpip4j.netif.Ipv4Address;

class QuotedDatagramTest {

    private static final HexFormat HEX = HexFormat.of();
    /**
     * What Linux quotes in a port unreachable: the header of a UDP datagram from 198.18.0.1
     * to 198.18.0.2 (DF set, 33 bytes long), then the UDP header, ports 40000 and 9.
     */
    private static final String QUOTE = "45000021" + "12344000" + "4011" + "0000" + "c6120001" + "c6120002"
            + "9c400009000d1234";

    private static QuoteParseResult parse(byte[] b) {
        return QuotedDatagram.parse(ByteBuffer.wrap(b));
    }

    @Test
    void parsesTheQuotedHeaderAndTheStartOfItsPayload() {
        QuotedDatagram q = (QuotedDatagram) parse(HEX.parseHex(QUOTE + "6869"));
        assertEquals(new QuotedDatagram(20, 33, true, 0, 17, Ipv4Address.parse("198.18.0.1"),
                Ipv4Address.parse("198.18.0.2"), 0x9c40_0009_000d_1234L), q);
    }

    @Test
    void emitWritesWhatParseReads() {
        QuotedDatagram q = new QuotedDatagram(24, 1500, false, 1480, 6, Ipv4Address.parse("198.18.0.1"),
                Ipv4Address.parse("198.18.3.4"), 0x0102_0304_0506_0708L);
        byte[] b = new byte[2 + q.bufferLength()];
        q.emit(ByteBuffer.wrap(b), 2);
        assertEquals(q, QuotedDatagram.parse(ByteBuffer.wrap(b).position(2)));
        assertEquals("46", HEX.formatHex(b, 2, 3), "IHL 6 for a 24-byte header");
    }

    @Test
    void parsingReadsFromThePositionOn() {
        byte[] b = HEX.parseHex("ffff" + QUOTE);
        assertEquals(parse(HEX.parseHex(QUOTE)), QuotedDatagram.parse(ByteBuffer.wrap(b).position(2)));
    }

    @Test
    void headerOptionsAreSkippedToReachThePayload() {
        byte[] b = HEX.parseHex("46000025" + "00000000" + "4011" + "0000" + "c6120001" + "c6120002" + "01010100"
                + "9c400009000d1234");
        assertEquals(0x9c40_0009_000d_1234L, ((QuotedDatagram) parse(b)).payloadStart());
    }

    @Test
    void everyLengthShorterThanAHeaderIsTooShort() {
        byte[] b = HEX.parseHex(QUOTE);
        for (int n = 0; n < 20; n++) {
            assertEquals(QuoteRejection.TOO_SHORT, parse(Arrays.copyOf(b, n)));
        }
    }

    @Test
    void aHeaderWithoutEightPayloadBytesIsTruncated() {
        byte[] b = HEX.parseHex(QUOTE);
        for (int n = 20; n < 28; n++) {
            assertEquals(QuoteRejection.TRUNCATED, parse(Arrays.copyOf(b, n)));
        }
        byte[] withOptions = HEX.parseHex("4f000021" + "0".repeat(32) + "00".repeat(40) + "0102030405");
        assertEquals(QuoteRejection.TRUNCATED, parse(withOptions));
    }

    @Test
    void anotherVersionIsRejected() {
        byte[] b = HEX.parseHex(QUOTE);
        b[0] = 0x65;
        assertEquals(QuoteRejection.BAD_VERSION, parse(b));
    }

    @Test
    void anIhlUnderFiveWordsIsRejected() {
        byte[] b = HEX.parseHex(QUOTE);
        for (int ihl = 0; ihl < 5; ihl++) {
            b[0] = (byte) (0x40 | ihl);
            assertEquals(QuoteRejection.BAD_HEADER_LENGTH, parse(b));
        }
    }

    @Test
    void theRecordRefusesImpossibleFields() {
        Ipv4Address a = Ipv4Address.parse("198.18.0.1");
        assertThrows(IllegalArgumentException.class, () -> new QuotedDatagram(22, 0, false, 0, 1, a, a, 0));
        assertThrows(IllegalArgumentException.class, () -> new QuotedDatagram(20, 0, false, 4, 1, a, a, 0));
        assertThrows(IllegalArgumentException.class, () -> new QuotedDatagram(20, 0, false, 0, 256, a, a, 0));
        assertThrows(NullPointerException.class, () -> new QuotedDatagram(20, 0, false, 0, 1, null, a, 0));
    }

    @Test
    void anyByteStringParsesToAQuoteOrARejectionAndQuotesRoundTrip() {
        SplittableRandom r = new SplittableRandom(11);
        for (int i = 0; i < 20_000; i++) {
            byte[] b = new byte[r.nextInt(0, 80)];
            r.nextBytes(b);
            if (r.nextBoolean() && b.length > 0) {
                b[0] = (byte) (0x40 | (b[0] & 0x0f));
            }
            QuoteParseResult result = parse(b);
            assertNotNull(result);
            if (result instanceof QuotedDatagram q) {
                byte[] again = new byte[q.bufferLength()];
                q.emit(ByteBuffer.wrap(again), 0);
                assertEquals(q, parse(again));
                assertArrayEquals(Arrays.copyOfRange(b, q.headerLength(), q.headerLength() + 8),
                        Arrays.copyOfRange(again, q.headerLength(), q.headerLength() + 8));
            }
        }
    }
}
