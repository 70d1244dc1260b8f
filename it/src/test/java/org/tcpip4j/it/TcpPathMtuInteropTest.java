package org.tcpip4j.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tcpip4j.tck.FlowTransfers.writeAll;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tcpip4j.netif.Ipv4Address;
import org.tcpip4j.netif.Ipv4Cidr;
import org.tcpip4j.netif.MacAddress;
import org.tcpip4j.netif.loop.RealTimeEventLoop;
import org.tcpip4j.netif.tap.TapConfig;
import org.tcpip4j.netif.tap.TapNetif;
import org.tcpip4j.stack.direct.DirectStack;
import org.tcpip4j.stack.direct.DirectStackBuilder;
import org.tcpip4j.tcp.TcpFlow;

/**
 * Path MTU discovery against Linux, with no container: our stack on a TAP device that sits
 * in a network namespace acting as a router, whose other link, to a Linux server in a
 * second namespace, takes datagrams of 1280 bytes at most (the router's end of a veth pair;
 * the server's end keeps 1500, so the server announces an MSS of 1460 and only the
 * router knows the path is narrower). 100 MiB go from our stack to socat in the server,
 * checked by SHA-256. tcpdump on the router captures every IP fragment, every ICMP message
 * and every datagram larger than the narrow link: there must be no fragment (our segments
 * carry DF and the MSS falls at the router's first "fragmentation needed"), at least one
 * such message, and only the first flight too large.
 *
 * <p>Addresses: 198.18.0.0/15, two random /24s, which exist only in the two namespaces and
 * our stack. Everything is removed after the test, and the transfer is bounded.
 */
class TcpPathMtuInteropTest {

    private static final Logger LOG = LoggerFactory.getLogger(TcpPathMtuInteropTest.class);
    private static final int MIB = 1024 * 1024;
    private static final int SIZE = 100 * MIB;
    private static final int NARROW_MTU = 1280;
    private static final int PORT = 5080;
    /** What the transfer may take before it fails; only stops one that hangs or crawls. */
    private static final Duration TRANSFER_BOUND = Duration.ofSeconds(300);
    private static final Duration WAIT = Duration.ofSeconds(20);
    /** Datagrams larger than the narrow link that may leave our stack: the flight before the first report. */
    private static final int MAX_OVERSIZED = 200;
    /** What tcpdump keeps: fragments (MF or an offset), ICMP, and datagrams larger than the narrow link. */
    private static final String CAPTURE_FILTER = "ip and ((ip[6:2] & 0x3fff != 0) or icmp or (ip[2:2] > "
            + NARROW_MTU + "))";

    private final String suffix = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    private final String routerNs = "t4j-rtr-" + suffix;
    private final String serverNs = "t4j-srv-" + suffix;
    private final List<Process> processes = new ArrayList<>();
    private Ipv4Cidr tapSide;
    private Ipv4Cidr serverSide;
    private Path capture;
    private RealTimeEventLoop loop;
    private DirectStack stack;

    @BeforeEach
    void setUp() throws Exception {
        InteropPreconditions.requireHost("TcpPathMtuInteropTest", "tcpdump", "socat", "timeout");
        int third = ThreadLocalRandom.current().nextInt(128) * 2;
        tapSide = new Ipv4Cidr(Ipv4Address.of(198, 19, third, 0), 24);
        serverSide = new Ipv4Cidr(Ipv4Address.of(198, 19, third + 1, 0), 24);
        capture = Files.createTempFile("tcpip4j-pmtu-", ".pcap");
        host("ip", "netns", "add", routerNs);
        host("ip", "netns", "add", serverNs);
        inNs(routerNs, "ip", "link", "set", "lo", "up");
        inNs(serverNs, "ip", "link", "set", "lo", "up");
        inNs(routerNs, "sysctl", "-qw", "net.ipv4.ip_forward=1");
        // The narrow link: the router's end takes 1280 bytes, the server's end 1500.
        inNs(routerNs, "ip", "link", "add", "narrow", "type", "veth", "peer", "name", "eth0", "netns", serverNs);
        inNs(routerNs, "ip", "link", "set", "narrow", "mtu", String.valueOf(NARROW_MTU), "up");
        inNs(routerNs, "ip", "addr", "add", hostAddress(serverSide, 1) + "/24", "dev", "narrow");
        inNs(serverNs, "ip", "link", "set", "eth0", "up");
        inNs(serverNs, "ip", "addr", "add", hostAddress(serverSide, 2) + "/24", "dev", "eth0");
        inNs(serverNs, "ip", "route", "add", "default", "via", hostAddress(serverSide, 1).toString());

        // Our TAP, opened here, then handed to the router's namespace: its file stays ours.
        loop = new RealTimeEventLoop("pmtu-loop");
        String tap = "t4jp" + suffix;
        TapNetif netif = TapNetif.open(TapConfig.builder().interfaceName(tap)
                .mac(MacAddress.randomLocal(ThreadLocalRandom.current())).build(), loop);
        host("ip", "link", "set", tap, "netns", routerNs);
        inNs(routerNs, "ip", "addr", "add", hostAddress(tapSide, 1) + "/24", "dev", tap);
        inNs(routerNs, "ip", "link", "set", tap, "up");
        stack = DirectStackBuilder.on(netif).address(new Ipv4Cidr(hostAddress(tapSide, 10), 24))
                .gateway(hostAddress(tapSide, 1)).name("interop-pmtu").build();
    }

