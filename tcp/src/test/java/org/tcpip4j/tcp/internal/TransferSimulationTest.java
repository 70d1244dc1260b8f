package org.tcpip4j.tcp.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tcpip4j.netif.loop.StackContext;
import org.tcpip4j.netif.loop.VirtualTimeEventLoop;
import org.tcpip4j.tcp.ReadResult;
import org.tcpip4j.tcp.TcpConfig;
import org.tcpip4j.tcp.TcpFlow;

/**
 * Two TCP layers on an impaired link, in virtual time: for each seed, a client and a
 * server each send 1 MiB to the other at once and close; every byte must arrive in order,
 * both closes must complete, and once TIME_WAIT is over no connection and no timer may be
 * left. The seed also picks the impairment: loss 0 to 20 %, with duplication, reordering
 * and corruption.
 *
 * <p>Rerun one seed with {@code -Dtcpip4j.seed=N}; change the number of seeds with
 * {@code -Dtcpip4j.seeds=N} (default 500: both tests together run 1,000 transfers in
 * about 8 s); the bulk transfer runs over IPv6 too, for {@code -Dtcpip4j.ipv6Seeds=N}
 * seeds (default 40).
 */
class TransferSimulationTest {

    static final int SIZE = 1 << 20;
    static final TcpConfig CONFIG = TcpConfig.DEFAULT;

    /**
     * The configuration of a seed's two ends: CUBIC on even seeds, NewReno on odd ones; SACK
     * off on one seed in seven (NewReno's recovery, RFC 6582), timestamps off on another one
     * in seven (round trips timed from send times alone), both off on one in eleven.
     */
    static TcpConfig configFor(TcpConfig base, long seed) {
        TcpConfig c = base.withCongestionControl(seed % 2 == 0 ? "cubic" : "newreno");
        if (seed % 7 == 3 || seed % 11 == 4) {
            c = c.withSelectiveAcks(false);
        }
        if (seed % 7 == 5 || seed % 11 == 4) {
            c = c.withTimestamps(false);
        }
        return c;
    }

    static LongStream seeds() {
        String one = System.getProperty("tcpip4j.seed");
        if (one != null && !one.isBlank()) {
            return LongStream.of(Long.parseLong(one.trim()));
        }
        return LongStream.range(0, Long.getLong("tcpip4j.seeds", 500));
    }

    static SimulatedLink.Impairments impairmentsFor(long seed) {
        double loss = (seed % 5) * 0.05;
        return new SimulatedLink.Impairments(loss, 0.02, 0.2, 0.01, 2_000_000, 6_000_000);
    }

