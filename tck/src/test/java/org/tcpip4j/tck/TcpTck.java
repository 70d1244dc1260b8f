package org.tcpip4j.tck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.tcpip4j.tck.FlowTransfers.echoUntilEof;
import static org.tcpip4j.tck.FlowTransfers.readExactly;
import static org.tcpip4j.tck.FlowTransfers.readToEof;
import static org.tcpip4j.tck.FlowTransfers.readToEofInto;
import static org.tcpip4j.tck.FlowTransfers.writeAll;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ReadPendingException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.tcpip4j.netif.IpEndpoint;
import org.tcpip4j.stack.Stack;
import org.tcpip4j.tcp.Keepalive;
import org.tcpip4j.tcp.ReadResult;
import org.tcpip4j.tcp.Shutdown;
import org.tcpip4j.tcp.TcpException;
import org.tcpip4j.tcp.TcpFlow;

/**
 * The TCP cases of the TCK (RFC 9293 through Mirage_flow's contract, as {@code TcpFlow}
 * documents it), written against {@link Stack} only: connect, accept and echo with both
 * endpoints checked; refused connections; Eof only after every byte; close waiting for the
 * peer; half-close; backpressure with a slow reader; {@code writeNodelay}; one pending read;
 * {@code shutdown(READ)}; reads into the caller's buffer and a reception of lent views,
 * paused to hold the writer back; listener replacement and unlisten; invalid ports; keepalive;
 * simultaneous bulk transfers both ways; many connections at once; the blocking stream
 * adapters on virtual threads; disconnect. Where the stacks differ the case says which
 * {@link Feature} it needs and a companion case asserts what a stack without it does.
 */
public interface TcpTck {

    /** The current case's fixture (the suite's {@link StackTck#fixture()}). */
    StackFixture fixture();

    /** Both ends of one connection: the client's flow and the flow the server accepted. */
    record Connected(TcpFlow client, TcpFlow server) {
    }

    /**
     * More than the stacks can hold between a writer and a reader that does not read: on
     * loopback the kernel's buffers grow to a few MiB (tcp_wmem 4 MiB at most by default,
     * the receiving socket and the socket stack's own buffers on top).
     */
    int MORE_THAN_BUFFERED = 12 * 1024 * 1024;

    /** One MiB. */
    int MIB = 1024 * 1024;

