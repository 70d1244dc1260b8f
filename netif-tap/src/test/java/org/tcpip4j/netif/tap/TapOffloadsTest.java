package org.tcpip4j.netif.tap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tcpip4j.netif.InternetChecksum;
import org.tcpip4j.netif.MacAddress;
import org.tcpip4j.netif.NetifOffloads;
import org.tcpip4j.netif.Result;
import org.tcpip4j.netif.loop.RealTimeEventLoop;

/**
 * Offloads on a real TAP: what the kernel accepted (TUNSETOFFLOAD shows in the device's
 * features), and a TCP connection driven by hand through the kernel, whose checksums and
 * segments the kernel completes and cuts, and whose coalesced segments it hands over whole.
 *
 * <p>The connection runs from the Java side (198.18.78.2, 2001:2:78::2) through a Linux
 * router namespace, which holds the TAP, to an echo server (socat) in a second namespace
 * (198.18.79.2, 2001:2:79::2) behind a veth pair. The router's veth towards the server has
 * checksum offload off, so the kernel completes every checksum in software and cuts the
 * stack's large segments itself, and the server's kernel verifies each: a wrong
 * pseudo-header sum or segment size would show as lost data and checksum errors there. The
 * server's own large segments reach the TAP unsegmented, as GSO frames.
 */
@ExtendWith(RequiresRoot.class)
class TapOffloadsTest {

    private static final MacAddress JAVA_MAC = MacAddress.parse("02:00:c6:12:4e:02");
    private static final int SERVER_PORT = 9000;
    private static final int CLIENT_PORT = 40000;
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final int TCP_SYN = 0x02;
    private static final int TCP_RST = 0x04;
    private static final int TCP_PSH = 0x08;
    private static final int TCP_ACK = 0x10;

    private static RealTimeEventLoop loop;

    private TapNetif tap;
    private String routerNs;
    private String serverNs;
    private Process server;
    private final java.util.List<String> persistentDevices = new java.util.ArrayList<>();

    @BeforeAll
    static void startLoop() {
        loop = new RealTimeEventLoop("tap-offload-test");
    }

