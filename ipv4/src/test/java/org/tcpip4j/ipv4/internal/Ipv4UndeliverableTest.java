package org.tcpip4j.ipv4.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tcpip4j.ipv4.internal.Datagrams.HEX;
import static org.tcpip4j.ipv4.internal.Datagrams.datagram;
import static org.tcpip4j.ipv4.internal.Datagrams.pattern;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tcpip4j.ip.IcmpError;
import org.tcpip4j.ip.IpHandler;
import org.tcpip4j.ip.OtherProtocolHandler;
import org.tcpip4j.ipv4.Ipv4Config;
import org.tcpip4j.netif.Ipv4Address;
import org.tcpip4j.netif.Ipv4Cidr;
import org.tcpip4j.netif.MacAddress;
import org.tcpip4j.netif.loop.StackContext;
import org.tcpip4j.netif.loop.VirtualTimeEventLoop;

/**
 * Datagrams the layer cannot deliver reach the undeliverable handler (the ICMP layer's
 * error generator) with the bytes an ICMP error quotes.
 */
class Ipv4UndeliverableTest {

    private static final Ipv4Address OURS = Ipv4Address.parse("198.18.0.1");
    private static final Ipv4Address PEER = Ipv4Address.parse("198.18.0.2");
    private static final long SECOND = 1_000_000_000L;

    private final VirtualTimeEventLoop loop = new VirtualTimeEventLoop();
    private final DefaultIpv4 ip = new DefaultIpv4(new CapturingEthernet(MacAddress.parse("02:00:00:00:00:01"), 1500),
            new ScriptedArp(), Ipv4Config.of(new Ipv4Cidr(OURS, 24)), StackContext.seeded(loop, 1, "test"));
    private final List<String> reported = new ArrayList<>();

    {
        ip.onUndeliverable((kind, datagram) -> {
            byte[] b = new byte[datagram.remaining()];
            datagram.get(datagram.position(), b);
            reported.add(kind + " " + HEX.formatHex(b));
        });
    }

    private void input(byte[] datagram, IpHandler tcp, IpHandler udp, OtherProtocolHandler other) {
        // Behind an Ethernet header and followed by padding, as a frame delivers it.
        ByteBuffer b = ByteBuffer.allocate(datagram.length + 14 + 6);
        b.put(14, datagram).position(14);
        ip.input(b, tcp, udp, other);
    }

    @Test
    void aProtocolWithNoHandlerIsReportedProtocolUnreachableWithTheWholeDatagram() {
        byte[] d = datagram(PEER, OURS, 17, pattern(12, 1));
        input(d, null, null, null);
        assertEquals(List.of("PROTOCOL_UNREACHABLE " + HEX.formatHex(d)), reported);
        assertEquals(1, ip.counters().get("rx.no_handler"));
    }

    @Test
    void aTransportReportingPortUnreachableDuringDeliveryHasTheDatagramQuoted() {
        byte[] d = datagram(PEER, OURS, 17, pattern(30, 2));
        List<Integer> positionsAfter = new ArrayList<>();
        input(d, null, (src, dst, payload) -> {
            ip.portUnreachable(payload);
            positionsAfter.add(payload.position());
            positionsAfter.add(payload.limit());
        }, null);
        assertEquals(List.of("PORT_UNREACHABLE " + HEX.formatHex(d)), reported);
        assertEquals(List.of(14 + 20, 14 + 50), positionsAfter, "the buffer is left as the handler had it");
        assertEquals(1, ip.counters().get("rx.undeliverable_reported"));
    }

    @Test
    void theOtherProtocolHandlerMayReportProtocolUnreachable() {
        byte[] d = datagram(PEER, OURS, 253, pattern(8, 3));
        input(d, null, null, (protocol, src, dst, header, payload) -> ip.protocolUnreachable(payload));
        assertEquals(List.of("PROTOCOL_UNREACHABLE " + HEX.formatHex(d)), reported);
    }

    @Test
    void aReportOutsideTheDeliveryOfItsBufferIsIgnored() {
        ByteBuffer[] kept = new ByteBuffer[1];
        input(datagram(PEER, OURS, 17, pattern(8, 4)), null, (src, dst, payload) -> kept[0] = payload, null);
        ip.portUnreachable(kept[0]);
        ip.portUnreachable(ByteBuffer.allocate(8));
        assertTrue(reported.isEmpty());
        assertEquals(2, ip.counters().get("rx.undeliverable_misreported"));
    }

