package org.tcpip4j.stack.socket;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tcpip4j.stack.socket.Futures.await;
import static org.tcpip4j.stack.socket.Futures.failure;
import static org.tcpip4j.stack.socket.Futures.readAll;
import static org.tcpip4j.stack.socket.Futures.text;
import static org.tcpip4j.stack.socket.Futures.utf8;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.tcpip4j.netif.IpEndpoint;
import org.tcpip4j.netif.Ipv4Address;
import org.tcpip4j.tcp.ReadResult;
import org.tcpip4j.tcp.Shutdown;
import org.tcpip4j.tcp.TcpConfig;
import org.tcpip4j.tcp.TcpException;
import org.tcpip4j.tcp.TcpFlow;

class SocketTcpTest {

    private static final Ipv4Address LOCALHOST = Ipv4Address.LOCALHOST;

    /** 64 KiB flow buffers, so that backpressure shows after little data. */
    private static final TcpConfig SMALL_BUFFERS =
            new TcpConfig(64 * 1024, 64 * 1024, Duration.ofSeconds(30), 6, 12, 128);

    private final SocketStack server = SocketStack.builder().name("server").address(LOCALHOST)
            .tcpConfig(SMALL_BUFFERS).build();
    private final SocketStack client = SocketStack.builder().name("client").address(LOCALHOST)
            .tcpConfig(SMALL_BUFFERS).build();

    @AfterEach
    void disconnect() {
        client.close();
        server.close();
    }

    /** Listens on a kernel-chosen port, queueing accepted flows; returns the port. */
    private int listen(BlockingQueue<TcpFlow> accepted) {
        server.listenTcp(0, accepted::add);
        return server.boundTcpPort(0);
    }

