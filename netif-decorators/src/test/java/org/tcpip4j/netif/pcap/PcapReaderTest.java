package org.tcpip4j.netif.pcap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PcapWriter and PcapReader on their own: round trips, other byte orders, broken files. */
class PcapReaderTest {

    @TempDir
    Path dir;

    @Test
    void writerAndReaderRoundTripFramesAndTimes() throws IOException {
        Path file = dir.resolve("a.pcap");
        byte[] one = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
        ByteBuffer framed = ByteBuffer.allocate(40).put(5, one).position(5).limit(20);
        try (PcapWriter w = PcapWriter.create(file)) {
            w.write(1_000_000_123_456L, framed);
            w.write(1_000_000_123_999L, ByteBuffer.allocate(0));
            assertEquals(5, framed.position(), "the source buffer is left as it was");
        }
        List<PcapRecord> records = PcapReader.readAll(file);
        assertEquals(List.of(new PcapRecord(1_000_000_123_456L, 15, one), new PcapRecord(1_000_000_123_999L, 0, new byte[0])),
                records);
    }

    @Test
    void aFrameLongerThanTheSnapLengthIsTruncatedKeepingItsOriginalLength() throws IOException {
        Path file = dir.resolve("big.pcap");
        byte[] big = new byte[PcapHeader.DEFAULT_SNAP_LENGTH + 4_465];
        Arrays.fill(big, (byte) 7);
        try (PcapWriter w = PcapWriter.create(file)) {
            w.write(5, ByteBuffer.wrap(big));
        }
        PcapRecord r = PcapReader.readAll(file).get(0);
        assertEquals(PcapHeader.DEFAULT_SNAP_LENGTH, r.data().length);
        assertEquals(PcapHeader.DEFAULT_SNAP_LENGTH + 4_465, r.originalLength());
        assertTrue(r.truncated());
    }

    @Test
    void bigEndianAndNanosecondFilesAreRead() throws IOException {
        ByteBuffer b = ByteBuffer.allocate(24 + 16 + 3).order(ByteOrder.BIG_ENDIAN);
        b.putInt(0xa1b23c4d).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(1);
        b.putInt(1_700_000_000).putInt(123_456_789).putInt(3).putInt(60).put(new byte[] {9, 8, 7});
        PcapReader reader = new PcapReader(Channels.newChannel(new java.io.ByteArrayInputStream(b.array())));
        assertEquals(ByteOrder.BIG_ENDIAN, reader.header().byteOrder());
        assertTrue(reader.header().nanosecondTimestamps());
        PcapRecord r = reader.next();
        assertEquals(1_700_000_000_123_456L, r.epochMicros());
        assertEquals(60, r.originalLength());
        assertArrayEquals(new byte[] {9, 8, 7}, r.data());
        assertNull(reader.next());
    }

    @Test
    void aFileThatIsNotPcapIsRejected() {
        byte[] junk = new byte[24];
        Arrays.fill(junk, (byte) 0x42);
        IOException e = assertThrows(IOException.class,
                () -> new PcapReader(Channels.newChannel(new java.io.ByteArrayInputStream(junk))));
        assertTrue(e.getMessage().contains("not a pcap file"), e.getMessage());
        assertThrows(EOFException.class,
                () -> new PcapReader(Channels.newChannel(new java.io.ByteArrayInputStream(new byte[10]))));
    }

    @Test
    void aFileEndingInsideARecordIsAnEofError() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (PcapWriter w = new PcapWriter(Channels.newChannel(out))) {
            w.write(1, ByteBuffer.wrap(new byte[100]));
        }
        byte[] whole = out.toByteArray();
        for (int cut : new int[] {24 + 7, 24 + 16 + 50}) {
            Path file = dir.resolve("cut" + cut);
            Files.write(file, Arrays.copyOf(whole, cut));
            assertThrows(EOFException.class, () -> PcapReader.readAll(file), "cut at " + cut);
        }
    }
}
