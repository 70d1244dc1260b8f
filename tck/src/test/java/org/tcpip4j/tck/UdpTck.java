package org.tcpip4j.tck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.tcpip4j.ip.IcmpError;
import org.tcpip4j.ip.IpError;
import org.tcpip4j.ip.IpProtocol;
import org.tcpip4j.stack.Stack;
import org.tcpip4j.tck.DatagramInbox.Datagram;
import org.tcpip4j.udp.UdpException;

/**
 * The UDP cases of the TCK (RFC 768, RFC 1122 4.1), written against {@link Stack} only:
 * echo, large datagrams, closed ports and the ICMP errors they cause, invalid ports,
 * listener replacement, unlisten, disconnect. Where the stacks differ the case says which {@link Feature} it needs and a
 * companion case asserts what a stack without it does.
 */
public interface UdpTck {

    /** The current case's fixture (the suite's {@link StackTck#fixture()}). */
    StackFixture fixture();

    /** The largest UDP payload IPv4 carries: 65,535 - 20 (IPv4 header) - 8 (UDP header). */
    int MAX_PAYLOAD = IpVersion.IPV4.maxUdpPayload();

    /** The largest UDP payload the fixture's IP version carries (65,507 bytes over IPv4, 65,527 over IPv6). */
    private int maxPayload() {
        return fixture().ipVersion().maxUdpPayload();
    }

    /** Makes {@code stack} echo every datagram on {@code port} back to where it came from. */
    private static void echo(Stack stack, int port) {
        stack.listenUdp(port, (src, dst, srcPort, payload) ->
                stack.udp().write(dst, port, src, srcPort, -1, Payloads.copy(payload)));
    }

    /** Listens on a free port of {@code stack} with a new inbox; returns the port. */
    private int listen(Stack stack, DatagramInbox inbox) {
        int port = fixture().freeUdpPort(stack);
        stack.listenUdp(port, inbox);
        return port;
    }

    /** Sends {@code payload} from the client's {@code srcPort} to the server's {@code dstPort} and waits for the write. */
    private void send(int srcPort, int dstPort, byte[] payload) {
        StackFixture f = fixture();
        f.await(f.client().udp().write(null, srcPort, f.serverAddress(), dstPort, -1, ByteBuffer.wrap(payload)));
    }

    /** Sends one {@code size}-byte datagram through the server's echo and checks what comes back. */
    private void echoOnce(int size) {
        StackFixture f = fixture();
        int echoPort = f.freeUdpPort(f.server());
        echo(f.server(), echoPort);
        DatagramInbox replies = new DatagramInbox();
        int clientPort = listen(f.client(), replies);
        byte[] payload = Payloads.pattern(size, size);

        send(clientPort, echoPort, payload);

        Datagram reply = f.await(replies.next());
        assertEquals(size, reply.payload().length, "length of the echoed datagram");
        assertArrayEquals(payload, reply.payload(), "content of the echoed datagram");
        assertEquals(f.serverAddress(), reply.src());
        assertEquals(echoPort, reply.srcPort());
        assertEquals(f.clientAddress(), reply.dst());
    }

    // ---- echo ----

    @Test
    default void aDatagramIsEchoedBackToItsSourcePort() {
        StackFixture f = fixture();
        DatagramInbox requests = new DatagramInbox();
        int serverPort = f.freeUdpPort(f.server());
        // The server echoes what it records, so both ends can be checked.
        f.server().listenUdp(serverPort, (src, dst, srcPort, payload) -> {
            ByteBuffer copy = Payloads.copy(payload);
            requests.datagram(src, dst, srcPort, payload);
            f.server().udp().write(dst, serverPort, src, srcPort, -1, copy);
        });
        DatagramInbox replies = new DatagramInbox();
        int clientPort = listen(f.client(), replies);

        send(clientPort, serverPort, "hello, server".getBytes());

        Datagram reply = f.await(replies.next());
        assertEquals("hello, server", new String(reply.payload()));
        assertEquals(f.serverAddress(), reply.src());
        assertEquals(serverPort, reply.srcPort());
        assertEquals(f.clientAddress(), reply.dst());
        Datagram request = requests.received().getFirst();
        assertEquals(f.clientAddress(), request.src());
        assertEquals(clientPort, request.srcPort());
        assertEquals(f.serverAddress(), request.dst());
    }

    @Test
    default void anEmptyDatagramIsDeliveredAndEchoed() {
        echoOnce(0);
    }

