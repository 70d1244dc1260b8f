package org.tcpip4j.tck.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tcpip4j.netif.Ipv4Address;
import org.tcpip4j.netif.Ipv4Cidr;
import org.tcpip4j.netif.MacAddress;
import org.tcpip4j.netif.impair.ImpairedNetif;
import org.tcpip4j.netif.impair.Impairment;
import org.tcpip4j.netif.loop.VirtualTimeEventLoop;
import org.tcpip4j.netif.memory.MemorySwitch;
import org.tcpip4j.stack.direct.DirectStack;
import org.tcpip4j.stack.direct.DirectStackBuilder;
import org.tcpip4j.tcp.TcpConfig;

/**
 * Path MTU discovery between two direct stacks in virtual time, the sender behind a
 * {@link NarrowLink}: a router whose next link takes 1280-byte datagrams, on a 10 ms
 * round trip. When the router reports (RFC 1191), the sender's MSS falls at the first
 * report and the transfer completes with no datagram larger than the link; when it is a
 * black hole, repeated timeouts lower the MSS (RFC 4821); forged reports, quoting a
 * sequence number outside the window or no connection, change nothing. Every byte is
 * checked, and no datagram is ever sent that a router would have to fragment.
 */
class TcpPathMtuSimulationTest {

    static final Ipv4Address SENDER = Ipv4Address.parse("198.18.5.1");
    static final Ipv4Address RECEIVER = Ipv4Address.parse("198.18.5.2");
    static final int PORT = 5001;
    static final int LINK_MTU = 1280;
    static final Duration ONE_WAY = Duration.ofMillis(5);

    /** Two stacks, the sender's device behind a narrow link, and a transfer between them. */
    private static final class Run {
        final VirtualTimeEventLoop loop = new VirtualTimeEventLoop();
        final NarrowLink link;
        final DirectStack sender;
        final DirectStack receiver;
        final TransferEnd sending;
        final TransferEnd receiving;

        Run(long seed, int mtu, boolean blackHole, int bytes) {
            MemorySwitch network = new MemorySwitch(loop);
            SplittableRandom random = new SplittableRandom(seed);
            Impairment delay = Impairment.builder().delay(ONE_WAY).build();
            link = new NarrowLink(ImpairedNetif.onSend(network.port(MacAddress.parse("02:00:00:00:05:01")), delay,
                random.split()), mtu, blackHole);
            ImpairedNetif receiverLink = ImpairedNetif.onSend(network.port(MacAddress.parse("02:00:00:00:05:02")),
                delay, random.split());
            sender = DirectStackBuilder.on(link).address(new Ipv4Cidr(SENDER, 24)).name("pmtu-sender")
                .seed(random.nextLong()).tcpConfig(TcpConfig.DEFAULT).build();
            receiver = DirectStackBuilder.on(receiverLink).address(new Ipv4Cidr(RECEIVER, 24)).name("pmtu-receiver")
                .seed(random.nextLong()).tcpConfig(TcpConfig.DEFAULT).build();
            byte[] data = new byte[bytes];
            random.nextBytes(data);
            sending = new TransferEnd(data, new byte[0]);
            receiving = new TransferEnd(new byte[0], data);
            receiver.listenTcp(PORT, receiving::start);
            sender.tcp().connect(RECEIVER, PORT).whenComplete((f, e) -> {
                if (e == null) {
                    sending.start(f);
                } else {
                    sending.closeDone.completeExceptionally(e);
                }
            });
        }

        /** Runs until both ends finished, at most {@code max} of virtual time; true when both succeeded. */
        boolean finish(Duration max) {
            loop.runUntil(() -> sending.finished() && receiving.finished(), max.toNanos());
            return sending.succeeded() && receiving.succeeded();
        }

        long tcp(String counter) {
            return sender.counters().get("tcp").getOrDefault(counter, 0L);
        }

