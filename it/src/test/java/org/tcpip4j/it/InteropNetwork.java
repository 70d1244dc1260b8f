package org.tcpip4j.it;

import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.ContainerNetwork;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tcpip4j.netif.Ipv4Address;
import org.tcpip4j.netif.Ipv4Cidr;
import org.tcpip4j.netif.Ipv6Address;
import org.tcpip4j.netif.Ipv6Cidr;
import org.tcpip4j.netif.MacAddress;
import org.tcpip4j.netif.NetifError;
import org.tcpip4j.netif.Result;
import org.tcpip4j.netif.loop.RealTimeEventLoop;
import org.tcpip4j.netif.tap.TapNetif;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.utility.DockerImageName;

/**
 * The interop fixture, a JUnit extension for one test class: an internal Docker network on
 * a random /24 inside 198.18.0.0/15 and a random /64 inside 2001:2::/48, the peer container
 * on it, a TAP device enslaved to the network's bridge, and a {@link TapNetif} on that TAP
 * with its own event loop.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final InteropNetwork net = new InteropNetwork();
 * }</pre>
 *
 * <p>Addresses in the subnet: {@code .1} is Docker's gateway (the bridge itself, in the
 * host), {@link #peerAddress()} ({@code .2}) the container, {@link #localAddress()}
 * ({@code .10}) the Java side by convention; tests may use others through {@link #address}.
 * The same in the IPv6 subnet: {@link #peerAddress6()} ({@code ::2}, beside the peer's
 * link-local address), {@link #localAddress6()} ({@code ::10}), {@link #address6}.
 *
 * <p>Nothing leaves the bridge. The network is internal, which keeps IPv4 in; for IPv6 the
 * host takes no part on the bridge at all (IPv6 is disabled on the bridge device, so the
 * host neither owns Docker's gateway address {@code ::1} nor routes anything from the
 * bridge), and the peer has no IPv6 default route. The peer's IPv6 is on
 * ({@code disable_ipv6} 0 for all its interfaces, checked at start).
 *
 * <p>Before each test the frames recorded so far are forgotten, the netif's counters are
 * reset and the peer's neighbour table is flushed. After the class, or when setting up fails half way, everything is
 * removed: the netif and its TAP, the loop, the container, the network; a shutdown hook
 * does the same if the JVM is stopped in between.
 */
public final class InteropNetwork implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback {

    private static final Logger LOG = LoggerFactory.getLogger(InteropNetwork.class);
    /** Marks what this suite creates in Docker, so a leftover can be found: {@code docker ps -a --filter label=...}. */
    public static final String LABEL = "org.tcpip4j.interop";
    private static final int PEER_HOST = 2;
    private static final int LOCAL_HOST = 10;
    /** Where the random /64s are drawn from (RFC 5180's benchmarking prefix). */
    private static final long BENCHMARK_PREFIX_HIGH = 0x2001_0002_0000_0000L;
    private static final int NETWORK_ATTEMPTS = 8;

    private final MacAddress localMac = MacAddress.randomLocal(ThreadLocalRandom.current());
    private final FrameRecorder frames = new FrameRecorder();

    private Ipv4Cidr subnet;
    private Ipv6Cidr subnet6;
    private Network network;
    private GenericContainer<?> container;
    private LinuxPeer peer;
    private String bridgeName;
    private RealTimeEventLoop loop;
    private TapNetif netif;
    /** TAPs opened by {@link #openTap()}, disconnected with the rest if a test left them open. */
    private final List<TapNetif> extraTaps = new ArrayList<>();
    private Thread shutdownHook;

    /** A fixture with a raw netif on the TAP (a stack can be layered on {@link #netif()}). */
    public InteropNetwork() {
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        InteropPreconditions.require(context.getDisplayName());
        shutdownHook = Thread.ofPlatform().unstarted(this::tearDownQuietly);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        try {
            setUp();
        } catch (Throwable t) {
            tearDownQuietly();
            throw t;
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        frames.clear();
        netif.resetStats();
        peer.exec("ip", "neigh", "flush", "all");
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (shutdownHook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException shuttingDown) {
                // The hook runs anyway.
            }
        }
        List<Throwable> failures = tearDown();
        if (!failures.isEmpty()) {
            Exception e = new IllegalStateException("interop fixture clean-up failed");
            failures.forEach(e::addSuppressed);
            throw e;
        }
    }

