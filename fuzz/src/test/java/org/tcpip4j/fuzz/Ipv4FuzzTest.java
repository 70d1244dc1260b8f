package org.tcpip4j.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import org.tcpip4j.ipv4.Ipv4Config;
import org.tcpip4j.ipv4.internal.wire.Ipv4Header;
import org.tcpip4j.ipv4.internal.wire.Ipv4Packet;
import org.tcpip4j.ipv4.internal.wire.Ipv4ParseResult;
import org.tcpip4j.ipv4.internal.wire.Ipv4Rejection;

/**
 * IPv4 headers and options (RFC 791 3.1): any bytes parse to a header or to the rejection
 * an independent reading gives (version, lengths, the option list, the checksum computed
 * apart); a header emits and parses back to itself; the layer, handed the same datagram in
 * a frame, counts that rejection and no other. The input's first byte says whether the
 * header checksum is repaired first, so that most inputs get past it.
 */
class Ipv4FuzzTest {

    private final Host host = new Host();

    @FuzzTest(maxDuration = "5s")
    void datagram(FuzzedDataProvider input) {
        boolean repair = input.consumeBoolean();
        byte[] d = input.consumeRemainingAsBytes();
        if (repair) {
            Frames.fixIpv4(d, 0, d.length);
        }
        Ipv4ParseResult parsed = Ipv4Header.parse(ByteBuffer.wrap(d));
        Ipv4Rejection expected = expected(d);
        assertEquals(expected, parsed instanceof Ipv4Rejection r ? r : null);
        if (parsed instanceof Ipv4Header h) {
            int ihl = (d[0] & 0x0f) * 4;
            byte[] again = new byte[h.bufferLength() + h.payloadLength()];
            h.emit(ByteBuffer.wrap(again), 0);
            System.arraycopy(d, ihl, again, 20, h.payloadLength());
            assertEquals(h, Ipv4Header.parse(ByteBuffer.wrap(again)), "a header emits and parses back to itself");
            boolean sourceRoute = new Ipv4Packet().wrap(ByteBuffer.wrap(d), 0, d.length).hasSourceRoute();
            assertEquals(hasOption(d, 0x83) || hasOption(d, 0x89), sourceRoute, "source route options");
        }

        long packets = host.counter("ipv4", "rx.packets");
        long[] rejected = rejectionCounts();
        host.receive(Host.fromPeer(d));
        assertEquals(packets + 1, host.counter("ipv4", "rx.packets"));
        long[] after = rejectionCounts();
        for (Ipv4Rejection r : Ipv4Rejection.values()) {
            assertEquals(rejected[r.ordinal()] + (expected == r ? 1 : 0), after[r.ordinal()], r.counterName());
        }
        assertTrue(host.counter("ipv4", "rx.reassembly.held_bytes") <= Ipv4Config.DEFAULT_REASSEMBLY_BYTES);
    }

    private long[] rejectionCounts() {
        long[] n = new long[Ipv4Rejection.values().length];
        for (Ipv4Rejection r : Ipv4Rejection.values()) {
            n[r.ordinal()] = host.counter("ipv4", r.counterName());
        }
        return n;
    }

    /** The rejection RFC 791 calls for, read without the parser. */
    static Ipv4Rejection expected(byte[] d) {
        if (d.length < 20) {
            return Ipv4Rejection.TOO_SHORT;
        }
        if ((d[0] & 0xf0) != 0x40) {
            return Ipv4Rejection.BAD_VERSION;
        }
        int ihl = (d[0] & 0x0f) * 4;
        if (ihl < 20 || ihl > d.length) {
            return Ipv4Rejection.BAD_HEADER_LENGTH;
        }
        int total = Frames.getShort(d, 2);
        if (total < ihl || total > d.length) {
            return Ipv4Rejection.BAD_TOTAL_LENGTH;
        }
        if (options(d, ihl, -1) == MALFORMED) {
            return Ipv4Rejection.BAD_OPTIONS;
        }
        return Frames.verifies(d, 0, ihl, 0) ? null : Ipv4Rejection.BAD_CHECKSUM;
    }

    private static final int MALFORMED = -2;

    private static boolean hasOption(byte[] d, int type) {
        int ihl = (d[0] & 0x0f) * 4;
        return options(d, ihl, type) >= 0;
    }

    /** Walks the options: the index of the first of {@code type}, -1 for none, or MALFORMED. */
    private static int options(byte[] d, int ihl, int type) {
        int i = 20;
        while (i < ihl) {
            int t = d[i] & 0xff;
            if (t == 0) {
                return -1;
            }
            if (t == 1) {
                i++;
                continue;
            }
            if (i + 1 >= ihl || (d[i + 1] & 0xff) < 2 || i + (d[i + 1] & 0xff) > ihl) {
                return MALFORMED;
            }
            if (t == type) {
                return i;
            }
            i += d[i + 1] & 0xff;
        }
        return -1;
    }
}
