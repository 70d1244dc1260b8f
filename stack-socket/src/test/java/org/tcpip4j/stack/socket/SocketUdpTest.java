package org.tcpip4j.stack.socket;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tcpip4j.stack.socket.Futures.await;
import static org.tcpip4j.stack.socket.Futures.failure;
import static org.tcpip4j.stack.socket.Futures.utf8;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.tcpip4j.ip.IpError;
import org.tcpip4j.netif.IpAddress;
import org.tcpip4j.netif.Ipv4Address;
import org.tcpip4j.udp.UdpException;

class SocketUdpTest {

    private static final Ipv4Address LOCALHOST = Ipv4Address.LOCALHOST;

    private final SocketStack a = SocketStack.builder().name("a").address(LOCALHOST).build();
    private final SocketStack b = SocketStack.builder().name("b").address(LOCALHOST).build();

    /** One received datagram, copied out of the callback. */
    record Received(IpAddress src, IpAddress dst, int srcPort, byte[] payload, boolean onLoop) {
    }

    @AfterEach
    void disconnect() {
        a.close();
        b.close();
    }

    private static BlockingQueue<Received> listen(SocketStack stack, int port) {
        BlockingQueue<Received> got = new LinkedBlockingQueue<>();
        stack.listenUdp(port, (src, dst, srcPort, payload) -> {
            byte[] bytes = new byte[payload.remaining()];
            payload.get(bytes);
            got.add(new Received(src, dst, srcPort, bytes, stack.loop().inEventLoop()));
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

    @Test
    void datagramsEchoBetweenTwoStacksOnTheEventLoop() throws Exception {
        a.listenUdp(0, (src, dst, srcPort, payload) -> {
            ByteBuffer copy = ByteBuffer.allocate(payload.remaining()).put(payload).flip();
            a.udp().write(dst, a.boundUdpPort(0), src, srcPort, -1, copy);
        });
        int echoPort = a.boundUdpPort(0);
        BlockingQueue<Received> replies = listen(b, 0);
        int clientPort = b.boundUdpPort(0);

        await(b.udp().write(LOCALHOST, clientPort, LOCALHOST, echoPort, -1, utf8("ping")));

        Received reply = next(replies);
        assertEquals("ping", Futures.text(reply.payload()));
        assertEquals(LOCALHOST, reply.src());
        assertEquals(LOCALHOST, reply.dst());
        assertEquals(echoPort, reply.srcPort());
        assertTrue(reply.onLoop(), "callbacks run on the stack's event loop");
    }

    @Test
    void aDatagramOf60000BytesArrivesWhole() throws Exception {
        BlockingQueue<Received> got = listen(b, 0);
        byte[] big = new byte[60_000];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 31 + 7);
        }

        await(a.udp().write(LOCALHOST, b.boundUdpPort(0), ByteBuffer.wrap(big)));

        assertArrayEquals(big, next(got).payload());
    }

    @Test
    void aSecondListenerReplacesTheFirstOnTheSamePort() throws Exception {
        BlockingQueue<Received> first = listen(b, 0);
        int port = b.boundUdpPort(0);
        BlockingQueue<Received> second = listen(b, 0);

        assertEquals(port, b.boundUdpPort(0), "replacing the listener does not rebind");
        await(a.udp().write(LOCALHOST, port, utf8("to the second")));

        assertEquals("to the second", Futures.text(next(second).payload()));
        assertNull(first.poll(100, TimeUnit.MILLISECONDS));
    }

    @Test
    void unlistenClosesThePortsSocket() throws Exception {
        listen(b, 0);
        int port = b.boundUdpPort(0);

        b.udp().unlisten(0);

        assertEquals(-1, b.boundUdpPort(0));
        try (DatagramChannel other = DatagramChannel.open()) {
            other.bind(new InetSocketAddress("127.0.0.1", port)); // would fail if still bound
        }
    }

    @Test
    void unlistenWhereNobodyListensChangesNothing() {
        a.udp().unlisten(4242);
        assertEquals(-1, a.boundUdpPort(4242));
    }

    @Test
    void listeningOnAPortOutside0To65535IsAnIllegalArgument() {
        assertThrows(IllegalArgumentException.class, () -> a.listenUdp(-1, (s, d, p, buf) -> { }));
        assertThrows(IllegalArgumentException.class, () -> a.listenUdp(65_536, (s, d, p, buf) -> { }));
        assertThrows(IllegalArgumentException.class, () -> a.udp().unlisten(65_536));
    }

    @Test
    void writingWithAPortOutside0To65535FailsWithAnIllegalArgument() {
        failure(IllegalArgumentException.class, a.udp().write(LOCALHOST, 65_536, utf8("x")));
        failure(IllegalArgumentException.class, a.udp().write(null, -1, LOCALHOST, 9, -1, utf8("x")));
    }

    @Test
    void aDatagramOverThe65507ByteMaximumIsTooLarge() {
        UdpException.Ip e = failure(UdpException.Ip.class,
                a.udp().write(LOCALHOST, 9, ByteBuffer.allocate(65_508)));
        IpError.TooLarge tooLarge = assertInstanceOf(IpError.TooLarge.class, e.error());
        assertEquals(65_508, tooLarge.size());
        assertEquals(65_507, tooLarge.max());
    }

    @Test
    void aSourceThatIsNotTheStacksIsAnIllegalArgument() {
        failure(IllegalArgumentException.class,
                a.udp().write(Ipv4Address.of(192, 0, 2, 1), 0, LOCALHOST, 9, -1, utf8("x")));
    }

    @Test
    void writesFromPort0ComeFromOneKernelChosenPort() throws Exception {
        BlockingQueue<Received> got = listen(b, 0);

        await(a.udp().write(LOCALHOST, b.boundUdpPort(0), utf8("one")));
        await(a.udp().write(LOCALHOST, b.boundUdpPort(0), utf8("two")));

        int first = next(got).srcPort();
        assertNotEquals(0, first);
        assertEquals(first, next(got).srcPort());
    }

    @Test
    void countersCountDatagramsAndBytesBothWays() throws Exception {
        BlockingQueue<Received> got = listen(b, 0);

        await(a.udp().write(LOCALHOST, b.boundUdpPort(0), utf8("12345")));
        next(got);

        assertEquals(1, a.udp().counters().get("tx.datagrams"));
        assertEquals(5, a.udp().counters().get("tx.bytes"));
        // Counted on the loop before the callback ran.
        assertEquals(1, b.udp().counters().get("rx.datagrams"));
        assertEquals(1, b.udp().counters().get("rx.delivered"));
        assertEquals(5, b.udp().counters().get("rx.bytes"));
    }

    @Test
    void writesAfterDisconnectFailAsDisconnected() throws IOException {
        a.close();
        failure(UdpException.Disconnected.class, a.udp().write(LOCALHOST, 9, utf8("late")));
    }

    @Test
    void listeningOnAPortAnotherSocketHoldsFails() throws Exception {
        try (DatagramChannel other = DatagramChannel.open()) {
            other.bind(new InetSocketAddress("127.0.0.1", 0));
            int port = ((InetSocketAddress) other.getLocalAddress()).getPort();

            assertThrows(UncheckedIOException.class, () -> a.listenUdp(port, (s, d, p, buf) -> { }));
            assertEquals(-1, a.boundUdpPort(port));
        }
    }
}
