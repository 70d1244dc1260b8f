package org.tcpip4j.udp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.tcpip4j.ip.Ip;
import org.tcpip4j.ip.IpError;
import org.tcpip4j.ip.IpHandler;
import org.tcpip4j.ip.OtherProtocolHandler;
import org.tcpip4j.netif.Counters;
import org.tcpip4j.netif.IpAddress;
import org.tcpip4j.netif.Ipv4Address;
import org.tcpip4j.netif.PacketWriter;
import org.tcpip4j.netif.Result;
import org.tcpip4j.netif.loop.StackContext;
import org.tcpip4j.netif.loop.VirtualTimeEventLoop;
import org.tcpip4j.udp.Udp;
import org.tcpip4j.udp.UdpConfig;
import org.tcpip4j.udp.UdpException;
import org.tcpip4j.udp.UdpProvider;

/** The UDP layer's configuration: the ephemeral port range and whether datagrams may be fragmented. */
class UdpConfigTest {

    private static final Ipv4Address OURS = Ipv4Address.parse("198.18.0.1");
    private static final Ipv4Address PEER = Ipv4Address.parse("198.18.0.2");

    private final VirtualTimeEventLoop loop = new VirtualTimeEventLoop();
    private final FragmentingIp ip = new FragmentingIp();

    private DefaultUdp udp(UdpConfig config) {
        return new DefaultUdp(ip, config, StackContext.seeded(loop, 7, "test"));
    }

    private int sourcePortOf(int datagram) {
        return ip.sourcePorts.get(datagram);
    }

    @Test
    void theDefaultIsTheIanaDynamicRangeWithFragmentation() {
        assertEquals(new UdpConfig(49_152, 65_535, true), UdpConfig.DEFAULT);
    }

