package org.tcpip4j.arp.internal.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.tcpip4j.netif.Ipv4Address;
import org.tcpip4j.netif.MacAddress;

class ArpMessageTest {

    private static final HexFormat HEX = HexFormat.of();
    /**
     * Who has 198.18.1.1? Tell 198.18.1.23 (52:54:00:12:34:56): a captured request with its addresses
     * rewritten into 198.18.0.0/15 (ARP has no checksum), padded to 46 bytes.
     */
    private static final String REQUEST = "0001" + "0800" + "06" + "04" + "0001" + "525400123456" + "c6120117"
            + "000000000000" + "c6120101";

    private static ArpParseResult parse(String hex) {
        return ArpMessage.parse(ByteBuffer.wrap(HEX.parseHex(hex)));
    }

    @Test
    void parsesARequest() {
        assertEquals(ArpMessage.request(MacAddress.parse("52:54:00:12:34:56"), Ipv4Address.parse("198.18.1.23"),
                Ipv4Address.parse("198.18.1.1")), parse(REQUEST));
    }

    @Test
    void ignoresEthernetPaddingAfterThePacket() {
        assertEquals(parse(REQUEST), parse(REQUEST + "00".repeat(18)));
    }

    @Test
    void emitWritesTheBytesParseRead() {
        ArpMessage m = (ArpMessage) parse(REQUEST);
        ByteBuffer b = ByteBuffer.allocate(30);
        m.emit(b, 2);
        assertArrayEquals(HEX.parseHex(REQUEST), Arrays.copyOfRange(b.array(), 2, 30));
        assertEquals(28, m.bufferLength());
    }

    @Test
    void aReplyRoundTrips() {
        ArpMessage reply = new ArpMessage(ArpPacket.REPLY, MacAddress.parse("02:00:00:00:00:01"),
                Ipv4Address.parse("198.18.0.1"), MacAddress.parse("02:00:00:00:00:02"),
                Ipv4Address.parse("198.18.0.2"));
        ByteBuffer b = ByteBuffer.allocate(28);
        reply.emit(b, 0);
        assertEquals("0001080006040002" + "020000000001" + "c6120001" + "020000000002" + "c6120002",
                HEX.formatHex(b.array()));
        assertEquals(reply, ArpMessage.parse(b));
    }

    @Test
    void anAnnouncementAsksForItsOwnAddress() {
        ArpMessage a = ArpMessage.announcement(MacAddress.parse("02:00:00:00:00:01"), Ipv4Address.parse("198.18.0.1"));
        assertEquals(a.senderIp(), a.targetIp());
        assertEquals(MacAddress.ZERO, a.targetMac());
        assertEquals(ArpPacket.REQUEST, a.operation());
    }

    @Test
    void everyLengthShorterThan28IsTooShort() {
        for (int n = 0; n < 28; n++) {
            assertEquals(ArpRejection.TOO_SHORT, parse(REQUEST.substring(0, 2 * n)));
        }
    }

    @Test
    void aHardwareOtherThanEthernetIsUnsupported() {
        assertEquals(ArpRejection.UNSUPPORTED_HARDWARE, parse("0006" + REQUEST.substring(4)));
        assertEquals(ArpRejection.UNSUPPORTED_HARDWARE, parse("00010800" + "08" + REQUEST.substring(10)));
    }

    @Test
    void aProtocolOtherThanIpv4IsUnsupported() {
        assertEquals(ArpRejection.UNSUPPORTED_PROTOCOL, parse("0001" + "86dd" + REQUEST.substring(8)));
        assertEquals(ArpRejection.UNSUPPORTED_PROTOCOL, parse("000108000610" + REQUEST.substring(12)));
    }

    @Test
    void operationsOtherThanRequestAndReplyAreUnknown() {
        for (String op : new String[] {"0000", "0003", "0004", "0008", "ffff"}) {
            assertEquals(ArpRejection.UNKNOWN_OPERATION, parse(REQUEST.substring(0, 12) + op + REQUEST.substring(16)));
        }
    }

    @Test
    void anyByteStringParsesToAMessageOrARejection() {
        SplittableRandom r = new SplittableRandom(5);
        byte[] valid = HEX.parseHex(REQUEST);
        for (int i = 0; i < 20_000; i++) {
            byte[] b = Arrays.copyOf(valid, r.nextInt(0, 40));
            // Flip a few bytes of a valid packet so that parsing gets past the first checks.
            for (int k = r.nextInt(0, 3); k > 0 && b.length > 0; k--) {
                b[r.nextInt(b.length)] = (byte) r.nextInt(256);
            }
            assertNotNull(ArpMessage.parse(ByteBuffer.wrap(b)));
        }
    }
}
