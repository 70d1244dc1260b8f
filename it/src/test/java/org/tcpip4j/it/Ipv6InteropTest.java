package org.tcpip4j.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tcpip4j.tck.FlowTransfers.readToEof;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tcpip4j.icmp.Icmpv6;
import org.tcpip4j.ip.IcmpError;
import org.tcpip4j.ipv6.Ipv6;
import org.tcpip4j.ipv6.Ipv6AddressInfo;
import org.tcpip4j.ipv6.Ipv6Config;
import org.tcpip4j.ipv6.Ipv6Neighbor;
import org.tcpip4j.netif.IpEndpoint;
import org.tcpip4j.netif.Ipv4Cidr;
import org.tcpip4j.netif.Ipv6Address;
import org.tcpip4j.netif.Ipv6Cidr;
import org.tcpip4j.netif.MacAddress;
import org.tcpip4j.netif.tap.TapNetif;
import org.tcpip4j.stack.direct.DirectStack;
import org.tcpip4j.stack.direct.DirectStackBuilder;
import org.tcpip4j.tck.AcceptedFlows;
import org.tcpip4j.tck.FlowTransfers;
import org.tcpip4j.tcp.Shutdown;
import org.tcpip4j.tcp.TcpException;
import org.tcpip4j.tcp.TcpFlow;

/**
 * IPv6 between our direct stack on the TAP and the Linux kernel in the container, on the
 * interop network's /64 in 2001:2::/48: Neighbor Discovery both ways (each side ends up
 * with the other's MAC, Linux's entry for us REACHABLE, Linux's unicast probe of
 * unreachability detection answered), our MLDv2 reports in the bridge's multicast
 * database, link-local addresses both ways (ping, and TCP from Linux), Linux's ping to all
 * nodes answered, Duplicate Address Detection (our probe from
 * {@code ::} goes out and the address is used only after it, and an address Linux holds
 * first is found DUPLICATE by ours and never used), ping both ways including 4,000-byte
 * echoes in fragments, UDP both ways (a 30,000-byte datagram in 21 fragments each way too)
 * and TCP both ways (MSS 1440, one flow label per connection) with the ICMPv6 port
 * unreachable and the reset of a closed port, and SLAAC from radvd's router advertisements
 * in the container (an address in the advertised prefix with an opaque interface
 * identifier, which Linux reaches, the container as default router, and the advertised MTU
 * and hop limit in use). After the class, none of Linux's datagrams was refused as
 * ill-formed.
 *
 * <p>Bulk TCP over IPv6 is in {@link TcpBulkInteropTest}, Packet Too Big in
 * {@link TcpPathMtuInteropTest}, the TCK over IPv6 on TAP stacks in {@link TapStackTck}.
 */
class Ipv6InteropTest {

    @RegisterExtension
    static final InteropNetwork net = new InteropNetwork();

    private static final Logger LOG = LoggerFactory.getLogger(Ipv6InteropTest.class);
    private static final Duration WAIT = Duration.ofSeconds(10);
    /** The port our stack echoes on, for UDP and TCP. */
    private static final int OUR_ECHO_PORT = 7;
    /** The port our stack sends UDP from and takes replies on. */
    private static final int OUR_CLIENT_PORT = 40_000;
    /** A port nobody listens on, on either side. */
    private static final int CLOSED_PORT = 9;
    /** The link MTU and hop limit radvd advertises in the SLAAC test (RFC 4861 4.6.4, 4.2). */
    private static final int ADVERTISED_MTU = 1400;
    private static final int ADVERTISED_HOP_LIMIT = 50;
    /** RFC 4861 10: RetransTimer, the wait after the last DAD probe, less a margin for capture timestamps. */
    private static final double DAD_WAIT_SECONDS = 0.9;

    private static DirectStack stack;
    private static final LinkedBlockingQueue<byte[]> udpEchoed = new LinkedBlockingQueue<>();
    private static final LinkedBlockingQueue<byte[]> udpReplies = new LinkedBlockingQueue<>();
    private static final AcceptedFlows tcpEchoes = new AcceptedFlows(FlowTransfers::echoUntilEof);

    @BeforeAll
    static void startStack() {
        stack = DirectStackBuilder.on(net.netif())
                .address(new Ipv4Cidr(net.localAddress(), 24))
                // Router advertisements ignored: the SLAAC test's radvd must not change this
                // stack's link MTU and hop limit for the tests that follow it.
                .ipv6Config(Ipv6Config.of(new Ipv6Cidr(net.localAddress6(), 64)).withRouterAdvertisements(false))
                .name("interop-ipv6")
                .build();
        Await.within(ipv6(stack).addressesReady(), WAIT);
        stack.listenUdp(OUR_ECHO_PORT, (src, dst, srcPort, payload) -> {
            byte[] copy = new byte[payload.remaining()];
            payload.get(copy);
            udpEchoed.add(copy);
            stack.udp().write(dst, OUR_ECHO_PORT, src, srcPort, -1, ByteBuffer.wrap(copy));
        });
        stack.listenUdp(OUR_CLIENT_PORT, (src, dst, srcPort, payload) -> {
            byte[] copy = new byte[payload.remaining()];
            payload.get(copy);
            udpReplies.add(copy);
        });
        stack.listenTcp(OUR_ECHO_PORT, tcpEchoes);
    }

