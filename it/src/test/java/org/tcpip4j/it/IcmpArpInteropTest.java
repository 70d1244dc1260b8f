package org.tcpip4j.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.tcpip4j.ip.IcmpError;
import org.tcpip4j.netif.Ipv4Cidr;
import org.tcpip4j.netif.MacAddress;
import org.tcpip4j.stack.direct.DirectStack;
import org.tcpip4j.stack.direct.DirectStackBuilder;

/**
 * ICMP and ARP between our direct stack on the TAP and the Linux kernel in the container:
 * Linux pings us (small, fragmented, and a burst of 1,000 quick pings), we ping Linux
 * (small and fragmented), each side ends up with the other's MAC in its neighbour cache,
 * and each side's ICMP errors are understood by the other: Linux reports a protocol we do
 * not serve as unreachable after our stack says so, and Linux's port unreachable reaches
 * our UDP error callback.
 */
class IcmpArpInteropTest {

    @RegisterExtension
    static final InteropNetwork net = new InteropNetwork();

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static DirectStack stack;

    @BeforeAll
    static void startStack() {
        stack = DirectStackBuilder.on(net.netif())
                .address(new Ipv4Cidr(net.localAddress(), 24))
                .name("interop-icmp")
                .build();
    }

    @AfterAll
    static void stopStack() throws Exception {
        if (stack != null) {
            // Deleting a TAP enslaved to a bridge waits for the kernel's network lock, slow when other
            // suites create and remove bridges at the same time.
            stack.disconnect().get(30, TimeUnit.SECONDS);
        }
    }

    private static long count(String layer, String counter) {
        return stack.counters().get(layer).getOrDefault(counter, 0L);
    }

    /** Runs ping in the container and returns its output, failing with it when ping does. */
    private static String linuxPing(String... options) {
        String[] command = new String[options.length + 2];
        command[0] = "ping";
        System.arraycopy(options, 0, command, 1, options.length);
        command[command.length - 1] = net.localAddress().toString();
        LinuxPeer.ExecResult r = net.peer().exec(command);
        assertEquals(0, r.exitCode(), "ping failed: " + r.stdout() + r.stderr());
        return r.stdout();
    }

    /**
     * Runs {@code trigger} in the container while tcpdump waits there for the first ICMP
     * message from our stack, and returns what tcpdump printed of it.
     */
    private static String firstIcmpFromUsWhile(String trigger) {
        String ours = net.localAddress().toString();
        // The files go first: the wait below must not find the previous capture's "listening on".
        String script = "rm -f /tmp/td.out /tmp/td.err;"
                + " tcpdump -n -l -c 1 -i eth0 'icmp and src host " + ours + "' >/tmp/td.out 2>/tmp/td.err &"
                + " pid=$!; i=0;"
                + " until grep -qs 'listening on' /tmp/td.err; do sleep 0.05; i=$((i+1)); [ $i -gt 200 ] && exit 3; done;"
                + " " + trigger + ";"
                + " wait $pid; cat /tmp/td.out";
        LinuxPeer.ExecResult r = net.peer().exec("timeout", "20", "sh", "-c", script);
        // On failure, what our stack counted tells a datagram that never came from an error held back.
        assertEquals(0, r.exitCode(), "no ICMP message of ours within 20 s (tcpdump exit " + r.exitCode() + " "
                + r.stderr() + "); our counters: icmp " + stack.counters().get("icmp") + ", udp "
                + stack.counters().get("udp") + ", stack " + stack.counters().get("stack"));
        return r.stdout();
    }

    @Test
    void linuxPingsOurStack() {
        String out = linuxPing("-c", "3", "-W", "2");
        assertTrue(out.contains("3 packets transmitted, 3 received, 0% packet loss"), out);
    }

