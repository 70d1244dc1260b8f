package org.tcpip4j.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.tcpip4j.arp.ArpConfig;
import org.tcpip4j.ipv4.Ipv4Config;
import org.tcpip4j.netif.Ipv4Address;
import org.tcpip4j.netif.Ipv4Cidr;
import org.tcpip4j.netif.MacAddress;
import org.tcpip4j.netif.loop.VirtualTimeEventLoop;
import org.tcpip4j.netif.memory.MemorySwitch;
import org.tcpip4j.stack.direct.DirectStack;
import org.tcpip4j.stack.direct.DirectStackBuilder;
import org.tcpip4j.tcp.ReadResult;
import org.tcpip4j.tcp.Shutdown;
import org.tcpip4j.tcp.TcpConfig;
import org.tcpip4j.tcp.TcpFlow;

/**
 * The whole input path of two direct stacks on an in-memory switch, with TCP connections
 * open and carrying data: frames captured from the live traffic (ARP, a ping, UDP whole
 * and fragmented, TCP handshakes, data and ACKs) are mutated as the input says, their
 * checksums repaired ({@link Frames#fixChecksums}) so that the mutations reach UDP, ICMP
 * and TCP, and handed to either stack, between application actions (writes, closes,
 * half-closes, new connections) and pauses of virtual time.
 *
 * <p>Invariants: no exception leaves the event loop; no storm of frames (a bounded number
 * of loop steps per action); the ARP cache, the bytes held for reassembly and the
 * connections stay within their bounds (a connection needs a SYN); and once every flow is
 * closed and an hour of virtual time has passed, neither stack holds a connection, an
 * address being resolved or a fragment, and no timer is left.
 */
class TwoStacksFuzzTest {

    static final Ipv4Address A = Ipv4Address.parse("198.18.0.1");
    static final Ipv4Address B = Ipv4Address.parse("198.18.0.2");
    private static final int PORT = 80;
    private static final int ECHO = 7;
    private static final int ARP_CACHE = 16;
    private static final int REASSEMBLY_BYTES = 64 * 1024;
    /** Loop steps one action may take; beyond, the stacks are answering each other without end. */
    private static final int STEP_LIMIT = 50_000;
    private static final int MAX_ACTIONS = 48;
    /** Small buffers, so that windows fill and close within a few actions (and a stack builds fast). */
    private static final TcpConfig TCP = TcpConfig.DEFAULT.withBuffers(16 * 1024, 64 * 1024, 16 * 1024, 64 * 1024);

    private VirtualTimeEventLoop loop;
    private TapNetif tapA;
    private TapNetif tapB;
    private DirectStack a;
    private DirectStack b;
    private final List<TcpFlow> flows = new ArrayList<>();
    private int connects;

    @FuzzTest(maxDuration = "5s")
    void traffic(FuzzedDataProvider input) {
        List<byte[]> templates = open();
        int synsInjected = 0;
        for (int action = 0; action < MAX_ACTIONS && input.remainingBytes() > 0; action++) {
            switch (input.consumeInt(0, 9)) {
                case 0, 1, 2, 3, 4, 5 -> {
                    byte[] frame = mutate(templates.get(input.consumeInt(0, templates.size() - 1)), input);
                    if (isSyn(frame)) {
                        synsInjected++;
                    }
                    boolean toB = (frame.length >= 6 && Frames.getInt(frame, 2) == (int) tapB.mac().bits())
                            != input.consumeBoolean(); // mostly to the addressee, sometimes reflected
                    (toB ? tapB : tapA).inject(frame);
                    run(Duration.ofMillis(1));
                }
                case 6 -> run(Duration.ofMillis(input.consumeInt(0, 10_000)));
                case 7 -> {
                    if (!flows.isEmpty()) {
                        TcpFlow f = flows.get(input.consumeInt(0, flows.size() - 1));
                        switch (input.consumeInt(0, 3)) {
                            case 0 -> f.write(ByteBuffer.wrap(new byte[input.consumeInt(0, 100_000)]));
                            case 1 -> f.writeNodelay(ByteBuffer.wrap(input.consumeBytes(100)));
                            case 2 -> f.shutdown(Shutdown.WRITE);
                            default -> f.close();
                        }
                        run(Duration.ofMillis(1));
                    }
                }
                case 8 -> {
                    connect();
                    run(Duration.ofMillis(1));
                }
                default -> run(Duration.ofMillis(input.consumeInt(0, 300)));
            }
            checkBounds(synsInjected);
        }
        closeAndCheckNothingIsLeft();
    }

