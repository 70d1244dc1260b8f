package org.tcpip4j.icmp.internal.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class IcmpHeaderTest {

    private static final HexFormat HEX = HexFormat.of();
    /** An echo request as Linux ping sends it: identifier 0x1c46, sequence 1, 8 bytes of data. */
    private static final String ECHO = "0800" + "cfa8" + "1c46" + "0001" + "0001020304050607";

    private static IcmpParseResult parse(byte[] b) {
        return IcmpHeader.parse(ByteBuffer.wrap(b));
    }

    @Test
    void parsesAnEchoRequestAndVerifiesItsChecksum() {
        IcmpHeader h = (IcmpHeader) parse(HEX.parseHex(ECHO));
        assertEquals(IcmpHeader.echo(IcmpType.ECHO_REQUEST, 0x1c46, 1, 8), h);
        assertEquals(0x1c46, h.identifier());
        assertEquals(1, h.sequence());
    }

    @Test
    void emitWritesTheHeaderAndTheChecksumOverTheData() {
        byte[] b = new byte[18];
        System.arraycopy(HEX.parseHex("0001020304050607"), 0, b, 10, 8);
        IcmpHeader.echo(IcmpType.ECHO_REQUEST, 0x1c46, 1, 8).emit(ByteBuffer.wrap(b), 2);
        assertArrayEquals(HEX.parseHex(ECHO), Arrays.copyOfRange(b, 2, 18));
    }

    @Test
    void changingTheTypeUpdatesTheChecksumAsAFullSumWould() {
        SplittableRandom r = new SplittableRandom(9);
        for (int i = 0; i < 2000; i++) {
            byte[] data = new byte[r.nextInt(0, 64)];
            r.nextBytes(data);
            byte[] b = new byte[8 + data.length];
            System.arraycopy(data, 0, b, 8, data.length);
            IcmpHeader.echo(IcmpType.ECHO_REQUEST, r.nextInt(65536), r.nextInt(65536), data.length)
                    .emit(ByteBuffer.wrap(b), 0);
            IcmpPacket p = new IcmpPacket().wrap(ByteBuffer.wrap(b), 0, b.length);
            p.changeType(IcmpType.ECHO_REPLY);
            int incremental = p.checksum();
            p.fillChecksum();
            assertEquals(p.checksum(), incremental);
        }
    }

    @Test
    void everyLengthShorterThan8IsTooShort() {
        byte[] b = HEX.parseHex(ECHO);
        for (int n = 0; n < 8; n++) {
            assertEquals(IcmpRejection.TOO_SHORT, parse(Arrays.copyOf(b, n)));
        }
    }

    @Test
    void aCorruptedMessageFailsItsChecksum() {
        byte[] b = HEX.parseHex(ECHO);
        b[12] ^= 0x40;
        assertEquals(IcmpRejection.BAD_CHECKSUM, parse(b));
        assertEquals(IcmpRejection.BAD_CHECKSUM, parse(Arrays.copyOf(HEX.parseHex(ECHO), 15)));
    }

    @Test
    void anyByteStringParsesToAHeaderOrARejection() {
        SplittableRandom r = new SplittableRandom(4);
        for (int i = 0; i < 10_000; i++) {
            byte[] b = new byte[r.nextInt(0, 30)];
            r.nextBytes(b);
            assertNotNull(parse(b));
        }
    }
}