    /**
     * After the class, nothing Linux sent was refused as ill-formed: no header, Neighbor
     * Discovery message, ICMPv6 message or checksum of Linux's failed our checks.
     */
    @AfterAll
    static void stopStack() throws Exception {
        if (stack == null) {
            return;
        }
        try {
            var counters = stack.counters();
            LOG.info("counters after the class: ipv6 {}, icmpv6 {}", counters.get("ipv6"), counters.get("icmpv6"));
            List<String> refused = new ArrayList<>();
            for (String c : List.of("ipv6/rx.malformed", "ipv6/rx.bad_extension", "ipv6/rx.nd_bad_checksum",
                    "ipv6/rx.nd_invalid", "ipv6/rx.reassembly.malformed", "icmpv6/rx.bad_checksum",
                    "icmpv6/rx.too_short", "udp/rx.bad_checksum", "tcp/rx.bad_checksum", "tcp/rx.malformed")) {
                String[] layerAndName = c.split("/");
                if (count(layerAndName[0], layerAndName[1]) != 0) {
                    refused.add(c + "=" + count(layerAndName[0], layerAndName[1]));
                }
            }
            assertTrue(refused.isEmpty(), "Linux's datagrams refused as ill-formed: " + refused);
        } finally {
            stack.disconnect().get(30, TimeUnit.SECONDS);
        }
    }

    private static Ipv6 ipv6(DirectStack s) {
        return s.ipv6().orElseThrow(() -> new AssertionError("the stack has no IPv6 layer"));
    }

    private static Icmpv6 icmpv6() {
        return stack.icmpv6().orElseThrow(() -> new AssertionError("the stack has no ICMPv6 layer"));
    }

    private static long count(String layer, String counter) {
        return stack.counters().getOrDefault(layer, java.util.Map.of()).getOrDefault(counter, 0L);
    }

    private static String ours() {
        return net.localAddress6().toString();
    }

    /** The IPv6 layer's neighbor cache, read on the stack's loop. */
    private static List<Ipv6Neighbor> neighbors(DirectStack s) {
        return Await.within(s.loop().call(() -> CompletableFuture.completedFuture(ipv6(s).neighbors())), WAIT);
    }

    /** Our stack's link-local address (RFC 4862 5.3). */
    private static Ipv6Address ourLinkLocal(DirectStack s) {
        return ipv6(s).addressInfo().stream()
                .filter(i -> i.origin() == Ipv6AddressInfo.Origin.LINK_LOCAL)
                .map(i -> i.cidr().address())
                .findFirst().orElseThrow(() -> new AssertionError("no link-local address: " + ipv6(s).addressInfo()));
    }

    /** Runs {@code ping -6} in the container and returns its output, failing with it when ping does. */
    private static String linuxPing(String destination, String... options) {
        List<String> command = new ArrayList<>(List.of("ping", "-6"));
        command.addAll(List.of(options));
        command.add(destination);
        LinuxPeer.ExecResult r = net.peer().exec(command.toArray(String[]::new));
        assertEquals(0, r.exitCode(), "ping failed: " + r.stdout() + r.stderr());
        return r.stdout();
    }

    // ---- Neighbor Discovery both ways ----

    @Test
    void linuxResolvesOurAddressAndHoldsOurMacReachable() {
        String before = net.peer().check("ip", "-6", "neigh", "show", "dev", "eth0");
        assertFalse(before.contains(ours() + " "), "the peer's cache was flushed: " + before);

        linuxPing(ours(), "-c", "1", "-W", "2");

        String entry = net.peer().check("ip", "-6", "neigh", "show", ours(), "dev", "eth0");
        assertTrue(entry.contains("lladdr " + net.localMac()), "the peer's cache: " + entry);
        assertTrue(entry.contains("REACHABLE"), "our solicited advertisement confirms us: " + entry);
    }

    @Test
    void ourStackResolvesLinuxAndLinuxLearnsUsFromOurSolicitation() {
        MacAddress peerMac = net.peerMac();

        Await.within(icmpv6().ping(net.peerAddress6(), 8, Duration.ofSeconds(2)), WAIT);

        Ipv6Neighbor entry = neighbors(stack).stream().filter(n -> n.address().equals(net.peerAddress6()))
                .findFirst().orElseThrow(() -> new AssertionError("no entry for the peer: " + neighbors(stack)));
        assertEquals(peerMac, entry.mac(), "the peer's MAC in our neighbor cache");
        assertNotEquals(Ipv6Neighbor.State.INCOMPLETE, entry.state());
        String theirs = net.peer().check("ip", "-6", "neigh", "show", ours(), "dev", "eth0");
        assertTrue(theirs.contains("lladdr " + net.localMac()), "the peer learnt us: " + theirs);
    }

