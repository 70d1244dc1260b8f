package org.tcpip4j.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.tcpip4j.tcp.internal.wire.TcpHeader;
import org.tcpip4j.tcp.internal.wire.TcpOptions;
import org.tcpip4j.tcp.internal.wire.TcpRejection;

/**
 * TCP headers and options (RFC 9293 3.1 and 3.2, RFC 7323, RFC 2018): a segment is
 * rejected for its size, data offset or ports exactly when an independent check says so,
 * and its options exactly when an independent walk finds one malformed; options written
 * back from what was parsed parse to the same values; the layer, handed the segment from a
 * neighbour, counts it malformed or of a bad checksum as those checks say. The host listens
 * on port 80 (and closes what it accepts), so SYNs open connections. The input's first
 * byte says whether the checksum over the pseudo-header is repaired.
 */
class TcpFuzzTest {

    /** Connections after which the host is built anew, so that a long run stays small. */
    private static final int REBUILD_AT = 256;
    private Host host = listening(new Host());

    private static Host listening(Host h) {
        h.stack.tcp().listen(80, flow -> flow.close());
        return h;
    }

    @FuzzTest(maxDuration = "5s")
    void segment(FuzzedDataProvider input) {
        boolean repair = input.consumeBoolean();
        byte[] s = input.consumeRemainingAsBytes();
        s = Arrays.copyOf(s, Math.min(s.length, 1400));
        byte[] ip = Frames.ipv4(Host.PEER_IP.bits(), Host.IP.bits(), Frames.TCP, 1, s);
        if (repair) {
            Frames.fixIpv4(ip, 0, ip.length);
            System.arraycopy(ip, 20, s, 0, s.length);
        }
        ByteBuffer b = ByteBuffer.wrap(s);
        TcpRejection expected = expectedHeader(s);
        assertEquals(expected, TcpHeader.check(b, 0, s.length));
        boolean badChecksum = false;
        if (expected == null) {
            int dataOffset = (s[12] & 0xf0) >>> 2;
            TcpOptions options = new TcpOptions();
            TcpRejection optionsRejection = options.parse(b, 20, dataOffset - 20);
            assertEquals(optionsMalformed(s, dataOffset) ? TcpRejection.BAD_OPTIONS : null, optionsRejection);
            if (optionsRejection == null) {
                byte[] written = new byte[80];
                int n = options.write(ByteBuffer.wrap(written), 0);
                assertEquals(options.encodedLength(), n);
                TcpOptions again = new TcpOptions();
                assertEquals(null, again.parse(ByteBuffer.wrap(written), 0, n));
                assertEquals(options.toString(), again.toString(), "options written back parse the same");
            }
            badChecksum = !Frames.verifies(s, 0, s.length, Frames.pseudoHeader(ip, 0, Frames.TCP, s.length));
            if (!badChecksum && optionsRejection != null) {
                expected = optionsRejection;
            }
        }

        long segments = host.counter("tcp", "rx.segments");
        long malformed = host.counter("tcp", "rx.malformed");
        long checksums = host.counter("tcp", "rx.bad_checksum");
        host.receive(Host.fromPeer(ip));
        assertEquals(segments + 1, host.counter("tcp", "rx.segments"));
        assertEquals(malformed + (expected != null ? 1 : 0), host.counter("tcp", "rx.malformed"), "rx.malformed");
        assertEquals(checksums + (badChecksum ? 1 : 0), host.counter("tcp", "rx.bad_checksum"), "rx.bad_checksum");
        if (Internals.tcpConnections(host.stack) > REBUILD_AT) {
            host = listening(new Host());
        }
    }

    private static TcpRejection expectedHeader(byte[] s) {
        if (s.length < 20) {
            return TcpRejection.TOO_SHORT;
        }
        int dataOffset = (s[12] & 0xf0) >>> 2;
        if (dataOffset < 20 || dataOffset > s.length) {
            return TcpRejection.BAD_DATA_OFFSET;
        }
        return Frames.getShort(s, 0) == 0 || Frames.getShort(s, 2) == 0 ? TcpRejection.BAD_PORT : null;
    }

    /** RFC 9293 3.2: kinds 0 and 1 are one byte; every other option has a length of 2 or more within the header. */
    private static boolean optionsMalformed(byte[] s, int end) {
        int i = 20;
        while (i < end) {
            int kind = s[i] & 0xff;
            if (kind == 0) {
                return false;
            }
            if (kind == 1) {
                i++;
                continue;
            }
            if (i + 1 >= end) {
                return true;
            }
            int length = s[i + 1] & 0xff;
            if (length < 2 || i + length > end) {
                return true;
            }
            i += length;
        }
        return false;
    }
}
