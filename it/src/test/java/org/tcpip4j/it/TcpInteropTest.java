package org.tcpip4j.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tcpip4j.tck.FlowTransfers.readToEof;
import static org.tcpip4j.tck.FlowTransfers.writeAll;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tcpip4j.netif.IpEndpoint;
import org.tcpip4j.netif.Ipv4Address;
import org.tcpip4j.netif.Ipv4Cidr;
import org.tcpip4j.netif.impair.ImpairedNetif;
import org.tcpip4j.netif.impair.Impairment;
import org.tcpip4j.netif.tap.TapNetif;
import org.tcpip4j.stack.direct.DirectStack;
import org.tcpip4j.stack.direct.DirectStackBuilder;
import org.tcpip4j.tck.AcceptedFlows;
import org.tcpip4j.tck.FlowTransfers;
import org.tcpip4j.tcp.Shutdown;
import org.tcpip4j.tcp.TcpException;
import org.tcpip4j.tcp.TcpFlow;

/**
 * TCP between our direct stack on the TAP and the Linux kernel in the container, with
 * socat on the Linux side: connections both ways with echo; resets for closed ports both
 * ways; half-close both ways (the side that shut its direction still reads the whole
 * answer); a simultaneous close, both FINs crossing on the wire; and Linux's keepalive
 * probes answered by our stack through an idle spell, seen in a capture in the container.
 */
class TcpInteropTest {

    @RegisterExtension
    static final InteropNetwork net = new InteropNetwork();

    private static final Logger LOG = LoggerFactory.getLogger(TcpInteropTest.class);
    private static final Duration WAIT = Duration.ofSeconds(20);
    /** The port our stack echoes on. */
    private static final int OUR_ECHO_PORT = 7;
    /** A port nobody listens on, on either side. */
    private static final int CLOSED_PORT = 9;
    /** Host part of the address of the simultaneous close's own stack. */
    private static final int SIMULTANEOUS_CLOSE_HOST = 40;

    private static DirectStack stack;
    private static final AcceptedFlows echoes = new AcceptedFlows(FlowTransfers::echoUntilEof);

    @BeforeAll
    static void startStack() {
        stack = DirectStackBuilder.on(net.netif())
                .address(new Ipv4Cidr(net.localAddress(), 24))
                .name("interop-tcp")
                .build();
        stack.listenTcp(OUR_ECHO_PORT, echoes);
    }

    @AfterAll
    static void stopStack() throws Exception {
        if (stack != null) {
            // Disconnecting the stack closes the netif too; the fixture's clean-up then finds it closed.
            stack.disconnect().get(10, TimeUnit.SECONDS);
        }
    }

    private static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("the future failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("the future did not complete within " + WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private static Throwable awaitFailure(CompletableFuture<?> future) {
        Throwable failure = await(future.handle((v, e) -> e instanceof CompletionException c ? c.getCause() : e));
        if (failure == null) {
            throw new AssertionError("expected the future to fail, but it completed normally");
        }
        return failure;
    }

    private static String ours() {
        return net.localAddress().toString();
    }