    private static ByteBuffer ascii(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII));
    }

    private static String ascii(byte[] b) {
        return new String(b, StandardCharsets.US_ASCII);
    }

    /** Listens on a free port of the server with {@code accepted}; returns the port. */
    private int listen(AcceptedFlows accepted) {
        StackFixture f = fixture();
        int port = f.freeTcpPort(f.server());
        f.server().listenTcp(port, accepted);
        return port;
    }

    /** Connects the client to the server's {@code port} and waits for the flow. */
    private TcpFlow connectTo(int port) {
        StackFixture f = fixture();
        return f.await(f.client().tcp().connect(f.serverAddress(), port));
    }

    /** A new connection from the client to a new listening port of the server. */
    private Connected connect() {
        AcceptedFlows accepted = new AcceptedFlows();
        int port = listen(accepted);
        TcpFlow client = connectTo(port);
        return new Connected(client, fixture().await(accepted.next()));
    }

    /** Sends {@code message} from {@code from} and waits until {@code to} has read exactly it. */
    private void deliver(TcpFlow from, TcpFlow to, String message) {
        StackFixture f = fixture();
        CompletableFuture<byte[]> received = readExactly(to, message.length());
        f.await(from.write(ascii(message)));
        assertEquals(message, ascii(f.await(received)));
    }

    /** Closes both ends, the client first, and checks that both closes complete. */
    private void closeBoth(Connected c) {
        StackFixture f = fixture();
        CompletableFuture<Void> clientClosed = c.client().close();
        CompletableFuture<Void> serverClosed = c.server().close();
        f.await(clientClosed);
        f.await(serverClosed);
    }

    // ---- connect, accept, echo ----

    @Test
    default void aConnectionIsAcceptedWithBothEndpointsAsEachSideSeesThem() {
        StackFixture f = fixture();
        AcceptedFlows accepted = new AcceptedFlows();
        int port = listen(accepted);

        TcpFlow client = connectTo(port);
        TcpFlow server = f.await(accepted.next());

        assertEquals(f.clientAddress(), client.src().address());
        assertTrue(client.src().port() > 0 && client.src().port() <= 65_535, "client port " + client.src());
        assertEquals(new IpEndpoint(f.serverAddress(), port), client.dst());
        assertEquals(new IpEndpoint(f.serverAddress(), port), server.src());
        assertEquals(client.src(), server.dst(), "the server sees the client's address and port");
        assertEquals(1, accepted.size());
    }

    @Test
    default void whatTheClientWritesIsEchoedBackByTheServer() {
        StackFixture f = fixture();
        CompletableFuture<Long> echoed = new CompletableFuture<>();
        AcceptedFlows accepted = new AcceptedFlows(flow -> echoUntilEof(flow).whenComplete((n, e) -> {
            if (e != null) {
                echoed.completeExceptionally(e);
            } else {
                echoed.complete(n);
            }
        }));
        TcpFlow client = connectTo(listen(accepted));

        CompletableFuture<byte[]> back = readExactly(client, 13);
        f.await(client.write(ascii("hello, server")));
        assertEquals("hello, server", ascii(f.await(back)));
        f.await(client.shutdown(Shutdown.WRITE));

        assertTrue(f.await(readToEof(client)).length == 0, "nothing more after the echo");
        assertEquals(13L, f.await(echoed));
        f.await(client.close());
    }

    @Test
    default void writevSendsItsBuffersInOrderWithAndWithoutNodelay() {
        StackFixture f = fixture();
        Connected c = connect();
        String expected = "one,two,three,four,5";
        CompletableFuture<byte[]> received = readExactly(c.server(), expected.length());

        f.await(c.client().writev(List.of(ascii("one,"), ascii("two,"), ascii("three,"))));
        f.await(c.client().writevNodelay(List.of(ascii("four"), ascii(","))));
        f.await(c.client().write(ascii("5")));

        assertEquals(expected, ascii(f.await(received)));
    }

    @Test
    default void aConnectionToAPortNobodyListensOnIsRefused() {
        StackFixture f = fixture();
        int closed = f.freeTcpPort(f.server());

        Throwable failure = f.awaitFailure(f.client().tcp().connect(f.serverAddress(), closed));

        assertInstanceOf(TcpException.Refused.class, failure);
    }

    // ---- Eof, close, half-close ----

    @Test
    default void eofComesOnlyAfterEveryByteThePeerSentHasBeenRead() {
        StackFixture f = fixture();
        Connected c = connect();
        // Less than a receive buffer, so all of it and the FIN wait at the client before it reads.
        byte[] sent = Payloads.pattern(200 * 1024, 3);
        f.await(writeAll(c.server(), sent));
        f.await(c.server().shutdown(Shutdown.WRITE));
        f.pass(Duration.ofMillis(200));

        byte[] received = f.await(readToEof(c.client()));

        assertArrayEquals(sent, received);
        assertInstanceOf(ReadResult.Eof.class, f.await(c.client().read()), "Eof again after Eof");
        closeBoth(c);
    }

    @Test
    default void closeCompletesOnlyAfterThePeerHasClosedTooAndReadingGoesOnUntilThen() {
        StackFixture f = fixture();
        Connected c = connect();

        CompletableFuture<Void> closing = c.client().close();
        assertInstanceOf(ReadResult.Eof.class, f.await(c.server().read()), "the server saw our FIN");
        assertFalse(closing.isDone(), "close completed before the peer closed");
        deliver(c.server(), c.client(), "last words");
        CompletableFuture<Void> serverClosed = c.server().close();

        f.await(closing);
        f.await(serverClosed);
        assertInstanceOf(ReadResult.Eof.class, f.await(c.client().read()));
    }

    @Test
    default void closeFirstSendsEveryByteStillWaitingToBeWrittenThenTheFin() {
        StackFixture f = fixture();
        Connected c = connect();
        // More than the send buffer, so some writes still wait for room when close is called.
        byte[] sent = Payloads.pattern(2 * MIB, 4);
        CompletableFuture<Void> written = writeAll(c.client(), sent);

        CompletableFuture<Void> closing = c.client().close();
        assertInstanceOf(TcpException.Closed.class, f.awaitFailure(c.client().write(ascii("after close"))),
                "no writing after close");

        assertArrayEquals(sent, f.await(readToEof(c.server())));
        f.await(written);
        f.await(c.server().close());
        f.await(closing);
    }

    @Test
    default void afterShutdownWriteThePeerReadsEofAndStillSendsItsWholeAnswer() {
        StackFixture f = fixture();
        Connected c = connect();
        byte[] answer = Payloads.pattern(300 * 1024, 5);

        f.await(c.client().write(ascii("request")));
        f.await(c.client().shutdown(Shutdown.WRITE));
        assertEquals("request", ascii(f.await(readToEof(c.server()))));
        assertInstanceOf(TcpException.Closed.class, f.awaitFailure(c.client().write(ascii("too late"))),
                "no writing after shutdown(WRITE)");
        CompletableFuture<byte[]> clientReads = readToEof(c.client());
        f.await(writeAll(c.server(), answer));
        CompletableFuture<Void> serverClosed = c.server().close();

        assertArrayEquals(answer, f.await(clientReads));
        f.await(serverClosed);
        f.await(c.client().close());
    }

    /** {@link Feature#CLOSE_WAITS_FOR_THE_PEER}: a peer that keeps its direction open is waited for. */
    @Test
    default void closeWaitsForAPeerThatKeepsItsDirectionOpenLongerThanAnyTimeout() {
        StackFixture f = fixture();
        assumeTrue(f.supports(Feature.CLOSE_WAITS_FOR_THE_PEER),
                () -> f.description() + ": " + Feature.CLOSE_WAITS_FOR_THE_PEER.reason());
        Connected c = connect();
        CompletableFuture<Void> closing = c.client().close();
        assertInstanceOf(ReadResult.Eof.class, f.await(c.server().read()));

        // Longer than the socket stack's close timeout in its fixture (2 s).
        f.pass(Duration.ofSeconds(3));

        assertFalse(closing.isDone(), "close gave up on a live peer");
        deliver(c.server(), c.client(), "still here");
        CompletableFuture<Void> serverClosed = c.server().close();
        f.await(closing);
        f.await(serverClosed);
    }

    /** The documented difference of {@link Feature#CLOSE_WAITS_FOR_THE_PEER}: close gives up, reads time out. */
    @Test
    default void withABoundedCloseTheCloseCompletesWithoutThePeerAndReadsThenTimeOut() {
        StackFixture f = fixture();
        assumeFalse(f.supports(Feature.CLOSE_WAITS_FOR_THE_PEER),
                () -> f.description() + " waits for the peer's close; the difference does not apply");
        Connected c = connect();
        CompletableFuture<Void> closing = c.client().close();
        assertInstanceOf(ReadResult.Eof.class, f.await(c.server().read()));

        f.await(closing);

        assertInstanceOf(TcpException.Timeout.class, f.awaitFailure(c.client().read()));
    }

    // ---- writing: backpressure, nodelay ----

    @Test
    default void writesWaitWhileTheReaderDoesNotReadAndEveryByteArrivesInOrder() {
        StackFixture f = fixture();
        Connected c = connect();
        byte[] sent = Payloads.pattern(MORE_THAN_BUFFERED, 7);

        CompletableFuture<Void> written = writeAll(c.client(), sent);
        f.pass(Duration.ofMillis(500));
        assertFalse(written.isDone(), "every write was accepted though nobody read");

        // A slow reader: a millisecond between reads.
        byte[] received = f.await(readExactly(c.server(), sent.length, () -> f.after(Duration.ofMillis(1))));
        f.await(written);
        assertArrayEquals(sent, received);
        closeBoth(c);
    }

    @Test
    default void writeNodelayCompletesWithoutTheReadersHelpEvenForSmallWritesInARow() {
        StackFixture f = fixture();
        Connected c = connect();

        // Nagle would hold the second small write until the first is acknowledged.
        f.await(c.client().writeNodelay(ascii("a")));
        f.await(c.client().writeNodelay(ascii("b")));
        f.await(c.client().writeNodelay(ascii("c")));

        assertEquals("abc", ascii(f.await(readExactly(c.server(), 3))));
    }

    /** {@link Feature#NODELAY_WAITS_FOR_TRANSMISSION}: behind a shut window, writeNodelay waits. */
    @Test
    default void writeNodelayWaitsWhileThePeersWindowIsShutAndCompletesOnceItOpens() {
        StackFixture f = fixture();
        assumeTrue(f.supports(Feature.NODELAY_WAITS_FOR_TRANSMISSION),
                () -> f.description() + ": " + Feature.NODELAY_WAITS_FOR_TRANSMISSION.reason());
        Connected c = connect();
        // More than the peer's 256 KiB receive buffer, less than that and our send buffer together.
        byte[] filler = Payloads.pattern(300 * 1024, 8);
        f.await(writeAll(c.client(), filler));
        f.pass(Duration.ofMillis(500));

        CompletableFuture<Void> nodelay = c.client().writeNodelay(ascii("x"));
        CompletableFuture<Void> plain = c.client().write(ascii("y"));
        f.await(plain);
        f.pass(Duration.ofSeconds(1));

        assertFalse(nodelay.isDone(), "writeNodelay completed while its byte could not be sent");
        byte[] received = f.await(readExactly(c.server(), filler.length + 2));
        f.await(nodelay);
        assertArrayEquals(filler, Arrays.copyOf(received, filler.length));
        assertEquals("xy", ascii(Arrays.copyOfRange(received, filler.length, received.length)));
    }

    /** The documented difference of {@link Feature#NODELAY_WAITS_FOR_TRANSMISSION}: the kernel takes the data. */
    @Test
    default void withoutWaitingForTransmissionWriteNodelayCompletesBehindAShutWindow() {
        StackFixture f = fixture();
        assumeFalse(f.supports(Feature.NODELAY_WAITS_FOR_TRANSMISSION),
                () -> f.description() + " completes writeNodelay on transmission; the difference does not apply");
        Connected c = connect();
        byte[] filler = Payloads.pattern(300 * 1024, 8);
        f.await(writeAll(c.client(), filler));
        f.pass(Duration.ofMillis(500));

        f.await(c.client().writeNodelay(ascii("x")));

        byte[] received = f.await(readExactly(c.server(), filler.length + 1));
        assertArrayEquals(filler, Arrays.copyOf(received, filler.length));
        assertEquals('x', received[filler.length]);
    }

    // ---- reading: one pending read, shutdown(READ) ----

    @Test
    default void aSecondReadWhileOneIsPendingFailsAndTheFirstStillGetsTheData() {
        StackFixture f = fixture();
        Connected c = connect();
        CompletableFuture<ReadResult> first = c.client().read();

        Throwable second = f.awaitFailure(c.client().read());

        assertInstanceOf(IllegalStateException.class, second);
        assertFalse(first.isDone());
        f.await(c.server().write(ascii("x")));
        ReadResult.Data data = assertInstanceOf(ReadResult.Data.class, f.await(first));
        assertEquals("x", StandardCharsets.US_ASCII.decode(data.data()).toString());
    }

    @Test
    default void shutdownReadEndsReadsWithEofWhileThePeerKeepsWritingUnhindered() {
        StackFixture f = fixture();
        Connected c = connect();
        CompletableFuture<ReadResult> pending = c.server().read();

        f.await(c.server().shutdown(Shutdown.READ));

        assertInstanceOf(ReadResult.Eof.class, f.await(pending), "the pending read");
        // More than the buffers hold: the peer is not stalled by a reader that stopped reading.
        f.await(writeAll(c.client(), Payloads.pattern(MIB, 9)));
        assertInstanceOf(ReadResult.Eof.class, f.await(c.server().read()), "a later read");
        deliver(c.server(), c.client(), "the other direction still works");
        closeBoth(c);
    }

    // ---- reading into the caller's buffer, and lent views ----

    @Test
    default void readingIntoTheCallersBufferGivesEveryByteInOrderOnTheLoopThenMinusOne() {
        StackFixture f = fixture();
        Connected c = connect();
        byte[] sent = Payloads.pattern(MIB, 11);

        CompletableFuture<byte[]> received = readToEofInto(c.server(), 1000);
        assertThrows(ReadPendingException.class, () -> c.server().read(ByteBuffer.allocate(10)),
            "one read at a time");
        f.await(writeAll(c.client(), sent));
        f.await(c.client().shutdown(Shutdown.WRITE));

        assertArrayEquals(sent, f.await(received));
        assertEquals(-1, f.await(c.server().read(ByteBuffer.allocate(10))), "and -1 again");
        closeBoth(c);
    }

    @Test
    default void aPausedReceptionHoldsTheWriterBackAndResumedItGetsEveryByteThenTheEnd() {
        StackFixture f = fixture();
        Connected c = connect();
        byte[] sent = Payloads.pattern(MORE_THAN_BUFFERED, 5);
        FlowTransfers.Keeper keeper = new FlowTransfers.Keeper(c.server()).start(true);

        CompletableFuture<Void> written = writeAll(c.client(), sent);
        f.pass(Duration.ofMillis(500));
        assertFalse(written.isDone(), "paused, nothing is taken: the writes wait");
        assertEquals(0, keeper.received());

        keeper.reception.resume();
        f.await(written);
        f.await(c.client().shutdown(Shutdown.WRITE));
        assertArrayEquals(sent, f.await(keeper.done));
        assertInstanceOf(ReadResult.Eof.class, f.await(c.server().read()), "after the end, reads give Eof");
        closeBoth(c);
    }

    // ---- listeners ----

    @Test
    default void aSecondTcpListenerOnAPortReplacesTheFirstForNewConnections() {
        StackFixture f = fixture();
        AcceptedFlows first = new AcceptedFlows();
        int port = listen(first);
        connectTo(port);
        f.await(first.next());
        AcceptedFlows second = new AcceptedFlows();

        f.server().listenTcp(port, second);
        TcpFlow client = connectTo(port);

        assertEquals(client.src(), f.await(second.next()).dst());
        assertEquals(1, first.size(), "the first listener got nothing after it was replaced");
    }

    @Test
    default void afterUnlistenNewConnectionsAreRefusedButEstablishedFlowsKeepWorking() {
        StackFixture f = fixture();
        AcceptedFlows accepted = new AcceptedFlows(FlowTransfers::echoUntilEof);
        int port = listen(accepted);
        TcpFlow client = connectTo(port);
        CompletableFuture<byte[]> before = readExactly(client, 6);
        f.await(client.write(ascii("before")));
        assertEquals("before", ascii(f.await(before)));

        f.server().tcp().unlisten(port);

        assertInstanceOf(TcpException.Refused.class, f.awaitFailure(f.client().tcp().connect(f.serverAddress(), port)));
        CompletableFuture<byte[]> after = readExactly(client, 5);
        f.await(client.write(ascii("after")));
        assertEquals("after", ascii(f.await(after)));
        assertEquals(1, accepted.size());
    }

    @Test
    default void aTcpPortCanBeListenedOnAgainAfterUnlisten() {
        StackFixture f = fixture();
        AcceptedFlows first = new AcceptedFlows();
        int port = listen(first);
        f.server().tcp().unlisten(port);
        AcceptedFlows again = new AcceptedFlows();

        f.server().listenTcp(port, again);
        TcpFlow client = connectTo(port);

        assertEquals(client.src(), f.await(again.next()).dst());
        assertEquals(0, first.size());
    }

    @Test
    default void tcpPortsOutsideTheirRangeAreIllegalArguments() {
        StackFixture f = fixture();
        Stack s = f.server();
        AcceptedFlows accepted = new AcceptedFlows();
        assertThrows(IllegalArgumentException.class, () -> s.listenTcp(-1, accepted));
        assertThrows(IllegalArgumentException.class, () -> s.listenTcp(65_536, accepted));
        assertThrows(IllegalArgumentException.class, () -> s.tcp().listen(Integer.MIN_VALUE, null, accepted));
        Keepalive keepalive = new Keepalive(Duration.ofSeconds(1), Duration.ofSeconds(1), 1);
        assertThrows(IllegalArgumentException.class, () -> s.listenTcp(70_000, keepalive, accepted));
        // A connection needs a port to reach: 0 is not one (RFC 9293 3.1).
        assertThrows(IllegalArgumentException.class, () -> f.client().tcp().connect(f.serverAddress(), 0));
        assertThrows(IllegalArgumentException.class, () -> f.client().tcp().connect(f.serverAddress(), -1));
        assertThrows(IllegalArgumentException.class, () -> f.client().tcp().connect(f.serverAddress(), 65_536));
        assertEquals(0, accepted.size());
        // A refused call leaves the stacks working.
        Connected c = connect();
        deliver(c.client(), c.server(), "fine");
    }

    // ---- keepalive ----

    @Test
    default void keepaliveIsAcceptedOnConnectAndListenAndALivePeerKeepsTheConnectionThroughIdleTime() {
        StackFixture f = fixture();
        // Whole seconds, the socket stack's unit; three probes' worth of idle time.
        Keepalive keepalive = new Keepalive(Duration.ofSeconds(1), Duration.ofSeconds(1), 2);
        AcceptedFlows accepted = new AcceptedFlows();
        int port = f.freeTcpPort(f.server());
        f.server().listenTcp(port, keepalive, accepted);
        TcpFlow client = f.await(f.client().tcp().connect(f.serverAddress(), port, keepalive));
        TcpFlow server = f.await(accepted.next());
        deliver(client, server, "before");

        f.pass(Duration.ofMillis(4_500));

        deliver(client, server, "after the idle time");
        deliver(server, client, "and back");
        closeBoth(new Connected(client, server));
    }

    // ---- bulk, many connections ----

    @Test
    default void oneMebibyteEachWayAtOnceArrivesIntact() {
        StackFixture f = fixture();
        Connected c = connect();
        byte[] up = Payloads.pattern(MIB, 11);
        byte[] down = Payloads.pattern(MIB, 12);
        CompletableFuture<byte[]> serverReads = readExactly(c.server(), up.length);
        CompletableFuture<byte[]> clientReads = readExactly(c.client(), down.length);

        CompletableFuture<Void> upWritten = writeAll(c.client(), up);
        CompletableFuture<Void> downWritten = writeAll(c.server(), down);

        assertArrayEquals(up, f.await(serverReads), "client to server");
        assertArrayEquals(down, f.await(clientReads), "server to client");
        f.await(upWritten);
        f.await(downWritten);
        closeBoth(c);
    }

    @Test
    default void fiftyConcurrentConnectionsEachGetTheirOwnEcho() {
        StackFixture f = fixture();
        int count = 50;
        AcceptedFlows accepted = new AcceptedFlows(FlowTransfers::echoUntilEof);
        int port = listen(accepted);
        List<CompletableFuture<TcpFlow>> connecting = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            connecting.add(f.client().tcp().connect(f.serverAddress(), port));
        }
        List<TcpFlow> flows = connecting.stream().map(f::await).toList();

        List<CompletableFuture<byte[]>> echoes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            TcpFlow flow = flows.get(i);
            echoes.add(readToEof(flow));
            flow.write(ascii("connection " + i + " of " + flow.src()));
            flow.shutdown(Shutdown.WRITE);
        }

        Set<Integer> ports = new HashSet<>();
        for (int i = 0; i < count; i++) {
            TcpFlow flow = flows.get(i);
            assertEquals("connection " + i + " of " + flow.src(), ascii(f.await(echoes.get(i))));
            assertTrue(ports.add(flow.src().port()), "two connections from port " + flow.src().port());
            f.await(flow.close());
        }
        assertEquals(count, accepted.size());
    }

    // ---- blocking adapters ----

    @Test
    default void theBlockingStreamsCarryAnExchangeBetweenVirtualThreads() {
        StackFixture f = fixture();
        Connected c = connect();
        byte[] request = Payloads.pattern(300 * 1024, 13);

        CompletableFuture<Integer> server = f.startBlocking(() -> {
            InputStream in = c.server().inputStream();
            byte[] got = in.readAllBytes();
            byte[] reversed = new byte[got.length];
            for (int i = 0; i < got.length; i++) {
                reversed[i] = got[got.length - 1 - i];
            }
            try (OutputStream out = c.server().outputStream()) {
                out.write(reversed[0]); // one byte, then pieces of odd sizes
                for (int at = 1; at < reversed.length; at += 1_000) {
                    out.write(reversed, at, Math.min(1_000, reversed.length - at));
                }
            }
            return got.length;
        });
        CompletableFuture<byte[]> client = f.startBlocking(() -> {
            try (OutputStream out = c.client().outputStream()) {
                out.write(request);
            }
            InputStream in = c.client().inputStream();
            int first = in.read();
            byte[] rest = in.readAllBytes();
            byte[] all = new byte[rest.length + 1];
            all[0] = (byte) first;
            System.arraycopy(rest, 0, all, 1, rest.length);
            return all;
        });

        byte[] reversed = f.await(client);
        assertEquals(request.length, f.await(server));
        assertEquals(request.length, reversed.length);
        for (int i = 0; i < request.length; i++) {
            if (request[i] != reversed[request.length - 1 - i]) {
                throw new AssertionError("byte " + i + " differs");
            }
        }
        closeBoth(c);
    }

    // ---- disconnect ----

    @Test
    default void disconnectResetsTheStacksFlowsAndThePeerSeesTheReset() {
        StackFixture f = fixture();
        Connected c = connect();
        CompletableFuture<ReadResult> clientRead = c.client().read();
        CompletableFuture<ReadResult> serverRead = c.server().read();

        f.await(f.client().disconnect());

        assertInstanceOf(TcpException.Reset.class, f.awaitFailure(clientRead), "our own flow");
        assertInstanceOf(TcpException.Reset.class, f.awaitFailure(serverRead), "the peer's flow");
        assertInstanceOf(TcpException.Closed.class, f.awaitFailure(c.server().write(ascii("anyone?"))));
    }

    @Test
    default void aConnectAfterDisconnectFailsAsClosed() {
        StackFixture f = fixture();
        AcceptedFlows accepted = new AcceptedFlows();
        int port = listen(accepted);
        f.await(f.client().disconnect());

        Throwable failure = f.awaitFailure(f.client().tcp().connect(f.serverAddress(), port));

        assertInstanceOf(TcpException.Closed.class, failure);
        assertDoesNotThrow(() -> f.client().listenTcp(port, new AcceptedFlows()), "listening after disconnect is ignored");
        assertEquals(0, accepted.size());
    }
}
