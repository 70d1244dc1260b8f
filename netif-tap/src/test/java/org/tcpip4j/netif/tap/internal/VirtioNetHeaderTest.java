package org.tcpip4j.netif.tap.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tcpip4j.netif.tap.internal.VirtioNetHeader.CHECKSUM;
import static org.tcpip4j.netif.tap.internal.VirtioNetHeader.F_DATA_VALID;
import static org.tcpip4j.netif.tap.internal.VirtioNetHeader.F_NEEDS_CSUM;
import static org.tcpip4j.netif.tap.internal.VirtioNetHeader.GSO_ECN;
import static org.tcpip4j.netif.tap.internal.VirtioNetHeader.GSO_NONE;
import static org.tcpip4j.netif.tap.internal.VirtioNetHeader.GSO_TCPV4;
import static org.tcpip4j.netif.tap.internal.VirtioNetHeader.GSO_TCPV6;
import static org.tcpip4j.netif.tap.internal.VirtioNetHeader.GSO_UDP;
import static org.tcpip4j.netif.tap.internal.VirtioNetHeader.GSO_UDP_L4;
import static org.tcpip4j.netif.tap.internal.VirtioNetHeader.PLAIN;
import static org.tcpip4j.netif.tap.internal.VirtioNetHeader.REFUSED;
import static org.tcpip4j.netif.tap.internal.VirtioNetHeader.SEGMENTATION;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.tcpip4j.netif.TcpSegmentation;

/** The virtio_net_hdr codec, byte for byte both ways, and the header chosen for each kind of frame sent. */
class VirtioNetHeaderTest {

    private static final int MTU = 1500;

    /** A buffer holding a header of 0xff bytes (so zeroing shows) and then {@code frame}. */
    private static MemorySegment withFrame(byte[] frame) {
        byte[] buffer = new byte[VirtioNetHeader.SIZE + frame.length];
        Arrays.fill(buffer, 0, VirtioNetHeader.SIZE, (byte) 0xff);
        System.arraycopy(frame, 0, buffer, VirtioNetHeader.SIZE, frame.length);
        return MemorySegment.ofArray(buffer);
    }

    /** {@link VirtioNetHeader#prepareTransmit} for the frame after the header in {@code buffer}. */
    private static int prepare(MemorySegment buffer, int length, int mtu, boolean tso4, boolean tso6) {
        ByteBuffer frame = buffer.asSlice(VirtioNetHeader.SIZE).asByteBuffer();
        return VirtioNetHeader.prepareTransmit(buffer, frame, length, mtu, tso4, tso6, new TcpSegmentation());
    }

    private static byte[] header(MemorySegment buffer) {
        return buffer.asSlice(0, VirtioNetHeader.SIZE).toArray(ValueLayout.JAVA_BYTE);
    }

    private static void assertHeader(MemorySegment h, int flags, int gsoType, int hdrLen, int gsoSize, int csumStart,
                                     int csumOffset) {
        assertEquals(flags, VirtioNetHeader.flags(h), "flags");
        assertEquals(gsoType, VirtioNetHeader.gsoType(h), "gso_type");
        assertEquals(hdrLen, VirtioNetHeader.hdrLen(h), "hdr_len");
        assertEquals(gsoSize, VirtioNetHeader.gsoSize(h), "gso_size");
        assertEquals(csumStart, VirtioNetHeader.csumStart(h), "csum_start");
        assertEquals(csumOffset, VirtioNetHeader.csumOffset(h), "csum_offset");
    }

    @Test
    void writesTheLegacyLayoutLittleEndian() {
        MemorySegment h = MemorySegment.ofArray(new byte[VirtioNetHeader.SIZE]);
        VirtioNetHeader.write(h, F_NEEDS_CSUM, GSO_TCPV4 | GSO_ECN, 0x0142, 0x05a8, 0x0022, 0x0010);
        assertArrayEquals(new byte[] {1, (byte) 0x81, 0x42, 0x01, (byte) 0xa8, 0x05, 0x22, 0, 0x10, 0}, header(h));
        VirtioNetHeader.write(h, F_DATA_VALID, GSO_TCPV6, 0xffff, 0xfffe, 0xabcd, 0x1234);
        assertArrayEquals(new byte[] {2, 4, (byte) 0xff, (byte) 0xff, (byte) 0xfe, (byte) 0xff, (byte) 0xcd,
            (byte) 0xab, 0x34, 0x12}, header(h));
    }

