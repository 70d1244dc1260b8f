package org.tcpip4j.icmp.internal.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.tcpip4j.netif.Ipv6Address;

class Ipv6QuoteTest {

    private static final HexFormat HEX = HexFormat.of();
    private static final Ipv6Address A = Ipv6Address.parse("2001:2::1");
    private static final Ipv6Address B = Ipv6Address.parse("2001:2::2");

    @Test
    void aQuoteEmitsToItsBytesAndParsesBack() {
        Ipv6Quote q = new Ipv6Quote(16, false, 17, A, B, 0x9c40_0009_0010_0000L);
        byte[] b = new byte[q.bufferLength()];
        q.emit(ByteBuffer.wrap(b), 0);
        assertEquals("60000000" + "0010" + "11" + "40" + "20010002000000000000000000000001"
                + "20010002000000000000000000000002" + "9c40000900100000", HEX.formatHex(b));
        assertEquals(q, Ipv6Quote.parse(ByteBuffer.wrap(b)));
    }

    @Test
    void aFirstFragmentsQuoteEmitsItsFragmentHeaderAndParsesBack() {
        Ipv6Quote q = new Ipv6Quote(1240, true, 58, A, B, 0x8000_0000_1234_0001L);
        byte[] b = new byte[q.bufferLength()];
        q.emit(ByteBuffer.wrap(b), 0);
        assertEquals("2c", HEX.formatHex(b, 6, 7));
        assertEquals("3a00000100000000", HEX.formatHex(b, 40, 48));
        assertEquals(q, Ipv6Quote.parse(ByteBuffer.wrap(b)));
    }

    @Test
    void theChainIsWalkedThroughEveryKindOfExtensionHeader() {
        // Hop-by-hop (8), routing (16), AH (12 in 4-byte units: length 1), destination options (8), UDP.
        byte[] b = new byte[40 + 8 + 16 + 12 + 8 + 8];
        ByteBuffer buf = ByteBuffer.wrap(b);
        buf.put(0, (byte) 0x60).put(6, (byte) 0);
        buf.put(40, (byte) 43).put(41, (byte) 0);
        buf.put(48, (byte) 51).put(49, (byte) 1);
        buf.put(64, (byte) 60).put(65, (byte) 1);
        buf.put(76, (byte) 17).put(77, (byte) 0);
        buf.putLong(84, 0x0102_0304_0506_0708L);
        long walked = Ipv6Chain.walk(buf, 0, b.length);
        assertEquals(84, Ipv6Chain.offset(walked));
        assertEquals(17, Ipv6Chain.protocol(walked));
        Ipv6Quote q = (Ipv6Quote) Ipv6Quote.parse(buf);
        assertEquals(0x0102_0304_0506_0708L, q.payloadStart());
    }

    @Test
    void rejectionsAreTotal() {
        assertEquals(Ipv6QuoteRejection.TOO_SHORT, Ipv6Quote.parse(ByteBuffer.allocate(39)));
        assertEquals(Ipv6QuoteRejection.BAD_VERSION, Ipv6Quote.parse(ByteBuffer.allocate(48)));
        byte[] b = new byte[48];
        b[0] = 0x60;
        b[6] = 17;
        assertEquals(17, ((Ipv6Quote) Ipv6Quote.parse(ByteBuffer.wrap(b))).protocol());
        assertEquals(Ipv6QuoteRejection.TRUNCATED, Ipv6Quote.parse(ByteBuffer.wrap(b, 0, 47)));
        b[6] = 0;
        b[41] = (byte) 255;
        assertEquals(Ipv6QuoteRejection.TRUNCATED, Ipv6Quote.parse(ByteBuffer.wrap(b)));
    }
}