    private static ByteBuffer ascii(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII));
    }

    private static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }

    /** What {@code seq 1 count} prints: Linux and we can both produce it. */
    private static byte[] seqOutput(int count) {
        StringBuilder b = new StringBuilder();
        for (int i = 1; i <= count; i++) {
            b.append(i).append('\n');
        }
        return b.toString().getBytes(StandardCharsets.US_ASCII);
    }

    // ---- connections both ways ----

    @Test
    void linuxConnectsToOurServerAndGetsItsDataEchoed() {
        int before = echoes.size();

        String reply = net.peer().check("sh", "-c",
                "printf 'hello from linux' | socat -t 5 - TCP4:" + ours() + ":" + OUR_ECHO_PORT);

        assertEquals("hello from linux", reply);
        TcpFlow accepted = await(echoes.nth(before));
        assertEquals(new IpEndpoint(net.localAddress(), OUR_ECHO_PORT), accepted.src());
        assertEquals(net.peerAddress(), accepted.dst().address());
    }

    @Test
    void ourClientConnectsToLinuxAndGetsItsDataEchoed() {
        int port = 7_101;
        CompletableFuture<String> server = PeerTcp.runInBackground(net.peer(),
                "socat -t 5 TCP4-LISTEN:" + port + ",reuseaddr EXEC:cat");
        PeerTcp.awaitListening(net.peer(), port);

        TcpFlow flow = await(stack.tcp().connect(net.peerAddress(), port));
        CompletableFuture<byte[]> back = readToEof(flow);
        await(flow.write(ascii("hello from tcpip4j")));
        await(flow.shutdown(Shutdown.WRITE));

        assertEquals("hello from tcpip4j", new String(await(back), StandardCharsets.US_ASCII));
        assertEquals(new IpEndpoint(net.peerAddress(), port), flow.dst());
        assertEquals(net.localAddress(), flow.src().address());
        await(flow.close());
        await(server);
    }

    // ---- resets for closed ports ----

    @Test
    void aConnectionToAClosedPortOfLinuxIsRefusedByItsReset() {
        long refused = stack.counters().get("tcp").get("conn.refused");

        Throwable failure = awaitFailure(stack.tcp().connect(net.peerAddress(), CLOSED_PORT));

        assertInstanceOf(TcpException.Refused.class, failure);
        assertEquals(1, stack.counters().get("tcp").get("conn.refused") - refused);
    }

    @Test
    void aConnectionFromLinuxToAClosedPortOfOursIsRefusedByOurReset() {
        long resets = stack.counters().get("tcp").get("conn.resets_sent");

        LinuxPeer.ExecResult r = net.peer().exec("sh", "-c",
                "socat -T 5 - TCP4:" + ours() + ":" + CLOSED_PORT + " </dev/null");

        assertNotEquals(0, r.exitCode());
        assertTrue(r.stderr().contains("Connection refused"), "socat should fail with Connection refused: " + r.stderr());
        assertEquals(1, stack.counters().get("tcp").get("conn.resets_sent") - resets);
    }

    // ---- half-close ----

    @Test
    void afterOurShutdownWriteLinuxReadsEofAndWeStillReadItsWholeAnswer() throws Exception {
        int port = 7_102;
        byte[] request = new byte[200 * 1024];
        new SplittableRandom(102).nextBytes(request);
        // Linux answers only once it has read our whole request, up to our FIN: the request's
        // SHA-256, then the lines of `seq 1 50000`. -t 10: socat keeps the answer direction
        // open that long after our FIN.
        CompletableFuture<String> server = PeerTcp.runInBackground(net.peer(),
                "socat -t 10 TCP4-LISTEN:" + port + ",reuseaddr"
                        + " SYSTEM:'cat >/tmp/request; sha256sum </tmp/request | cut -c1-64; seq 1 50000'");
        PeerTcp.awaitListening(net.peer(), port);

        TcpFlow flow = await(stack.tcp().connect(net.peerAddress(), port));
        CompletableFuture<byte[]> answer = readToEof(flow);
        await(writeAll(flow, request));
        await(flow.shutdown(Shutdown.WRITE));

        byte[] got = await(answer);
        String digestLine = sha256(request) + "\n";
        assertEquals(digestLine, new String(got, 0, Math.min(got.length, 65), StandardCharsets.US_ASCII),
                "Linux read our whole request before its EOF");
        assertArrayEquals(seqOutput(50_000), Arrays.copyOfRange(got, 65, got.length), "the answer after our FIN");
        await(flow.close());
        await(server);
    }

    @Test
    void afterLinuxShutsDownWriteWeReadEofAndLinuxStillReadsOurWholeAnswer() throws Exception {
        int port = 7_103;
        byte[] answer = new byte[300 * 1024];
        new SplittableRandom(103).nextBytes(answer);
        CompletableFuture<byte[]> request = new CompletableFuture<>();
        // Our server reads to Linux's EOF, then answers and closes.
        stack.listenTcp(port, flow -> readToEof(flow).whenComplete((got, e) -> {
            if (e != null) {
                request.completeExceptionally(e);
                return;
            }
            request.complete(got);
            writeAll(flow, answer).thenCompose(v -> flow.close());
        }));
        try {
            // socat shuts down its write direction when its input ends, and keeps reading for -t.
            String out = net.peer().check("sh", "-c",
                    "seq 1 50000 | socat -t 10 - TCP4:" + ours() + ":" + port + " >/tmp/answer;"
                            + " sha256sum </tmp/answer | cut -c1-64; wc -c </tmp/answer");

            assertArrayEquals(seqOutput(50_000), await(request), "what Linux sent before its FIN");
            String[] lines = out.trim().split("\n");
            assertEquals(String.valueOf(answer.length), lines[1].trim(), "bytes Linux read after its FIN");
            assertEquals(sha256(answer), lines[0], "SHA-256 of what Linux read");
        } finally {
            stack.tcp().unlisten(port);
        }
    }

    // ---- simultaneous close ----

    /**
     * Both sides close at once, best effort made exact: our stack stands on a TAP whose
     * received frames are delayed by 200 ms, with a watch below the delay. Linux's server
     * closes half a second after accepting; the moment its FIN reaches our device, before
     * our stack sees it, we close. Both FINs cross on the wire (RFC 9293 3.6, figure 13):
     * ours does not acknowledge Linux's, both sides pass through CLOSING to TIME_WAIT, and
     * no reset is sent.
     */
    @Test
    void bothSidesClosingAtOnceEndCleanlyWithTheFinsCrossing() throws Exception {
        int port = 7_104;
        Ipv4Address address = net.address(SIMULTANEOUS_CLOSE_HOST);
        TapNetif tap = net.openTap(false); // the delay acts on wire-size frames
        FinWatchNetif watch = new FinWatchNetif(tap, net.peerAddress());
        ImpairedNetif delayed = ImpairedNetif.onReceive(watch,
                Impairment.builder().delay(Duration.ofMillis(200)).build(), new SplittableRandom(104));
        DirectStack closer = DirectStackBuilder.on(delayed).address(new Ipv4Cidr(address, 24))
                .name("interop-simultaneous-close").build();
        try {
            CompletableFuture<String> linux = PeerTcp.runInBackground(net.peer(),
                    PeerTcp.startCapture("-S", "tcp port " + port, "/tmp/sc.dump")
                            + " socat -t 3 TCP4-LISTEN:" + port + ",reuseaddr SYSTEM:'sleep 0.5'; rc=$?;"
                            + " sleep 0.3; kill $td; wait $td;"
                            + " echo rc=$rc; cat /tmp/sc.dump; echo ---; ss -Htan state time-wait");
            PeerTcp.awaitListening(net.peer(), port);
            TcpFlow flow = await(closer.tcp().connect(net.peerAddress(), port));

            CompletableFuture<Void> closed = watch.finSeen().thenCompose(v -> flow.close());

            await(closed);
            String report = await(linux);
            String dump = report.substring(0, report.indexOf("---"));
            String timeWait = report.substring(report.indexOf("---") + 3);
            assertTrue(report.startsWith("rc=0"), "socat ended cleanly: " + report);
            assertFalse(dump.contains("Flags [R"), "no reset: " + dump);
            Fin linuxFin = Fin.find(dump, net.peerAddress() + "." + port + " >");
            Fin ourFin = Fin.find(dump, address + "." + flow.src().port() + " >");
            LOG.info("simultaneous close: Linux's FIN {}, ours {}", linuxFin, ourFin);
            assertEquals(linuxFin.seq(), ourFin.ack(), "our FIN does not acknowledge Linux's: they crossed\n" + dump);
            assertEquals(ourFin.seq(), linuxFin.ack(), "Linux's FIN does not acknowledge ours\n" + dump);
            assertTrue(timeWait.contains(address + ":" + flow.src().port()),
                    "Linux's end in TIME-WAIT after the simultaneous close: " + timeWait);
        } finally {
            closer.disconnect().get(10, TimeUnit.SECONDS);
        }
    }

    /** A FIN in tcpdump's output with absolute sequence numbers ({@code -S}). */
    private record Fin(long seq, long ack) {
        private static final Pattern LINE = Pattern.compile("Flags \\[F[^\\]]*\\], seq (\\d+), ack (\\d+)");

        /** The first FIN on a line containing {@code direction} ("a.b.c.d.port >"). */
        static Fin find(String dump, String direction) {
            for (String line : dump.split("\n")) {
                Matcher m = LINE.matcher(line);
                if (line.contains(direction) && m.find()) {
                    return new Fin(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)));
                }
            }
            throw new AssertionError("no FIN from " + direction + " in\n" + dump);
        }
    }

    // ---- keepalive ----

    /**
     * Linux probes an idle connection to our echo server (socat's keepalive options: the
     * first probe after 1 s idle, then every second, three unanswered probes end it) for 6
     * s; our stack answers each probe with an ACK, so the connection survives and the echo
     * after the idle spell comes back. The capture in the container shows the probes and
     * our ACKs between the last data before the spell and the first after it.
     */
    @Test
    void linuxKeepaliveProbesAreAnsweredAndTheIdleConnectionSurvives() {
        String report = net.peer().check("sh", "-c",
                PeerTcp.startCapture("-tt", "tcp port " + OUR_ECHO_PORT, "/tmp/ka.dump")
                        + " (printf before; sleep 6; printf after) | socat -t 5 - TCP4:" + ours() + ":" + OUR_ECHO_PORT
                        + ",keepalive,keepidle=1,keepintvl=1,keepcnt=3; rc=$?;"
                        + " sleep 0.3; kill $td; wait $td; echo; echo rc=$rc; cat /tmp/ka.dump");

        assertTrue(report.startsWith("beforeafter\nrc=0"), "the echo after the idle spell came back: " + report);
        List<String> idle = idleSegments(report);
        long probes = idle.stream().filter(l -> l.contains(" IP " + net.peerAddress() + ".")).count();
        long answers = idle.stream().filter(l -> l.contains(" IP " + ours() + ".")).count();
        LOG.info("keepalive: {} probes from Linux and {} ACKs from us in the idle spell", probes, answers);
        assertTrue(probes >= 3, probes + " keepalive probes from Linux in the idle spell:\n" + String.join("\n", idle));
        assertTrue(answers >= probes - 1 && answers >= 3,
                answers + " ACKs from our stack for " + probes + " probes:\n" + String.join("\n", idle));
    }

    /**
     * The segments of the capture in the idle spell: from half a second after the last one
     * carrying "before" (6 bytes, from us: the echo; the half second lets Linux's delayed
     * ACK of it pass) to the first carrying "after" (5 bytes, from Linux).
     */
    private static List<String> idleSegments(String report) {
        List<String> lines = Arrays.stream(report.split("\n")).filter(l -> l.contains(" IP ")).toList();
        double start = Double.NaN;
        double end = Double.NaN;
        for (String l : lines) {
            if (l.contains(" > " + net.peerAddress()) && l.endsWith("length 6")) {
                start = time(l);
            }
            if (Double.isNaN(end) && l.contains(" > " + ours()) && l.endsWith("length 5")) {
                end = time(l);
            }
        }
        assertTrue(start < end, "the capture shows the echo before and the data after the spell:\n" + report);
        double from = start + 0.5;
        double until = end;
        return lines.stream().filter(l -> time(l) > from && time(l) < until).toList();
    }

    /** The time tcpdump -tt printed first on a line, in seconds. */
    private static double time(String line) {
        return Double.parseDouble(line.substring(0, line.indexOf(' ')));
    }
}
