package org.tcpip4j.stack.socket;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.tcpip4j.stack.socket.Futures.await;
import static org.tcpip4j.stack.socket.Futures.failure;
import static org.tcpip4j.stack.socket.Futures.readAll;
import static org.tcpip4j.stack.socket.Futures.text;
import static org.tcpip4j.stack.socket.Futures.utf8;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.tcpip4j.ip.IpError;
import org.tcpip4j.netif.IpAddress;
import org.tcpip4j.netif.IpEndpoint;
import org.tcpip4j.netif.Ipv4Address;
import org.tcpip4j.netif.Ipv6Address;
import org.tcpip4j.tcp.Shutdown;
import org.tcpip4j.tcp.TcpException;
import org.tcpip4j.tcp.TcpFlow;
import org.tcpip4j.udp.UdpException;

/** The socket stack over IPv6 on the host's loopback, {@code ::1}, and dual-stack on {@code ::}. */
class SocketIpv6Test {

    private static final Ipv4Address V4 = Ipv4Address.LOCALHOST;
    private static final Ipv6Address V6 = Ipv6Address.LOOPBACK;

    /** One received datagram, copied out of the callback. */
    record Received(IpAddress src, IpAddress dst, int srcPort, byte[] payload) {
    }

    private static BlockingQueue<Received> listenUdp(SocketStack stack) {
        BlockingQueue<Received> got = new LinkedBlockingQueue<>();
        stack.listenUdp(0, (src, dst, srcPort, payload) -> {
            byte[] bytes = new byte[payload.remaining()];
            payload.get(bytes);
            got.add(new Received(src, dst, srcPort, bytes));
        });
        return got;
    }

