package org.tcpip4j.tck.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tcpip4j.netif.ForwardingNetif;
import org.tcpip4j.netif.Ipv4Address;
import org.tcpip4j.netif.Ipv4Cidr;
import org.tcpip4j.netif.MacAddress;
import org.tcpip4j.netif.Netif;
import org.tcpip4j.netif.NetifError;
import org.tcpip4j.netif.PacketWriter;
import org.tcpip4j.netif.Result;
import org.tcpip4j.netif.impair.ImpairedNetif;
import org.tcpip4j.netif.impair.Impairment;
import org.tcpip4j.netif.loop.VirtualTimeEventLoop;
import org.tcpip4j.netif.memory.MemorySwitch;
import org.tcpip4j.stack.direct.DirectStack;
import org.tcpip4j.stack.direct.DirectStackBuilder;
import org.tcpip4j.tcp.ReadResult;
import org.tcpip4j.tcp.TcpConfig;
import org.tcpip4j.tcp.TcpFlow;

/**
 * The TCP layer's Flight Recorder events ({@code org.tcpip4j.tcp.*}), recorded in this
 * process while two direct stacks talk on the in-memory network in virtual time, then read
 * back from the recording file as {@code jfr print} would:
 *
 * <ol>
 *   <li>a transfer with 5% of the client's frames lost: the connection opens (active at the
 *       client, passive at the server), goes through its states, retransmits segments RACK
 *       found lost and enters fast recovery, and closes with FIN, with its byte counts;
 *   <li>a second transfer while the server's frames are all dropped for 3 s: the
 *       retransmission timer fires and backs off, the timeout's retransmissions go out, and
 *       loss recovery begins;
 *   <li>four connections at once to a server whose half-open queue holds two: the other
 *       two SYNs are answered with SYN cookies, and those connections open too.
 * </ol>
 */
class TcpFlightRecorderEventsTest {

    static final Ipv4Address CLIENT = Ipv4Address.parse("198.18.7.1");
    static final Ipv4Address SERVER = Ipv4Address.parse("198.18.7.2");
    static final int PORT = 5001;
    static final int BYTES = 512 * 1024;

