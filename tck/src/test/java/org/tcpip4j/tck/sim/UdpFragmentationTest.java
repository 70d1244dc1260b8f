package org.tcpip4j.tck.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tcpip4j.ip.IpError;
import org.tcpip4j.netif.impair.Impairment;
import org.tcpip4j.tck.DatagramInbox;
import org.tcpip4j.tck.Payloads;
import org.tcpip4j.udp.UdpConfig;
import org.tcpip4j.udp.UdpException;

/**
 * The largest UDP datagram, 65,507 bytes, through IP fragmentation at an MTU of 1500 (45
 * fragments each way) on links that reorder, delay and duplicate frames, or lose a few of
 * them; and fragmentation turned off. The first over IPv6 too (RFC 8200 4.5): its largest
 * datagram, 65,527 bytes, in 46 fragments each way, between dual stacks.
 */
class UdpFragmentationTest {

    private static final int MAX_PAYLOAD = 65_507;
    /** Fragments of 1480 bytes carry the 65,515-byte UDP datagram: 44 full ones and a last one. */
    private static final int FRAGMENTS = 45;
    /** IPv6's largest UDP datagram fills the 16-bit payload length: 65,535 - 8 bytes of data. */
    private static final int MAX_PAYLOAD6 = 65_527;
    /** Fragments of 1448 bytes (1500 - 40 - 8, a multiple of 8) carry the 65,535 bytes: 45 full ones and a last one. */
    private static final int FRAGMENTS6 = 46;
    private static final int ECHO_PORT = 7;
    private static final int CLIENT_PORT = 40_000;

    /** Every third frame held back until two more overtook it, jitter on top, a few duplicates. */
    static final Impairment REORDERING = Impairment.builder()
            .reorder(0.3, 2, Duration.ofMillis(5))
            .delay(Duration.ofMillis(2), Duration.ofMillis(1))
            .duplicate(0.05)
            .build();

