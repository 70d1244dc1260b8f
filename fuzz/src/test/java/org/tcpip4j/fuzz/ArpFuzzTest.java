package org.tcpip4j.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import org.tcpip4j.arp.ArpConfig;
import org.tcpip4j.arp.internal.wire.ArpMessage;
import org.tcpip4j.arp.internal.wire.ArpParseResult;
import org.tcpip4j.arp.internal.wire.ArpRejection;
import org.tcpip4j.ipv4.Ipv4Config;
import org.tcpip4j.netif.Ipv4Cidr;

/**
 * ARP (RFC 826): any bytes parse to a message or to the rejection an independent reading
 * of the fields gives; a message emits back to its 28 bytes; the layer, handed the same
 * bytes, counts that rejection, and its cache never holds more than its configured size
 * however many senders the input invents.
 */
class ArpFuzzTest {

    private static final int CACHE_SIZE = 8;
    private final Host host = new Host(Ipv4Config.of(new Ipv4Cidr(Host.IP, 24)),
            new ArpConfig(CACHE_SIZE, Duration.ofSeconds(60), 3, Duration.ofSeconds(1), 4));

    @FuzzTest(maxDuration = "5s")
    void packet(byte[] data) {
        ArpParseResult parsed = ArpMessage.parse(ByteBuffer.wrap(data));
        assertEquals(expected(data), parsed instanceof ArpRejection r ? r : null);
        if (parsed instanceof ArpMessage m) {
            byte[] emitted = new byte[m.bufferLength()];
            m.emit(ByteBuffer.wrap(emitted), 0);
            assertArrayEquals(Arrays.copyOf(data, 28), emitted, "a parsed packet emits back to its bytes");
        }
        long packets = host.counter("arp", "rx.packets");
        long[] rejected = rejectionCounts();
        host.stack.arp().input(ByteBuffer.wrap(data));
        host.loop.runFor(0);
        assertEquals(packets + 1, host.counter("arp", "rx.packets"));
        long[] after = rejectionCounts();
        for (ArpRejection r : ArpRejection.values()) {
            assertEquals(rejected[r.ordinal()] + (parsed == r ? 1 : 0), after[r.ordinal()], r.counterName());
        }
        assertTrue(Internals.arpCacheSize(host.stack) <= CACHE_SIZE, "the cache stays within its size");
    }

    private long[] rejectionCounts() {
        long[] n = new long[ArpRejection.values().length];
        for (ArpRejection r : ArpRejection.values()) {
            n[r.ordinal()] = host.counter("arp", r.counterName());
        }
        return n;
    }

    /** The rejection RFC 826's fields call for, read without the parser. */
    private static ArpRejection expected(byte[] d) {
        if (d.length < 28) {
            return ArpRejection.TOO_SHORT;
        }
        if (Frames.getShort(d, 0) != 1 || d[4] != 6) {
            return ArpRejection.UNSUPPORTED_HARDWARE;
        }
        if (Frames.getShort(d, 2) != 0x0800 || d[5] != 4) {
            return ArpRejection.UNSUPPORTED_PROTOCOL;
        }
        int op = Frames.getShort(d, 6);
        return op == 1 || op == 2 ? null : ArpRejection.UNKNOWN_OPERATION;
    }
}
