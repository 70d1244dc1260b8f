package org.tcpip4j.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.tcpip4j.tck.FlowTransfers.writeAll;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tcpip4j.netif.IpAddress;
import org.tcpip4j.netif.Ipv4Address;
import org.tcpip4j.netif.Ipv4Cidr;
import org.tcpip4j.netif.Ipv6Address;
import org.tcpip4j.netif.Ipv6Cidr;
import org.tcpip4j.netif.Netif;
import org.tcpip4j.netif.impair.ImpairedNetif;
import org.tcpip4j.netif.impair.Impairment;
import org.tcpip4j.stack.direct.DirectStack;
import org.tcpip4j.stack.direct.DirectStackBuilder;
import org.tcpip4j.tck.FlowTransfers;
import org.tcpip4j.tck.IpVersion;
import org.tcpip4j.tcp.TcpFlow;

/**
 * Bulk TCP between our direct stack and the Linux kernel, each way, with the content
 * checked by SHA-256 on both ends: we send a seeded pseudo-random stream and socat in the
 * container hashes what it receives; socat sends a file of /dev/urandom the container
 * hashed first, and we hash what we receive. Each transfer has a stack of its own on a TAP
 * of its own, clean or with frames lost at random on our side in both directions
 * ({@link ImpairedNetif}: received frames before our stack sees them, sent frames before
 * they reach the TAP), so Linux's recovery and ours both work.
 *
 * <p>Sizes: 100 MiB each way, clean, at 1% and at 5% loss, and over a 20 ms round trip; 32
 * MiB each way through a 50 Mbit/s bottleneck; and 100 MiB each way over IPv6, clean (the
 * stack then has an address in the network's /64 too, and socat listens and connects on
 * IPv6 only). At 5% loss in both directions our sender
 * relies on RACK-TLP loss detection (RFC 8985), PRR (RFC 6937) and undo of spurious
 * reductions, which keep it off the retransmission timer.
 *
 * <p>The duration and throughput of each transfer are logged with the stack's
 * retransmission counters; only the bottleneck case asserts on them, loosely and as a ratio
 * to Linux's (figures come from benchmarks), and every transfer is bounded by
 * {@link #TRANSFER_BOUND}.
 */
class TcpBulkInteropTest {

    @RegisterExtension
    static final InteropNetwork net = new InteropNetwork();

    private static final Logger LOG = LoggerFactory.getLogger(TcpBulkInteropTest.class);
    private static final int MIB = 1024 * 1024;
    private static final int CLEAN_SIZE = 100 * MIB;
    private static final int ONE_PERCENT_SIZE = 100 * MIB;
    private static final int FIVE_PERCENT_FROM_LINUX_SIZE = 100 * MIB;
    private static final int FIVE_PERCENT_TO_LINUX_SIZE = 100 * MIB;
    /** What one transfer may take before it fails; only stops one that hangs or crawls. */
    private static final Duration TRANSFER_BOUND = Duration.ofSeconds(420);
    private static final Duration WAIT = Duration.ofSeconds(20);
    /** Host part of the address of the first transfer's stack; each next one takes the next. */
    private static int nextHost = 50;

    @Test
    void hundredMebibytesFromUsToLinuxArriveIntact() throws Exception {
        toLinux(CLEAN_SIZE, 0, 1);
    }

    @Test
    void hundredMebibytesFromLinuxToUsArriveIntact() throws Exception {
        fromLinux(CLEAN_SIZE, 0, 2);
    }

    @Test
    void hundredMebibytesFromUsToLinuxArriveIntactWithOnePercentLoss() throws Exception {
        toLinux(ONE_PERCENT_SIZE, 0.01, 3);
    }

    @Test
    void hundredMebibytesFromLinuxToUsArriveIntactWithOnePercentLoss() throws Exception {
        fromLinux(ONE_PERCENT_SIZE, 0.01, 4);
    }

    @Test
    void twentyMebibytesFromUsToLinuxArriveIntactWithFivePercentLoss() throws Exception {
        toLinux(FIVE_PERCENT_TO_LINUX_SIZE, 0.05, 5);
    }

    @Test
    void hundredMebibytesFromLinuxToUsArriveIntactWithFivePercentLoss() throws Exception {
        fromLinux(FIVE_PERCENT_FROM_LINUX_SIZE, 0.05, 6);
    }

    @Test
    void hundredMebibytesFromUsToLinuxArriveIntactOverIpv6() throws Exception {
        toLinux(CLEAN_SIZE, Impairment.NONE, 11, IpVersion.IPV6);
    }

    @Test
    void hundredMebibytesFromLinuxToUsArriveIntactOverIpv6() throws Exception {
        fromLinux(CLEAN_SIZE, Impairment.NONE, 12, IpVersion.IPV6);
    }

    /** 10 ms each way: a 20 ms round trip, which the window must grow to fill (auto-tuning). */
    private static final Impairment TWENTY_MS_RTT = Impairment.builder().delay(Duration.ofMillis(10)).build();