    private void setUp() throws Exception {
        long started = System.nanoTime();
        createNetwork();
        Ipv4Address peerIp = peerAddress();
        Ipv6Address peerIp6 = peerAddress6();
        container = new GenericContainer<>(DockerImageName.parse(InteropPreconditions.PEER_IMAGE))
                .withImagePullPolicy(image -> false) // built locally; no registry is reachable
                .withNetwork(network)
                .withCommand("sleep", "infinity")
                .withLabel(LABEL, "peer")
                .withStartupTimeout(Duration.ofSeconds(60))
                .withCreateContainerCmdModifier(cmd -> {
                    cmd.withIpv4Address(peerIp.toString());
                    cmd.withIpv6Address(peerIp6.toString());
                    cmd.withHostName("peer");
                    // NET_ADMIN: tests change the peer's neighbour table, routes and links.
                    cmd.getHostConfig().withCapAdd(Capability.NET_ADMIN, Capability.NET_RAW);
                    // Docker turns IPv6 off for "all" and "default" and on for eth0 only; on
                    // everywhere, so links a test adds in the peer have it too.
                    cmd.getHostConfig().withSysctls(Map.of("net.ipv6.conf.all.disable_ipv6", "0",
                            "net.ipv6.conf.default.disable_ipv6", "0"));
                });
        container.start();
        peer = new LinuxPeer(container);
        checkPeerAddress(peerIp, peerIp6);

        bridgeName = "br-" + network.getId().substring(0, 12);
        if (!Files.exists(Path.of("/sys/class/net", bridgeName))) {
            throw new IllegalStateException("Docker's bridge " + bridgeName + " for network " + network.getId()
                    + " is not in this network namespace");
        }
        keepIpv6OnTheBridge();
        loop = InteropTap.loop("interop-loop");
        String tapName = "t4ji" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        netif = TapNetif.open(InteropTap.config(tapName, localMac).build(), loop);
        netif.listen(frames);
        // The host's own IPv6 chatter on the port (DAD, router solicitations) would only be noise.
        writeQuietly(Path.of("/proc/sys/net/ipv6/conf", tapName, "disable_ipv6"), "1");
        host("ip", "link", "set", "dev", tapName, "master", bridgeName);
        host("ip", "link", "set", "dev", tapName, "up");
        LOG.info("interop network {} and {} up in {} ms: bridge {}, peer {} at {} and {}, TAP {} with MAC {} for {},"
                + " offloads {}", subnet, subnet6, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started),
                bridgeName, container.getContainerId().substring(0, 12), peerIp, peerIp6, tapName, localMac,
                localAddress(), netif.offloads().describe());
    }

    /**
     * An internal network on a random /24 and a random /64 ({@code --ipv6 --subnet
     * 2001:2:X::/64}), trying others when one overlaps a network that exists.
     */
    private void createNetwork() {
        RuntimeException last = null;
        for (int attempt = 0; attempt < NETWORK_ATTEMPTS; attempt++) {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            Ipv4Cidr candidate = new Ipv4Cidr(Ipv4Address.of(198, 18 + random.nextInt(2), random.nextInt(256), 0), 24);
            Ipv6Cidr candidate6 = new Ipv6Cidr(
                    new Ipv6Address(BENCHMARK_PREFIX_HIGH | (long) random.nextInt(1 << 16) << 16, 0), 64);
            String gateway = address(candidate, 1).toString();
            String gateway6 = address6(candidate6, 1).toString();
            Network n = Network.builder()
                    .enableIpv6(true)
                    .createNetworkCmdModifier(cmd -> cmd
                            .withInternal(true)
                            .withLabels(Map.of(LABEL, "network"))
                            .withIpam(new com.github.dockerjava.api.model.Network.Ipam().withConfig(
                                    new com.github.dockerjava.api.model.Network.Ipam.Config()
                                            .withSubnet(candidate.toString())
                                            .withGateway(gateway),
                                    new com.github.dockerjava.api.model.Network.Ipam.Config()
                                            .withSubnet(candidate6.toString())
                                            .withGateway(gateway6))))
                    .build();
            try {
                n.getId(); // creates it
                network = n;
                subnet = candidate;
                subnet6 = candidate6;
                return;
            } catch (RuntimeException e) {
                last = e;
                LOG.info("network {} and {} not created ({}); trying other subnets", candidate, candidate6,
                        e.getMessage());
            }
        }
        throw new IllegalStateException("no free /24 in 198.18.0.0/15 and /64 in 2001:2::/48 for the interop network",
                last);
    }

    private void checkPeerAddress(Ipv4Address expected, Ipv6Address expected6) {
        Map<String, ContainerNetwork> networks = container.getContainerInfo().getNetworkSettings().getNetworks();
        boolean found = networks.values().stream().anyMatch(n -> expected.toString().equals(n.getIpAddress())
                && expected6.equals(parse6(n.getGlobalIPv6Address())));
        if (!found) {
            throw new IllegalStateException("the peer did not get " + expected + " and " + expected6 + ": " + networks);
        }
        String disabled = peer.check("cat", "/proc/sys/net/ipv6/conf/all/disable_ipv6",
                "/proc/sys/net/ipv6/conf/eth0/disable_ipv6").replaceAll("\\s+", "");
        if (!disabled.equals("00")) {
            throw new IllegalStateException("IPv6 is off in the peer (disable_ipv6 all, eth0: " + disabled + ")");
        }
    }

    private static Ipv6Address parse6(String text) {
        return text == null || text.isEmpty() ? null : Ipv6Address.parse(text);
    }

    /**
     * Keeps the network's IPv6 on the bridge. Docker's isolation of an internal network
     * covers IPv4 only here (no ip6tables rules), and the host forwards IPv6: with Docker's
     * gateway address on the bridge it would route the peer's datagrams out. So the host's
     * IPv6 on the bridge device goes (its addresses with it; the bridge still switches
     * every frame between its ports), and the peer's default route too.
     */
    private void keepIpv6OnTheBridge() throws IOException, InterruptedException {
        Files.writeString(Path.of("/proc/sys/net/ipv6/conf", bridgeName, "disable_ipv6"), "1");
        peer.exec("ip", "-6", "route", "del", "default");
        String routes = peer.check("ip", "-6", "route", "show", "default");
        if (!routes.isBlank()) {
            throw new IllegalStateException("the peer keeps an IPv6 default route: " + routes);
        }
        Process p = new ProcessBuilder("ip", "-6", "addr", "show", "dev", bridgeName).redirectErrorStream(true).start();
        String addresses = new String(p.getInputStream().readAllBytes());
        p.waitFor(20, TimeUnit.SECONDS);
        if (addresses.contains("inet6")) {
            throw new IllegalStateException("the host keeps IPv6 addresses on " + bridgeName + ": " + addresses);
        }
    }

    /** Removes everything; returns what failed, having tried every step. */
    private synchronized List<Throwable> tearDown() {
        List<Throwable> failures = new ArrayList<>();
        for (TapNetif tap : extraTaps) {
            try {
                tap.disconnect().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                failures.add(e);
            }
        }
        extraTaps.clear();
        if (netif != null) {
            try {
                // The TAP was created by the netif and is not persistent: closing deletes it.
                netif.disconnect().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                failures.add(e);
            }
            netif = null;
        }
        if (loop != null) {
            loop.close();
            loop = null;
        }
        if (container != null) {
            try {
                container.stop();
            } catch (RuntimeException e) {
                failures.add(e);
            }
            container = null;
        }
        if (network != null) {
            try {
                network.close();
            } catch (RuntimeException e) {
                failures.add(e);
            }
            network = null;
        }
        return failures;
    }

    private void tearDownQuietly() {
        for (Throwable t : tearDown()) {
            LOG.warn("interop fixture clean-up step failed", t);
        }
    }

    /** The netif on the TAP; frames it receives are recorded in {@link #frames()}. */
    public TapNetif netif() {
        return netif;
    }

    /**
     * Opens another TAP device on the network's bridge, with a random local MAC, on
     * {@link #loop()}: for a test that wants a stack of its own beside the class's (on an
     * impairment, say). Disconnecting the netif deletes the TAP, as a stack on it does when
     * it disconnects; one still open after the class is disconnected with the rest.
     */
    public synchronized TapNetif openTap() throws Exception {
        return openTap(InteropTap.offloads());
    }

    /**
     * As {@link #openTap()}, with the offloads on or off whatever the suite runs with: off
     * for a device under impairments, which act on wire-size frames.
     */
    public synchronized TapNetif openTap(boolean offloads) throws Exception {
        String tapName = "t4jx" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        TapNetif tap = TapNetif.open(InteropTap.config(tapName, MacAddress.randomLocal(ThreadLocalRandom.current()))
                .offloads(offloads).build(), loop);
        extraTaps.add(tap);
        writeQuietly(Path.of("/proc/sys/net/ipv6/conf", tapName, "disable_ipv6"), "1");
        host("ip", "link", "set", "dev", tapName, "master", bridgeName);
        host("ip", "link", "set", "dev", tapName, "up");
        return tap;
    }

    /** The event loop of {@link #netif()}. */
    public RealTimeEventLoop loop() {
        return loop;
    }

    /** The peer container. */
    public LinuxPeer peer() {
        return peer;
    }

    /** Frames received on the TAP since the current test began. */
    public FrameRecorder frames() {
        return frames;
    }

    /** The network's /24, inside 198.18.0.0/15. */
    public Ipv4Cidr subnet() {
        return subnet;
    }

    /** The peer container's address (.2). */
    public Ipv4Address peerAddress() {
        return address(subnet, PEER_HOST);
    }

    /** The address the Java side plays by convention (.10). */
    public Ipv4Address localAddress() {
        return address(subnet, LOCAL_HOST);
    }

    /** The address with host part {@code host} in the subnet (1 is Docker's gateway, 2 the peer). */
    public Ipv4Address address(int host) {
        return address(subnet, host);
    }

    /** The network's /64, inside 2001:2::/48. */
    public Ipv6Cidr subnet6() {
        return subnet6;
    }

    /** The peer container's global IPv6 address ({@code ::2}). */
    public Ipv6Address peerAddress6() {
        return address6(subnet6, PEER_HOST);
    }

    /** The IPv6 address the Java side plays by convention ({@code ::10}, hexadecimal as written). */
    public Ipv6Address localAddress6() {
        return address6(subnet6, 0x10);
    }

    /** The IPv6 address with interface identifier {@code host} in the /64 (2 is the peer). */
    public Ipv6Address address6(int host) {
        return address6(subnet6, host);
    }

    /** The peer's link-local address on the network, as the peer reports it. */
    public Ipv6Address peerLinkLocal() {
        String out = peer.check("ip", "-6", "-o", "addr", "show", "dev", "eth0", "scope", "link");
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("inet6 (fe80:[0-9a-f:]+)/").matcher(out);
        if (!m.find()) {
            throw new AssertionError("the peer has no link-local address: " + out);
        }
        return Ipv6Address.parse(m.group(1));
    }

    /** The MAC address of {@link #netif()}. */
    public MacAddress localMac() {
        return localMac;
    }

    /** The Docker bridge the TAP is a port of. */
    public String bridgeName() {
        return bridgeName;
    }

    /** The peer's MAC address on the network, as the peer reports it. */
    public MacAddress peerMac() {
        String link = peer.check("cat", "/sys/class/net/eth0/address");
        return MacAddress.parse(link.trim());
    }

    /** Writes {@code frame} on the TAP from the netif's event loop, as a stack would, and returns the result. */
    public Result<NetifError> write(byte[] frame) throws Exception {
        return loop.call(() -> CompletableFuture.completedFuture(netif.write(frame.length, (buffer, offset, max) -> {
            buffer.put(offset, frame);
            return frame.length;
        }))).get(5, TimeUnit.SECONDS);
    }

    private static Ipv4Address address(Ipv4Cidr subnet, int host) {
        if (host <= 0 || host >= 255) {
            throw new IllegalArgumentException("host part outside 1..254: " + host);
        }
        return new Ipv4Address(subnet.network().bits() | host);
    }

    private static Ipv6Address address6(Ipv6Cidr subnet, int host) {
        if (host <= 0 || host > 0xffff) {
            throw new IllegalArgumentException("interface identifier outside 1..ffff: " + host);
        }
        return new Ipv6Address(subnet.network().high(), host);
    }

    private static void host(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
        }
    }

    private static void writeQuietly(Path file, String value) {
        try {
            Files.writeString(file, value);
        } catch (IOException e) {
            LOG.debug("could not write {}: {}", file, e.getMessage());
        }
    }
}
