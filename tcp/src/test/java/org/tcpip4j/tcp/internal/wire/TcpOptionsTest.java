package org.tcpip4j.tcp.internal.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class TcpOptionsTest {

    static TcpOptions parse(String hex) {
        byte[] b = HexFormat.of().parseHex(hex);
        TcpOptions o = new TcpOptions();
        TcpRejection r = o.parse(ByteBuffer.wrap(b), 0, b.length);
        return r == null ? o : null;
    }

    @Test
    void parsesALinuxSyn() {
        // MSS 1460, SACK-Permitted, Timestamps, NOP, Window Scale 7.
        TcpOptions o = parse("020405b4" + "0402" + "080a0001e2400000000" + "0" + "01" + "030307");
        assertEquals(1460, o.mss());
        assertTrue(o.sackPermitted());
        assertTrue(o.hasTimestamps());
        assertEquals(0x1e240, o.timestampValue());
        assertEquals(0, o.timestampEcho());
        assertEquals(7, o.windowScale());
    }

    @Test
    void skipsUnknownOptionsByLengthAndStopsAtEnd() {
        TcpOptions o = parse("fe06aabbccdd" + "020401f4" + "00" + "030307");
        assertEquals(500, o.mss());
        assertEquals(-1, o.windowScale(), "nothing after End of Option List is read");
    }

    @Test
    void clampsWindowScaleTo14() {
        assertEquals(14, parse("03030f01").windowScale());
    }

    @Test
    void ignoresKnownOptionsOfTheWrongLength() {
        TcpOptions o = parse("0205000000" + "010101");
        assertEquals(-1, o.mss());
    }

    @Test
    void rejectsLengthsUnderTwoOrPastTheEnd() {
        assertNull(parse("0201"));
        assertNull(parse("0200"));
        assertNull(parse("020a05b4"));
        assertNull(parse("02"));
    }

    @Test
    void writtenOptionsParseBack() {
        ByteBuffer b = ByteBuffer.allocate(12);
        int n = TcpOptions.write(b, 0, 1460, 3, true);
        assertEquals(12, n);
        assertEquals(12, TcpOptions.encodedLength(1460, 3, true));
        assertEquals("020405b4" + "01030303" + "01010402", HexFormat.of().formatHex(b.array()));
        TcpOptions o = new TcpOptions();
        assertNull(o.parse(b, 0, n));
        assertEquals(1460, o.mss());
        assertEquals(3, o.windowScale());
        assertTrue(o.sackPermitted());
        assertEquals(4, TcpOptions.encodedLength(1460, -1, false));
        assertEquals(0, TcpOptions.encodedLength(-1, -1, false));
    }

    @Test
    void clearForgetsEverything() {
        TcpOptions o = parse("020405b4" + "0402");
        o.clear();
        assertEquals(-1, o.mss());
        assertFalse(o.sackPermitted());
    }
}