    private static TcpFlow next(BlockingQueue<TcpFlow> accepted) throws InterruptedException {
        TcpFlow flow = accepted.poll(Futures.TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (flow == null) {
            throw new AssertionError("no connection accepted within " + Futures.TIMEOUT_SECONDS + " s");
        }
        return flow;
    }

    private static byte[] pattern(int size) {
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) (i % 251);
        }
        return bytes;
    }

    @Test
    void aConnectionIsAcceptedOnTheLoopAndEchoes() throws Exception {
        BlockingQueue<Boolean> listenerOnLoop = new LinkedBlockingQueue<>();
        server.listenTcp(0, flow -> {
            listenerOnLoop.add(server.loop().inEventLoop());
            Futures.echo(flow);
        });
        int port = server.boundTcpPort(0);

        TcpFlow flow = await(client.tcp().connect(LOCALHOST, port));
        await(flow.write(utf8("hello, ")));
        await(flow.writeNodelay(utf8("echo")));
        await(flow.shutdown(Shutdown.WRITE));

        assertEquals("hello, echo", text(await(readAll(flow))));
        assertTrue(listenerOnLoop.poll(5, TimeUnit.SECONDS));
        assertEquals(new IpEndpoint(LOCALHOST, port), flow.dst());
        assertEquals(LOCALHOST, flow.src().address());
        assertEquals(1, client.tcp().counters().get("conn.active_opens"));
        assertEquals(1, server.tcp().counters().get("conn.passive_opens"));
        assertEquals(1, server.tcp().counters().get("conn.established"));
    }

    @Test
    void infoSaysWhatJavaCanSeeOfAKernelConnection() throws Exception {
        BlockingQueue<TcpFlow> accepted = new LinkedBlockingQueue<>();
        TcpFlow flow = await(client.tcp().connect(LOCALHOST, listen(accepted)));
        org.tcpip4j.tcp.TcpInfo info = await(flow.info());
        assertEquals("ESTABLISHED", info.state());
        assertEquals("kernel", info.congestionControl());
        assertTrue(info.sendBuffer() > 0 && info.receiveBuffer() > 0, info.toString());
        assertEquals(-1, info.cwnd(), "the kernel's tcp_info is out of Java's reach");
        next(accepted).close();
        await(flow.close());
    }

    @Test
    void connectingToAPortNobodyListensOnIsRefused() throws Exception {
        failure(TcpException.Refused.class, client.tcp().connect(LOCALHOST, Futures.closedTcpPort()));
        assertEquals(1, client.tcp().counters().get("conn.refused"));
    }

    @Test
    void listeningOnAPortOutside0To65535IsAnIllegalArgument() {
        assertThrows(IllegalArgumentException.class, () -> server.listenTcp(-1, flow -> { }));
        assertThrows(IllegalArgumentException.class, () -> server.listenTcp(65_536, flow -> { }));
    }

    @Test
    void connectingToAPortOutside1To65535IsAnIllegalArgument() {
        assertThrows(IllegalArgumentException.class, () -> client.tcp().connect(LOCALHOST, 0));
        assertThrows(IllegalArgumentException.class, () -> client.tcp().connect(LOCALHOST, 65_536));
    }

    @Test
    void eofComesOnlyAfterEveryByteThePeerSentBeforeClosing() throws Exception {
        BlockingQueue<TcpFlow> accepted = new LinkedBlockingQueue<>();
        TcpFlow flow = await(client.tcp().connect(LOCALHOST, listen(accepted)));
        TcpFlow peer = next(accepted);
        byte[] data = pattern(200_000);

        // The peer writes and closes its direction before anything is read here.
        await(peer.write(ByteBuffer.wrap(data)));
        await(peer.shutdown(Shutdown.WRITE));

        assertArrayEquals(data, await(readAll(flow)));
        assertInstanceOf(ReadResult.Eof.class, await(flow.read()), "Eof stays Eof");
    }

    @Test
    void closeCompletesOnlyOnceThePeerHasClosedToo() throws Exception {
        BlockingQueue<TcpFlow> accepted = new LinkedBlockingQueue<>();
        TcpFlow flow = await(client.tcp().connect(LOCALHOST, listen(accepted)));
        TcpFlow peer = next(accepted);

        await(flow.write(utf8("bye")));
        CompletableFuture<Void> closing = flow.close();

        // The peer reads everything and the FIN: this side's direction is closed...
        assertEquals("bye", text(await(readAll(peer))));
        // ...but the peer's is not, so close is still waiting.
        assertFalse(closing.isDone());

        await(peer.close());
        await(closing);
    }

    @Test
    void afterShutdownWriteThePeerCanStillWriteBack() throws Exception {
        BlockingQueue<TcpFlow> accepted = new LinkedBlockingQueue<>();
        TcpFlow flow = await(client.tcp().connect(LOCALHOST, listen(accepted)));
        TcpFlow peer = next(accepted);

        await(flow.write(utf8("request")));
        await(flow.shutdown(Shutdown.WRITE));
        assertEquals("request", text(await(readAll(peer))));
        await(peer.write(utf8("response")));
        CompletableFuture<Void> peerClosing = peer.close();

        assertEquals("response", text(await(readAll(flow))));
        await(peerClosing);
        await(flow.close());
    }

    @Test
    void writingAfterShutdownWriteFailsAsClosed() throws Exception {
        BlockingQueue<TcpFlow> accepted = new LinkedBlockingQueue<>();
        TcpFlow flow = await(client.tcp().connect(LOCALHOST, listen(accepted)));

        await(flow.shutdown(Shutdown.WRITE));

        failure(TcpException.Closed.class, flow.write(utf8("late")));
        failure(TcpException.Closed.class, flow.writeNodelay(utf8("late")));
    }

    @Test
    void shutdownReadMakesReadsGiveEofAndDropsWhatArrives() throws Exception {
        BlockingQueue<TcpFlow> accepted = new LinkedBlockingQueue<>();
        TcpFlow flow = await(client.tcp().connect(LOCALHOST, listen(accepted)));
        TcpFlow peer = next(accepted);
        CompletableFuture<ReadResult> pending = flow.read();

        await(flow.shutdown(Shutdown.READ));
        await(peer.write(utf8("ignored")));

        assertInstanceOf(ReadResult.Eof.class, await(pending));
        assertInstanceOf(ReadResult.Eof.class, await(flow.read()));
    }

    @Test
    void onlyOneReadMayBePending() throws Exception {
        BlockingQueue<TcpFlow> accepted = new LinkedBlockingQueue<>();
        TcpFlow flow = await(client.tcp().connect(LOCALHOST, listen(accepted)));

        CompletableFuture<ReadResult> first = flow.read();
        failure(IllegalStateException.class, flow.read());

        await(next(accepted).write(utf8("x")));
        assertInstanceOf(ReadResult.Data.class, await(first));
    }

    @Test
    void aPeerResetFailsThePendingReadWithReset() throws Exception {
        BlockingQueue<TcpFlow> accepted = new LinkedBlockingQueue<>();
        TcpFlow flow = await(client.tcp().connect(LOCALHOST, listen(accepted)));
        next(accepted);
        CompletableFuture<ReadResult> pending = flow.read();

        server.close(); // resets every flow of the server stack

        failure(TcpException.Reset.class, pending);
        failure(TcpException.Closed.class, flow.write(utf8("after the reset")));
        await(flow.close()); // never fails
    }

    @Test
    void aResetDropsWhatArrivedButWasNotReadYet() throws Exception {
        BlockingQueue<TcpFlow> accepted = new LinkedBlockingQueue<>();
        TcpFlow flow = await(client.tcp().connect(LOCALHOST, listen(accepted)));
        await(next(accepted).writeNodelay(utf8("never read")));

        server.close();
        // The reset has to reach this side first; the counter tells when it has.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Futures.TIMEOUT_SECONDS);
        while (client.tcp().counters().get("conn.resets_received") == 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }

        failure(TcpException.Reset.class, flow.read());
    }

    @Test
    void writeWaitsWhileTheSendBufferIsFullAndResumesWhenThePeerReads() throws Exception {
        BlockingQueue<TcpFlow> accepted = new LinkedBlockingQueue<>();
        TcpFlow flow = await(client.tcp().connect(LOCALHOST, listen(accepted)));
        TcpFlow peer = next(accepted);
        int chunk = 64 * 1024;
        byte[] block = pattern(chunk);

        // The peer does not read: the kernel's buffers fill, then this flow's, then a write waits.
        long written = 0;
        CompletableFuture<Void> blocked = null;
        while (blocked == null) {
            CompletableFuture<Void> w = flow.write(ByteBuffer.wrap(block));
            written += chunk;
            try {
                w.get(300, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                blocked = w;
            }
            assertTrue(written < 256L * 1024 * 1024, "a write should have waited by now");
        }

        CompletableFuture<byte[]> received = readAll(peer);
        await(blocked);
        await(flow.shutdown(Shutdown.WRITE));
        byte[] all = await(received);

        assertEquals(written, all.length);
        for (int i = 0; i < all.length; i++) {
            if (all[i] != block[i % chunk]) {
                throw new AssertionError("byte " + i + " differs");
            }
        }
    }

    @Test
    void aSecondListenerReplacesTheFirstWithoutRebinding() throws Exception {
        BlockingQueue<TcpFlow> first = new LinkedBlockingQueue<>();
        BlockingQueue<TcpFlow> second = new LinkedBlockingQueue<>();
        int port = listen(first);
        server.listenTcp(0, second::add);

        assertEquals(port, server.boundTcpPort(0));
        await(client.tcp().connect(LOCALHOST, port));

        next(second);
        assertNull(first.poll(100, TimeUnit.MILLISECONDS));
    }

    @Test
    void unlistenRefusesNewConnectionsButKeepsEstablishedFlows() throws Exception {
        BlockingQueue<TcpFlow> accepted = new LinkedBlockingQueue<>();
        int port = listen(accepted);
        TcpFlow flow = await(client.tcp().connect(LOCALHOST, port));
        Futures.echo(next(accepted));

        server.tcp().unlisten(0);

        failure(TcpException.Refused.class, client.tcp().connect(LOCALHOST, port));
        await(flow.write(utf8("still here")));
        await(flow.shutdown(Shutdown.WRITE));
        assertEquals("still here", text(await(readAll(flow))));
    }

    @Test
    void blockingStreamsWorkOnAVirtualThread() throws Exception {
        server.listenTcp(0, Futures::echo);
        TcpFlow flow = await(client.tcp().connect(LOCALHOST, server.boundTcpPort(0)));
        byte[] data = pattern(300_000);
        CompletableFuture<byte[]> echoed = new CompletableFuture<>();

        Thread.ofVirtual().start(() -> {
            try (InputStream in = flow.inputStream()) {
                Thread writer = Thread.ofVirtual().start(() -> {
                    try (OutputStream out = flow.outputStream()) {
                        out.write(data);
                    } catch (Exception e) {
                        echoed.completeExceptionally(e);
                    }
                });
                echoed.complete(in.readAllBytes());
                writer.join();
            } catch (Exception e) {
                echoed.completeExceptionally(e);
            }
        });

        assertArrayEquals(data, await(echoed));
    }

    @Test
    void aPendingReadCompletesOnTheEventLoop() throws Exception {
        BlockingQueue<TcpFlow> accepted = new LinkedBlockingQueue<>();
        TcpFlow flow = await(client.tcp().connect(LOCALHOST, listen(accepted)));
        CompletableFuture<Boolean> onLoop = flow.read().thenApply(r -> client.loop().inEventLoop());

        await(next(accepted).write(utf8("x")));

        assertTrue(await(onLoop));
    }

    @Test
    void closeGivesUpAfterTheCloseTimeoutWhenThePeerNeverCloses() throws Exception {
        try (SocketStack impatient = SocketStack.builder().name("impatient").address(LOCALHOST)
                .closeTimeout(Duration.ofMillis(200)).build()) {
            BlockingQueue<TcpFlow> accepted = new LinkedBlockingQueue<>();
            TcpFlow flow = await(impatient.tcp().connect(LOCALHOST, listen(accepted)));
            TcpFlow peer = next(accepted);

            await(flow.close()); // the peer reads nothing and never closes

            failure(TcpException.Timeout.class, flow.read());
            assertInstanceOf(ReadResult.Eof.class, await(peer.read()), "the FIN was sent before giving up");
        }
    }

    @Test
    void listeningOnAPortAnotherSocketHoldsFails() throws Exception {
        try (ServerSocketChannel other = ServerSocketChannel.open()) {
            other.bind(new InetSocketAddress("127.0.0.1", 0));
            int port = ((InetSocketAddress) other.getLocalAddress()).getPort();

            assertThrows(UncheckedIOException.class, () -> server.listenTcp(port, flow -> { }));
            assertEquals(-1, server.boundTcpPort(port));
        }
    }
}