    /** Builds both stacks, opens connections, moves data, and returns the frames seen on the wire. */
    private List<byte[]> open() {
        loop = new VirtualTimeEventLoop();
        MemorySwitch network = new MemorySwitch(loop);
        tapA = new TapNetif(network.port(MacAddress.parse("02:00:00:00:00:01")));
        tapB = new TapNetif(network.port(MacAddress.parse("02:00:00:00:00:02")));
        ArpConfig arp = new ArpConfig(ARP_CACHE, Duration.ofSeconds(60), 3, Duration.ofSeconds(1), 4);
        a = DirectStackBuilder.on(tapA).address(new Ipv4Cidr(A, 24)).ipv4Config(ipv4(A)).arpConfig(arp)
                .tcpConfig(TCP).name("fuzz-a").seed(1).jmx(false).build();
        b = DirectStackBuilder.on(tapB).address(new Ipv4Cidr(B, 24)).ipv4Config(ipv4(B)).arpConfig(arp)
                .tcpConfig(TCP).name("fuzz-b").seed(2).jmx(false).build();
        flows.clear();
        connects = 0;
        tapA.capturing = true;
        tapB.capturing = true;
        b.tcp().listen(PORT, flow -> {
            flows.add(flow);
            echo(flow);
        });
        b.udp().listen(ECHO, (src, dst, port, payload) -> {
            ByteBuffer copy = ByteBuffer.allocate(payload.remaining()).put(payload).flip();
            b.udp().write(B, ECHO, src, port, -1, copy);
        });
        a.udp().listen(ECHO, (src, dst, port, payload) -> { });
        a.icmp().ping(B, 56, Duration.ofSeconds(1));
        a.udp().write(A, ECHO, B, ECHO, -1, ByteBuffer.wrap(new byte[100]));
        a.udp().write(A, ECHO, B, ECHO, -1, ByteBuffer.wrap(new byte[3000]));
        connect();
        connect();
        run(Duration.ofMillis(5));
        for (TcpFlow f : List.copyOf(flows)) {
            f.write(ByteBuffer.wrap(new byte[3000]));
        }
        run(Duration.ofMillis(50));
        assertEquals(4, flows.size(), "both connections established");
        tapA.capturing = false;
        tapB.capturing = false;
        List<byte[]> templates = new ArrayList<>(tapA.captured());
        templates.addAll(tapB.captured());
        return templates;
    }

    private static Ipv4Config ipv4(Ipv4Address address) {
        return Ipv4Config.of(new Ipv4Cidr(address, 24))
                .withReassembly(Duration.ofSeconds(30), 16, REASSEMBLY_BYTES, REASSEMBLY_BYTES / 2);
    }

    private void connect() {
        connects++;
        a.tcp().connect(B, PORT).thenAccept(flow -> {
            flows.add(flow);
            drain(flow);
        });
    }

    /** Reads until the end of the stream and drops what it reads. */
    private static void drain(TcpFlow flow) {
        flow.read().thenAccept(r -> {
            if (r instanceof ReadResult.Data) {
                drain(flow);
            }
        });
    }

    /** Writes back what it reads; at the end of the stream, closes. */
    private static void echo(TcpFlow flow) {
        flow.read().thenAccept(r -> {
            if (r instanceof ReadResult.Data d) {
                ByteBuffer copy = ByteBuffer.allocate(d.data().remaining()).put(d.data()).flip();
                flow.write(copy);
                echo(flow);
            } else {
                flow.close();
            }
        });
    }

    /**
     * A copy of {@code template} changed as the input says: cut or extended, some bytes set
     * (mostly in the headers), a run of bytes overwritten, and, unless the input says not
     * to, its checksums repaired.
     */
    private static byte[] mutate(byte[] template, FuzzedDataProvider input) {
        byte[] f = template.clone();
        if (input.consumeInt(0, 7) == 0) {
            f = Frames.resize(f, input.consumeInt(0, Math.min(1514, f.length + 64)));
        }
        for (int edits = input.consumeInt(0, 4); edits > 0 && f.length > 0; edits--) {
            int at = input.consumeBoolean() ? input.consumeInt(0, Math.min(f.length, 74) - 1)
                    : input.consumeInt(0, f.length - 1);
            f[at] = input.consumeByte();
        }
        if (input.consumeInt(0, 3) == 0 && f.length > 0) {
            byte[] run = input.consumeBytes(16);
            int at = input.consumeInt(0, f.length - 1);
            System.arraycopy(run, 0, f, at, Math.min(run.length, f.length - at));
        }
        if (input.consumeInt(0, 15) != 0) {
            Frames.fixChecksums(f);
        }
        return f;
    }

    private static boolean isSyn(byte[] f) {
        if (f.length < 14 + 20 || Frames.getShort(f, 12) != Frames.ETHERTYPE_IPV4 || f[14 + 9] != Frames.TCP) {
            return false;
        }
        int t = 14 + (f[14] & 0x0f) * 4;
        return f.length > t + 13 && (f[t + 13] & 0x02) != 0;
    }

    /** Runs the loop for {@code d} of virtual time, failing on a storm. */
    private void run(Duration d) {
        int[] steps = {0};
        boolean storm = loop.runUntil(() -> ++steps[0] > STEP_LIMIT, d.toNanos());
        assertFalse(storm, "more than " + STEP_LIMIT + " loop steps in " + d + ": the stacks answer each other"
                + " without end");
    }

    private void checkBounds(int synsInjected) {
        for (DirectStack s : List.of(a, b)) {
            assertTrue(Internals.arpCacheSize(s) <= ARP_CACHE, "ARP cache within its size");
            assertTrue(counter(s, "ipv4", "rx.reassembly.held_bytes") <= REASSEMBLY_BYTES, "reassembly budget");
        }
        int connections = Internals.tcpConnections(a) + Internals.tcpConnections(b);
        assertTrue(connections <= 2 * connects + synsInjected,
                connections + " connections from " + connects + " connects and " + synsInjected + " SYNs");
    }

    private void closeAndCheckNothingIsLeft() {
        for (int minute = 0; minute < 60; minute++) {
            // Again every minute: a connection may complete its handshake after the first round.
            for (TcpFlow f : List.copyOf(flows)) {
                f.close();
            }
            run(Duration.ofMinutes(1));
        }
        for (DirectStack s : List.of(a, b)) {
            String name = s == a ? "A" : "B";
            assertEquals(0, Internals.tcpConnections(s), name + " holds connections");
            assertEquals(0, Internals.arpResolutions(s), name + " resolves addresses");
            assertEquals(0, counter(s, "ipv4", "rx.reassembly.incomplete"), name + " holds fragments");
        }
        assertEquals(0, loop.pendingTimers(), "timers left");
    }

    private static long counter(DirectStack s, String layer, String name) {
        return s.counters().get(layer).getOrDefault(name, 0L);
    }
}