    @Test
    void linuxPingsOurStackWithFourThousandBytesInFragmentsBothWays() {
        long reassembled = count("ipv4", "rx.reassembled");
        long fragments = count("ipv4", "tx.fragments");
        String out = linuxPing("-c", "3", "-W", "2", "-s", "4000");
        assertTrue(out.contains("3 packets transmitted, 3 received, 0% packet loss"), out);
        assertTrue(out.contains("4008 bytes from " + net.localAddress()), out);
        assertEquals(3, count("ipv4", "rx.reassembled") - reassembled, "we reassembled Linux's requests");
        assertEquals(9, count("ipv4", "tx.fragments") - fragments, "each 4028-byte reply left in 3 fragments");
    }

    @Test
    void aBurstOfAThousandQuickPingsLosesNone() {
        String out = linuxPing("-q", "-c", "1000", "-i", "0.002", "-w", "60");
        assertTrue(out.contains("1000 packets transmitted, 1000 received, 0% packet loss"), out);
    }

    @Test
    void ourStackPingsLinux() throws Exception {
        for (int i = 0; i < 3; i++) {
            Duration rtt = stack.icmp().ping(net.peerAddress(), 56, Duration.ofSeconds(2))
                    .get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertFalse(rtt.isNegative());
            assertTrue(rtt.compareTo(Duration.ofSeconds(2)) < 0, rtt.toString());
        }
    }

    @Test
    void ourStackPingsLinuxWithFourThousandBytesInFragmentsBothWays() throws Exception {
        long reassembled = count("ipv4", "rx.reassembled");
        stack.icmp().ping(net.peerAddress(), 4000, Duration.ofSeconds(2)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertEquals(1, count("ipv4", "rx.reassembled") - reassembled, "Linux's reply came in fragments");
    }

    @Test
    void eachSideHasTheOthersMacInItsNeighbourCache() throws Exception {
        // The peer's table was flushed before this test: our query teaches it our address.
        MacAddress peerMac = net.peerMac();
        MacAddress resolved = stack.arp().query(net.peerAddress()).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertEquals(peerMac, resolved);
        stack.icmp().ping(net.peerAddress(), 8, Duration.ofSeconds(2)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        String neighbours = net.peer().check("ip", "neigh", "show", net.localAddress().toString());
        assertTrue(neighbours.contains("lladdr " + net.localMac()), "the peer's cache: " + neighbours);
        long requests = count("arp", "tx.requests");
        assertEquals(peerMac, stack.arp().query(net.peerAddress()).get(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertEquals(requests, count("arp", "tx.requests"), "ours answers from its cache");
    }

    @Test
    void linuxReportsAProtocolWeDoNotServeAsUnreachable() {
        long sent = count("icmp", "tx.destination_unreachable");
        String out = firstIcmpFromUsWhile("echo probe | socat -u - IP4-SENDTO:" + net.localAddress() + ":253");
        assertTrue(out.contains(net.localAddress() + " protocol 253 unreachable"), "tcpdump saw: " + out);
        assertEquals(1, count("icmp", "tx.destination_unreachable") - sent);
        assertTrue(count("stack", "rx.unknown_ip_protocol") >= 1);
    }

    @Test
    void linuxReportsADatagramToOurClosedPortAsPortUnreachable() {
        String out = firstIcmpFromUsWhile("echo probe | socat -u - UDP4-SENDTO:" + net.localAddress() + ":9");
        assertTrue(out.contains(net.localAddress() + " udp port 9 unreachable"), "tcpdump saw: " + out);
    }

    @Test
    void linuxsPortUnreachableReachesOurUdpErrorCallback() throws Exception {
        CompletableFuture<IcmpError> reported = new CompletableFuture<>();
        stack.udp().onError(40_009, reported::complete);
        stack.udp().write(null, 40_009, net.peerAddress(), 9, -1,
                ByteBuffer.wrap("anyone?".getBytes(StandardCharsets.US_ASCII))).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        IcmpError e = reported.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertEquals(IcmpError.Kind.PORT_UNREACHABLE, e.kind());
        assertEquals(net.peerAddress(), e.reporter());
        assertEquals(net.peerAddress(), e.destination());
        assertEquals(9, e.destinationPort());
        assertEquals(40_009, e.sourcePort());
    }
}
