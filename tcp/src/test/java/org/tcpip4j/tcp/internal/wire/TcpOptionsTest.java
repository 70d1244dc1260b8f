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
        TcpOptions written = new TcpOptions().mss(1460).windowScale(3).sackPermitted(true);
        int n = written.write(b, 0);
        assertEquals(12, n);
        assertEquals(12, written.encodedLength());
        assertEquals("020405b4" + "01010402" + "01030303", HexFormat.of().formatHex(b.array()));
        TcpOptions o = new TcpOptions();
        assertNull(o.parse(b, 0, n));
        assertEquals(1460, o.mss());
        assertEquals(3, o.windowScale());
        assertTrue(o.sackPermitted());
        assertEquals(4, new TcpOptions().mss(1460).encodedLength());
        assertEquals(0, new TcpOptions().encodedLength());
    }

    @Test
    void aSynWithEveryOptionIsLaidOutAsLinuxDoesIn20Bytes() {
        TcpOptions syn = new TcpOptions().mss(1460).sackPermitted(true).timestamps(0x01020304, 0).windowScale(7);
        ByteBuffer b = ByteBuffer.allocate(20);
        assertEquals(20, syn.write(b, 0));
        assertEquals("020405b4" + "0402080a0102030400000000" + "01030307", HexFormat.of().formatHex(b.array()));
        TcpOptions o = new TcpOptions();
        assertNull(o.parse(b, 0, 20));
        assertTrue(o.sackPermitted());
        assertTrue(o.hasTimestamps());
        assertEquals(0x01020304, o.timestampValue());
        assertEquals(7, o.windowScale());
    }

    @Test
    void timestampsAndThreeSackBlocksFillTheFortyBytesOfOptions() {
        TcpOptions ack = new TcpOptions().timestamps(-1, 7).addSackBlock(100, 200).addSackBlock(300, 400)
            .addSackBlock(-10, 5);
        assertEquals(40, ack.encodedLength());
        ByteBuffer b = ByteBuffer.allocate(40);
        assertEquals(40, ack.write(b, 0));
        assertEquals("0101080affffffff00000007" + "0101051a" + "00000064000000c8" + "0000012c00000190"
            + "fffffff600000005", HexFormat.of().formatHex(b.array()));
        TcpOptions o = new TcpOptions();
        assertNull(o.parse(b, 0, 40));
        assertEquals(3, o.sackBlockCount());
        assertEquals(300, o.sackStart(1));
        assertEquals(400, o.sackEnd(1));
        assertEquals(-10, o.sackStart(2));
        assertEquals(-1, o.timestampValue());
        assertEquals(7, o.timestampEcho());
    }

    @Test
    void parsesFourSackBlocksAndIgnoresABadlySizedSackOption() {
        TcpOptions o = parse("0101" + "0522" + "00000001000000020000000300000004" + "00000005000000060000000700000008");
        assertEquals(4, o.sackBlockCount());
        assertEquals(7, o.sackStart(3));
        assertEquals(8, o.sackEnd(3));
        assertEquals(0, parse("050b" + "000000010000000200").sackBlockCount(), "length 11 is not 2 + 8n");
        assertEquals(0, parse("0502").sackBlockCount(), "no block at all");
        assertEquals(0, parse("052a" + "00".repeat(40)).sackBlockCount(), "five blocks cannot fit");
    }

    @Test
    void sackBlocksPastFourAreDroppedWhenBuilding() {
        TcpOptions o = new TcpOptions();
        for (int i = 0; i < 6; i++) {
            o.addSackBlock(i, i + 1);
        }
        assertEquals(4, o.sackBlockCount());
        assertEquals(36, o.encodedLength());
        assertEquals(2, o.limitSackBlocks(2).sackBlockCount());
        assertEquals(0, TcpOptions.sackLength(0));
        assertEquals(28, TcpOptions.sackLength(3));
    }

    @Test
    void clearForgetsEverything() {
        TcpOptions o = parse("020405b4" + "0402");
        o.clear();
        assertEquals(-1, o.mss());
        assertFalse(o.sackPermitted());
    }
}
