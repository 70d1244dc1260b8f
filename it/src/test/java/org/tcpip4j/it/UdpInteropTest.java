package org.tcpip4j.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.tcpip4j.ip.IcmpError;
import org.tcpip4j.netif.Ipv4Cidr;
import org.tcpip4j.stack.direct.DirectStack;
import org.tcpip4j.stack.direct.DirectStackBuilder;

/**
 * UDP between our direct stack on the TAP and the Linux kernel in the container, with
 * socat on the Linux side: echo both ways; a 30,000-byte datagram both ways, which
 * crosses the 1500-byte MTU of the bridge as 21 fragments and is reassembled by the other
 * side's kernel or by us; and closed ports both ways, answered with ICMP port unreachable.
 */
class UdpInteropTest {

    @RegisterExtension
    static final InteropNetwork net = new InteropNetwork();

    /** The port our stack echoes on. */
    private static final int OUR_ECHO_PORT = 7;
    /** The port our stack sends from and listens on for replies. */
    private static final int OUR_CLIENT_PORT = 40_000;
    private static final Duration WAIT = Duration.ofSeconds(10);
    /** A port nobody listens on, on either side. */
    private static final int CLOSED_PORT = 9;
    /** 30,000 bytes of data + 8 (UDP) = 30,008 bytes of IP payload, 1480 bytes per fragment. */
    private static final int LARGE = 30_000;
    private static final int LARGE_FRAGMENTS = 21;

    private static DirectStack stack;
    private static final LinkedBlockingQueue<byte[]> echoed = new LinkedBlockingQueue<>();
    private static final LinkedBlockingQueue<byte[]> replies = new LinkedBlockingQueue<>();

    @BeforeAll
    static void startStack() {
        stack = DirectStackBuilder.on(net.netif())
                .address(new Ipv4Cidr(net.localAddress(), 24))
                .name("interop")
                .build();
        // Our echo keeps what it echoes, so a test can check what Linux sent.
        stack.listenUdp(OUR_ECHO_PORT, (src, dst, srcPort, payload) -> {
            byte[] copy = new byte[payload.remaining()];
            payload.get(copy);
            echoed.add(copy);
            stack.udp().write(dst, OUR_ECHO_PORT, src, srcPort, -1, ByteBuffer.wrap(copy));
        });
        stack.listenUdp(OUR_CLIENT_PORT, (src, dst, srcPort, payload) -> {
            byte[] copy = new byte[payload.remaining()];
            payload.get(copy);
            replies.add(copy);
        });
    }

    @AfterAll
    static void stopStack() throws Exception {
        if (stack != null) {
            // Disconnecting the stack closes the netif too; the fixture's clean-up then finds it closed.
            stack.disconnect().get(10, TimeUnit.SECONDS);
        }
    }

    private static long ipv4(String counter) {
        return stack.counters().get("ipv4").getOrDefault(counter, 0L);
    }