    @Test
    void connectionsRetransmissionsTimeoutsRecoveryAndCookiesAreRecorded(@TempDir Path dir) throws Exception {
        VirtualTimeEventLoop loop = new VirtualTimeEventLoop();
        MemorySwitch network = new MemorySwitch(loop);
        SplittableRandom random = new SplittableRandom(11);
        Impairment delay = Impairment.builder().delay(Duration.ofMillis(5)).build();
        Valve clientLink = new Valve(ImpairedNetif.onSend(network.port(MacAddress.parse("02:00:00:00:07:01")), delay,
            random.split()), random.split());
        Valve serverLink = new Valve(ImpairedNetif.onSend(network.port(MacAddress.parse("02:00:00:00:07:02")), delay,
            random.split()), random.split());
        TcpConfig backlogOfTwo = backlog(TcpConfig.DEFAULT, 2);
        DirectStack client = DirectStackBuilder.on(clientLink).address(new Ipv4Cidr(CLIENT, 24)).name("jfr-client")
            .seed(random.nextLong()).build();
        DirectStack server = DirectStackBuilder.on(serverLink).address(new Ipv4Cidr(SERVER, 24)).name("jfr-server")
            .seed(random.nextLong()).tcpConfig(backlogOfTwo).build();
        List<CompletableFuture<Long>> drained = new ArrayList<>();
        server.listenTcp(PORT, flow -> drained.add(drain(flow, 0)));

        Path file = dir.resolve("tcp.jfr");
        try (Recording recording = new Recording()) {
            for (String event : List.of("ConnectionOpened", "ConnectionClosed", "StateChange", "Retransmission",
                "RetransmissionTimeout", "RecoveryEntered", "SynCookieSent")) {
                recording.enable("org.tcpip4j.tcp." + event);
            }
            recording.start();

            // 1: a transfer under loss.
            clientLink.loss = 0.05;
            transfer(loop, client, drained, 0);
            long lost = clientLink.dropped;
            clientLink.loss = 0;

            // 2: the server falls silent for 3 s in the middle of a transfer.
            TcpFlow flow = loop.await(client.tcp().connect(SERVER, PORT), Duration.ofSeconds(30));
            flow.write(ByteBuffer.allocate(BYTES));
            loop.runFor(Duration.ofMillis(30));
            serverLink.cut = true;
            loop.runFor(Duration.ofSeconds(3));
            serverLink.cut = false;
            flow.close();
            assertEquals(BYTES, loop.await(accepted(loop, drained, 1), Duration.ofMinutes(2)));

            // 3: more SYNs at once than the half-open queue holds.
            List<CompletableFuture<TcpFlow>> flows = new ArrayList<>();
            loop.run(() -> {
                for (int i = 0; i < 4; i++) {
                    flows.add(client.tcp().connect(SERVER, PORT));
                }
            });
            for (CompletableFuture<TcpFlow> f : flows) {
                loop.await(f, Duration.ofSeconds(30)).close();
            }
            loop.runFor(Duration.ofSeconds(5));

            recording.stop();
            recording.dump(file);
            assertTrue(lost > 0, "the first transfer lost frames");
        }
        List<RecordedEvent> events = RecordingFile.readAllEvents(file);
        assertFalse(events.isEmpty(), "events recorded");

        String c = "198.18.7.1:";
        String s = "198.18.7.2:" + PORT;

        // Opened: active at the client, passive at the server, with the stacks' names.
        List<RecordedEvent> opened = of(events, "ConnectionOpened");
        assertTrue(opened.stream().anyMatch(e -> e.getString("stack").equals("jfr-client") && !e.getBoolean("passive")
            && e.getString("remote").equals(s) && e.getString("local").startsWith(c)), () -> dump(opened));
        assertTrue(opened.stream().anyMatch(e -> e.getString("stack").equals("jfr-server") && e.getBoolean("passive")
            && e.getString("local").equals(s) && e.getString("remote").startsWith(c)), () -> dump(opened));

        // States: the client's way through an active open and close, and the server's through a passive one.
        List<RecordedEvent> states = of(events, "StateChange");
        Set<String> clientTransitions = transitions(states, "jfr-client");
        Set<String> serverTransitions = transitions(states, "jfr-server");
        for (String t : List.of("CLOSED->SYN_SENT", "SYN_SENT->ESTABLISHED", "ESTABLISHED->FIN_WAIT_1")) {
            assertTrue(clientTransitions.contains(t), t + " in " + clientTransitions);
        }
        for (String t : List.of("CLOSED->SYN_RECEIVED", "SYN_RECEIVED->ESTABLISHED", "ESTABLISHED->CLOSE_WAIT",
            "CLOSE_WAIT->LAST_ACK", "LAST_ACK->CLOSED")) {
            assertTrue(serverTransitions.contains(t), t + " in " + serverTransitions);
        }

        // Retransmissions: RACK's during the lossy transfer, the timer's while the server was silent.
        List<RecordedEvent> resent = of(events, "Retransmission");
        assertTrue(resent.stream().anyMatch(e -> e.getString("reason").equals("rack") && e.getInt("length") > 0
            && e.getString("stack").equals("jfr-client") && e.getString("remote").equals(s)), () -> dump(resent));
        assertTrue(resent.stream().anyMatch(e -> e.getString("reason").equals("rto") && e.getInt("length") > 0),
            () -> dump(resent));
        assertTrue(resent.stream().allMatch(e -> e.getLong("seq") >= 0 && e.getLong("seq") <= 0xffffffffL));

        // The timer fired more than once, backing off: 1, 2, ... with the RTO doubling.
        List<RecordedEvent> rtos = of(events, "RetransmissionTimeout").stream()
            .filter(e -> e.getString("stack").equals("jfr-client") && e.getString("state").equals("ESTABLISHED"))
            .toList();
        assertTrue(rtos.size() >= 2, () -> dump(rtos));
        assertEquals(1, rtos.get(0).getInt("backoff"), () -> dump(rtos));
        assertEquals(2, rtos.get(1).getInt("backoff"), () -> dump(rtos));
        assertEquals(2 * rtos.get(0).getDuration("rto").toNanos(), rtos.get(1).getDuration("rto").toNanos(),
            () -> dump(rtos));
        assertTrue(rtos.get(0).getDuration("rto").toMillis() >= 200, () -> dump(rtos));

        // Recovery: fast recovery by RACK under loss, loss recovery after the timeout, each with the window
        // CUBIC had when the loss was found and the lower threshold it set.
        List<RecordedEvent> recoveries = of(events, "RecoveryEntered");
        for (String kind : List.of("rack", "rto")) {
            assertTrue(recoveries.stream().anyMatch(e -> e.getString("kind").equals(kind)
                && e.getString("algorithm").equals("cubic") && e.getInt("ssthresh") > 0
                && e.getInt("ssthresh") < e.getInt("cwnd")
                && e.getString("stack").equals("jfr-client")), kind + ": " + dump(recoveries));
        }

        // Closed: the first connection with FIN, carrying what was sent and received.
        List<RecordedEvent> closed = of(events, "ConnectionClosed");
        assertTrue(closed.stream().anyMatch(e -> e.getString("stack").equals("jfr-client")
            && e.getString("how").equals("fin") && e.getLong("bytesSent") >= BYTES
            && e.getLong("bytesRetransmitted") > 0), () -> dump(closed));
        assertTrue(closed.stream().anyMatch(e -> e.getString("stack").equals("jfr-server")
            && e.getString("how").equals("fin") && e.getLong("bytesReceived") == BYTES), () -> dump(closed));

        // Cookies: two of the four SYNs found the queue full.
        List<RecordedEvent> cookies = of(events, "SynCookieSent");
        assertEquals(2, cookies.size(), () -> dump(cookies));
        assertTrue(cookies.stream().allMatch(e -> e.getString("stack").equals("jfr-server")
            && e.getString("local").equals(s) && e.getString("remote").startsWith(c) && e.getInt("mss") == 1460),
            () -> dump(cookies));
        assertEquals(2L, server.tcp().counters().get("syncookies.accepted"));

        client.disconnect();
        server.disconnect();
        loop.runUntilIdle();
    }