    /**
     * Docker's bridge snoops multicast (multicast_snooping 1): our MLDv2 reports (RFC 3810)
     * for the solicited-node groups of our addresses put our TAP in the bridge's multicast
     * database, so Linux's solicitations for our addresses reach us as a switch with
     * snooping delivers them.
     */
    @Test
    void ourMldReportsPutOurSolicitedNodeGroupsInTheBridgesDatabase() throws Exception {
        String port = net.netif().interfaceName();
        List<String> groups = List.of(net.localAddress6().solicitedNode().toString(),
                ourLinkLocal(stack).solicitedNode().toString());

        String mdb = hostOutput("bridge", "mdb", "show", "dev", net.bridgeName());

        for (String group : groups) {
            assertTrue(mdb.lines().anyMatch(l -> l.contains("port " + port + " ") && l.contains("grp " + group + " ")),
                    "the bridge learnt " + group + " on " + port + ":\n" + mdb);
        }
    }

    @Test
    void linkLocalAddressesWorkBothWays() {
        Ipv6Address ourLinkLocal = ourLinkLocal(stack);
        Ipv6Address peerLinkLocal = net.peerLinkLocal();
        assertTrue(ourLinkLocal.isLinkLocal(), ourLinkLocal.toString());

        String out = linuxPing(ourLinkLocal + "%eth0", "-c", "2", "-W", "2");
        assertTrue(out.contains("2 packets transmitted, 2 received, 0% packet loss"), out);
        Duration rtt = Await.within(icmpv6().ping(peerLinkLocal, 56, Duration.ofSeconds(2)), WAIT);
        assertFalse(rtt.isNegative());
        // TCP to our link-local address: Linux names the link, our stack (one link) needs no zone.
        String reply = net.peer().check("sh", "-c", "printf 'over the link' | socat -t 5 - TCP6:[" + ourLinkLocal
                + "%eth0]:" + OUR_ECHO_PORT);
        assertEquals("over the link", reply);
    }

    /** Linux's ping to all nodes (ff02::1) is answered by our stack too, from its link-local address. */
    @Test
    void linuxsPingToAllNodesIsAnsweredByUs() {
        String out = linuxPing("ff02::1%eth0", "-c", "2", "-W", "2");
        assertTrue(out.contains("from " + ourLinkLocal(stack) + "%eth0"), "our answer among the replies: " + out);
    }

    /**
     * Linux's unreachability detection (RFC 4861 7.3.3): with its entry for us STALE, the
     * ping puts it in DELAY and then, after delay_first_probe_time (1 s here), in PROBE,
     * where Linux asks us by unicast solicitation; our solicited advertisement makes the
     * entry REACHABLE again.
     */
    @Test
    void linuxsUnicastProbeIsAnsweredAndItsEntryForUsBecomesReachable() {
        String mac = net.localMac().toString();
        net.peer().sysctl("net.ipv6.neigh.eth0.delay_first_probe_time", "1");
        try {
            net.peer().check("ip", "-6", "neigh", "replace", ours(), "lladdr", mac, "dev", "eth0", "nud", "stale");
            String dump = net.peer().check("sh", "-c", PeerTcp.startCapture("-e -v --immediate-mode",
                    "icmp6 and (ip6[40] == 135 or ip6[40] == 136)", "/tmp/nud.dump")
                    + " ping -6 -c 4 -i 0.5 " + ours() + " >/dev/null;"
                    + PeerTcp.stopCapture("/tmp/nud.dump", "Flags \\[solicited") + " cat /tmp/nud.dump");

            String all = String.join(" ", dump.lines().toList());
            String peerMac = net.peerMac().toString();
            assertTrue(all.contains(peerMac + " > " + mac + ", ethertype IPv6"),
                    "Linux probed us by unicast\n" + dump);
            assertTrue(all.contains(mac + " > " + peerMac + ", ethertype IPv6") && all.contains("Flags [solicited"),
                    "we answered with a solicited advertisement\n" + dump);
            String entry = net.peer().check("ip", "-6", "neigh", "show", ours(), "dev", "eth0");
            assertTrue(entry.contains("REACHABLE"), "the peer's entry for us: " + entry + "\n" + dump);
        } finally {
            net.peer().sysctl("net.ipv6.neigh.eth0.delay_first_probe_time", "5");
        }
    }

    // ---- Duplicate Address Detection ----