    private static void echo(ImpairedPair pair) {
        pair.server.listenUdp(ECHO_PORT, (src, dst, srcPort, payload) ->
                pair.server.udp().write(dst, ECHO_PORT, src, srcPort, -1, Payloads.copy(payload)));
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6})
    void theLargestDatagramIsEchoedIntactThroughReorderedFragments(long seed) {
        ImpairedPair pair = new ImpairedPair(seed, REORDERING);
        echo(pair);
        DatagramInbox replies = new DatagramInbox();
        pair.client.listenUdp(CLIENT_PORT, replies);
        byte[] payload = Payloads.pattern(MAX_PAYLOAD, seed);

        pair.await(pair.client.udp().write(null, CLIENT_PORT, ImpairedPair.SERVER, ECHO_PORT, -1,
                ByteBuffer.wrap(payload)), Duration.ofSeconds(5));
        DatagramInbox.Datagram reply = pair.await(replies.next(), Duration.ofSeconds(10));

        assertArrayEquals(payload, reply.payload(), "seed " + seed);
        assertEquals(FRAGMENTS, ImpairedPair.counter(pair.client, "ipv4", "tx.fragments"));
        assertEquals(FRAGMENTS, ImpairedPair.counter(pair.server, "ipv4", "tx.fragments"));
        assertEquals(1, ImpairedPair.counter(pair.server, "ipv4", "rx.reassembled"));
        assertTrue(pair.clientLink.sendStats().reordered() > 0 && pair.serverLink.sendStats().reordered() > 0,
                "seed " + seed + ": fragments were reordered both ways");
        pair.loop.runFor(Duration.ofSeconds(1));
        assertEquals(1, replies.size(), "duplicated fragments make no second datagram");
        pair.close();
    }

    /** The case above on a quarter as many seeds, over IPv6 to the server's IPv6 address. */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2})
    void overIpv6TheLargestDatagramIsEchoedIntactThroughReorderedFragments(long seed) {
        ImpairedPair pair = new ImpairedPair(seed, REORDERING, UdpConfig.DEFAULT, true);
        echo(pair);
        DatagramInbox replies = new DatagramInbox();
        pair.client.listenUdp(CLIENT_PORT, replies);
        byte[] payload = Payloads.pattern(MAX_PAYLOAD6, seed);

        pair.await(pair.client.udp().write(null, CLIENT_PORT, ImpairedPair.SERVER6, ECHO_PORT, -1,
                ByteBuffer.wrap(payload)), Duration.ofSeconds(5));
        DatagramInbox.Datagram reply = pair.await(replies.next(), Duration.ofSeconds(10));

        assertArrayEquals(payload, reply.payload(), "seed " + seed);
        assertEquals(FRAGMENTS6, ImpairedPair.counter(pair.client, "ipv6", "tx.fragments"));
        assertEquals(FRAGMENTS6, ImpairedPair.counter(pair.server, "ipv6", "tx.fragments"));
        assertEquals(1, ImpairedPair.counter(pair.server, "ipv6", "rx.reassembled"));
        assertEquals(1, ImpairedPair.counter(pair.client, "ipv6", "rx.reassembled"));
        assertEquals(0, ImpairedPair.counter(pair.client, "ipv4", "tx.fragments"));
        assertTrue(pair.clientLink.sendStats().reordered() > 0 && pair.serverLink.sendStats().reordered() > 0,
                "seed " + seed + ": fragments were reordered both ways");
        pair.loop.runFor(Duration.ofSeconds(1));
        assertEquals(1, replies.size(), "duplicated fragments make no second datagram");
        pair.close();
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void underLossTheLargestDatagramArrivesIntactOnceARetryGetsAllItsFragmentsThrough(long seed) {
        // 1% of frames lost: a try (45 fragments each way) comes back about 40% of the time.
        ImpairedPair pair = new ImpairedPair(seed, REORDERING.toBuilder().loss(0.01).build());
        echo(pair);
        DatagramInbox replies = new DatagramInbox();
        pair.client.listenUdp(CLIENT_PORT, replies);
        byte[] payload = Payloads.pattern(MAX_PAYLOAD, seed);

        int tries = 0;
        while (replies.size() == 0 && tries < 25) {
            tries++;
            pair.client.udp().write(null, CLIENT_PORT, ImpairedPair.SERVER, ECHO_PORT, -1, ByteBuffer.wrap(payload));
            pair.loop.runFor(Duration.ofSeconds(1));
        }

        assertTrue(replies.size() >= 1, "seed " + seed + ": no echo in " + tries + " tries");
        for (DatagramInbox.Datagram reply : replies.received()) {
            assertArrayEquals(payload, reply.payload(), "seed " + seed);
        }
        // Partly received datagrams are given up on, not kept: past the reassembly timeout
        // (30 s) what was held is timed out.
        pair.loop.runFor(Duration.ofSeconds(31));
        long incomplete = ImpairedPair.counter(pair.server, "ipv4", "rx.reassembly.timeouts")
                + ImpairedPair.counter(pair.client, "ipv4", "rx.reassembly.timeouts");
        long lost = pair.clientLink.sendStats().droppedByLoss() + pair.serverLink.sendStats().droppedByLoss();
        assertTrue(lost > 0, "seed " + seed + ": the loss was applied");
        assertTrue(tries == 1 || incomplete > 0, "seed " + seed + ": " + tries + " tries, yet no datagram timed out");
        pair.close();
    }

    @Test
    void withFragmentationOffADatagramLargerThanTheMtuFailsWithWouldFragment() {
        ImpairedPair pair = new ImpairedPair(1, Impairment.NONE, UdpConfig.DEFAULT.withFragment(false));
        DatagramInbox inbox = new DatagramInbox();
        pair.server.listenUdp(ECHO_PORT, inbox);

        // 1472 bytes of data + 8 (UDP) + 20 (IPv4) fill the 1500-byte MTU exactly.
        pair.await(pair.client.udp().write(ImpairedPair.SERVER, ECHO_PORT, ByteBuffer.allocate(1_472)),
                Duration.ofSeconds(1));
        CompletableFuture<Void> tooBig = pair.client.udp().write(ImpairedPair.SERVER, ECHO_PORT,
                ByteBuffer.allocate(1_473));
        pair.loop.runFor(Duration.ofSeconds(1));

        assertEquals(1_472, pair.await(inbox.next(), Duration.ofSeconds(1)).payload().length);
        ExecutionException failure = assertThrows(ExecutionException.class, tooBig::get);
        UdpException.Ip e = assertInstanceOf(UdpException.Ip.class, failure.getCause());
        assertEquals(new IpError.WouldFragment(1_501, 1_500), e.error());
        assertEquals(1, inbox.size());
        assertEquals(0, ImpairedPair.counter(pair.client, "ipv4", "tx.fragments"));
        pair.close();
    }
}
