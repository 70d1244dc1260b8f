package org.tcpip4j.stack.socket.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tcpip4j.stack.socket.Futures.await;
import static org.tcpip4j.stack.socket.Futures.utf8;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.tcpip4j.netif.IpAddress;
import org.tcpip4j.netif.Ipv4Address;
import org.tcpip4j.netif.Ipv6Address;
import org.tcpip4j.stack.socket.Futures;
import org.tcpip4j.stack.socket.SocketStack;
import org.tcpip4j.tcp.ReadResult;
import org.tcpip4j.tcp.TcpException;
import org.tcpip4j.tcp.TcpFlow;

/**
 * Listening for one IP version on the dual-stack wildcard {@code ::}: the other version's
 * peers reach the port's socket but not the listener.
 */
class OneVersionListenerTest {

    private static final Ipv4Address V4 = Ipv4Address.LOCALHOST;
    private static final Ipv6Address V6 = Ipv6Address.LOOPBACK;

    private final SocketStack server = SocketStack.open(Ipv6Address.ANY);
    private final SocketStack client = SocketStack.open(V4, V6);

    @AfterEach
    void disconnect() {
        client.close();
        server.close();
    }

    @Test
    void aTcpListenerForIpv6ResetsIpv4ConnectionsAndAnotherListenerCanTakeThem() throws Exception {
        SocketTcp tcp = (SocketTcp) server.tcp();
        BlockingQueue<TcpFlow> six = new LinkedBlockingQueue<>();
        BlockingQueue<TcpFlow> four = new LinkedBlockingQueue<>();
        tcp.listen(0, null, six::add, IpVersions.IPV6_ONLY);
        int port = server.boundTcpPort(0);

        assertEquals(V6, await(client.tcp().connect(V6, port)).src().address());
        assertEquals(V6, six.poll(Futures.TIMEOUT_SECONDS, TimeUnit.SECONDS).dst().address());
        // The kernel accepted and the stack reset: the connect is refused, or its flow's read reset.
        Throwable refused = cause(client.tcp().connect(V4, port).thenCompose(TcpFlow::read));
        assertTrue(refused instanceof TcpException.Reset || refused instanceof TcpException.Refused,
                "refused: " + refused);
        eventually(() -> server.tcp().counters().get("conn.refused_ip_version") == 1);

        tcp.listen(0, null, four::add, IpVersions.IPV4_ONLY);
        await(client.tcp().connect(V4, port));
        assertEquals(V4, four.poll(Futures.TIMEOUT_SECONDS, TimeUnit.SECONDS).dst().address());
        assertTrue(six.isEmpty(), "the IPv6 listener got no IPv4 connection");
    }

    @Test
    void aUdpListenerForIpv4LeavesIpv6DatagramsWithoutAListener() throws Exception {
        SocketUdp udp = (SocketUdp) server.udp();
        BlockingQueue<IpAddress> sources = new LinkedBlockingQueue<>();
        udp.listen(0, (src, dst, srcPort, payload) -> sources.add(src), IpVersions.IPV4_ONLY);
        int port = server.boundUdpPort(0);

        await(client.udp().write(V6, port, utf8("six")));
        await(client.udp().write(V4, port, utf8("four")));

        assertEquals(V4, sources.poll(Futures.TIMEOUT_SECONDS, TimeUnit.SECONDS));
        eventually(() -> server.udp().counters().get("rx.no_listener") == 1);
        assertEquals(0, sources.size());
    }

    /** Waits (bounded) for a counter the loop updates after the event the test saw. */
    private static void eventually(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Futures.TIMEOUT_SECONDS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not within " + Futures.TIMEOUT_SECONDS + " s");
            }
            Thread.sleep(10);
        }
    }

    private static Throwable cause(CompletableFuture<ReadResult> read) throws Exception {
        try {
            ReadResult r = read.get(Futures.TIMEOUT_SECONDS, TimeUnit.SECONDS);
            throw new AssertionError("read gave " + r);
        } catch (java.util.concurrent.ExecutionException | CompletionException e) {
            return e.getCause();
        }
    }
}