    @Test
    void readsWhatTheKernelWrites() {
        // NEEDS_CSUM, TCPV6 with ECN, hdr_len 86, gso_size 1440, csum_start 54, csum_offset 16.
        MemorySegment h = MemorySegment.ofArray(new byte[] {1, (byte) 0x84, 86, 0, (byte) 0xa0, 0x05, 54, 0, 16, 0});
        assertHeader(h, F_NEEDS_CSUM, GSO_TCPV6 | GSO_ECN, 86, 1440, 54, 16);
        assertTrue(VirtioNetHeader.checksumVouched(VirtioNetHeader.flags(h)));
        assertTrue(VirtioNetHeader.isTcpGso(VirtioNetHeader.gsoType(h)));
        // Values past 32767 are unsigned.
        h = MemorySegment.ofArray(new byte[] {2, 1, (byte) 0xfe, (byte) 0xff, 0, (byte) 0x80, 0, 0, 0, 0});
        assertHeader(h, F_DATA_VALID, GSO_TCPV4, 0xfffe, 0x8000, 0, 0);
    }

    @Test
    void checksumVouchingAndGsoKinds() {
        assertTrue(VirtioNetHeader.checksumVouched(F_NEEDS_CSUM));
        assertTrue(VirtioNetHeader.checksumVouched(F_DATA_VALID));
        assertTrue(VirtioNetHeader.checksumVouched(F_NEEDS_CSUM | F_DATA_VALID));
        assertFalse(VirtioNetHeader.checksumVouched(0));
        assertFalse(VirtioNetHeader.checksumVouched(4)); // RSC_INFO alone
        assertTrue(VirtioNetHeader.isTcpGso(GSO_TCPV4));
        assertTrue(VirtioNetHeader.isTcpGso(GSO_TCPV6 | GSO_ECN));
        assertFalse(VirtioNetHeader.isTcpGso(GSO_NONE));
        assertFalse(VirtioNetHeader.isTcpGso(GSO_UDP));
        assertFalse(VirtioNetHeader.isTcpGso(GSO_UDP_L4));
        assertFalse(VirtioNetHeader.isTcpGso(GSO_ECN));
    }

    @Test
    void aTcpSegmentWithinTheMtuAsksForTheChecksumOnly() {
        MemorySegment b = withFrame(OffloadFrames.tcp4(0, 12, 1448, OffloadFrames.ACK, 0x4000));
        assertEquals(CHECKSUM, prepare(b, 1514, MTU, true, true));
        assertHeader(b, F_NEEDS_CSUM, GSO_NONE, 0, 0, 34, 16);

        b = withFrame(OffloadFrames.tcp6(0, 10, OffloadFrames.ACK, 6));
        assertEquals(CHECKSUM, prepare(b, 84, MTU, false, false));
        assertHeader(b, F_NEEDS_CSUM, GSO_NONE, 0, 0, 54, 16);
    }

    @Test
    void aLargeTcpSegmentOverIpv4IsCutAtTheMtuLessItsHeaders() {
        byte[] frame = OffloadFrames.tcp4(0, 12, 20_000, OffloadFrames.ACK, 0x4000);
        MemorySegment b = withFrame(frame);
        assertEquals(SEGMENTATION, prepare(b, frame.length, MTU, true, false));
        assertHeader(b, F_NEEDS_CSUM, GSO_TCPV4, 14 + 20 + 32, MTU - 20 - 32, 34, 16);
        // The frame itself is left alone.
        assertArrayEquals(frame, b.asSlice(VirtioNetHeader.SIZE).toArray(ValueLayout.JAVA_BYTE));

        // IP options and a longer TCP header move the checksum and shrink the segments.
        frame = OffloadFrames.tcp4(8, 40, 60_000, OffloadFrames.ACK, 0);
        b = withFrame(frame);
        assertEquals(SEGMENTATION, prepare(b, frame.length, 9000, true, true));
        assertHeader(b, F_NEEDS_CSUM, GSO_TCPV4, 14 + 28 + 60, 9000 - 28 - 60, 42, 16);
    }