    @AfterAll
    static void stopLoop() {
        loop.close();
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (server != null) {
            server.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        if (tap != null) {
            tap.disconnect().get(5, TimeUnit.SECONDS);
        }
        for (String ns : new String[] {routerNs, serverNs}) {
            if (ns != null) {
                Commands.run("ip", "netns", "del", ns);
            }
        }
        for (String name : persistentDevices) {
            Commands.run("ip", "link", "del", name);
        }
    }

    /** The state ("on" or "off") of the feature {@code name} in {@code ethtool -k} output. */
    private static String feature(String ethtool, String name) {
        Matcher m = Pattern.compile("(?m)^\\s*" + Pattern.quote(name) + ": (on|off)").matcher(ethtool);
        assertTrue(m.find(), name + " missing in " + ethtool);
        return m.group(1);
    }

    private static String features(String name) {
        Assumptions.assumeTrue(Commands.run("ethtool", "--version").exitCode() == 0,
                "ethtool is missing: the device's features cannot be read");
        return Commands.check("ethtool", "-k", name);
    }

    @Test
    void theKernelTakesTheOffloadsAskedForAndShowsThemInTheFeatures() throws Exception {
        tap = TapNetif.open(TapConfig.named(TapNetifTest.freshName()), loop);
        System.out.println("[netif-tap] kernel " + System.getProperty("os.version") + ": offloads "
                + tap.offloads().describe());
        assertEquals(new NetifOffloads(true, true, true, true, true, NetifOffloads.MAX_TSO_FRAME), tap.offloads());
        String k = features(tap.interfaceName());
        // TUN_F_CSUM gives the device NETIF_F_HW_CSUM, TUN_F_TSO4/TSO6/TSO_ECN the TSO features.
        assertEquals("on", feature(k, "tx-checksum-ip-generic"), k);
        assertEquals("on", feature(k, "tx-tcp-segmentation"), k);
        assertEquals("on", feature(k, "tx-tcp6-segmentation"), k);
        assertEquals("on", feature(k, "tx-tcp-ecn-segmentation"), k);
        // Never UDP segmentation: the UDP layer takes one datagram a frame.
        if (k.contains("tx-udp-segmentation:")) {
            assertEquals("off", feature(k, "tx-udp-segmentation"), k);
        }
    }

    @Test
    void withoutOffloadsTheDeviceOffersNothingAndAPersistentOneIsResetToPlain() throws Exception {
        String name = TapNetifTest.freshName();
        persistentDevices.add(name);
        TapNetif first = TapNetif.open(TapConfig.builder().interfaceName(name).persistent(true).build(), loop);
        assertEquals("on", feature(features(name), "tx-tcp-segmentation"));
        first.disconnect().get(5, TimeUnit.SECONDS);
        // The device stays, with the features its last owner asked for, until opened plain.
        tap = TapNetif.open(TapConfig.builder().interfaceName(name).offloads(false).build(), loop);
        assertEquals(NetifOffloads.NONE, tap.offloads());
        String k = features(name);
        assertEquals("off", feature(k, "tx-checksum-ip-generic"), k);
        assertEquals("off", feature(k, "tx-tcp-segmentation"), k);
        assertEquals("off", feature(k, "tx-tcp6-segmentation"), k);
    }

    /** The addresses of one IP version. */
    private record Addresses(boolean ipv6, byte[] stack, byte[] routerTap, byte[] routerVeth, byte[] server,
                             String tapPrefix, String vethPrefix) {

        static Addresses of(boolean ipv6) {
            return ipv6
                    ? new Addresses(true, v6("2001:2:78::2"), v6("2001:2:78::1"), v6("2001:2:79::1"),
                            v6("2001:2:79::2"), "/64", "/64")
                    : new Addresses(false, v4("198.18.78.2"), v4("198.18.78.1"), v4("198.18.79.1"),
                            v4("198.18.79.2"), "/24", "/24");
        }

        private static byte[] v4(String a) {
            return org.tcpip4j.netif.Ipv4Address.parse(a).toBytes();
        }

        private static byte[] v6(String a) {
            return org.tcpip4j.netif.Ipv6Address.parse(a).toBytes();
        }

        static String text(byte[] address) {
            try {
                return InetAddress.getByAddress(address).getHostAddress();
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException(e);
            }
        }
    }

    /** A frame as delivered, with whether the device vouched for its checksums then. */
    private record Received(byte[] frame, boolean checksumValid) {
    }

    /** A TCP segment of the connection, parsed. */
    private record Segment(long seq, long ack, int flags, byte[] payload) {
    }

    @ParameterizedTest(name = "IPv6 {0}")
    @ValueSource(booleans = {false, true})
    void theKernelCompletesChecksumsCutsOurLargeSegmentAndHandsOverItsOwnWhole(boolean ipv6) throws Exception {
        Assumptions.assumeTrue(Commands.run("socat", "-V").exitCode() == 0, "socat is missing");
        Addresses a = Addresses.of(ipv6);
        String suffix = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(2);
        routerNs = "t4j-or-" + suffix;
        serverNs = "t4j-os-" + suffix;
        Commands.check("ip", "netns", "add", routerNs);
        Commands.check("ip", "netns", "add", serverNs);
        LinkedBlockingQueue<Received> received = new LinkedBlockingQueue<>();
        tap = TapNetif.open(TapConfig.builder().interfaceName(TapNetifTest.freshName()).mac(JAVA_MAC).build(), loop);
        tap.listen(frame -> {
            byte[] copy = new byte[frame.remaining()];
            frame.get(frame.position(), copy);
            received.add(new Received(copy, tap.rxChecksumValid()));
        });
        String name = tap.interfaceName();
        String family = ipv6 ? "-6" : "-4";
        String nodad = ipv6 ? "nodad" : "";
        Commands.check("ip", "link", "set", "dev", name, "netns", routerNs);
        inNs(routerNs, "ip", family, "addr", "add", Addresses.text(a.routerTap()) + a.tapPrefix(), "dev", name, nodad);
        inNs(routerNs, "ip", "link", "set", "dev", name, "up");
        inNs(routerNs, "ip", "neigh", "replace", Addresses.text(a.stack()), "lladdr", JAVA_MAC.toString(), "dev", name,
                "nud", "permanent");
        inNs(routerNs, "ip", "link", "add", "r0", "type", "veth", "peer", "name", "s0", "netns", serverNs);
        inNs(routerNs, "ip", family, "addr", "add", Addresses.text(a.routerVeth()) + a.vethPrefix(), "dev", "r0",
                nodad);
        inNs(routerNs, "ip", "link", "set", "dev", "r0", "up");
        inNs(routerNs, "sysctl", "-qw", ipv6 ? "net.ipv6.conf.all.forwarding=1" : "net.ipv4.ip_forward=1");
        // No checksum offload towards the server: the router's kernel completes each
        // checksum in software, and cuts large segments itself, before the server checks them.
        inNs(routerNs, "ethtool", "-K", "r0", "tx", "off");
        inNs(serverNs, "ip", "link", "set", "dev", "lo", "up");
        inNs(serverNs, "ip", family, "addr", "add", Addresses.text(a.server()) + a.vethPrefix(), "dev", "s0", nodad);
        inNs(serverNs, "ip", "link", "set", "dev", "s0", "up");
        inNs(serverNs, "ip", family, "route", "add", "default", "via", Addresses.text(a.routerVeth()));
        Matcher m = Pattern.compile("link/ether ([0-9a-f:]{17})")
                .matcher(inNs(routerNs, "ip", "-o", "link", "show", "dev", name));
        assertTrue(m.find());
        MacAddress routerMac = MacAddress.parse(m.group(1));

        server = new ProcessBuilder("ip", "netns", "exec", serverNs, "socat",
                (ipv6 ? "TCP6-LISTEN:" : "TCP4-LISTEN:") + SERVER_PORT + ",reuseaddr", "EXEC:cat")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!inNs(serverNs, "ss", "-ltnH").contains(":" + SERVER_PORT) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }

        Connection c = new Connection(a, routerMac);
        // The handshake: SYN (MSS the MTU allows, a 65535-byte window, no scaling).
        int mss = 1500 - (ipv6 ? 40 : 20) - 20;
        long isn = 0x1000_0000L;
        c.send(isn, 0, TCP_SYN, new byte[] {2, 4, (byte) (mss >>> 8), (byte) mss}, new byte[0]);
        Segment synAck = c.next(received, s -> (s.flags() & (TCP_SYN | TCP_ACK)) == (TCP_SYN | TCP_ACK));
        assertNotNull(synAck, "no SYN-ACK: the kernel did not accept our checksum-offloaded SYN");
        long serverNext = (synAck.seq() + 1) & 0xffff_ffffL;
        c.send(isn + 1, serverNext, TCP_ACK, new byte[0], new byte[0]);

        // One segment of 30000 bytes, 21 MSS: the kernel cuts it.
        byte[] data = new byte[30_000];
        ThreadLocalRandom.current().nextBytes(data);
        long txPacketsBefore = Long.parseLong(inNs(routerNs, "cat", "/sys/class/net/r0/statistics/tx_packets").trim());
        Result<?> written = c.send(isn + 1, serverNext, TCP_ACK | TCP_PSH, new byte[0], data);
        assertTrue(written.isOk(), written.toString());
        assertEquals(1, tap.offloadCounters().get("tx.gso"));

        // The echo comes back; acknowledge it as it comes, in order.
        ByteArrayOutputStream echoed = new ByteArrayOutputStream();
        int largest = 0;
        boolean coalescedVouched = true;
        deadline = System.nanoTime() + WAIT.toNanos();
        while (echoed.size() < data.length && System.nanoTime() < deadline) {
            Received r = received.poll(100, TimeUnit.MILLISECONDS);
            Segment s = r == null ? null : c.parse(r.frame());
            if (s == null || s.payload().length == 0) {
                continue;
            }
            if (r.frame().length > 1514) {
                largest = Math.max(largest, r.frame().length);
                coalescedVouched &= r.checksumValid();
            }
            if (s.seq() == serverNext) {
                echoed.write(s.payload());
                serverNext = (serverNext + s.payload().length) & 0xffff_ffffL;
            }
            c.send(isn + 1 + data.length, serverNext, TCP_ACK, new byte[0], new byte[0]);
        }
        String snmp = inNs(serverNs, "cat", "/proc/net/snmp");
        long txPackets = Long.parseLong(inNs(routerNs, "cat", "/sys/class/net/r0/statistics/tx_packets").trim())
                - txPacketsBefore;
        System.out.println("[netif-tap] IPv" + (ipv6 ? 6 : 4) + ": 30000 bytes in one frame left the router in "
                + txPackets + " packets; the echo came back in frames of up to " + largest + " bytes; tap counters "
                + tap.offloadCounters().snapshot());
        assertArrayEquals(data, echoed.toByteArray(), "the echo of what the kernel cut and checked");
        assertEquals(0, tcpCounter(snmp, "InCsumErrors"), "the server's kernel found bad checksums");
        assertTrue(txPackets >= 21, "the router sent " + txPackets + " packets for 21 segments of data");
        assertTrue(largest > 1514, "no coalesced frame: the largest was " + largest + " bytes");
        assertTrue(coalescedVouched, "a coalesced frame without vouched checksums");
        assertTrue(tap.offloadCounters().get("rx.coalesced") >= 1);
        c.send(isn + 1 + data.length, serverNext, TCP_RST | TCP_ACK, new byte[0], new byte[0]);
    }