    private static Received next(BlockingQueue<Received> queue) throws InterruptedException {
        Received r = queue.poll(Futures.TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (r == null) {
            throw new AssertionError("no datagram within " + Futures.TIMEOUT_SECONDS + " s");
        }
        return r;
    }

    /** Listens for TCP on port 0 of {@code stack}, queueing what it accepts; returns the port. */
    private static int listenTcp(SocketStack stack, BlockingQueue<TcpFlow> accepted) {
        stack.listenTcp(0, accepted::add);
        return stack.boundTcpPort(0);
    }

    private static TcpFlow nextFlow(BlockingQueue<TcpFlow> accepted) throws InterruptedException {
        TcpFlow flow = accepted.poll(Futures.TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (flow == null) {
            throw new AssertionError("no connection accepted within " + Futures.TIMEOUT_SECONDS + " s");
        }
        return flow;
    }

    @Test
    void addressesListBothVersionsInTheOrderGiven() {
        try (SocketStack stack = SocketStack.open(V4, V6)) {
            assertEquals(List.of(V4, V6), stack.addresses());
        }
    }

    @Test
    void datagramsCrossIpv6LoopbackWithIpv6AddressesOnBothEnds() throws Exception {
        try (SocketStack a = SocketStack.open(V6); SocketStack b = SocketStack.open(V6)) {
            BlockingQueue<Received> got = listenUdp(a);
            BlockingQueue<Received> back = listenUdp(b);

            await(b.udp().write(null, b.boundUdpPort(0), V6, a.boundUdpPort(0), -1, utf8("over ipv6")));

            Received r = next(got);
            assertEquals("over ipv6", text(r.payload()));
            assertEquals(V6, r.src());
            assertEquals(V6, r.dst());
            assertEquals(b.boundUdpPort(0), r.srcPort());
            await(a.udp().write(r.dst(), a.boundUdpPort(0), r.src(), r.srcPort(), -1, utf8("and back")));
            assertEquals("and back", text(next(back).payload()));
        }
    }

    @Test
    void theLargestIpv6DatagramOf65527BytesArrivesAndOneMoreIsTooLarge() throws Exception {
        try (SocketStack a = SocketStack.open(V6); SocketStack b = SocketStack.open(V6)) {
            BlockingQueue<Received> got = listenUdp(a);
            byte[] payload = new byte[65_527];
            for (int i = 0; i < payload.length; i++) {
                payload[i] = (byte) (i * 7);
            }

            await(b.udp().write(V6, a.boundUdpPort(0), ByteBuffer.wrap(payload)));
            UdpException.Ip e = failure(UdpException.Ip.class,
                    b.udp().write(V6, a.boundUdpPort(0), ByteBuffer.allocate(65_528)));

            assertArrayEquals(payload, next(got).payload());
            assertEquals(new IpError.TooLarge(65_528, 65_527), e.error());
        }
    }

    @Test
    void aConnectionOverIpv6HasIpv6EndpointsOnBothSides() throws Exception {
        try (SocketStack server = SocketStack.open(V6); SocketStack client = SocketStack.open(V6)) {
            BlockingQueue<TcpFlow> accepted = new LinkedBlockingQueue<>();
            int port = listenTcp(server, accepted);

            TcpFlow flow = await(client.tcp().connect(V6, port));
            TcpFlow peer = nextFlow(accepted);

            assertEquals(new IpEndpoint(V6, port), flow.dst());
            assertEquals(V6, flow.src().address());
            assertEquals(flow.src(), peer.dst());
            assertEquals(flow.dst(), peer.src());
            await(flow.write(utf8("six")));
            await(flow.shutdown(Shutdown.WRITE));
            assertEquals("six", text(await(readAll(peer))));
        }
    }

    @Test
    void aStackOfBothVersionsSendsFromTheAddressOfTheDestinationsVersion() throws Exception {
        try (SocketStack server = SocketStack.open(V4, V6); SocketStack client = SocketStack.open(V4, V6)) {
            BlockingQueue<TcpFlow> accepted = new LinkedBlockingQueue<>();
            int port = listenTcp(server, accepted);
            BlockingQueue<Received> got = listenUdp(server);

            assertEquals(V4, await(client.tcp().connect(V4, port)).src().address());
            assertEquals(V4, nextFlow(accepted).src().address());
            assertEquals(V6, await(client.tcp().connect(V6, port)).src().address());
            assertEquals(V6, nextFlow(accepted).src().address());
            await(client.udp().write(V4, server.boundUdpPort(0), utf8("4")));
            await(client.udp().write(V6, server.boundUdpPort(0), utf8("6")));
            Received first = next(got);
            Received second = next(got);
            // Two sockets, two receiving threads: either may be first.
            Received four = first.src().version() == 4 ? first : second;
            Received six = first.src().version() == 4 ? second : first;
            assertEquals(V4, four.src());
            assertEquals(V4, four.dst());
            assertEquals("4", text(four.payload()));
            assertEquals(V6, six.src());
            assertEquals(V6, six.dst());
            assertEquals("6", text(six.payload()));
        }
    }

    @Test
    void theDualStackWildcardAcceptsIpv4PeersAndReportsThemAsIpv4() throws Exception {
        try (SocketStack server = SocketStack.open(Ipv6Address.ANY);
             SocketStack v4 = SocketStack.open(V4);
             SocketStack v6 = SocketStack.open(V6)) {
            BlockingQueue<TcpFlow> accepted = new LinkedBlockingQueue<>();
            int port = listenTcp(server, accepted);

            TcpFlow fromV4 = await(v4.tcp().connect(V4, port));
            TcpFlow atServer = nextFlow(accepted);
            assertEquals(fromV4.src(), atServer.dst(), "an IPv4 peer, not ::ffff:127.0.0.1");
            assertEquals(new IpEndpoint(V4, port), atServer.src());
            TcpFlow fromV6 = await(v6.tcp().connect(V6, port));
            assertEquals(fromV6.src(), nextFlow(accepted).dst());
        }
    }

    @Test
    void theDualStackWildcardReceivesAndAnswersIpv4Datagrams() throws Exception {
        try (SocketStack server = SocketStack.open(Ipv6Address.ANY); SocketStack client = SocketStack.open(V4)) {
            server.listenUdp(0, (src, dst, srcPort, payload) -> {
                String text = src + " " + dst;
                server.udp().write(dst, server.boundUdpPort(0), src, srcPort, -1, utf8(text));
            });
            BlockingQueue<Received> replies = listenUdp(client);

            await(client.udp().write(null, client.boundUdpPort(0), V4, server.boundUdpPort(0), -1, utf8("?")));

            Received reply = next(replies);
            assertEquals("127.0.0.1 0.0.0.0", text(reply.payload()));
            assertEquals(V4, reply.src());
            assertEquals(server.boundUdpPort(0), reply.srcPort());
        }
    }

    @Test
    void withoutAnAddressOfTheDestinationsVersionConnectsAndWritesFindNoRoute() {
        try (SocketStack onlyV4 = SocketStack.open(V4); SocketStack onlyV6 = SocketStack.open(V6)) {
            TcpException.NoRoute connect = failure(TcpException.NoRoute.class, onlyV4.tcp().connect(V6, 9));
            assertEquals(new IpError.NoRoute(V6), connect.error());
            UdpException.Ip write = failure(UdpException.Ip.class, onlyV6.udp().write(V4, 9, utf8("x")));
            assertEquals(new IpError.NoRoute(V4), write.error());
        }
    }

    @Test
    void aSourceOfTheOtherVersionIsAnIllegalArgument() {
        try (SocketStack stack = SocketStack.open(V4, V6)) {
            failure(IllegalArgumentException.class, stack.udp().write(V4, 0, V6, 9, -1, utf8("x")));
        }
    }

    @Test
    void theBuilderRejectsTheWildcardWithOthersAndLinkLocalWithoutAZone() {
        assertThrows(IllegalArgumentException.class,
                () -> SocketStack.builder().address(Ipv6Address.ANY).address(V4).build());
        IllegalArgumentException noZone = assertThrows(IllegalArgumentException.class,
                () -> SocketStack.builder().address(Ipv6Address.parse("fe80::1")).build());
        assertEquals("the link-local address fe80::1 needs its zone, the interface's index (fe80::1%2)",
                noZone.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> SocketStack.builder().address(Ipv6Address.parse("2001:2::1")).build());
    }
}
