package org.tcpip4j.udp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tcpip4j.ip.IcmpError;
import org.tcpip4j.netif.InternetChecksum;
import org.tcpip4j.netif.Ipv4Address;
import org.tcpip4j.netif.loop.StackContext;
import org.tcpip4j.netif.loop.VirtualTimeEventLoop;
import org.tcpip4j.udp.UdpConfig;
import org.tcpip4j.udp.internal.wire.UdpHeader;

/** Port unreachable reported for datagrams nobody listens for; received ICMP errors delivered by port. */
class UdpIcmpErrorsTest {

    private static final HexFormat HEX = HexFormat.of();
    private static final Ipv4Address OURS = Ipv4Address.parse("198.18.0.1");
    private static final Ipv4Address PEER = Ipv4Address.parse("198.18.0.2");

    private final VirtualTimeEventLoop loop = new VirtualTimeEventLoop();
    private final CapturingIp ip = new CapturingIp(OURS);
    private final DefaultUdp udp = new DefaultUdp(ip, StackContext.seeded(loop, 1, "test"));
    private final List<IcmpError> errors = new ArrayList<>();

    /** A valid datagram from PEER:5353 to OURS:{@code port} carrying "hi". */
    private static byte[] datagramTo(int port) {
        byte[] b = new byte[10];
        b[8] = 'h';
        b[9] = 'i';
        ByteBuffer ph = ByteBuffer.allocate(12).putInt(PEER.bits()).putInt(OURS.bits()).putShort((short) 17)
                .putShort((short) b.length);
        new UdpHeader(5353, port, b.length, 0).emit(ByteBuffer.wrap(b), 0, InternetChecksum.sum(ph, 0, 12, 0));
        return b;
    }

    private void input(byte[] datagram) {
        ByteBuffer buf = ByteBuffer.allocate(datagram.length + 20);
        buf.put(20, datagram).position(20);
        udp.input(PEER, OURS, buf);
    }

    private static IcmpError error(IcmpError.Kind kind, int protocol, int srcPort, int dstPort) {
        long header = ((long) srcPort << 48) | ((long) dstPort << 32);
        return new IcmpError(kind, 3, 3, 0, PEER, OURS, PEER, protocol, header);
    }

    @Test
    void aDatagramForAPortNobodyListensOnIsReportedToTheIpLayerFromItsHeader() {
        byte[] d = datagramTo(9);
        input(d);
        assertEquals(1, ip.portUnreachable.size());
        assertEquals(HEX.formatHex(d), HEX.formatHex(ip.portUnreachable.get(0)), "position at the UDP header");
        assertEquals(1, udp.counters().get("rx.no_listener"));
    }

    @Test
    void aListenedPortAndABadChecksumAreNotReported() {
        udp.listen(9, (src, dst, port, payload) -> { });
        input(datagramTo(9));
        byte[] corrupted = datagramTo(10);
        corrupted[9] ^= 1;
        input(corrupted);
        assertTrue(ip.portUnreachable.isEmpty());
    }

    @Test
    void fragmentationNeededLowersThePathMtuOnlyWhenThisLayerSendsWithDf() {
        IcmpError e = new IcmpError(IcmpError.Kind.FRAGMENTATION_NEEDED, 3, 4, 1280, PEER, OURS, PEER, 17,
                (40000L << 48) | (9L << 32));
        udp.icmpError(e);
        assertTrue(ip.pathMtuUpdates.isEmpty(), "our datagrams had no DF: the message is forged or mistaken");
        DefaultUdp df = new DefaultUdp(ip, UdpConfig.DEFAULT.withFragment(false), StackContext.seeded(loop, 1, "df"));
        df.icmpError(e);
        assertEquals(List.of(PEER + " 1280"), ip.pathMtuUpdates);
    }

    @Test
    void anErrorGoesToTheCallbackOfTheDatagramsSourcePort() {
        udp.onError(40000, errors::add);
        udp.onError(40001, e -> errors.add(null));
        IcmpError e = error(IcmpError.Kind.PORT_UNREACHABLE, 17, 40000, 9);
        udp.icmpError(e);
        assertEquals(List.of(e), errors);
        assertEquals(1, udp.counters().get("rx.icmp_errors"));
    }

    @Test
    void anErrorForAPortWithoutCallbackIsCountedUnclaimed() {
        udp.listen(40000, (src, dst, port, payload) -> { });
        udp.icmpError(error(IcmpError.Kind.PORT_UNREACHABLE, 17, 40000, 9));
        assertEquals(1, udp.counters().get("rx.icmp_errors_unclaimed"));
    }

    @Test
    void anErrorAboutAnotherProtocolIsNotDelivered() {
        udp.onError(40000, errors::add);
        udp.icmpError(error(IcmpError.Kind.PORT_UNREACHABLE, 6, 40000, 9));
        assertTrue(errors.isEmpty());
        assertEquals(1, udp.counters().get("rx.icmp_errors_unclaimed"));
    }

    @Test
    void aNullCallbackRemovesItAndUnlistenLeavesIt() {
        udp.onError(40000, errors::add);
        udp.listen(40000, (src, dst, port, payload) -> { });
        udp.unlisten(40000);
        udp.icmpError(error(IcmpError.Kind.HOST_UNREACHABLE, 17, 40000, 9));
        assertEquals(1, errors.size());
        udp.onError(40000, null);
        udp.icmpError(error(IcmpError.Kind.HOST_UNREACHABLE, 17, 40000, 9));
        assertEquals(1, errors.size());
    }

    @Test
    void anInvalidPortIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> udp.onError(-1, errors::add));
        assertThrows(IllegalArgumentException.class, () -> udp.onError(65_536, errors::add));
    }

    @Test
    void disconnectDropsTheCallbacks() {
        udp.onError(40000, errors::add);
        udp.disconnect();
        udp.onError(40001, errors::add);
        udp.icmpError(error(IcmpError.Kind.PORT_UNREACHABLE, 17, 40000, 9));
        udp.icmpError(error(IcmpError.Kind.PORT_UNREACHABLE, 17, 40001, 9));
        assertTrue(errors.isEmpty());
    }
}
