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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tcpip4j.netif.IpAddress;
import org.tcpip4j.netif.Ipv4Address;
import org.tcpip4j.netif.Ipv4Cidr;
import org.tcpip4j.netif.Ipv6Address;
import org.tcpip4j.netif.Ipv6Cidr;
import org.tcpip4j.netif.MacAddress;
import org.tcpip4j.netif.loop.RealTimeEventLoop;
import org.tcpip4j.netif.tap.TapNetif;
import org.tcpip4j.stack.direct.DirectStack;
import org.tcpip4j.stack.direct.DirectStackBuilder;
import org.tcpip4j.tck.IpVersion;
import org.tcpip4j.tcp.TcpFlow;

/**
 * Path MTU discovery against Linux, with no container: our stack on a TAP device that sits
 * in a network namespace acting as a router, whose other link, to a Linux server in a
 * second namespace, takes datagrams of 1280 bytes at most (the router's end of a veth pair;
 * the server's end keeps 1500, so the server announces an MSS of 1460, or 1440 over IPv6,
 * and only the router knows the path is narrower). 100 MiB go from our stack to socat in
 * the server, checked by SHA-256, over IPv4 and over IPv6. tcpdump on the router captures
 * every IP fragment, every ICMP report of the narrow link and every datagram larger than
 * it: there must be no fragment (over IPv4 our segments carry DF; over IPv6 routers never
 * fragment and neither may we, TCP's segments fitting the path), at least one report (IPv4's
 * "fragmentation needed", IPv6's Packet Too Big, RFC 8201), only the first flight too large,
 * and the IP layer's path MTU at the narrow link's.
 *
 * <p>Addresses: 198.18.0.0/15, two random /24s, and 2001:2::/48, two random /64s, which
 * exist only in the two namespaces and our stack. Everything is removed after the test, and
 * the transfer is bounded.
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

    /**
     * What differs between the versions: the IP header's size, what tcpdump keeps
     * ({@code capture}: fragments, the ICMP report of the narrow link, and datagrams larger
     * than the link), and the filters counting each of these in the capture.
     */
    private record Family(int headerSize, String capture, String fragments, String reports, String oversized) {

        static Family of(IpVersion version) {
            return switch (version) {
                // Fragments: MF or an offset; reports: ICMP "fragmentation needed".
                case IPV4 -> new Family(20, "ip and ((ip[6:2] & 0x3fff != 0) or icmp or (ip[2:2] > " + NARROW_MTU + "))",
                        "ip[6:2] & 0x3fff != 0", "icmp[icmptype] == 3 and icmp[icmpcode] == 4",
                        "ip[2:2] > " + NARROW_MTU);
                // Fragments: a fragment header first; reports: ICMPv6 type 2, Packet Too Big;
                // too large: a payload length beyond the link's MTU less the 40-byte header.
                case IPV6 -> new Family(40, "ip6 and ((ip6[6] == 44) or (icmp6 and ip6[40] == 2) or (ip6[4:2] > "
                        + (NARROW_MTU - 40) + "))", "ip6[6] == 44", "icmp6 and ip6[40] == 2",
                        "ip6[4:2] > " + (NARROW_MTU - 40));
            };
        }
    }

    private final String suffix = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    private final String routerNs = "t4j-rtr-" + suffix;
    private final String serverNs = "t4j-srv-" + suffix;
    private final List<Process> processes = new ArrayList<>();
    private Ipv4Cidr tapSide;
    private Ipv4Cidr serverSide;
    private Ipv6Cidr tapSide6;
    private Ipv6Cidr serverSide6;
    private Path capture;
    private RealTimeEventLoop loop;
    private DirectStack stack;

    /** The namespaces, their links and addresses of both versions (IPv6 only for {@code V6}), and our stack. */
    private void setUp(IpVersion version) throws Exception {
        InteropPreconditions.requireHost("TcpPathMtuInteropTest", "tcpdump", "socat", "timeout");
        int third = ThreadLocalRandom.current().nextInt(128) * 2;
        tapSide = new Ipv4Cidr(Ipv4Address.of(198, 19, third, 0), 24);
        serverSide = new Ipv4Cidr(Ipv4Address.of(198, 19, third + 1, 0), 24);
        int group = ThreadLocalRandom.current().nextInt(1 << 15) * 2;
        tapSide6 = new Ipv6Cidr(new Ipv6Address(0x2001_0002_0000_0000L | (long) group << 16, 0), 64);
        serverSide6 = new Ipv6Cidr(new Ipv6Address(0x2001_0002_0000_0000L | (long) (group + 1) << 16, 0), 64);
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
        if (version == IpVersion.IPV6) {
            // The same over IPv6; nodad: the addresses are usable at once.
            inNs(routerNs, "sysctl", "-qw", "net.ipv6.conf.all.forwarding=1");
            inNs(routerNs, "ip", "-6", "addr", "add", hostAddress(serverSide6, 1) + "/64", "dev", "narrow", "nodad");
            inNs(serverNs, "ip", "-6", "addr", "add", hostAddress(serverSide6, 2) + "/64", "dev", "eth0", "nodad");
            inNs(serverNs, "ip", "-6", "route", "add", "default", "via", hostAddress(serverSide6, 1).toString());
        }

        // Our TAP, opened here, then handed to the router's namespace: its file stays ours.
        loop = InteropTap.loop("pmtu-loop");
        String tap = "t4jp" + suffix;
        TapNetif netif = TapNetif.open(InteropTap.config(tap, MacAddress.randomLocal(ThreadLocalRandom.current()))
                .build(), loop);
        host("ip", "link", "set", tap, "netns", routerNs);
        inNs(routerNs, "ip", "addr", "add", hostAddress(tapSide, 1) + "/24", "dev", tap);
        if (version == IpVersion.IPV6) {
            inNs(routerNs, "ip", "-6", "addr", "add", hostAddress(tapSide6, 1) + "/64", "dev", tap, "nodad");
        }
        inNs(routerNs, "ip", "link", "set", tap, "up");
        DirectStackBuilder builder = DirectStackBuilder.on(netif).address(new Ipv4Cidr(hostAddress(tapSide, 10), 24))
                .gateway(hostAddress(tapSide, 1)).name("interop-pmtu");
        if (version == IpVersion.IPV6) {
            builder.address6(new Ipv6Cidr(hostAddress(tapSide6, 0x10), 64)).router6(hostAddress(tapSide6, 1));
        }
        stack = builder.build();
        if (version == IpVersion.IPV6) {
            Await.within(stack.ipv6().orElseThrow().addressesReady(), WAIT);
        }
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

    @ParameterizedTest
    @EnumSource(IpVersion.class)
    void hundredMebibytesThroughA1280ByteLinkWithoutAFragment(IpVersion version) throws Exception {
        setUp(version);
        Family family = Family.of(version);
        IpAddress ours = version == IpVersion.IPV4 ? hostAddress(tapSide, 10) : hostAddress(tapSide6, 0x10);
        IpAddress destination = version == IpVersion.IPV4 ? hostAddress(serverSide, 2) : hostAddress(serverSide6, 2);
        Process tcpdump = startCapture(family.capture());
        Process server = start("ip", "netns", "exec", serverNs, "sh", "-c", "timeout " + TRANSFER_BOUND.toSeconds()
                + " socat -u " + PeerTcp.socatListen(version, PORT) + ",reuseaddr STDOUT | sha256sum | cut -c1-64");
        host("timeout", "10", "sh", "-c", "until ip netns exec " + serverNs + " ss -Hltn 'sport = :" + PORT
                + "' | grep -q .; do sleep 0.02; done");
        byte[] data = new byte[SIZE];
        new SplittableRandom(11).nextBytes(data);
        String sent = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));

        long started = System.nanoTime();
        TcpFlow flow = Await.within(stack.tcp().connect(destination, PORT), WAIT);
        Await.within(writeAll(flow, data), TRANSFER_BOUND);
        Await.within(flow.close(), TRANSFER_BOUND); // once the server read to our FIN: every byte is there
        double seconds = (System.nanoTime() - started) / 1e9;
        assertTrue(server.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS), "the server did not end");
        String received = new String(server.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();

        tcpdump.destroy(); // SIGTERM: tcpdump writes what it holds and ends
        assertTrue(tcpdump.waitFor(10, TimeUnit.SECONDS), "tcpdump did not stop");
        long fragments = count(family.fragments());
        long reports = count(family.reports());
        long oversized = count(family.oversized() + " and src host " + ours);
        Map<String, Long> tcp = stack.counters().get("tcp");
        LOG.info("TCP 100 MiB to Linux over {} through a {}-byte link: {} s ({} Mbit/s); the router saw {} fragments,"
                        + " sent {} reports of the link's MTU, and {} of our datagrams were too large; MSS reductions"
                        + " {}, segments resent for them {}, retransmits {} (timeouts {}), path MTU now {}",
                version, NARROW_MTU, String.format("%.2f", seconds), String.format("%.0f", SIZE * 8 / 1e6 / seconds),
                fragments, reports, oversized, tcp.get("tx.pmtu_reductions"), tcp.get("tx.pmtu_lost"),
                tcp.get("tx.retransmits"), tcp.get("tx.rto_expiries"),
                stack.ip().mtu(destination) + family.headerSize());

        assertEquals(sent, received, "SHA-256 of what Linux received");
        assertEquals(0, fragments, "IP fragments on the router");
        assertTrue(reports >= 1, "the router reported the narrow link");
        assertTrue(oversized >= 1 && oversized <= MAX_OVERSIZED, "datagrams too large for the link: " + oversized);
        assertTrue(tcp.get("tx.pmtu_reductions") >= 1, "TCP followed the report: " + tcp);
        assertEquals(NARROW_MTU - family.headerSize(), stack.ip().mtu(destination), "the IP layer's path MTU");
    }

    /** Starts tcpdump with {@code filter} on every interface of the router and returns once it captures. */
    private Process startCapture(String filter) throws Exception {
        Path err = Files.createTempFile("tcpip4j-pmtu-", ".err");
        try {
            Process p = new ProcessBuilder("ip", "netns", "exec", routerNs, "tcpdump", "-i", "any", "-n", "-U", "-s",
                    "128", "-w", capture.toString(), filter)
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

    private static Ipv6Address hostAddress(Ipv6Cidr subnet, int host) {
        return new Ipv6Address(subnet.network().high(), host);
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
