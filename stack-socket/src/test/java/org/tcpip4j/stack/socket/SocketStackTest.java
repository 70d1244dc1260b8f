package org.tcpip4j.stack.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tcpip4j.stack.socket.Futures.await;
import static org.tcpip4j.stack.socket.Futures.failure;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.tcpip4j.netif.IpAddress;
import org.tcpip4j.netif.IpEndpoint;
import org.tcpip4j.netif.Ipv4Address;
import org.tcpip4j.netif.loop.RealTimeEventLoop;
import org.tcpip4j.stack.Stack;
import org.tcpip4j.tcp.TcpException;
import org.tcpip4j.tcp.TcpFlow;

class SocketStackTest {

    private static final Ipv4Address LOCALHOST = Ipv4Address.LOCALHOST;

    @Test
    void addressesAreTheOnesTheStackBinds() {
        try (Stack stack = SocketStack.open(LOCALHOST)) {
            assertEquals(List.of(LOCALHOST), stack.addresses());
        }
    }

    @Test
    void aStackNeedsAnAddress() {
        assertThrows(IllegalStateException.class, () -> SocketStack.builder().build());
    }

    @Test
    void anAddressTheHostDoesNotHaveIsRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> SocketStack.builder().address(Ipv4Address.of(192, 0, 2, 1)).build());
    }

    @Test
    void theWildcardAddressMustStandAlone() {
        assertThrows(IllegalArgumentException.class,
                () -> SocketStack.builder().address(Ipv4Address.ANY).address(LOCALHOST).build());
    }

    @Test
    void listenCompletesOnDisconnectWhichIsIdempotent() {
        SocketStack stack = SocketStack.open(LOCALHOST);
        CompletableFuture<Void> running = stack.listen();
        assertFalse(running.isDone());

        CompletableFuture<Void> first = stack.disconnect();
        await(first);

        assertTrue(running.isDone());
        assertSame(first, stack.disconnect());
        assertThrows(RejectedExecutionException.class, () -> stack.loop().execute(() -> { }),
                "the stack's own loop is shut down");
    }

    @Test
    void disconnectClosesEverySocketAndLeavesAGivenLoopRunning() throws Exception {
        try (RealTimeEventLoop loop = new RealTimeEventLoop("test-loop")) {
            SocketStack stack = SocketStack.builder().address(LOCALHOST).loop(loop).build();
            stack.listenTcp(0, Futures::echo);
            stack.listenUdp(0, (src, dst, port, payload) -> { });
            int tcpPort = stack.boundTcpPort(0);
            int udpPort = stack.boundUdpPort(0);

            stack.close();

            try (ServerSocketChannel tcp = ServerSocketChannel.open();
                 DatagramChannel udp = DatagramChannel.open()) {
                tcp.bind(new InetSocketAddress("127.0.0.1", tcpPort));
                udp.bind(new InetSocketAddress("127.0.0.1", udpPort));
            }
            failure(TcpException.Closed.class, stack.tcp().connect(LOCALHOST, tcpPort));
            stack.listenTcp(0, flow -> { }); // ignored, as on the direct stack
            assertEquals(-1, stack.boundTcpPort(0));
            CompletableFuture<Boolean> alive = new CompletableFuture<>();
            loop.execute(() -> alive.complete(true));
            assertTrue(await(alive), "a loop the user gave is not the stack's to shut down");
        }
    }

    @Test
    void disconnectResetsEstablishedFlows() throws Exception {
        try (SocketStack server = SocketStack.open(LOCALHOST); SocketStack client = SocketStack.open(LOCALHOST)) {
            server.listenTcp(0, flow -> { });
            var flow = await(client.tcp().connect(LOCALHOST, server.boundTcpPort(0)));
            var pending = flow.read();

            client.disconnect();

            failure(TcpException.Reset.class, pending);
        }
    }

    @Test
    void listeningBindsEveryAddressOfTheStackOnOnePort() throws Exception {
        Ipv4Address second = Ipv4Address.of(127, 0, 0, 2);
        try (DatagramChannel probe = DatagramChannel.open()) {
            probe.bind(new InetSocketAddress("127.0.0.2", 0));
        } catch (IOException e) {
            Assumptions.abort("127.0.0.2 is not local on this host (Linux makes all of 127/8 local)");
        }
        try (SocketStack server = SocketStack.builder().address(LOCALHOST).address(second).build();
             SocketStack client = SocketStack.open(LOCALHOST)) {
            BlockingQueue<IpAddress> arrivedAt = new LinkedBlockingQueue<>();
            server.listenUdp(0, (src, dst, port, payload) -> arrivedAt.add(dst));
            server.listenTcp(0, Futures::echo);
            int udpPort = server.boundUdpPort(0);
            int tcpPort = server.boundTcpPort(0);

            await(client.udp().write(LOCALHOST, udpPort, Futures.utf8("one")));
            assertEquals(LOCALHOST, arrivedAt.poll(5, TimeUnit.SECONDS));
            await(client.udp().write(second, udpPort, Futures.utf8("two")));
            assertEquals(second, arrivedAt.poll(5, TimeUnit.SECONDS));
            TcpFlow flow = await(client.tcp().connect(second, tcpPort));
            assertEquals(new IpEndpoint(second, tcpPort), flow.dst());
        }
    }
}