    @Test
    default void datagramsOfManySizesAreEchoedIntact() {
        StackFixture f = fixture();
        int echoPort = f.freeUdpPort(f.server());
        echo(f.server(), echoPort);
        DatagramInbox replies = new DatagramInbox();
        int clientPort = listen(f.client(), replies);
        // Around the 1500-byte MTU of the in-memory network: over IPv4 1472 fills one frame and
        // 1473 needs two; over IPv6 (a 40-byte header) 1452 and 1453.
        int[] sizes = {1, 2, 7, 100, 512, 1451, 1452, 1453, 1471, 1472, 1473, 1480, 2000, 2952, 2953, 4000, 8192,
            9000};
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        for (int size : sizes) {
            writes.add(f.client().udp().write(null, clientPort, f.serverAddress(), echoPort, -1,
                    Payloads.patternBuffer(size, size)));
        }
        writes.forEach(f::await);

        List<Datagram> got = f.await(replies.first(sizes.length));
        // UDP promises no order; every size must come back once, intact.
        Set<Integer> seen = new HashSet<>();
        for (Datagram d : got) {
            int size = d.payload().length;
            assertTrue(seen.add(size), "echoed twice: " + size);
            assertArrayEquals(Payloads.pattern(size, size), d.payload(), "content of the " + size + "-byte datagram");
        }
        assertEquals(sizes.length, seen.size());
    }

    // ---- large datagrams ----

    @Test
    default void aDatagramOf60000BytesIsEchoedIntact() {
        echoOnce(60_000);
    }

    /** 65,507 bytes over IPv4, 65,527 over IPv6. */
    @Test
    default void theLargestDatagramIsEchoedIntact() {
        echoOnce(maxPayload());
    }

    @Test
    default void aDatagramOverTheLimitFailsTheWriteAsTooLarge() {
        StackFixture f = fixture();
        int port = f.freeUdpPort(f.server());

        Throwable failure = f.awaitFailure(f.client().udp().write(f.serverAddress(), port,
                ByteBuffer.allocate(maxPayload() + 1)));

        UdpException.Ip e = assertInstanceOf(UdpException.Ip.class, failure);
        assertInstanceOf(IpError.TooLarge.class, e.error());
    }

    // ---- closed ports ----

    @Test
    default void aDatagramToAClosedPortIsDroppedWhileTheWriteSucceeds() {
        StackFixture f = fixture();
        int closed = f.freeUdpPort(f.server());
        DatagramInbox open = new DatagramInbox();
        int openPort = listen(f.server(), open);

        // UDP has no handshake: the sender cannot know the port is closed when it writes.
        send(0, closed, "nobody home".getBytes());
        send(0, openPort, "marker".getBytes());

        Datagram marker = f.await(open.next());
        assertEquals("marker", new String(marker.payload()));
        assertEquals(1, open.size(), "only the marker reached a listener");
        echoOnce(10); // the server still serves
    }

    /** {@link Feature#COUNTS_DATAGRAMS_TO_CLOSED_PORTS}: the UDP layer counts what it could not deliver. */
    @Test
    default void aDatagramToAClosedPortIsCountedAsHavingNoListener() {
        StackFixture f = fixture();
        assumeTrue(f.supports(Feature.COUNTS_DATAGRAMS_TO_CLOSED_PORTS),
                () -> f.description() + ": " + Feature.COUNTS_DATAGRAMS_TO_CLOSED_PORTS.reason());
        DatagramInbox open = new DatagramInbox();
        int openPort = listen(f.server(), open);
        long before = f.server().udp().counters().get("rx.no_listener");

        send(0, f.freeUdpPort(f.server()), "nobody home".getBytes());
        send(0, openPort, "marker".getBytes());
        f.await(open.next());

        assertEquals(before + 1, f.server().udp().counters().get("rx.no_listener"));
    }

    /** The documented difference of {@link Feature#COUNTS_DATAGRAMS_TO_CLOSED_PORTS}: the kernel drops the datagram unseen. */
    @Test
    default void withoutCountingClosedPortsTheKernelDropsTheDatagramUnseen() {
        StackFixture f = fixture();
        assumeFalse(f.supports(Feature.COUNTS_DATAGRAMS_TO_CLOSED_PORTS),
                () -> f.description() + " counts datagrams to closed ports; the difference does not apply");
        DatagramInbox open = new DatagramInbox();
        int openPort = listen(f.server(), open);

        send(0, f.freeUdpPort(f.server()), "nobody home".getBytes());
        send(0, openPort, "marker".getBytes());
        f.await(open.next());

        assertEquals(0, f.server().udp().counters().get("rx.no_listener"));
        assertEquals(1, f.server().udp().counters().get("rx.datagrams"), "only the marker reached the stack");
    }