    /**
     * A stack of its own on a new TAP, with a capture on the TAP in the host: our neighbor
     * solicitation from {@code ::} for the tentative address goes out first (RFC 4862
     * 5.4.2), and the first datagram from the address, the answer to Linux's ping after
     * {@code addressesReady()}, leaves at least RetransTimer after it.
     */
    @Test
    void ourProbeFromTheUnspecifiedAddressGoesOutBeforeTheAddressIsUsed() throws Exception {
        Ipv6Address address = net.address6(0x30);
        TapNetif tap = net.openTap();
        HostCapture capture = HostCapture.start(tap.interfaceName(), "icmp6");
        DirectStack probing = null;
        try {
            probing = newStack(tap, 0x30, b -> b.address6(new Ipv6Cidr(address, 64)));
            Await.within(ipv6(probing).addressesReady(), WAIT);
            assertEquals(Ipv6AddressInfo.State.PREFERRED, info(probing, address).state());

            String out = linuxPing(address.toString(), "-c", "1", "-W", "2");
            assertTrue(out.contains("1 received"), out);

            List<String> lines = capture.stop();
            String dump = String.join("\n", lines);
            int probe = firstIndex(lines, l -> l.contains(":: > " + address.solicitedNode() + ":")
                    && l.contains("neighbor solicitation") && l.contains("who has " + address));
            int firstUse = firstIndex(lines, l -> l.contains(" " + address + " > "));
            assertTrue(probe >= 0, "our DAD probe from :: in\n" + dump);
            String probeLine = lines.get(probe);
            assertTrue(probeLine.contains("hlim 255"), "Neighbor Discovery's hop limit: " + probeLine);
            assertFalse(probeLine.contains("source link-address option"),
                    "a probe from :: carries no source link-layer address (RFC 4861 7.2.2): " + probeLine);
            assertTrue(firstUse > probe, "the address is used after its probe\n" + dump);
            double waited = timestamp(lines.get(firstUse)) - timestamp(lines.get(probe));
            assertTrue(waited >= DAD_WAIT_SECONDS, "the address was used " + waited + " s after its probe\n" + dump);
        } finally {
            capture.close();
            if (probing != null) {
                probing.disconnect().get(30, TimeUnit.SECONDS);
            } else {
                tap.disconnect().get(30, TimeUnit.SECONDS);
            }
        }
    }

    /**
     * Linux holds {@code ::40} first; our stack, configured with it, probes, Linux answers
     * the probe (the capture in the container shows both), and ours marks the address
     * DUPLICATE (RFC 4862 5.4.5): not among its usable addresses, and never the source of a
     * datagram, even when the stack then talks to the peer.
     */
    @Test
    void anAddressLinuxHoldsIsFoundDuplicateAndNeverUsed() throws Exception {
        Ipv6Address address = net.address6(0x40);
        net.peer().check("ip", "-6", "addr", "add", address + "/64", "dev", "eth0", "nodad");
        TapNetif tap = null;
        DirectStack late = null;
        try {
            CompletableFuture<String> linux = PeerTcp.runInBackground(net.peer(),
                    "rm -f /tmp/dad.stop /tmp/dad.ready;"
                            + PeerTcp.startCapture("-e --immediate-mode", "icmp6 or (ip6 and src host " + address + ")", "/tmp/dad.dump")
                            + " echo ready >/tmp/dad.ready; while [ ! -e /tmp/dad.stop ]; do sleep 0.05; done;"
                            + PeerTcp.stopCapture("/tmp/dad.dump", "echo reply") + " cat /tmp/dad.dump; rm -f /tmp/dad.*");
            net.peer().check("timeout", "10", "sh", "-c", "until [ -e /tmp/dad.ready ]; do sleep 0.05; done");
            tap = net.openTap();
            MacAddress lateMac = tap.mac();
            late = newStack(tap, 0x40, b -> b.address6(new Ipv6Cidr(address, 64)));
            Await.within(ipv6(late).addressesReady(), WAIT);

            Ipv6AddressInfo info = info(late, address);
            assertEquals(Ipv6AddressInfo.State.DUPLICATE, info.state(), "our address after DAD: " + info);
            assertFalse(info.isUsable());
            assertTrue(ipv6(late).cidrs().stream().noneMatch(c -> c.address().equals(address)),
                    "not among the usable addresses: " + ipv6(late).cidrs());
            assertFalse(late.addresses().contains(address), "not among the stack's addresses: " + late.addresses());
            // Talk to the peer: whatever source the stack picks, it must not be the duplicate.
            late.udp().write(null, OUR_CLIENT_PORT, net.peerAddress6(), CLOSED_PORT, -1,
                    ByteBuffer.wrap("anyone?".getBytes(StandardCharsets.US_ASCII)));
            Optional<Icmpv6> icmp = late.icmpv6();
            if (icmp.isPresent()) {
                icmp.get().ping(net.peerAddress6(), 8, Duration.ofSeconds(1)).exceptionally(e -> null).get(5,
                        TimeUnit.SECONDS);
            }

            net.peer().check("touch", "/tmp/dad.stop");
            String dump = Await.within(linux, WAIT);
            LOG.info("DAD against Linux's address {}:\n{}", address, dump);
            // tcpdump -e: "TIME SOURCE-MAC > DESTINATION-MAC, ethertype IPv6 ...: SOURCE > DESTINATION: ..."
            String fromUs = lateMac + " > ";
            assertTrue(dump.lines().anyMatch(l -> l.contains(fromUs) && l.contains(":: > " + address.solicitedNode())
                            && l.contains("neighbor solicitation, who has " + address)),
                    "Linux saw our probe from ::\n" + dump);
            assertTrue(dump.lines().anyMatch(l -> !l.contains(fromUs)
                            && l.contains("neighbor advertisement, tgt is " + address)),
                    "Linux defended its address\n" + dump);
            assertTrue(dump.lines().noneMatch(l -> l.contains(fromUs) && l.contains(" " + address + " > ")),
                    "our stack never sent from the duplicate\n" + dump);
            String peerAddress = net.peer().check("ip", "-6", "addr", "show", "dev", "eth0");
            assertFalse(peerAddress.contains("dadfailed"), "Linux keeps its address: " + peerAddress);
        } finally {
            net.peer().exec("touch", "/tmp/dad.stop");
            net.peer().exec("ip", "-6", "addr", "del", address + "/64", "dev", "eth0");
            if (late != null) {
                late.disconnect().get(30, TimeUnit.SECONDS);
            } else if (tap != null) {
                tap.disconnect().get(30, TimeUnit.SECONDS);
            }
        }
    }