    @Test
    void aLargeTcpSegmentOverIpv6IsCutToo() {
        byte[] frame = OffloadFrames.tcp6(12, 65_549 - 14 - 40 - 32, OffloadFrames.ACK, 6);
        MemorySegment b = withFrame(frame);
        assertEquals(SEGMENTATION, prepare(b, frame.length, MTU, false, true));
        assertHeader(b, F_NEEDS_CSUM, GSO_TCPV6, 14 + 40 + 32, MTU - 40 - 32, 54, 16);
    }

    @Test
    void cwrOnALargeSegmentSetsTheEcnBit() {
        byte[] frame = OffloadFrames.tcp4(0, 0, 5000, OffloadFrames.ACK | OffloadFrames.CWR, 0x4000);
        MemorySegment b = withFrame(frame);
        assertEquals(SEGMENTATION, prepare(b, frame.length, MTU, true, true));
        assertEquals(GSO_TCPV4 | GSO_ECN, VirtioNetHeader.gsoType(b));
        frame = OffloadFrames.tcp6(0, 5000, OffloadFrames.ACK | OffloadFrames.CWR, 6);
        b = withFrame(frame);
        assertEquals(SEGMENTATION, prepare(b, frame.length, MTU, true, true));
        assertEquals(GSO_TCPV6 | GSO_ECN, VirtioNetHeader.gsoType(b));
    }

    @Test
    void whatIsNotAWholeUnfragmentedTcpSegmentGoesPlainWithAZeroedHeader() {
        byte[][] plain = {
            OffloadFrames.udp4(100),
            OffloadFrames.arp(),
            OffloadFrames.tcp4(0, 0, 100, OffloadFrames.ACK, 0x2000), // more fragments
            OffloadFrames.tcp4(0, 0, 100, OffloadFrames.ACK, 0x0010), // a later fragment
            OffloadFrames.tcp6(0, 100, OffloadFrames.ACK, 44), // a fragment header first
            Arrays.copyOf(OffloadFrames.tcp4(0, 12, 0, OffloadFrames.ACK, 0x4000), 14 + 20 + 30), // header cut short
            new byte[10],
        };
        for (byte[] frame : plain) {
            MemorySegment b = withFrame(frame);
            assertEquals(PLAIN, prepare(b, frame.length, MTU, true, true));
            assertArrayEquals(new byte[VirtioNetHeader.SIZE], header(b));
        }
    }

    @Test
    void aLargeFrameThatCannotBeCutIsRefused() {
        byte[][] refused = {
            OffloadFrames.udp4(3000),
            OffloadFrames.tcp4(0, 0, 3000, OffloadFrames.ACK, 0x2000),
            OffloadFrames.tcp6(0, 3000, OffloadFrames.ACK, 17),
        };
        for (byte[] frame : refused) {
            MemorySegment b = withFrame(frame);
            assertEquals(REFUSED, prepare(b, frame.length, MTU, true, true));
            assertArrayEquals(new byte[VirtioNetHeader.SIZE], header(b));
        }
        // TCP over the version the device cannot cut.
        byte[] frame = OffloadFrames.tcp4(0, 0, 3000, OffloadFrames.ACK, 0x4000);
        assertEquals(REFUSED, prepare(withFrame(frame), frame.length, MTU, false, true));
        frame = OffloadFrames.tcp6(0, 3000, OffloadFrames.ACK, 6);
        assertEquals(REFUSED, prepare(withFrame(frame), frame.length, MTU, true, false));
        // Exactly mtu + 14 is not over the MTU.
        frame = OffloadFrames.udp4(MTU - 28);
        assertEquals(PLAIN, prepare(withFrame(frame), frame.length, MTU, true, true));
    }
}