    /** {@link Feature#ICMP_ERRORS_TO_SENDER}: the closed port's port unreachable reaches the sender. */
    @Test
    default void aDatagramToAClosedPortReachesTheSendersErrorCallbackAsPortUnreachable() {
        StackFixture f = fixture();
        assumeTrue(f.supports(Feature.ICMP_ERRORS_TO_SENDER),
                () -> f.description() + ": " + Feature.ICMP_ERRORS_TO_SENDER.reason());
        int clientPort = f.freeUdpPort(f.client());
        int closed = f.freeUdpPort(f.server());
        CompletableFuture<IcmpError> error = new CompletableFuture<>();
        f.client().udp().onError(clientPort, error::complete);

        send(clientPort, closed, "nobody home".getBytes());

        IcmpError e = f.await(error);
        assertEquals(IcmpError.Kind.PORT_UNREACHABLE, e.kind());
        assertEquals(f.serverAddress(), e.reporter());
        assertEquals(f.clientAddress(), e.source());
        assertEquals(f.serverAddress(), e.destination());
        assertEquals(IpProtocol.UDP, e.protocol());
        assertEquals(clientPort, e.sourcePort());
        assertEquals(closed, e.destinationPort());
    }

    /** {@link Feature#ICMP_ERRORS_TO_SENDER}: an error goes to the port the datagram left from, no other. */
    @Test
    default void anIcmpErrorGoesOnlyToTheCallbackOfThePortTheDatagramLeftFrom() {
        StackFixture f = fixture();
        assumeTrue(f.supports(Feature.ICMP_ERRORS_TO_SENDER),
                () -> f.description() + ": " + Feature.ICMP_ERRORS_TO_SENDER.reason());
        int sender = f.freeUdpPort(f.client());
        int bystander = f.freeUdpPort(f.client());
        CompletableFuture<IcmpError> senderError = new CompletableFuture<>();
        CompletableFuture<IcmpError> bystanderError = new CompletableFuture<>();
        f.client().udp().onError(sender, senderError::complete);
        f.client().udp().onError(bystander, bystanderError::complete);

        send(sender, f.freeUdpPort(f.server()), "nobody home".getBytes());

        assertEquals(sender, f.await(senderError).sourcePort());
        assertTrue(!bystanderError.isDone(), "the other port's callback heard nothing");
    }

    /** The documented difference of {@link Feature#ICMP_ERRORS_TO_SENDER}: the sender hears nothing. */
    @Test
    default void withoutIcmpErrorsToTheSenderAClosedPortGoesUnheard() {
        StackFixture f = fixture();
        assumeFalse(f.supports(Feature.ICMP_ERRORS_TO_SENDER),
                () -> f.description() + " delivers ICMP errors to the sender; the difference does not apply");
        int echoPort = f.freeUdpPort(f.server());
        echo(f.server(), echoPort);
        DatagramInbox replies = new DatagramInbox();
        int clientPort = listen(f.client(), replies);
        CompletableFuture<IcmpError> error = new CompletableFuture<>();
        f.client().udp().onError(clientPort, error::complete);

        send(clientPort, f.freeUdpPort(f.server()), "nobody home".getBytes());
        // A round trip after it: any error about the first datagram would have come back by now.
        send(clientPort, echoPort, "marker".getBytes());
        f.await(replies.next());

        assertTrue(!error.isDone(), "no error callback: " + error);
    }

    @Test
    default void anErrorCallbackOnAPortOutside0To65535IsAnIllegalArgument() {
        StackFixture f = fixture();
        assertThrows(IllegalArgumentException.class, () -> f.client().udp().onError(-1, e -> { }));
        assertThrows(IllegalArgumentException.class, () -> f.client().udp().onError(65_536, e -> { }));
    }

    // ---- invalid ports ----

    @Test
    default void portsOutside0To65535AreIllegalArguments() {
        StackFixture f = fixture();
        Stack s = f.server();
        DatagramInbox inbox = new DatagramInbox();
        assertThrows(IllegalArgumentException.class, () -> s.listenUdp(-1, inbox));
        assertThrows(IllegalArgumentException.class, () -> s.listenUdp(65_536, inbox));
        assertThrows(IllegalArgumentException.class, () -> s.udp().listen(Integer.MIN_VALUE, inbox));
        assertThrows(IllegalArgumentException.class, () -> s.udp().unlisten(-1));
        assertThrows(IllegalArgumentException.class, () -> s.udp().unlisten(65_536));
        assertInstanceOf(IllegalArgumentException.class, f.awaitFailure(
                f.client().udp().write(null, 65_536, f.serverAddress(), 9, -1, ByteBuffer.allocate(1))));
        assertInstanceOf(IllegalArgumentException.class, f.awaitFailure(
                f.client().udp().write(null, 0, f.serverAddress(), -1, -1, ByteBuffer.allocate(1))));
        assertInstanceOf(IllegalArgumentException.class, f.awaitFailure(
                f.client().udp().write(f.serverAddress(), 70_000, ByteBuffer.allocate(1))));
        echoOnce(10); // a refused call leaves the stacks working
    }