    private static String md5(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));
    }

    /** Sends {@code payload} to the peer's {@code port} until a reply comes back (the peer's socat may still be starting). */
    private static byte[] exchangeWithPeer(int port, byte[] payload) throws Exception {
        replies.clear();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            CompletableFuture<Void> write = stack.udp().write(null, OUR_CLIENT_PORT, net.peerAddress(), port, -1,
                    ByteBuffer.wrap(payload));
            write.get(5, TimeUnit.SECONDS);
            byte[] reply = replies.poll(500, TimeUnit.MILLISECONDS);
            if (reply != null) {
                return reply;
            }
        }
        throw new TimeoutException("no reply from the peer's port " + port + " within " + WAIT);
    }

    /** Starts a socat echo on {@code port} in the container: each datagram is sent back by cat. */
    private static void startPeerEcho(int port) {
        net.peer().startInBackground("socat -b 65536 -T 10 UDP4-RECVFROM:" + port + ",fork EXEC:cat");
    }

    @Test
    void ourStackEchoesADatagramFromLinux() {
        echoed.clear();
        String reply = net.peer().check("sh", "-c",
                "printf 'hello from linux' | socat -t 2 - UDP4:" + net.localAddress() + ":" + OUR_ECHO_PORT);

        assertEquals("hello from linux", reply);
        assertEquals("hello from linux", new String(echoed.poll()));
    }

    @Test
    void linuxEchoesADatagramFromOurStack() throws Exception {
        startPeerEcho(7_007);

        byte[] reply = exchangeWithPeer(7_007, "hello from tcpip4j".getBytes());

        assertEquals("hello from tcpip4j", new String(reply));
    }

    @Test
    void a30000ByteDatagramFromLinuxIsReassembledAndEchoedBackWhole() throws Exception {
        echoed.clear();
        long reassembled = ipv4("rx.reassembled");
        long fragmentsSent = ipv4("tx.fragments");
        String sent = net.peer().check("sh", "-c",
                "head -c " + LARGE + " /dev/urandom > /tmp/large && md5sum < /tmp/large").split(" ")[0];

        // socat reads the whole file in one read (-b) and sends it as one datagram; Linux fragments it.
        String result = net.peer().check("sh", "-c", "socat -b 65536 -t 2 - UDP4:" + net.localAddress() + ":"
                + OUR_ECHO_PORT + " < /tmp/large > /tmp/large.echo; wc -c < /tmp/large.echo;"
                + " cmp /tmp/large /tmp/large.echo && echo same");

        byte[] received = echoed.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertEquals(LARGE, received == null ? -1 : received.length, "the datagram our stack reassembled");
        assertEquals(sent, md5(received), "its content, as Linux sent it");
        assertEquals(1, ipv4("rx.reassembled") - reassembled);
        assertEquals(LARGE_FRAGMENTS, ipv4("tx.fragments") - fragmentsSent, "our echo went back in fragments");
        assertTrue(result.contains("same"), "Linux reassembled our echo whole: " + result);
    }

    @Test
    void aDatagramToAClosedPortOfOurStackMakesLinuxReportPortUnreachable() {
        long noListener = stack.counters().get("udp").get("rx.no_listener");

        // socat's socket is connected, so Linux turns our ICMP port unreachable into ECONNREFUSED.
        LinuxPeer.ExecResult r = net.peer().exec("sh", "-c",
                "printf 'anyone?' | socat -t 3 - UDP4:" + net.localAddress() + ":" + CLOSED_PORT);

        assertTrue(r.stderr().contains("Connection refused"),
                "socat should fail with Connection refused; exit " + r.exitCode() + ": " + r.stderr());
        assertEquals(1, stack.counters().get("udp").get("rx.no_listener") - noListener);
    }

    @Test
    void aDatagramToAClosedPortOfLinuxReachesOurSendersErrorCallback() throws Exception {
        int senderPort = OUR_CLIENT_PORT + 1;
        CompletableFuture<IcmpError> error = new CompletableFuture<>();
        stack.udp().onError(senderPort, error::complete);
        try {
            stack.udp().write(null, senderPort, net.peerAddress(), CLOSED_PORT, -1,
                    ByteBuffer.wrap("anyone?".getBytes())).get(5, TimeUnit.SECONDS);

            IcmpError e = error.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertEquals(IcmpError.Kind.PORT_UNREACHABLE, e.kind());
            assertEquals(net.peerAddress(), e.reporter());
            assertEquals(net.localAddress(), e.source());
            assertEquals(net.peerAddress(), e.destination());
            assertEquals(senderPort, e.sourcePort());
            assertEquals(CLOSED_PORT, e.destinationPort());
        } finally {
            stack.udp().onError(senderPort, null);
        }
    }

    @Test
    void a30000ByteDatagramFromOurStackIsEchoedBackWholeByLinux() throws Exception {
        startPeerEcho(7_008);
        // Warm up with a small exchange, so the large datagram is not repeated while socat starts.
        exchangeWithPeer(7_008, "ready?".getBytes());
        byte[] payload = new byte[LARGE];
        new SplittableRandom(30_000).nextBytes(payload);
        long fragmentsSent = ipv4("tx.fragments");
        long reassembled = ipv4("rx.reassembled");

        byte[] reply = exchangeWithPeer(7_008, payload);

        assertEquals(LARGE, reply.length);
        assertArrayEquals(payload, reply);
        assertTrue(ipv4("tx.fragments") - fragmentsSent >= LARGE_FRAGMENTS, "sent as fragments");
        assertTrue(ipv4("rx.reassembled") - reassembled >= 1, "the echo came back as fragments and was reassembled");
    }
}
