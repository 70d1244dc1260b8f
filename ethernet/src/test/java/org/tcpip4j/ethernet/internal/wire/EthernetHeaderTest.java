package org.tcpip4j.ethernet.internal.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.tcpip4j.netif.MacAddress;

class EthernetHeaderTest {

    private static final HexFormat HEX = HexFormat.of();
    private static final byte[] ARP_BROADCAST = HEX.parseHex("ffffffffffff" + "525400123456" + "0806" + "0001");

    @Test
    void parsesTheFieldsOfAFrame() {
        EthernetParseResult r = EthernetHeader.parse(ByteBuffer.wrap(ARP_BROADCAST));
        assertEquals(new EthernetHeader(MacAddress.BROADCAST, MacAddress.parse("52:54:00:12:34:56"), 0x0806), r);
    }

    @Test
    void emitWritesTheBytesParseRead() {
        EthernetHeader h = new EthernetHeader(MacAddress.BROADCAST, MacAddress.parse("52:54:00:12:34:56"), 0x0806);
        ByteBuffer b = ByteBuffer.allocate(16);
        h.emit(b, 2);
        assertArrayEquals(HEX.parseHex("0000" + "ffffffffffff" + "525400123456" + "0806"), b.array());
        assertEquals(h, EthernetHeader.parse(b.position(2)));
        assertEquals(14, h.bufferLength());
    }

    @Test
    void everyLengthShorterThanAHeaderIsARunt() {
        for (int n = 0; n < 14; n++) {
            assertEquals(EthernetRejection.RUNT, EthernetHeader.parse(ByteBuffer.wrap(ARP_BROADCAST, 0, n)));
        }
        assertEquals(EthernetRejection.RUNT, new EthernetFrame().wrap(ByteBuffer.allocate(13), 0, 13).check());
    }

    @Test
    void theViewReadsFieldsInPlaceAndReportsThePayload() {
        EthernetFrame f = new EthernetFrame().wrap(ByteBuffer.wrap(ARP_BROADCAST), 0, ARP_BROADCAST.length);
        assertEquals(null, f.check());
        assertEquals(0xffff_ffff_ffffL, f.destination());
        assertEquals(0x5254_0012_3456L, f.source());
        assertEquals(0x0806, f.etherType());
        assertEquals(14, f.payloadOffset());
        assertEquals(2, f.payloadLength());
    }

    @Test
    void anyByteStringParsesToAHeaderOrARejection() {
        SplittableRandom r = new SplittableRandom(11);
        for (int i = 0; i < 10_000; i++) {
            byte[] b = new byte[r.nextInt(0, 40)];
            r.nextBytes(b);
            assertNotNull(EthernetHeader.parse(ByteBuffer.wrap(b)));
        }
    }
}
