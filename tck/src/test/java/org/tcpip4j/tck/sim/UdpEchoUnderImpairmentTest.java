package org.tcpip4j.tck.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tcpip4j.netif.IpAddress;
import org.tcpip4j.netif.impair.Impairment;
import org.tcpip4j.tck.Payloads;
import org.tcpip4j.udp.UdpConfig;

/**
 * UDP echo between two direct stacks over a link that loses, reorders, delays and
 * duplicates frames, in virtual time, for many seeds. UDP promises nothing about loss or
 * order; what must hold is that every datagram that comes back is one that was sent, byte
 * for byte, and that the run is the same for the same seed. The same over IPv6, between dual
 * stacks, on a quarter as many seeds.
 */
class UdpEchoUnderImpairmentTest {

    private static final int ECHO_PORT = 7;
    private static final int CLIENT_PORT = 40_000;
    /** Where the one-byte datagrams that resolve IPv6 neighbors go; nothing listens there. */
    private static final int DISCARD_PORT = 9;
    private static final int DATAGRAMS = 120;
    /** One datagram leaves every 2 ms of virtual time. */
    private static final Duration PACE = Duration.ofMillis(2);

    /** 10% loss and 25% reordering on each direction, with jitter that reorders too, and a few duplicates. */
    static final Impairment LOSSY_REORDERING = Impairment.builder()
            .loss(0.10)
            .reorder(0.25, 2, Duration.ofMillis(8))
            .delay(Duration.ofMillis(3), Duration.ofMillis(2))
            .duplicate(0.02)
            .build();

    /**
     * What a run did: the sequence numbers echoed, in arrival order, when it ended, and the
     * datagrams the client's IPv6 layer delivered.
     */
    record Run(List<Integer> arrivals, long endNanos, long framesDropped, long framesReordered,
               long clientIpv6Delivered) {
    }

    /** The size of datagram {@code seq}: mostly one frame, every fifth one fragmented in two or three. */
    private static int sizeOf(int seq) {
        return seq % 5 == 4 ? 1_500 + 30 * seq : 4 + 11 * seq;
    }

    private static byte[] payloadOf(int seq) {
        byte[] b = Payloads.pattern(sizeOf(seq), seq);
        ByteBuffer.wrap(b).putInt(0, seq);
        return b;
    }

    private static Run run(long seed) {
        return run(seed, false);
    }

    /** A run over IPv6 when {@code ipv6}, after the neighbors were resolved, else over IPv4. */
    private static Run run(long seed, boolean ipv6) {
        ImpairedPair pair = new ImpairedPair(seed, LOSSY_REORDERING, UdpConfig.DEFAULT, ipv6);
        if (ipv6) {
            pair.resolveBothWays6(DISCARD_PORT);
        } else {
            pair.resolveBothWays();
        }
        IpAddress server = ImpairedPair.server(ipv6);
        pair.server.listenUdp(ECHO_PORT, (src, dst, srcPort, payload) ->
                pair.server.udp().write(dst, ECHO_PORT, src, srcPort, -1, Payloads.copy(payload)));
        List<Integer> arrivals = new ArrayList<>();
        CompletableFuture<Void> allSentAndSettled = new CompletableFuture<>();
        pair.client.listenUdp(CLIENT_PORT, (src, dst, srcPort, payload) -> {
            byte[] got = new byte[payload.remaining()];
            payload.get(got);
            int seq = ByteBuffer.wrap(got).getInt(0);
            assertTrue(seq >= 0 && seq < DATAGRAMS, "seed " + seed + ": an echo that was never sent: " + seq);
            assertArrayEquals(payloadOf(seq), got, "seed " + seed + ": echo of datagram " + seq);
            assertEquals(server, src);
            assertEquals(ECHO_PORT, srcPort);
            arrivals.add(seq);
        });
        for (int seq = 0; seq < DATAGRAMS; seq++) {
            int s = seq;
            pair.loop.schedule(PACE.toNanos() * (seq + 1), () ->
                    pair.client.udp().write(null, CLIENT_PORT, server, ECHO_PORT, -1,
                            ByteBuffer.wrap(payloadOf(s))));
        }
        // After the last send, long enough for ARP retries and every held or delayed frame.
        pair.loop.schedule(PACE.toNanos() * DATAGRAMS + Duration.ofSeconds(5).toNanos(),
                () -> allSentAndSettled.complete(null));
        pair.await(allSentAndSettled, Duration.ofSeconds(30));
        long dropped = pair.clientLink.sendStats().dropped() + pair.serverLink.sendStats().dropped();
        long reordered = pair.clientLink.sendStats().reordered() + pair.serverLink.sendStats().reordered();
        Run r = new Run(List.copyOf(arrivals), pair.loop.nanoTime(), dropped, reordered,
                ipv6 ? ImpairedPair.counter(pair.client, "ipv6", "rx.delivered") : 0);
        pair.close();
        return r;
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25})
    void everyEchoThatArrivesIsADatagramSentIntactAndMostArrive(long seed) {
        assertMostArriveIntactDespiteLossAndReordering(seed, run(seed));
    }

    /** The IPv4 case on a quarter as many seeds, over IPv6 to the server's IPv6 address. */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6})
    void overIpv6EveryEchoThatArrivesIsADatagramSentIntactAndMostArrive(long seed) {
        Run r = run(seed, true);
        assertMostArriveIntactDespiteLossAndReordering(seed, r);
        assertTrue(r.clientIpv6Delivered() >= new HashSet<>(r.arrivals()).size(),
                "seed " + seed + ": the echoes came over IPv6, yet its layer delivered " + r.clientIpv6Delivered());
    }

    private static void assertMostArriveIntactDespiteLossAndReordering(long seed, Run r) {
        Set<Integer> distinct = new HashSet<>(r.arrivals());
        // Each datagram crosses the link twice in one frame or more: about 75% come back.
        assertTrue(distinct.size() >= DATAGRAMS / 2, "seed " + seed + ": only " + distinct.size() + " echoes");
        assertTrue(distinct.size() < DATAGRAMS, "seed " + seed + ": nothing was lost, so the loss was not applied");
        assertTrue(r.framesDropped() > 0);
        assertTrue(r.framesReordered() > 0, "seed " + seed + ": nothing was reordered");
        assertNotEquals(r.arrivals().stream().sorted().toList(), r.arrivals(),
                "seed " + seed + ": echoes came back in order despite reordering");
    }

    @Test
    void theSameSeedReplaysTheSameRun() {
        Run first = run(42);
        Run second = run(42);
        assertEquals(first, second);
        assertNotEquals(first.arrivals(), run(43).arrivals(), "another seed, another run");
    }
}