    // ---- ping both ways ----

    @Test
    void linuxPingsOurStack() {
        String out = linuxPing(ours(), "-c", "3", "-W", "2");
        assertTrue(out.contains("3 packets transmitted, 3 received, 0% packet loss"), out);
    }

    @Test
    void linuxPingsOurStackWithFourThousandBytesInFragmentsBothWays() {
        long reassembled = count("ipv6", "rx.reassembled");
        long fragments = count("ipv6", "tx.fragments");

        String out = linuxPing(ours(), "-c", "3", "-W", "2", "-s", "4000");

        assertTrue(out.contains("3 packets transmitted, 3 received, 0% packet loss"), out);
        assertTrue(out.contains("4008 bytes from " + ours()), out);
        assertEquals(3, count("ipv6", "rx.reassembled") - reassembled, "we reassembled Linux's requests");
        // 4,008 bytes of ICMPv6 in fragments of at most 1,448 bytes: three each.
        assertEquals(9, count("ipv6", "tx.fragments") - fragments, "each reply left in 3 fragments");
    }

    @Test
    void ourStackPingsLinux() {
        for (int i = 0; i < 3; i++) {
            Duration rtt = Await.within(icmpv6().ping(net.peerAddress6(), 56, Duration.ofSeconds(2)), WAIT);
            assertFalse(rtt.isNegative());
            assertTrue(rtt.compareTo(Duration.ofSeconds(2)) < 0, rtt.toString());
        }
    }

    @Test
    void ourStackPingsLinuxWithFourThousandBytesInFragmentsBothWays() {
        long reassembled = count("ipv6", "rx.reassembled");
        long fragments = count("ipv6", "tx.fragments");

        Await.within(icmpv6().ping(net.peerAddress6(), 4000, Duration.ofSeconds(2)), WAIT);

        assertEquals(3, count("ipv6", "tx.fragments") - fragments, "our request left in 3 fragments");
        assertEquals(1, count("ipv6", "rx.reassembled") - reassembled, "Linux's reply came in fragments");
    }

    // ---- UDP both ways ----

    @Test
    void ourStackEchoesADatagramFromLinux() throws Exception {
        udpEchoed.clear();
        String reply = net.peer().check("sh", "-c",
                "printf 'hello over ipv6' | socat -t 2 - UDP6:[" + ours() + "]:" + OUR_ECHO_PORT);

        assertEquals("hello over ipv6", reply);
        assertEquals("hello over ipv6", new String(udpEchoed.poll(WAIT.toSeconds(), TimeUnit.SECONDS)));
    }

    @Test
    void linuxEchoesADatagramFromOurStack() throws Exception {
        int port = 7_007;
        net.peer().startInBackground("socat -b 65536 -T 10 UDP6-RECVFROM:" + port + ",fork EXEC:cat");
        udpReplies.clear();
        byte[] reply = null;
        long deadline = System.nanoTime() + WAIT.toNanos();
        // socat may still be starting: send until a reply comes.
        while (reply == null && System.nanoTime() < deadline) {
            Await.within(stack.udp().write(null, OUR_CLIENT_PORT, net.peerAddress6(), port, -1,
                    ByteBuffer.wrap("hello from tcpip4j over ipv6".getBytes(StandardCharsets.US_ASCII))), WAIT);
            reply = udpReplies.poll(500, TimeUnit.MILLISECONDS);
        }
        assertNotNull(reply, "no reply from the peer's port " + port);
        assertEquals("hello from tcpip4j over ipv6", new String(reply, StandardCharsets.US_ASCII));
    }

    /**
     * A 30,000-byte datagram each way: 30,008 bytes of UDP in 21 fragments of at most 1,448
     * bytes, reassembled by us, echoed back in fragments of ours, and reassembled whole by
     * Linux.
     */
    @Test
    void a30000ByteDatagramFromLinuxIsReassembledAndEchoedBackWhole() throws Exception {
        udpEchoed.clear();
        long reassembled = count("ipv6", "rx.reassembled");
        long fragments = count("ipv6", "tx.fragments");

        String result = net.peer().check("sh", "-c", "head -c 30000 /dev/urandom >/tmp/large6;"
                + " socat -b 65536 -t 2 - UDP6:[" + ours() + "]:" + OUR_ECHO_PORT + " </tmp/large6 >/tmp/large6.echo;"
                + " wc -c </tmp/large6.echo; cmp /tmp/large6 /tmp/large6.echo && echo same");

        byte[] received = udpEchoed.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertEquals(30_000, received == null ? -1 : received.length, "the datagram we reassembled");
        assertEquals(1, count("ipv6", "rx.reassembled") - reassembled);
        assertEquals(21, count("ipv6", "tx.fragments") - fragments, "our echo left in 21 fragments");
        assertTrue(result.contains("same"), "Linux reassembled our echo whole: " + result);
    }