    @Test
    default void theHighestPortIsValid() {
        StackFixture f = fixture();
        // The socket stack shares the host's ports; 65535 is free unless another program holds it.
        DatagramInbox inbox = new DatagramInbox();
        assertDoesNotThrow(() -> f.server().listenUdp(65_535, inbox));
        send(0, 65_535, "top".getBytes());
        assertEquals("top", new String(f.await(inbox.next()).payload()));
    }

    /** {@link Feature#PORT_ZERO_IS_A_PORT}: port 0 is listened on and written to like any other. */
    @Test
    default void portZeroIsListenedOnAndWrittenToLikeAnyOther() {
        StackFixture f = fixture();
        assumeTrue(f.supports(Feature.PORT_ZERO_IS_A_PORT),
                () -> f.description() + ": " + Feature.PORT_ZERO_IS_A_PORT.reason());
        DatagramInbox inbox = new DatagramInbox();
        f.server().listenUdp(0, inbox);
        int clientPort = f.freeUdpPort(f.client());

        send(clientPort, 0, "to port zero".getBytes());

        Datagram d = f.await(inbox.next());
        assertEquals("to port zero", new String(d.payload()));
        assertEquals(clientPort, d.srcPort());
    }

    /** The documented difference of {@link Feature#PORT_ZERO_IS_A_PORT}: listening on 0 binds some port, writing to 0 fails. */
    @Test
    default void withoutPortZeroListeningOnItIsAllowedButWritingToItFails() {
        StackFixture f = fixture();
        assumeFalse(f.supports(Feature.PORT_ZERO_IS_A_PORT),
                () -> f.description() + " treats port 0 as a port; the difference does not apply");
        assertDoesNotThrow(() -> f.server().listenUdp(0, new DatagramInbox()));

        Throwable failure = f.awaitFailure(f.client().udp().write(f.serverAddress(), 0, ByteBuffer.allocate(1)));

        UdpException.Ip e = assertInstanceOf(UdpException.Ip.class, failure);
        assertInstanceOf(IpError.Link.class, e.error());
    }

    // ---- listener replacement, unlisten ----

    @Test
    default void aSecondListenerOnAPortReplacesTheFirst() {
        StackFixture f = fixture();
        DatagramInbox first = new DatagramInbox();
        int port = listen(f.server(), first);
        send(0, port, "one".getBytes());
        f.await(first.next());
        DatagramInbox second = new DatagramInbox();

        f.server().listenUdp(port, second);
        send(0, port, "two".getBytes());

        assertEquals("two", new String(f.await(second.next()).payload()));
        assertEquals(1, first.size(), "the first listener got nothing after it was replaced");
    }

    @Test
    default void afterUnlistenAPortsDatagramsAreNoLongerDelivered() {
        StackFixture f = fixture();
        DatagramInbox inbox = new DatagramInbox();
        int port = listen(f.server(), inbox);
        send(0, port, "before".getBytes());
        f.await(inbox.next());
        DatagramInbox other = new DatagramInbox();
        int otherPort = listen(f.server(), other);

        f.server().udp().unlisten(port);
        send(0, port, "after".getBytes());
        send(0, otherPort, "marker".getBytes());

        f.await(other.next());
        assertEquals(List.of("before"), inbox.received().stream().map(d -> new String(d.payload())).toList());
    }

    @Test
    default void unlistenOnAPortNobodyListensOnChangesNothing() {
        StackFixture f = fixture();
        assertDoesNotThrow(() -> f.server().udp().unlisten(f.freeUdpPort(f.server())));
        echoOnce(10);
    }

    @Test
    default void aPortCanBeListenedOnAgainAfterUnlisten() {
        StackFixture f = fixture();
        DatagramInbox first = new DatagramInbox();
        int port = listen(f.server(), first);
        f.server().udp().unlisten(port);
        DatagramInbox again = new DatagramInbox();

        f.server().listenUdp(port, again);
        send(0, port, "again".getBytes());

        assertEquals("again", new String(f.await(again.next()).payload()));
        assertEquals(0, first.size());
    }