    @Test
    void hundredMebibytesFromUsToLinuxArriveIntactOverATwentyMillisecondRoundTrip() throws Exception {
        toLinux(CLEAN_SIZE, TWENTY_MS_RTT, 7);
    }

    @Test
    void hundredMebibytesFromLinuxToUsArriveIntactOverATwentyMillisecondRoundTrip() throws Exception {
        fromLinux(CLEAN_SIZE, TWENTY_MS_RTT, 8);
    }

    /**
     * Our CUBIC and Linux's (set on the peer's route, as this host defaults to BBR) on the same
     * bottleneck, one after the other: 50 Mbit/s with a drop-tail queue of about a
     * bandwidth-delay product, 20 ms round trip, 32 MiB each way. Both arrive intact; the
     * rates are logged, and ours must be at least a quarter of Linux's (a loose bound that a
     * window stuck small or a collapsed recovery fails; figures come from bench/tcp-paths.sh).
     */
    @Test
    void ourCubicAndLinuxsCubicOnTheSameBottleneck() throws Exception {
        net.peer().check("sh", "-c", "ip route change $(ip -4 route show dev eth0 scope link | cut -d' ' -f1)"
                + " dev eth0 congctl cubic && ip -4 route show dev eth0");
        Impairment bottleneck = Impairment.builder().delay(Duration.ofMillis(10)).bandwidth(50_000_000L, 100).build();
        double ours = toLinux(32 * MIB, bottleneck, 9);
        double linux = fromLinux(32 * MIB, bottleneck, 10);
        LOG.info("TCP on a 50 Mbit/s, 20 ms bottleneck: ours (cubic) {} Mbit/s, Linux (cubic) {} Mbit/s, ratio {}",
                String.format("%.1f", ours), String.format("%.1f", linux), String.format("%.2f", ours / linux));
        org.junit.jupiter.api.Assertions.assertTrue(ours >= linux / 4,
                "ours " + ours + " Mbit/s against Linux's " + linux + " on the same bottleneck");
    }

    /** Our stack sends {@code size} seeded bytes; socat in the container hashes what arrives. */
    private static double toLinux(int size, double loss, long seed) throws Exception {
        return toLinux(size, loss > 0 ? Impairment.builder().loss(loss).build() : Impairment.NONE, seed);
    }

    /** As above over {@code path}, on our side both ways; returns the rate in Mbit/s. */
    private static double toLinux(int size, Impairment path, long seed) throws Exception {
        return toLinux(size, path, seed, IpVersion.IPV4);
    }

    /** As above over IP {@code version}. */
    private static double toLinux(int size, Impairment path, long seed, IpVersion version) throws Exception {
        Transfer t = Transfer.open(path, seed, version);
        try {
            int port = 5_000 + (int) seed;
            CompletableFuture<String> linux = PeerTcp.runInBackground(net.peer(), "timeout "
                    + TRANSFER_BOUND.toSeconds() + " socat -u " + PeerTcp.socatListen(version, port) + ",reuseaddr STDOUT"
                    + " | sha256sum | cut -c1-64");
            PeerTcp.awaitListening(net.peer(), port);
            byte[] data = new byte[size];
            new SplittableRandom(seed).nextBytes(data);
            String sent = sha256(data);

            long started = System.nanoTime();
            TcpFlow flow = Await.within(t.stack.tcp().connect(t.peer, port), WAIT);
            Await.within(writeAll(flow, data), TRANSFER_BOUND);
            // Completes once Linux has read to our FIN and closed: every byte is there.
            Await.within(flow.close(), TRANSFER_BOUND);
            long elapsed = System.nanoTime() - started;

            String received = Await.within(linux, WAIT).trim();
            t.report("to Linux", size, elapsed);
            assertEquals(sent, received, "SHA-256 of what Linux received");
            return size * 8 / 1e6 / (elapsed / 1e9);
        } finally {
            t.close();
        }
    }

    /** socat in the container sends a file of {@code size} random bytes it hashed first; we hash what arrives. */
    private static double fromLinux(int size, double loss, long seed) throws Exception {
        return fromLinux(size, loss > 0 ? Impairment.builder().loss(loss).build() : Impairment.NONE, seed);
    }

    /** As above over {@code path}; returns the rate in Mbit/s. */
    private static double fromLinux(int size, Impairment path, long seed) throws Exception {
        return fromLinux(size, path, seed, IpVersion.IPV4);
    }