    /**
     * Seeds of the same transfer over IPv6: {@code -Dtcpip4j.ipv6Seeds=N} (default 40), or the
     * one of {@code -Dtcpip4j.seed}.
     */
    static LongStream ipv6Seeds() {
        String one = System.getProperty("tcpip4j.seed");
        if (one != null && !one.isBlank()) {
            return LongStream.of(Long.parseLong(one.trim()));
        }
        return LongStream.range(0, Long.getLong("tcpip4j.ipv6Seeds", 40));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void bothDirectionsArriveIntactAndEverythingCloses(long seed) throws Exception {
        transfer(seed, false);
    }

    /** The same over IPv6: 128-bit 4-tuples, the IPv6 pseudo-header and MSS. */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("ipv6Seeds")
    void overIpv6BothDirectionsArriveIntactAndEverythingCloses(long seed) throws Exception {
        transfer(seed, true);
    }

    private static void transfer(long seed, boolean ipv6) throws Exception {
        VirtualTimeEventLoop loop = new VirtualTimeEventLoop();
        SimulatedLink link = new SimulatedLink(loop, seed, impairmentsFor(seed), ipv6);
        TcpConfig config = configFor(CONFIG, seed);
        DefaultTcp client = new DefaultTcp(link.a, config, StackContext.seeded(loop, seed * 31 + 1, "client"));
        DefaultTcp server = new DefaultTcp(link.b, config, StackContext.seeded(loop, seed * 31 + 2, "server"));
        link.a.tcp = client;
        link.b.tcp = server;

        byte[] clientData = randomBytes(seed, SIZE);
        byte[] serverData = randomBytes(~seed, SIZE);
        Peer serverSide = new Peer(serverData);
        server.listen(5001, serverSide::start);
        Peer clientSide = new Peer(clientData);
        client.connect(link.b.address, 5001).thenAccept(clientSide::start);

        boolean done = loop.runUntil(() -> clientSide.finished() && serverSide.finished(), Duration.ofMinutes(30).toNanos());
        String where = "seed " + seed + (ipv6 ? " over IPv6 " : " ") + config + " " + impairmentsFor(seed) + " lost=" + link.lost + " at " + loop.nanoTime()
            + "\nclient " + client.counters() + "\nserver " + server.counters();
        assertTrue(done, "transfer did not finish: " + where + "\nclient " + clientSide + "\nserver " + serverSide);
        clientSide.rethrow();
        serverSide.rethrow();
        assertEquals(link.b.address, clientSide.flow.dst().address(), where);
        assertArrayEquals(serverData, clientSide.received.toByteArray(), "client received: " + where);
        assertArrayEquals(clientData, serverSide.received.toByteArray(), "server received: " + where);

        if (Boolean.getBoolean("tcpip4j.verbose")) {
            System.out.println(where);
        }
        // TIME_WAIT lasts 2 MSL; after it nothing may remain.
        loop.runFor(CONFIG.msl().multipliedBy(2).plusSeconds(5));
        assertEquals(0, client.connectionCount(), where);
        assertEquals(0, server.connectionCount(), where);
        assertEquals(0, loop.pendingTimers(), "timers left: " + where);
    }

    static byte[] randomBytes(long seed, int n) {
        byte[] b = new byte[n];
        new SplittableRandom(seed).nextBytes(b);
        return b;
    }

    static final TcpConfig TINY = new TcpConfig(3000, 2000, Duration.ofSeconds(5), 8, 15, 16);

    /**
     * Tiny buffers (windows of a few segments and less than one), a reader that pauses
     * between reads (zero windows, persist probes, window updates), up to 30 % loss.
     */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void tinyBuffersSlowReadersAndHeavyLossStillDeliverEverything(long seed) throws Exception {
        VirtualTimeEventLoop loop = new VirtualTimeEventLoop();
        double loss = 0.1 + (seed % 3) * 0.1;
        SimulatedLink link = new SimulatedLink(loop, seed,
            new SimulatedLink.Impairments(loss, 0.05, 0.3, 0.02, 1_000_000, 10_000_000));
        TcpConfig config = configFor(TINY, seed);
        DefaultTcp client = new DefaultTcp(link.a, config, StackContext.seeded(loop, seed * 17 + 1, "client"));
        DefaultTcp server = new DefaultTcp(link.b, config, StackContext.seeded(loop, seed * 17 + 2, "server"));
        link.a.tcp = client;
        link.b.tcp = server;
        byte[] clientData = randomBytes(seed + 1000, 60_000);
        byte[] serverData = randomBytes(seed + 2000, 40_000);
        Peer serverSide = new Peer(serverData, loop, 30_000_000);
        server.listen(5001, serverSide::start);
        Peer clientSide = new Peer(clientData, loop, 7_000_000);
        client.connect(link.b.address, 5001).thenAccept(clientSide::start);
        boolean done = loop.runUntil(() -> clientSide.finished() && serverSide.finished(), Duration.ofHours(2).toNanos());
        String where = "seed " + seed + " " + config + " loss " + loss + " at " + loop.nanoTime() + "\nclient " + client.counters() + "\nserver "
            + server.counters();
        assertTrue(done, "transfer did not finish: " + where + "\nclient " + clientSide + "\nserver " + serverSide);
        clientSide.rethrow();
        serverSide.rethrow();
        assertArrayEquals(serverData, clientSide.received.toByteArray(), where);
        assertArrayEquals(clientData, serverSide.received.toByteArray(), where);
        if (Boolean.getBoolean("tcpip4j.verbose")) {
            System.out.println(where);
        }
        loop.runFor(TINY.msl().multipliedBy(2).plusSeconds(5));
        assertEquals(0, client.connectionCount(), where);
        assertEquals(0, server.connectionCount(), where);
        assertEquals(0, loop.pendingTimers(), "timers left: " + where);
    }

    /** One end of the transfer: writes its data in chunks and closes, reads until Eof. */
    static final class Peer {
        final byte[] toSend;
        final ByteArrayOutputStream received = new ByteArrayOutputStream();
        final CompletableFuture<Void> readDone = new CompletableFuture<>();
        final CompletableFuture<Void> closeDone = new CompletableFuture<>();
        private final org.tcpip4j.netif.loop.EventLoop loop;
        private final long readPause;
        TcpFlow flow;

        Peer(byte[] toSend) {
            this(toSend, null, 0);
        }

        /** A peer that waits {@code readPauseNanos} after each read before the next. */
        Peer(byte[] toSend, org.tcpip4j.netif.loop.EventLoop loop, long readPauseNanos) {
            this.toSend = toSend;
            this.loop = loop;
            this.readPause = readPauseNanos;
        }

        void start(TcpFlow f) {
            this.flow = f;
            readLoop();
            writeFrom(0);
        }

        private void writeFrom(int offset) {
            if (offset >= toSend.length) {
                flow.close().whenComplete((v, e) -> complete(closeDone, e));
                return;
            }
            int n = Math.min(16 * 1024 + (offset % 7) * 1000, toSend.length - offset);
            flow.write(ByteBuffer.wrap(toSend, offset, n)).whenComplete((v, e) -> {
                if (e != null) {
                    closeDone.completeExceptionally(e);
                } else {
                    writeFrom(offset + n);
                }
            });
        }

        private void readLoop() {
            flow.read().whenComplete((r, e) -> {
                if (e != null) {
                    readDone.completeExceptionally(e);
                } else if (r instanceof ReadResult.Data d) {
                    ByteBuffer b = d.data();
                    byte[] bytes = new byte[b.remaining()];
                    b.get(bytes);
                    received.writeBytes(bytes);
                    if (readPause > 0) {
                        loop.schedule(readPause, this::readLoop);
                    } else {
                        readLoop();
                    }
                } else {
                    readDone.complete(null);
                }
            });
        }

        private static void complete(CompletableFuture<Void> f, Throwable e) {
            if (e != null) {
                f.completeExceptionally(e);
            } else {
                f.complete(null);
            }
        }

        boolean finished() {
            return readDone.isDone() && closeDone.isDone();
        }

        void rethrow() throws Exception {
            readDone.get();
            closeDone.get();
        }

        @Override
        public String toString() {
            return "read " + received.size() + (readDone.isDone() ? " (done)" : "") + ", close "
                + (closeDone.isDone() ? "done" : "pending") + (flow == null ? ", no flow" : ", " + flow);
        }
    }
}
