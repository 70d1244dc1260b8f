package org.tcpip4j.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.tcpip4j.ethernet.internal.wire.EthernetHeader;
import org.tcpip4j.ethernet.internal.wire.EthernetParseResult;
import org.tcpip4j.ethernet.internal.wire.EthernetRejection;

/**
 * Ethernet II (IEEE 802.3 clause 3.1, RFC 894): any bytes parse to a header or a typed
 * rejection; a header emits back to the bytes it came from; and the stack, handed the
 * same bytes as a received frame, counts the same rejection, and neither throws nor
 * delivers when the frame is a runt.
 */
class EthernetFuzzTest {

    private final Host host = new Host();

    @FuzzTest(maxDuration = "5s")
    void frame(byte[] data) {
        EthernetParseResult parsed = EthernetHeader.parse(ByteBuffer.wrap(data));
        switch (parsed) {
            case EthernetRejection r -> {
                assertEquals(EthernetRejection.RUNT, r);
                assertTrue(data.length < 14, "a runt of " + data.length + " bytes");
            }
            case EthernetHeader h -> {
                byte[] emitted = new byte[h.bufferLength()];
                h.emit(ByteBuffer.wrap(emitted), 0);
                assertArrayEquals(Arrays.copyOf(data, 14), emitted, "a parsed header emits back to its bytes");
            }
        }
        long runts = host.counter("ethernet", EthernetRejection.RUNT.counterName());
        long frames = host.counter("ethernet", "rx.frames");
        host.receive(data);
        assertEquals(frames + 1, host.counter("ethernet", "rx.frames"));
        assertEquals(runts + (parsed instanceof EthernetRejection ? 1 : 0),
                host.counter("ethernet", EthernetRejection.RUNT.counterName()), "the layer counts what the parser rejects");
    }
}