    /** As above over IP {@code version}. */
    private static double fromLinux(int size, Impairment path, long seed, IpVersion version) throws Exception {
        Transfer t = Transfer.open(path, seed, version);
        try {
            int port = 5_000 + (int) seed;
            CompletableFuture<Received> received = new CompletableFuture<>();
            t.stack.listenTcp(port, flow -> hashToEof(flow, received));
            String sent = net.peer().check("sh", "-c", "head -c " + size + " /dev/urandom >/tmp/bulk"
                    + " && sha256sum </tmp/bulk | cut -c1-64").trim();

            long started = System.nanoTime();
            LinuxPeer.ExecResult socat = net.peer().exec("timeout", String.valueOf(TRANSFER_BOUND.toSeconds()),
                    "socat", "-u", "FILE:/tmp/bulk", PeerTcp.socatConnect(t.address, port));
            Received got = Await.within(received, TRANSFER_BOUND);
            long elapsed = got.at() - started;

            t.report("from Linux", size, elapsed);
            assertEquals(0, socat.exitCode(), "socat: " + socat.stderr());
            assertEquals(size, got.bytes(), "bytes received");
            assertEquals(sent, got.sha256(), "SHA-256 of what we received");
            return size * 8 / 1e6 / (elapsed / 1e9);
        } finally {
            net.peer().exec("rm", "-f", "/tmp/bulk");
            t.close();
        }
    }

    /** What our side read: how much, its SHA-256, and when Eof came ({@link System#nanoTime()}). */
    private record Received(long bytes, String sha256, long at) {
    }

    /** Reads {@code flow} to Eof, hashing on the way, then closes it. */
    private static void hashToEof(TcpFlow flow, CompletableFuture<Received> result) {
        MessageDigest digest = sha256();
        long[] bytes = {0};
        FlowTransfers.pump(flow, data -> {
            bytes[0] += data.remaining();
            digest.update(data);
            return true;
        }, null).whenComplete((eof, e) -> {
            if (e != null) {
                result.completeExceptionally(e);
                return;
            }
            result.complete(new Received(bytes[0], HexFormat.of().formatHex(digest.digest()), System.nanoTime()));
            flow.close();
        });
    }

    /**
     * A stack of its own on a new TAP, behind the loss of one transfer; {@code address} is
     * its address and {@code peer} the peer's, of the transfer's IP version.
     */
    private record Transfer(DirectStack stack, IpAddress address, IpAddress peer, IpVersion version,
                            ImpairedNetif impaired, Impairment path) {

        static Transfer open(Impairment path, long seed, IpVersion version) throws Exception {
            // Impairments act on wire-size frames: a device under them carries no offloads.
            Netif tap = net.openTap(path.isNone() && InteropTap.offloads());
            ImpairedNetif impaired = null;
            Netif netif = tap;
            if (!path.isNone()) {
                impaired = ImpairedNetif.onBoth(tap, path, new SplittableRandom(seed));
                netif = impaired;
            }
            int host = nextHost++;
            Ipv4Address address = net.address(host);
            DirectStackBuilder builder = DirectStackBuilder.on(netif).address(new Ipv4Cidr(address, 24))
                    .name("interop-bulk-" + seed);
            if (version == IpVersion.IPV4) {
                return new Transfer(builder.build(), address, net.peerAddress(), version, impaired, path);
            }
            Ipv6Address address6 = net.address6(host);
            DirectStack stack = builder.address6(new Ipv6Cidr(address6, 64)).build();
            try {
                // Duplicate Address Detection first: until it ends the address is not ours to use.
                Await.within(stack.ipv6().orElseThrow().addressesReady(), WAIT);
            } catch (RuntimeException | Error e) {
                stack.disconnect().get(10, TimeUnit.SECONDS);
                throw e;
            }
            return new Transfer(stack, address6, net.peerAddress6(), version, impaired, path);
        }

        /** Logs the transfer's figures and what recovery it took. */
        void report(String direction, long size, long elapsedNanos) {
            double seconds = elapsedNanos / 1e9;
            Map<String, Long> tcp = stack.counters().get("tcp");
            String drops = impaired == null ? "none injected"
                    : impaired.stats().rxDrops() + " received and " + impaired.stats().txDrops() + " sent frames dropped";
            LOG.info("TCP bulk {} MiB {} over {}{}: {} s, {} MiB/s ({} Mbit/s); {}; retransmits {} (fast {},"
                            + " timeouts {}), out of order received {}",
                    size / MIB, direction, version == IpVersion.IPV6 ? "IPv6, " : "", describe(path),
                    String.format("%.2f", seconds),
                    String.format("%.1f", size / (double) MIB / seconds),
                    String.format("%.0f", size * 8 / 1e6 / seconds), drops,
                    tcp.get("tx.retransmits"), tcp.get("tx.fast_retransmits"), tcp.get("tx.rto_expiries"),
                    tcp.get("rx.out_of_order"));
        }

        void close() throws Exception {
            stack.disconnect().get(10, TimeUnit.SECONDS);
        }

        private static String describe(Impairment p) {
            if (p.isNone()) {
                return "a clean path";
            }
            return (p.lossProbability() > 0 ? p.lossProbability() * 100 + "% loss " : "")
                    + (p.delay().isZero() ? "" : p.delay().toMillis() + " ms each way ")
                    + (p.bandwidthBitsPerSecond() > 0 ? p.bandwidthBitsPerSecond() / 1_000_000 + " Mbit/s" : "");
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sha256(byte[] data) {
        return HexFormat.of().formatHex(sha256().digest(data));
    }
}