    @Test
    void aTimedOutDatagramWhoseFirstFragmentCameIsReportedWithThatFragment() {
        byte[] first = datagram(PEER, OURS, 17, 77, 0, true, pattern(16, 5));
        input(first, null, null, null);
        input(datagram(PEER, OURS, 17, 77, 24, false, pattern(8, 6)), null, null, null);
        loop.runFor(30 * SECOND);
        assertEquals(List.of("REASSEMBLY_TIME_EXCEEDED " + HEX.formatHex(first)), reported);
    }

    @Test
    void aTimedOutDatagramWithoutItsFirstFragmentIsNotReported() {
        input(datagram(PEER, OURS, 17, 78, 8, true, pattern(8, 7)), null, null, null);
        loop.runFor(30 * SECOND);
        assertTrue(reported.isEmpty());
        assertEquals(1, ip.counters().get("rx.reassembly.timeouts"));
    }

    @Test
    void withoutAHandlerNothingIsReportedAndNothingFails() {
        ip.onUndeliverable(null);
        input(datagram(PEER, OURS, 200, pattern(8, 8)), null, null, null);
        input(datagram(PEER, OURS, 17, 79, 0, true, pattern(8, 9)), null, null, null);
        loop.runFor(31 * SECOND);
        assertTrue(reported.isEmpty());
    }

    @Test
    void oneSourceFloodingFragmentsCannotTakeTheBudgetOfAnother() {
        Ipv4Address flooder = Ipv4Address.parse("198.18.0.66");
        // 64 KiB in all, 16 KiB per source.
        DefaultIpv4 guarded = new DefaultIpv4(new CapturingEthernet(MacAddress.parse("02:00:00:00:00:01"), 1500),
                new ScriptedArp(), Ipv4Config.of(new Ipv4Cidr(OURS, 24))
                        .withReassembly(Duration.ofSeconds(30), 64, 64 * 1024, 16 * 1024),
                StackContext.seeded(loop, 1, "test"));
        for (int id = 0; id < 100; id++) {
            ByteBuffer b = ByteBuffer.wrap(datagram(flooder, OURS, 17, id, 0, true, new byte[1024]));
            guarded.input(b, null, null, null);
            assertTrue(guarded.reassemblyHeldBytes() <= 16 * 1024);
        }
        assertTrue(guarded.counters().get("rx.reassembly.source_limit") > 80);
        assertEquals(guarded.reassemblyHeldBytes(), guarded.counters().get("rx.reassembly.held_bytes"));
        // Another host's fragmented datagram still gets through.
        List<byte[]> delivered = new ArrayList<>();
        byte[] payload = pattern(3000, 10);
        int[] offsets = {0, 1480, 2960};
        for (int i = 0; i < 3; i++) {
            int end = Math.min(payload.length, offsets[i] + 1480);
            byte[] f = datagram(PEER, OURS, 17, 5, offsets[i], i < 2, Arrays.copyOfRange(payload, offsets[i], end));
            guarded.input(ByteBuffer.wrap(f), null, (src, dst, p) -> {
                byte[] x = new byte[p.remaining()];
                p.get(p.position(), x);
                delivered.add(x);
            }, null);
        }
        assertEquals(1, delivered.size());
        assertTrue(Arrays.equals(payload, delivered.get(0)));
    }

    @Test
    void heldBytesCountAnOverheadPerDatagramAndPerFragment() {
        input(datagram(PEER, OURS, 17, 90, 0, true, new byte[8]), null, null, null);
        input(datagram(PEER, OURS, 17, 90, 16, true, new byte[8]), null, null, null);
        int expected = ReassemblyBuffer.DATAGRAM_OVERHEAD + 2 * (8 + ReassemblyBuffer.FRAGMENT_OVERHEAD);
        assertEquals(expected, ip.reassemblyHeldBytes());
        assertEquals(expected, ip.counters().get("rx.reassembly.held_bytes"));
        assertEquals(1, ip.counters().get("rx.reassembly.incomplete"));
        loop.runFor(30 * SECOND);
        assertEquals(0, ip.counters().get("rx.reassembly.held_bytes"));
        assertEquals(0, ip.counters().get("rx.reassembly.incomplete"));
        assertEquals(expected, ip.counters().get("rx.reassembly.held_bytes_peak"));
    }
}