    /** Connects, writes {@link #BYTES} and closes; waits until the server read them all. */
    private static void transfer(VirtualTimeEventLoop loop, DirectStack client, List<CompletableFuture<Long>> drained,
                                 int index) throws Exception {
        TcpFlow flow = loop.await(client.tcp().connect(SERVER, PORT), Duration.ofSeconds(30));
        flow.write(ByteBuffer.allocate(BYTES));
        flow.close();
        assertEquals(BYTES, loop.await(accepted(loop, drained, index), Duration.ofMinutes(2)));
        loop.runFor(Duration.ofSeconds(2));
    }

    /** The drain of the server's connection number {@code index}, once the server has accepted it. */
    private static CompletableFuture<Long> accepted(VirtualTimeEventLoop loop, List<CompletableFuture<Long>> drained,
                                                    int index) {
        assertTrue(loop.runUntil(() -> drained.size() > index, Duration.ofMinutes(1).toNanos()), "accepted");
        return drained.get(index);
    }

    /** Reads until the end of the stream, then closes; completes with the bytes read. */
    private static CompletableFuture<Long> drain(TcpFlow flow, long have) {
        return flow.read().thenCompose(r -> {
            if (r instanceof ReadResult.Data d) {
                return drain(flow, have + d.data().remaining());
            }
            flow.close();
            return CompletableFuture.completedFuture(have);
        });
    }

    private static TcpConfig backlog(TcpConfig c, int backlog) {
        return new TcpConfig(c.sendBufferSize(), c.receiveBufferSize(), c.msl(), c.synRetries(),
            c.maxRetransmissions(), backlog, c.timestamps(), c.selectiveAcks(), c.challengeAcksPerSecond(),
            c.maxSendBufferSize(), c.maxReceiveBufferSize(), c.congestionControl(), c.limits(), c.portShares(),
            c.portShare());
    }

    private static List<RecordedEvent> of(List<RecordedEvent> events, String name) {
        String full = "org.tcpip4j.tcp." + name;
        return events.stream().filter(e -> e.getEventType().getName().equals(full)).toList();
    }

    private static Set<String> transitions(List<RecordedEvent> states, String stack) {
        Predicate<RecordedEvent> ofStack = e -> e.getString("stack").equals(stack);
        return states.stream().filter(ofStack).map(e -> e.getString("from") + "->" + e.getString("to"))
            .collect(Collectors.toSet());
    }

    private static String dump(List<RecordedEvent> events) {
        return events.size() + " events:\n" + events.stream().limit(40).map(RecordedEvent::toString)
            .collect(Collectors.joining());
    }

    /**
     * A link whose frames are dropped at random with {@link #loss}, or all while {@link #cut}
     * (the frame is still written, into a scratch buffer, as a wire would take it).
     */
    static final class Valve extends ForwardingNetif {
        private final SplittableRandom random;
        double loss;
        boolean cut;
        long dropped;

        Valve(Netif inner, SplittableRandom random) {
            super(inner);
            this.random = random;
        }

        @Override
        public Result<NetifError> write(int size, PacketWriter writer) {
            if (cut || loss > 0 && random.nextDouble() < loss) {
                dropped++;
                writer.write(ByteBuffer.allocate(size), 0, size);
                return Result.ok();
            }
            return inner.write(size, writer);
        }
    }
}