    @Test
    void aDatagramToAClosedPortOfOurStackMakesLinuxReportPortUnreachable() {
        long noListener = count("udp", "rx.no_listener");

        LinuxPeer.ExecResult r = net.peer().exec("sh", "-c",
                "printf 'anyone?' | socat -t 3 - UDP6:[" + ours() + "]:" + CLOSED_PORT);

        assertTrue(r.stderr().contains("Connection refused"),
                "our ICMPv6 port unreachable refuses socat's connected socket; exit " + r.exitCode() + ": " + r.stderr());
        assertEquals(1, count("udp", "rx.no_listener") - noListener);
    }

    @Test
    void aDatagramToAClosedPortOfLinuxReachesOurSendersErrorCallback() {
        int senderPort = OUR_CLIENT_PORT + 1;
        CompletableFuture<IcmpError> error = new CompletableFuture<>();
        stack.udp().onError(senderPort, error::complete);
        try {
            Await.within(stack.udp().write(null, senderPort, net.peerAddress6(), CLOSED_PORT, -1,
                    ByteBuffer.wrap("anyone?".getBytes(StandardCharsets.US_ASCII))), WAIT);

            IcmpError e = Await.within(error, WAIT);
            assertEquals(IcmpError.Kind.PORT_UNREACHABLE, e.kind());
            assertEquals(net.peerAddress6(), e.reporter());
            assertEquals(net.localAddress6(), e.source());
            assertEquals(net.peerAddress6(), e.destination());
            assertEquals(senderPort, e.sourcePort());
            assertEquals(CLOSED_PORT, e.destinationPort());
        } finally {
            stack.udp().onError(senderPort, null);
        }
    }

    // ---- TCP both ways ----

    @Test
    void linuxConnectsToOurServerAndGetsItsDataEchoed() {
        int before = tcpEchoes.size();

        String report = net.peer().check("sh", "-c", PeerTcp.startCapture("-v --immediate-mode",
                "ip6 and tcp port " + OUR_ECHO_PORT, "/tmp/tcp6.dump")
                + " printf 'hello from linux over ipv6' | socat -t 5 - TCP6:[" + ours() + "]:" + OUR_ECHO_PORT
                + " >/tmp/tcp6.reply;" + PeerTcp.stopCapture("/tmp/tcp6.dump", "Flags \\[S\\.\\]")
                + " cat /tmp/tcp6.reply; echo; cat /tmp/tcp6.dump");

        String reply = report.substring(0, report.indexOf('\n'));
        assertEquals("hello from linux over ipv6", reply);
        TcpFlow accepted = Await.within(tcpEchoes.nth(before), WAIT);
        assertEquals(new IpEndpoint(net.localAddress6(), OUR_ECHO_PORT), accepted.src());
        assertEquals(net.peerAddress6(), accepted.dst().address());
        checkOurSegments(report, ours() + "." + OUR_ECHO_PORT + " >", "Flags [S.]");
    }

    @Test
    void ourClientConnectsToLinuxAndGetsItsDataEchoed() {
        int port = 7_101;
        CompletableFuture<String> server = PeerTcp.runInBackground(net.peer(),
                PeerTcp.startCapture("-v --immediate-mode", "ip6 and tcp port " + port, "/tmp/tcp6.dump")
                        + " socat -t 5 TCP6-LISTEN:" + port + ",reuseaddr EXEC:cat;"
                        + PeerTcp.stopCapture("/tmp/tcp6.dump", "Flags \\[S\\]")
                        + " cat /tmp/tcp6.dump");
        PeerTcp.awaitListening(net.peer(), port);

        TcpFlow flow = Await.within(stack.tcp().connect(net.peerAddress6(), port), WAIT);
        CompletableFuture<byte[]> back = readToEof(flow);
        Await.within(flow.write(ByteBuffer.wrap("hello from tcpip4j over ipv6".getBytes(StandardCharsets.US_ASCII))),
                WAIT);
        Await.within(flow.shutdown(Shutdown.WRITE), WAIT);

        assertEquals("hello from tcpip4j over ipv6", new String(Await.within(back, WAIT), StandardCharsets.US_ASCII));
        assertEquals(new IpEndpoint(net.peerAddress6(), port), flow.dst());
        assertEquals(net.localAddress6(), flow.src().address());
        Await.within(flow.close(), WAIT);
        String dump = Await.within(server, WAIT);
        checkOurSegments(dump, ours() + "." + flow.src().port() + " >", "Flags [S]");
    }