    @Test
    void ephemeralPortsAreDrawnFromTheConfiguredRange() {
        DefaultUdp udp = udp(UdpConfig.DEFAULT.withEphemeralRange(20_000, 20_009));
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            udp.write(PEER, 53, ByteBuffer.allocate(1));
            int port = sourcePortOf(i);
            assertTrue(port >= 20_000 && port <= 20_009, "port " + port + " outside 20000..20009");
            seen.add(port);
        }
        assertEquals(10, seen.size(), "every port of a small range is drawn sooner or later: " + seen);
    }

    @Test
    void aRangeOfOnePortSkipsNothingAndWrapsToItself() {
        DefaultUdp udp = udp(UdpConfig.DEFAULT.withEphemeralRange(65_535, 65_535));
        udp.write(PEER, 53, ByteBuffer.allocate(1));
        udp.listen(65_535, (src, dst, srcPort, payload) -> { });
        // The only port has a listener now; with nothing else to take it is still used.
        udp.write(PEER, 53, ByteBuffer.allocate(1));
        assertEquals(List.of(65_535, 65_535), ip.sourcePorts);
    }

    @Test
    void anEphemeralPortSkipsListenersWithinTheRangeAndWrapsAround() {
        DefaultUdp udp = udp(UdpConfig.DEFAULT.withEphemeralRange(30_000, 30_003));
        udp.listen(30_000, (src, dst, srcPort, payload) -> { });
        udp.listen(30_001, (src, dst, srcPort, payload) -> { });
        udp.listen(30_003, (src, dst, srcPort, payload) -> { });
        for (int i = 0; i < 20; i++) {
            udp.write(PEER, 53, ByteBuffer.allocate(1));
            assertEquals(30_002, sourcePortOf(i));
        }
    }

    @Test
    void invalidRangesAreIllegalArguments() {
        assertEquals("UdpConfig.ephemeralFirst must be in 1..65535: 0",
                assertThrows(IllegalArgumentException.class, () -> new UdpConfig(0, 100, true)).getMessage());
        assertEquals("UdpConfig.ephemeralLast must be in 100..65535: 65536",
                assertThrows(IllegalArgumentException.class, () -> new UdpConfig(100, 65_536, true)).getMessage());
        assertEquals("UdpConfig.ephemeralLast must be in 2000..65535: 1999",
                assertThrows(IllegalArgumentException.class, () -> new UdpConfig(2_000, 1_999, true)).getMessage());
        assertEquals("UdpConfig.ephemeralFirst must be in 1..65535: 70000",
                assertThrows(IllegalArgumentException.class, () -> new UdpConfig(70_000, 80_000, true)).getMessage());
    }

    @Test
    void withFragmentationOnTheIpLayerIsAllowedToFragment() {
        DefaultUdp udp = udp(UdpConfig.DEFAULT);
        CompletableFuture<Void> f = udp.write(PEER, 9, ByteBuffer.allocate(5_000));
        assertTrue(f.isDone() && !f.isCompletedExceptionally());
        assertEquals(List.of(true), ip.fragmentFlags);
    }

    @Test
    void withFragmentationOffATooLargeDatagramFailsWithWouldFragment() {
        DefaultUdp udp = udp(UdpConfig.DEFAULT.withFragment(false));
        CompletableFuture<Void> f = udp.write(PEER, 9, ByteBuffer.allocate(1_473));
        UdpException.Ip e = assertInstanceOf(UdpException.Ip.class,
                assertThrows(ExecutionException.class, f::get).getCause());
        IpError.WouldFragment wf = assertInstanceOf(IpError.WouldFragment.class, e.error());
        assertEquals(1_501, wf.size(), "IP header, UDP header and data");
        assertEquals(FragmentingIp.MTU, wf.mtu());
        assertEquals(List.of(false), ip.fragmentFlags);
        assertEquals(1, udp.counters().get("tx.errors"));
    }

    @Test
    void withFragmentationOffADatagramThatFitsIsSent() {
        DefaultUdp udp = udp(UdpConfig.DEFAULT.withFragment(false));
        CompletableFuture<Void> f = udp.write(PEER, 9, ByteBuffer.allocate(1_472));
        assertTrue(f.isDone() && !f.isCompletedExceptionally());
        assertEquals(1, udp.counters().get("tx.datagrams"));
    }

    @Test
    void theProviderPassesTheConfigurationOn() {
        UdpProvider provider = ServiceLoader.load(UdpProvider.class).stream()
                .map(ServiceLoader.Provider::get).filter(p -> p.name().equals("default")).findFirst().orElseThrow();
        Udp udp = provider.create(ip, new UdpConfig(40_000, 40_000, false), StackContext.seeded(loop, 1, "p"));
        udp.write(PEER, 9, ByteBuffer.allocate(10));
        assertEquals(List.of(40_000), ip.sourcePorts);
        assertFalse(ip.fragmentFlags.getFirst());
    }

    /**
     * An IP layer with a 1500-byte MTU that refuses, as IPv4 does, a datagram that does not
     * fit when fragmentation is not allowed; it records each write's flag and source port.
     */
    private static final class FragmentingIp implements Ip {
        static final int MTU = 1_500;
        final List<Boolean> fragmentFlags = new ArrayList<>();
        final List<Integer> sourcePorts = new ArrayList<>();
        private final ByteBuffer frame = ByteBuffer.allocate(65_600);

        @Override
        public Result<IpError> write(IpAddress src, IpAddress dst, int protocol, int ttl, boolean fragment, int size,
                                     PacketWriter payload) {
            fragmentFlags.add(fragment);
            if (!fragment && 20 + size > MTU) {
                return Result.err(new IpError.WouldFragment(20 + size, MTU));
            }
            frame.clear();
            payload.write(frame, 20, size);
            sourcePorts.add(frame.getShort(20) & 0xffff);
            return Result.ok();
        }

        @Override
        public void input(ByteBuffer packet, IpHandler tcp, IpHandler udp, OtherProtocolHandler other) {
        }

        @Override
        public long pseudoheaderChecksum(IpAddress src, IpAddress dst, int protocol, int length) {
            return protocol + length;
        }

        @Override
        public IpAddress src(IpAddress dst) {
            return OURS;
        }

        @Override
        public int mtu(IpAddress dst) {
            return MTU - 20;
        }

        @Override
        public List<IpAddress> configuredIps() {
            return List.of(OURS);
        }

        @Override
        public Counters counters() {
            return new Counters("ip");
        }

        @Override
        public CompletableFuture<Void> disconnect() {
            return CompletableFuture.completedFuture(null);
        }
    }
}
