package org.tcpip4j.netif.pcap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tcpip4j.netif.impair.TestFrames.numbered;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tcpip4j.netif.impair.ScriptedNetif;
import org.tcpip4j.netif.loop.VirtualTimeEventLoop;

/** A capture made in a simulation reads back with the right bytes, times and header. */
class PcapNetifTest {

    private static final long EPOCH = VirtualTimeEventLoop.DEFAULT_EPOCH_MICROS;

    @TempDir
    Path dir;

    private VirtualTimeEventLoop loop;
    private ScriptedNetif device;
    private Path file;
    private PcapNetif capture;
    private final List<byte[]> delivered = new ArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        loop = new VirtualTimeEventLoop();
        device = new ScriptedNetif(loop);
        file = dir.resolve("capture.pcap");
        capture = PcapNetif.create(device, file);
        capture.listen(frame -> {
            byte[] b = new byte[frame.remaining()];
            frame.get(b); // a handler moving the position must not matter to the capture
            delivered.add(b);
        });
    }

    /** Receives frame 1 at 0, sends frame 2 at 1.5 ms, receives frame 3 at 2 s + 7 us. */
    private void captureThreeFrames() {
        device.inject(numbered(1, 60));
        loop.runFor(Duration.ofNanos(1_500_000));
        byte[] two = numbered(2, 1514);
        assertTrue(capture.write(two.length, (buf, off, max) -> {
            buf.put(off, two);
            return two.length;
        }).isOk());
        loop.runFor(Duration.ofNanos(2_000_007_000L - 1_500_000));
        device.inject(numbered(3, 342));
    }

    @Test
    void everyFrameReceivedAndSentIsCapturedWithItsVirtualTime() throws Exception {
        captureThreeFrames();
        assertEquals(3, capture.capturedFrames());
        loop.await(capture.disconnect(), Duration.ofSeconds(1));

        List<PcapRecord> records = PcapReader.readAll(file);
        assertEquals(3, records.size());
        assertArrayEquals(numbered(1, 60), records.get(0).data());
        assertArrayEquals(numbered(2, 1514), records.get(1).data());
        assertArrayEquals(numbered(3, 342), records.get(2).data());
        assertEquals(EPOCH, records.get(0).epochMicros());
        assertEquals(EPOCH + 1_500, records.get(1).epochMicros());
        assertEquals(EPOCH + 2_000_007, records.get(2).epochMicros());
        assertEquals(1514, records.get(1).originalLength());
        assertFalse(records.get(1).truncated());
        assertArrayEquals(numbered(2, 1514), device.written().get(0).bytes(), "the frame itself went out unchanged");
        assertEquals(2, delivered.size());
    }

    @Test
    void theFileHeaderIsClassicPcapForEthernet() throws Exception {
        captureThreeFrames();
        loop.await(capture.disconnect(), Duration.ofSeconds(1));

        ByteBuffer raw = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(0xa1b2c3d4, raw.getInt(0), "microsecond magic");
        assertEquals(2, raw.getShort(4));
        assertEquals(4, raw.getShort(6));
        assertEquals(0, raw.getInt(8), "thiszone");
        assertEquals(0, raw.getInt(12), "sigfigs");
        assertEquals(PcapHeader.DEFAULT_SNAP_LENGTH, raw.getInt(16), "snaplen");
        assertEquals(1, raw.getInt(20), "LINKTYPE_ETHERNET");
        assertEquals(24 + 3 * 16 + 60 + 1514 + 342, raw.capacity());
        // The first record's header: seconds, microseconds, captured and original lengths.
        assertEquals(EPOCH / 1_000_000, raw.getInt(24) & 0xffff_ffffL);
        assertEquals(EPOCH % 1_000_000, raw.getInt(28));
        assertEquals(60, raw.getInt(32));
        assertEquals(60, raw.getInt(36));

        try (PcapReader reader = PcapReader.open(file)) {
            PcapHeader h = reader.header();
            assertEquals(new PcapHeader(ByteOrder.LITTLE_ENDIAN, false, 2, 4, 0, 0, PcapHeader.DEFAULT_SNAP_LENGTH, PcapHeader.LINKTYPE_ETHERNET), h);
        }
    }

    @Test
    void recordsReachTheFileOnFlushAndTheFileIsClosedOnDisconnect() throws Exception {
        captureThreeFrames();
        assertEquals(24, Files.size(file), "buffered: only the header is out yet");
        capture.flush();
        assertEquals(3, PcapReader.readAll(file).size());
        loop.await(capture.disconnect(), Duration.ofSeconds(1));
        device.inject(numbered(4, 60)); // the device is gone: nothing more is captured
        assertEquals(3, PcapReader.readAll(file).size());
        assertTrue(device.isDisconnected());
    }

    @Test
    void aFrameTheWriterRefusesToFillIsNotCaptured() throws Exception {
        var r = capture.write(2000, (buf, off, max) -> max);
        assertFalse(r.isOk(), "larger than the MTU");
        capture.flush();
        assertEquals(0, PcapReader.readAll(file).size());
    }

    @Test
    void tsharkReadsTheCapture() throws Exception {
        Optional<Path> tshark = onPath("tshark");
        if (tshark.isEmpty()) {
            System.out.println("tshark is not on the PATH: skipping the check that Wireshark's reader accepts the capture");
        }
        Assumptions.assumeTrue(tshark.isPresent(), "tshark is not on the PATH");
        captureThreeFrames();
        loop.await(capture.disconnect(), Duration.ofSeconds(1));

        // Warnings (running as root, ...) go to stderr, kept apart so that stdout is one line a frame.
        Path errors = dir.resolve("tshark.err");
        Process p = new ProcessBuilder(tshark.get().toString(), "-r", file.toString())
                .redirectError(errors.toFile()).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "tshark finishes");
        String diagnostics = output + Files.readString(errors);
        assertEquals(0, p.exitValue(), diagnostics);
        long lines = output.lines().filter(l -> !l.isBlank()).count();
        assertEquals(3, lines, diagnostics);
    }

    private static Optional<Path> onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String d : path.split(File.pathSeparator)) {
            Path candidate = Path.of(d, program);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    @Test
    void flushReportsAFailedCapture() throws Exception {
        capture = new PcapNetif(device, new PcapWriter(new java.nio.channels.WritableByteChannel() {
            private boolean headerWritten;

            @Override
            public int write(ByteBuffer src) throws IOException {
                if (headerWritten) {
                    throw new IOException("disk full");
                }
                headerWritten = true;
                int n = src.remaining();
                src.position(src.limit());
                return n;
            }

            @Override
            public boolean isOpen() {
                return true;
            }

            @Override
            public void close() {
            }
        }));
        capture.listen(frame -> delivered.add(new byte[0]));
        for (int i = 0; i < 200; i++) {
            device.inject(numbered(i, 1514)); // more than the buffer holds: the capture fails
        }
        assertEquals(200, delivered.size(), "traffic goes on");
        IOException e = assertThrows(IOException.class, capture::flush);
        assertEquals("disk full", e.getMessage());
    }
}