    // ---- source ports and addresses ----

    @Test
    default void aWriteWithoutASourcePortLeavesFromANonZeroPort() {
        StackFixture f = fixture();
        DatagramInbox inbox = new DatagramInbox();
        int port = listen(f.server(), inbox);

        f.await(f.client().udp().write(f.serverAddress(), port, ByteBuffer.wrap("anonymous".getBytes())));

        Datagram d = f.await(inbox.next());
        assertTrue(d.srcPort() > 0 && d.srcPort() <= 65_535, "source port " + d.srcPort());
        assertEquals(f.clientAddress(), d.src());
    }

    /** {@link Feature#EPHEMERAL_PORT_PER_DATAGRAM}: RFC 6056 randomization per datagram. */
    @Test
    default void eachWriteWithoutASourcePortDrawsAFreshEphemeralPort() {
        StackFixture f = fixture();
        assumeTrue(f.supports(Feature.EPHEMERAL_PORT_PER_DATAGRAM),
                () -> f.description() + ": " + Feature.EPHEMERAL_PORT_PER_DATAGRAM.reason());
        Set<Integer> ports = sourcePortsOfAnonymousWrites(16);
        assertTrue(ports.size() >= 8, "16 writes left from only " + ports.size() + " ports: " + ports);
    }

    /** The documented difference of {@link Feature#EPHEMERAL_PORT_PER_DATAGRAM}: one port for every anonymous write. */
    @Test
    default void withoutPerDatagramPortsEveryWriteWithoutASourcePortSharesOnePort() {
        StackFixture f = fixture();
        assumeFalse(f.supports(Feature.EPHEMERAL_PORT_PER_DATAGRAM),
                () -> f.description() + " draws a port per datagram; the difference does not apply");
        Set<Integer> ports = sourcePortsOfAnonymousWrites(16);
        assertEquals(1, ports.size(), "ports " + ports);
    }

    private Set<Integer> sourcePortsOfAnonymousWrites(int count) {
        StackFixture f = fixture();
        DatagramInbox inbox = new DatagramInbox();
        int port = listen(f.server(), inbox);
        for (int i = 0; i < count; i++) {
            f.await(f.client().udp().write(f.serverAddress(), port, ByteBuffer.wrap(new byte[] {(byte) i})));
        }
        Set<Integer> ports = new HashSet<>();
        for (Datagram d : f.await(inbox.first(count))) {
            ports.add(d.srcPort());
        }
        return ports;
    }

    /** {@link Feature#ANY_SOURCE_ADDRESS}: a write names a source that is not the stack's own. */
    @Test
    default void aWriteMayNameASourceAddressThatIsNotTheStacksOwn() {
        StackFixture f = fixture();
        assumeTrue(f.supports(Feature.ANY_SOURCE_ADDRESS),
                () -> f.description() + ": " + Feature.ANY_SOURCE_ADDRESS.reason());
        DatagramInbox inbox = new DatagramInbox();
        int port = listen(f.server(), inbox);

        f.await(f.client().udp().write(f.foreignAddress(), 4_000, f.serverAddress(), port, -1,
                ByteBuffer.wrap("spoofed".getBytes())));

        Datagram d = f.await(inbox.next());
        assertEquals(f.foreignAddress(), d.src());
        assertEquals(4_000, d.srcPort());
    }

    /** The documented difference of {@link Feature#ANY_SOURCE_ADDRESS}: only the stack's own addresses. */
    @Test
    default void withoutAnySourceAddressAForeignSourceIsAnIllegalArgument() {
        StackFixture f = fixture();
        assumeFalse(f.supports(Feature.ANY_SOURCE_ADDRESS),
                () -> f.description() + " writes any source address; the difference does not apply");
        Throwable failure = f.awaitFailure(f.client().udp().write(f.foreignAddress(), 4_000, f.serverAddress(),
                f.freeUdpPort(f.server()), -1, ByteBuffer.wrap("spoofed".getBytes())));
        assertInstanceOf(IllegalArgumentException.class, failure);
    }

    // ---- disconnect ----

    @Test
    default void aWriteAfterDisconnectFailsAsDisconnected() {
        StackFixture f = fixture();
        f.await(f.client().disconnect());

        Throwable failure = f.awaitFailure(f.client().udp().write(f.serverAddress(), f.freeUdpPort(f.server()),
                ByteBuffer.allocate(1)));

        assertInstanceOf(UdpException.Disconnected.class, failure);
        assertDoesNotThrow(() -> f.client().listenUdp(9_999, new DatagramInbox()), "listening after disconnect is ignored");
    }
}
