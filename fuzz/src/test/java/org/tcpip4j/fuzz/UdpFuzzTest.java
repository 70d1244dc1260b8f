package org.tcpip4j.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.tcpip4j.udp.internal.wire.UdpPacket;
import org.tcpip4j.udp.internal.wire.UdpRejection;

/**
 * UDP (RFC 768): a datagram is rejected for its length or its checksum exactly when an
 * independent check over the pseudo-header says so (a zero checksum meaning none), the
 * layer counts that rejection, and what it delivers to a listener is exactly the data
 * the length field covers. The input's first byte says whether the checksum is repaired.
 */
class UdpFuzzTest {

    private static final int PORT = 7;
    private final Host host = new Host();
    private byte[] received;

    UdpFuzzTest() {
        host.stack.udp().listen(PORT, (src, dst, port, payload) -> {
            received = new byte[payload.remaining()];
            payload.get(received);
        });
    }

    @FuzzTest(maxDuration = "5s")
    void datagram(FuzzedDataProvider input) {
        boolean repair = input.consumeBoolean();
        byte[] u = input.consumeRemainingAsBytes();
        u = Arrays.copyOf(u, Math.min(u.length, 1400));
        byte[] ip = Frames.ipv4(Host.PEER_IP.bits(), Host.IP.bits(), Frames.UDP, 1, u);
        if (repair) {
            Frames.fixIpv4(ip, 0, ip.length);
            System.arraycopy(ip, 20, u, 0, u.length);
        }
        UdpRejection expected = expected(ip, u);
        UdpPacket p = new UdpPacket().wrap(ByteBuffer.wrap(u), 0, u.length);
        assertEquals(expected == UdpRejection.BAD_CHECKSUM ? null : expected, p.check());

        long[] rejected = new long[UdpRejection.values().length];
        for (UdpRejection r : UdpRejection.values()) {
            rejected[r.ordinal()] = host.counter("udp", r.counterName());
        }
        long datagrams = host.counter("udp", "rx.datagrams");
        received = null;
        host.receive(Host.fromPeer(ip));
        assertEquals(datagrams + 1, host.counter("udp", "rx.datagrams"));
        for (UdpRejection r : UdpRejection.values()) {
            assertEquals(rejected[r.ordinal()] + (expected == r ? 1 : 0), host.counter("udp", r.counterName()),
                    r.counterName());
        }
        if (expected == null && Frames.getShort(u, 2) == PORT) {
            assertArrayEquals(Arrays.copyOfRange(u, 8, Frames.getShort(u, 4)), received, "the data delivered");
        } else {
            assertEquals(null, received, "nothing delivered");
        }
    }

    private static UdpRejection expected(byte[] ip, byte[] u) {
        if (u.length < 8) {
            return UdpRejection.TOO_SHORT;
        }
        int length = Frames.getShort(u, 4);
        if (length < 8 || length > u.length) {
            return UdpRejection.BAD_LENGTH;
        }
        if (Frames.getShort(u, 6) == 0) {
            return null;
        }
        return Frames.verifies(u, 0, length, Frames.pseudoHeader(ip, 0, Frames.UDP, length)) ? null
                : UdpRejection.BAD_CHECKSUM;
    }
}