    private static long tcpCounter(String snmp, String name) {
        String[] lines = snmp.lines().filter(l -> l.startsWith("Tcp:")).toArray(String[]::new);
        String[] names = lines[0].split("\\s+");
        String[] values = lines[1].split("\\s+");
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(name)) {
                return Long.parseLong(values[i]);
            }
        }
        throw new AssertionError(name + " not in " + lines[0]);
    }

    private static String inNs(String ns, String... command) {
        java.util.List<String> full = new java.util.ArrayList<>(java.util.List.of("ip", "netns", "exec", ns));
        for (String part : command) {
            if (!part.isEmpty()) {
                full.add(part);
            }
        }
        return Commands.check(full.toArray(String[]::new));
    }

    /**
     * The Java end of one TCP connection, by hand: segments written with the pseudo-header
     * sum in the checksum field, as a stack using the device's checksum offload writes them.
     */
    private final class Connection {
        private final Addresses a;
        private final MacAddress routerMac;
        private int ipId = 1;

        Connection(Addresses a, MacAddress routerMac) {
            this.a = a;
            this.routerMac = routerMac;
        }

        Result<?> send(long seq, long ack, int flags, byte[] options, byte[] payload) throws Exception {
            int ipHeader = a.ipv6() ? 40 : 20;
            int tcpLength = 20 + options.length + payload.length;
            ByteBuffer f = ByteBuffer.allocate(14 + ipHeader + tcpLength);
            routerMac.write(f, 0);
            JAVA_MAC.write(f, 6);
            f.putShort(12, (short) (a.ipv6() ? 0x86DD : 0x0800));
            int ip = 14;
            long pseudo = 0;
            if (a.ipv6()) {
                f.putInt(ip, 0x60000000);
                f.putShort(ip + 4, (short) tcpLength);
                f.put(ip + 6, (byte) 6);
                f.put(ip + 7, (byte) 64);
                f.put(ip + 8, a.stack());
                f.put(ip + 24, a.server());
                pseudo = InternetChecksum.sum(f, ip + 8, 32, 0);
                pseudo = InternetChecksum.add32(pseudo, tcpLength);
                pseudo = InternetChecksum.add16(pseudo, 6);
            } else {
                f.put(ip, (byte) 0x45);
                f.putShort(ip + 2, (short) (ipHeader + tcpLength));
                f.putShort(ip + 4, (short) ipId++);
                f.putShort(ip + 6, (short) 0x4000);
                f.put(ip + 8, (byte) 64);
                f.put(ip + 9, (byte) 6);
                f.put(ip + 12, a.stack());
                f.put(ip + 16, a.server());
                f.putShort(ip + 10, (short) InternetChecksum.compute(f, ip, 20));
                pseudo = InternetChecksum.sum(f, ip + 12, 8, 0);
                pseudo = InternetChecksum.add16(pseudo, 6);
                pseudo = InternetChecksum.add16(pseudo, tcpLength);
            }
            int t = ip + ipHeader;
            f.putShort(t, (short) CLIENT_PORT);
            f.putShort(t + 2, (short) SERVER_PORT);
            f.putInt(t + 4, (int) seq);
            f.putInt(t + 8, (int) ack);
            f.put(t + 12, (byte) (((20 + options.length) / 4) << 4));
            f.put(t + 13, (byte) flags);
            f.putShort(t + 14, (short) 65535);
            // NetifOffloads: the pseudo-header sum, folded and not complemented.
            f.putShort(t + 16, (short) InternetChecksum.fold16(pseudo));
            f.put(t + 20, options);
            f.put(t + 20 + options.length, payload);
            return FrameCollector.write(tap, f.array());
        }

        /** The TCP segment of this connection in {@code frame}, or null. */
        Segment parse(byte[] frame) {
            ByteBuffer b = ByteBuffer.wrap(frame);
            if (frame.length < 14 + 40) {
                return null;
            }
            int ethertype = b.getShort(12) & 0xffff;
            int ip = 14;
            int t;
            int end;
            if (a.ipv6() && ethertype == 0x86DD && b.get(ip + 6) == 6) {
                t = ip + 40;
                end = t + (b.getShort(ip + 4) & 0xffff);
            } else if (!a.ipv6() && ethertype == 0x0800 && b.get(ip + 9) == 6) {
                t = ip + (b.get(ip) & 0x0f) * 4;
                end = ip + (b.getShort(ip + 2) & 0xffff);
            } else {
                return null;
            }
            if ((b.getShort(t) & 0xffff) != SERVER_PORT || (b.getShort(t + 2) & 0xffff) != CLIENT_PORT) {
                return null;
            }
            int data = t + ((b.get(t + 12) & 0xf0) >>> 4) * 4;
            byte[] payload = java.util.Arrays.copyOfRange(frame, data, end);
            return new Segment(b.getInt(t + 4) & 0xffff_ffffL, b.getInt(t + 8) & 0xffff_ffffL, b.get(t + 13) & 0xff,
                    payload);
        }

        Segment next(LinkedBlockingQueue<Received> received, java.util.function.Predicate<Segment> wanted)
                throws InterruptedException {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (System.nanoTime() < deadline) {
                Received r = received.poll(100, TimeUnit.MILLISECONDS);
                Segment s = r == null ? null : parse(r.frame());
                if (s != null && wanted.test(s)) {
                    return s;
                }
            }
            return null;
        }
    }
}