    @AfterEach
    void tearDown() {
        for (Process p : processes) {
            p.destroyForcibly();
        }
        if (stack != null) {
            try {
                stack.disconnect().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.warn("stack disconnect failed", e);
            }
        }
        if (loop != null) {
            loop.close();
        }
        quietly("ip", "netns", "del", routerNs);
        quietly("ip", "netns", "del", serverNs);
        if (capture != null) {
            try {
                Files.deleteIfExists(capture);
            } catch (IOException e) {
                LOG.warn("could not delete {}", capture, e);
            }
        }
    }

    @Test
    void hundredMebibytesThroughA1280ByteLinkWithoutAFragment() throws Exception {
        Process tcpdump = startCapture();
        Process server = start("ip", "netns", "exec", serverNs, "sh", "-c", "timeout " + TRANSFER_BOUND.toSeconds()
                + " socat -u TCP4-LISTEN:" + PORT + ",reuseaddr STDOUT | sha256sum | cut -c1-64");
        host("timeout", "10", "sh", "-c", "until ip netns exec " + serverNs + " ss -Hltn 'sport = :" + PORT
                + "' | grep -q .; do sleep 0.02; done");
        byte[] data = new byte[SIZE];
        new SplittableRandom(11).nextBytes(data);
        String sent = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));

        long started = System.nanoTime();
        TcpFlow flow = Await.within(stack.tcp().connect(hostAddress(serverSide, 2), PORT), WAIT);
        Await.within(writeAll(flow, data), TRANSFER_BOUND);
        Await.within(flow.close(), TRANSFER_BOUND); // once the server read to our FIN: every byte is there
        double seconds = (System.nanoTime() - started) / 1e9;
        assertTrue(server.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS), "the server did not end");
        String received = new String(server.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();

        tcpdump.destroy(); // SIGTERM: tcpdump writes what it holds and ends
        assertTrue(tcpdump.waitFor(10, TimeUnit.SECONDS), "tcpdump did not stop");
        long fragments = count("ip[6:2] & 0x3fff != 0");
        long fragmentationNeeded = count("icmp[icmptype] == 3 and icmp[icmpcode] == 4");
        long oversized = count("ip[2:2] > " + NARROW_MTU + " and src host " + hostAddress(tapSide, 10));
        Map<String, Long> tcp = stack.counters().get("tcp");
        LOG.info("TCP 100 MiB to Linux through a {}-byte link: {} s ({} Mbit/s); the router saw {} fragments,"
                        + " sent {} fragmentation needed, and {} of our datagrams were too large; MSS reductions {},"
                        + " segments resent for them {}, retransmits {} (timeouts {}), path MTU now {}",
                NARROW_MTU, String.format("%.2f", seconds), String.format("%.0f", SIZE * 8 / 1e6 / seconds), fragments,
                fragmentationNeeded, oversized, tcp.get("tx.pmtu_reductions"), tcp.get("tx.pmtu_lost"),
                tcp.get("tx.retransmits"), tcp.get("tx.rto_expiries"),
                stack.ip().mtu(hostAddress(serverSide, 2)) + 20);

        assertEquals(sent, received, "SHA-256 of what Linux received");
        assertEquals(0, fragments, "IP fragments on the router");
        assertTrue(fragmentationNeeded >= 1, "the router reported the narrow link");
        assertTrue(oversized >= 1 && oversized <= MAX_OVERSIZED, "datagrams too large for the link: " + oversized);
        assertTrue(tcp.get("tx.pmtu_reductions") >= 1, "TCP followed the report: " + tcp);
        assertEquals(NARROW_MTU - 20, stack.ip().mtu(hostAddress(serverSide, 2)), "the IP layer's path MTU");
    }

    /** Starts tcpdump on every interface of the router and returns once it captures. */
    private Process startCapture() throws Exception {
        Path err = Files.createTempFile("tcpip4j-pmtu-", ".err");
        try {
            Process p = new ProcessBuilder("ip", "netns", "exec", routerNs, "tcpdump", "-i", "any", "-n", "-U", "-s",
                    "128", "-w", capture.toString(), CAPTURE_FILTER)
                    .redirectError(err.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            processes.add(p);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!Files.readString(err).contains("listening on")) {
                if (!p.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException("tcpdump did not start: " + Files.readString(err));
                }
                Thread.sleep(20);
            }
            return p;
        } finally {
            Files.deleteIfExists(err);
        }
    }

    /** Datagrams in the capture that {@code filter} matches. */
    private long count(String filter) throws Exception {
        Process p = new ProcessBuilder("tcpdump", "-r", capture.toString(), "-n", filter)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("tcpdump -r failed for " + filter);
        }
        return out.lines().filter(l -> !l.isBlank()).count();
    }

    private Process start(String... command) throws IOException {
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        processes.add(p);
        return p;
    }

    private static Ipv4Address hostAddress(Ipv4Cidr subnet, int host) {
        return new Ipv4Address(subnet.network().bits() | host);
    }

    private static void inNs(String ns, String... command) throws IOException, InterruptedException {
        String[] full = new String[command.length + 4];
        full[0] = "ip";
        full[1] = "netns";
        full[2] = "exec";
        full[3] = ns;
        System.arraycopy(command, 0, full, 4, command.length);
        host(full);
    }

    private static void host(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
        }
    }

    private static void quietly(String... command) {
        try {
            host(command);
        } catch (Exception e) {
            LOG.warn("{} failed: {}", String.join(" ", command), e.getMessage());
        }
    }
}