    /**
     * What the capture ({@code tcpdump -v}) shows of our side of one connection: our
     * {@code handshake} segment announces the MSS of a 1500-byte link less IPv6's and TCP's
     * headers (1440), and every segment of ours carries the same non-zero flow label (RFC
     * 6437).
     */
    private static void checkOurSegments(String dump, String fromUs, String handshake) {
        List<String> ourLines = dump.lines().filter(l -> l.contains(" " + fromUs)).toList();
        assertFalse(ourLines.isEmpty(), "our segments in\n" + dump);
        String syn = ourLines.stream().filter(l -> l.contains(handshake + ",")).findFirst()
                .orElseThrow(() -> new AssertionError("no " + handshake + " of ours in\n" + dump));
        assertTrue(syn.contains("mss 1440"), "the MSS over IPv6 on a 1500-byte link: " + syn);
        java.util.regex.Pattern label = java.util.regex.Pattern.compile("flowlabel (0x[0-9a-f]+)");
        List<String> labels = ourLines.stream().map(l -> {
            java.util.regex.Matcher m = label.matcher(l);
            return m.find() ? m.group(1) : "none";
        }).distinct().toList();
        assertEquals(1, labels.size(), "one flow label for the connection: " + labels + "\n" + dump);
        assertNotEquals("none", labels.getFirst(), "a flow label (RFC 6437)\n" + dump);
    }

    @Test
    void aConnectionToAClosedPortOfLinuxIsRefusedByItsReset() {
        CompletableFuture<TcpFlow> connect = stack.tcp().connect(net.peerAddress6(), CLOSED_PORT);
        Throwable failure = Await.within(connect.handle((v, e) -> e instanceof CompletionException c ? c.getCause() : e),
                WAIT);
        assertInstanceOf(TcpException.Refused.class, failure);
    }

    @Test
    void aConnectionFromLinuxToAClosedPortOfOursIsRefusedByOurReset() {
        LinuxPeer.ExecResult r = net.peer().exec("sh", "-c",
                "socat -T 5 - TCP6:[" + ours() + "]:" + CLOSED_PORT + " </dev/null");

        assertNotEquals(0, r.exitCode());
        assertTrue(r.stderr().contains("Connection refused"), "socat should fail with Connection refused: " + r.stderr());
    }

    // ---- SLAAC ----

    /**
     * radvd in the container advertises the network's /64 (on-link, autonomous) every 3 to 4
     * s and answers router solicitations. A stack of its own with SLAAC on and no static
     * IPv6 address forms an address in the prefix, whose interface identifier is opaque
     * (RFC 7217: not the modified EUI-64 of its MAC), Linux reaches it, the container's
     * link-local address becomes the default router, and the advertised link MTU (1400) and
     * hop limit (50) are the stack's.
     */
    @Test
    void slaacFormsAnAddressFromLinuxsRouterAdvertisements() throws Exception {
        Ipv6Cidr prefix = new Ipv6Cidr(net.subnet6().network(), 64);
        // A router: radvd advertises a router lifetime only when the interface forwards.
        net.peer().sysctl("net.ipv6.conf.eth0.forwarding", "1");
        net.peer().check("sh", "-c", "printf '%s\\n' 'interface eth0 {' ' AdvSendAdvert on;'"
                + " ' MinRtrAdvInterval 3;' ' MaxRtrAdvInterval 4;' ' AdvDefaultLifetime 60;'"
                + " ' AdvLinkMTU " + ADVERTISED_MTU + ";' ' AdvCurHopLimit " + ADVERTISED_HOP_LIMIT + ";'"
                + " ' prefix " + prefix + " { AdvOnLink on; AdvAutonomous on; AdvValidLifetime 600;"
                + " AdvPreferredLifetime 300; };' '};' >/tmp/radvd.conf");
        net.peer().startInBackground("radvd -n -C /tmp/radvd.conf -p /tmp/radvd.pid -m logfile -l /tmp/radvd.log");
        TapNetif tap = net.openTap();
        DirectStack slaac = null;
        try {
            slaac = newStack(tap, 0x50, b -> b.slaac(true));
            Ipv6 layer = ipv6(slaac);
            Ipv6AddressInfo formed = null;
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (formed == null && System.nanoTime() < deadline) {
                formed = layer.addressInfo().stream()
                        .filter(i -> i.origin() == Ipv6AddressInfo.Origin.SLAAC && i.isUsable()
                                && prefix.contains(i.cidr().address()))
                        .findFirst().orElse(null);
                if (formed == null) {
                    Thread.sleep(100);
                }
            }
            assertNotNull(formed, "no SLAAC address in " + prefix + " within 20 s: " + layer.addressInfo()
                    + "; radvd: " + net.peer().exec("cat", "/tmp/radvd.log").stdout());
            Ipv6Address address = formed.cidr().address();
            LOG.info("SLAAC from radvd: {} ({})", address, layer.addressInfo());
            assertEquals(64, formed.cidr().prefix(), formed.toString());
            assertNotEquals(modifiedEui64(tap.mac()), address.low(), "an opaque interface identifier (RFC 7217)");
            assertTrue(formed.validLifetimeNanos() <= Duration.ofSeconds(600).toNanos(),
                    "the advertised valid lifetime: " + formed);

            String out = linuxPing(address.toString(), "-c", "2", "-W", "2");
            assertTrue(out.contains("2 packets transmitted, 2 received, 0% packet loss"), out);
            // RFC 4861 6.3.4: the advertised hop limit is our default (ping shows our replies' as ttl), and
            // the advertised MTU the link's.
            assertTrue(out.contains("ttl=" + ADVERTISED_HOP_LIMIT + " "), "our replies' hop limit: " + out);
            DirectStack s = slaac;
            int mtu = Await.within(s.loop().call(() -> CompletableFuture.completedFuture(
                    s.ip().mtu(net.peerAddress6()))), WAIT);
            assertEquals(ADVERTISED_MTU - 40, mtu, "the advertised link MTU less the IPv6 header");

            Ipv6Address peerLinkLocal = net.peerLinkLocal();
            Optional<Ipv6Address> router = Await.within(
                    s.loop().call(() -> CompletableFuture.completedFuture(ipv6(s).defaultRouter())), WAIT);
            assertEquals(Optional.of(peerLinkLocal), router, "the container is the default router");
        } finally {
            net.peer().exec("sh", "-c", "kill $(cat /tmp/radvd.pid) 2>/dev/null; rm -f /tmp/radvd.*");
            net.peer().sysctl("net.ipv6.conf.eth0.forwarding", "0");
            if (slaac != null) {
                slaac.disconnect().get(30, TimeUnit.SECONDS);
            } else {
                tap.disconnect().get(30, TimeUnit.SECONDS);
            }
        }
    }