        String describe() {
            Map<String, Long> tcp = sender.counters().get("tcp");
            return link + "\nsending " + sending + "\nreceiving " + receiving + "\nsender tcp " + tcp;
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2})
    void aReportedSmallerMtuIsHonouredAtOnceAndNothingLargerFollows(long seed) {
        Run run = new Run(seed, LINK_MTU, false, 4 << 20);
        assertTrue(run.finish(Duration.ofMinutes(2)), run.describe());
        System.out.printf("[pmtu] seed %d: 4 MiB through a %d-byte link in %.3f s: %d datagrams dropped and"
            + " reported, %d forwarded, the largest %d bytes; %d timeouts%n", seed, LINK_MTU,
            run.loop.nanoTime() / 1e9, run.link.dropped, run.link.forwarded, run.link.largestForwarded,
            run.tcp("tx.rto_expiries"));
        assertTrue(run.link.reported >= 1, run.describe());
        assertEquals(0, run.link.fragmentable, "every datagram carries DF");
        assertEquals(LINK_MTU, run.link.largestForwarded, "segments fill the link exactly");
        assertTrue(run.link.dropped <= 10, "only the first flight was too large: " + run.describe());
        assertTrue(run.tcp("tx.pmtu_reductions") >= 1, run.describe());
        assertEquals(0, run.tcp("tx.pmtu_black_holes"), run.describe());
        assertEquals(0, run.tcp("tx.rto_expiries"), "resent at once, not after a timeout: " + run.describe());
        assertEquals(LINK_MTU - 20, run.sender.ip().mtu(RECEIVER), "the IP layer learned it from TCP");
    }

    @Test
    void forgedReportsChangeNothing() {
        Run run = new Run(3, 1500, false, 4 << 20);
        run.loop.runUntilTime(Duration.ofMillis(100).toNanos());
        assertTrue(run.link.forwarded > 10, "the transfer is under way: " + run.describe());
        byte[] genuine = run.link.lastTcpQuote();
        // Far outside SND.UNA..SND.NXT: a blind attacker's guess.
        byte[] outOfWindow = genuine.clone();
        int seq = ((outOfWindow[24] & 0xff) << 24 | (outOfWindow[25] & 0xff) << 16 | (outOfWindow[26] & 0xff) << 8
            | (outOfWindow[27] & 0xff)) + 0x4000_0000;
        outOfWindow[24] = (byte) (seq >>> 24);
        outOfWindow[25] = (byte) (seq >>> 16);
        outOfWindow[26] = (byte) (seq >>> 8);
        outOfWindow[27] = (byte) seq;
        // The same segment's header, but the destination port of no connection.
        byte[] noConnection = genuine.clone();
        noConnection[23] ^= 1;
        run.loop.execute(() -> {
            run.link.inject(run.link.fragmentationNeeded(outOfWindow, 600));
            run.link.inject(run.link.fragmentationNeeded(noConnection, 600));
        });
        assertTrue(run.finish(Duration.ofMinutes(2)), run.describe());
        assertEquals(1, run.tcp("rx.icmp_out_of_window"), run.describe());
        assertEquals(1, run.tcp("rx.icmp_frag_needed_no_connection"), run.describe());
        assertEquals(0, run.tcp("tx.pmtu_reductions"), run.describe());
        assertEquals(1480, run.sender.ip().mtu(RECEIVER), "the path MTU stays the link's");
        assertEquals(1500, run.link.largestForwarded, "full-sized segments to the end");
    }

    @Test
    void aBlackHoleIsFoundByRepeatedTimeouts() {
        Run run = new Run(4, LINK_MTU, true, 1 << 20);
        assertTrue(run.finish(Duration.ofMinutes(5)), run.describe());
        System.out.printf("[pmtu] black hole: 1 MiB through a silent %d-byte link in %.3f s: %d datagrams dropped,"
            + " %d timeouts, %d MSS reductions%n", LINK_MTU, run.loop.nanoTime() / 1e9, run.link.dropped,
            run.tcp("tx.rto_expiries"), run.tcp("tx.pmtu_black_holes"));
        assertEquals(0, run.link.reported);
        assertTrue(run.tcp("tx.pmtu_black_holes") >= 1, run.describe());
        assertEquals(0, run.link.fragmentable);
        assertTrue(run.link.largestForwarded <= LINK_MTU, run.describe());
        assertEquals(1480, run.sender.ip().mtu(RECEIVER), "no message, no path MTU in the IP layer");
    }
}