    // ---- helpers ----

    /** A stack on {@code tap} with IPv4 address {@code .host} and what {@code ipv6} adds. */
    private static DirectStack newStack(TapNetif tap, int host, UnaryOperator<DirectStackBuilder> ipv6) {
        DirectStackBuilder b = DirectStackBuilder.on(tap).address(new Ipv4Cidr(net.address(host), 24))
                .name("interop-ipv6-" + Integer.toHexString(host));
        return ipv6.apply(b).build();
    }

    private static String hostOutput(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
        }
        return out;
    }

    private static Ipv6AddressInfo info(DirectStack s, Ipv6Address address) {
        return ipv6(s).addressInfo().stream().filter(i -> i.cidr().address().equals(address)).findFirst()
                .orElseThrow(() -> new AssertionError(address + " is not among " + ipv6(s).addressInfo()));
    }

    /** The low 64 bits of an address formed from {@code mac} by modified EUI-64 (RFC 4291 2.5.1). */
    private static long modifiedEui64(MacAddress mac) {
        long bits = mac.bits() ^ 0x0200_0000_0000L; // the universal/local bit inverted
        return (bits >>> 24) << 40 | 0xff_feL << 24 | (bits & 0xff_ffffL);
    }

    private static int firstIndex(List<String> lines, java.util.function.Predicate<String> wanted) {
        for (int i = 0; i < lines.size(); i++) {
            if (wanted.test(lines.get(i))) {
                return i;
            }
        }
        return -1;
    }

    /** The seconds since the epoch at the start of a {@code tcpdump -tt} line. */
    private static double timestamp(String line) {
        return Double.parseDouble(line.substring(0, line.indexOf(' ')));
    }

    /** tcpdump on a host interface, writing a pcap file, read back as text when stopped. */
    private static final class HostCapture implements AutoCloseable {

        private final Process process;
        private final Path pcap;

        private HostCapture(Process process, Path pcap) {
            this.process = process;
            this.pcap = pcap;
        }

        /** Starts tcpdump on {@code iface} with {@code filter} and returns once it captures. */
        static HostCapture start(String iface, String filter) throws IOException, InterruptedException {
            Path pcap = Files.createTempFile("tcpip4j-ipv6-", ".pcap");
            Path err = Files.createTempFile("tcpip4j-ipv6-", ".err");
            try {
                // --immediate-mode: every frame reaches the file at once, none is left in the ring at the end.
                Process p = new ProcessBuilder("tcpdump", "-i", iface, "-n", "--immediate-mode", "-U", "-w",
                        pcap.toString(), filter)
                        .redirectError(err.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (!Files.readString(err).contains("listening on")) {
                    if (!p.isAlive() || System.nanoTime() > deadline) {
                        p.destroyForcibly();
                        throw new IllegalStateException("tcpdump did not start: " + Files.readString(err));
                    }
                    Thread.sleep(20);
                }
                return new HostCapture(p, pcap);
            } finally {
                Files.deleteIfExists(err);
            }
        }

        /**
         * Stops the capture and returns what it holds as {@code tcpdump -tt -n -v} prints it,
         * one line per frame (the indented lines of a frame's options joined to its first).
         */
        List<String> stop() throws IOException, InterruptedException {
            process.destroy(); // SIGTERM: tcpdump writes what it holds and ends
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            Process r = new ProcessBuilder("tcpdump", "-r", pcap.toString(), "-tt", "-n", "-v")
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(r.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            r.waitFor(30, TimeUnit.SECONDS);
            List<String> frames = new ArrayList<>();
            for (String line : out.split("\n")) {
                if (line.isBlank()) {
                    continue;
                }
                if (Character.isWhitespace(line.charAt(0)) && !frames.isEmpty()) {
                    frames.set(frames.size() - 1, frames.getLast() + " |" + line.strip());
                } else {
                    frames.add(line);
                }
            }
            return frames;
        }

        @Override
        public void close() throws IOException {
            process.destroyForcibly();
            Files.deleteIfExists(pcap);
        }
    }
}
