package org.tcpip4j.netif.tap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tcpip4j.netif.Ipv4Address;
import org.tcpip4j.netif.MacAddress;
import org.tcpip4j.netif.NetifStats;
import org.tcpip4j.netif.Result;
import org.tcpip4j.netif.loop.RealTimeEventLoop;

/**
 * Frames both ways between a {@link TapNetif} and the Linux kernel, with the kernel's side of
 * the TAP in a network namespace the test creates. The TAP is created from Java in the
 * JVM's namespace and then moved: its descriptor stays bound to the device wherever it goes.
 *
 * <p>The namespace holds 198.18.77.1/24 on the TAP; the Java side plays 198.18.77.2.
 */
@ExtendWith(RequiresRoot.class)
class TapNamespaceTest {

    private static final Ipv4Address KERNEL_IP = Ipv4Address.parse("198.18.77.1");
    private static final Ipv4Address JAVA_IP = Ipv4Address.parse("198.18.77.2");
    private static final MacAddress JAVA_MAC = MacAddress.parse("02:00:c6:12:4d:02");
    private static final Duration WAIT = Duration.ofSeconds(5);

    private static RealTimeEventLoop loop;
    private static String namespace;

    private TapNetif tap;
    private MacAddress kernelMac;
    private final FrameCollector received = new FrameCollector();

    @BeforeAll
    static void createNamespace() {
        loop = new RealTimeEventLoop("tap-netns-test");
        namespace = "t4j-ns-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        Commands.check("ip", "netns", "add", namespace);
    }

    @AfterAll
    static void deleteNamespace() {
        if (namespace != null) {
            Commands.run("ip", "netns", "del", namespace);
        }
        loop.close();
    }

    @BeforeEach
    void openTapAndMoveItIntoTheNamespace(org.junit.jupiter.api.TestInfo test) throws Exception {
        // A tiny hand-off queue for the test of a stalled loop; the others are unaffected by it.
        int queue = test.getTestMethod().orElseThrow().getName().startsWith("aStalledLoop") ? 2 : 256;
        tap = TapNetif.open(TapConfig.builder().interfaceName(TapNetifTest.freshName()).mac(JAVA_MAC)
                .receiveQueueCapacity(queue).build(), loop);
        tap.listen(received);
        String name = tap.interfaceName();
        Commands.check("ip", "link", "set", "dev", name, "netns", namespace);
        Commands.check("ip", "-n", namespace, "addr", "add", KERNEL_IP + "/24", "dev", name);
        Commands.check("ip", "-n", namespace, "link", "set", "dev", name, "up");
        String link = Commands.check("ip", "-n", namespace, "-o", "link", "show", "dev", name);
        Matcher m = Pattern.compile("link/ether ([0-9a-f:]{17})").matcher(link);
        assertTrue(m.find(), link);
        kernelMac = MacAddress.parse(m.group(1));
    }

    @AfterEach
    void closeTap() throws Exception {
        // Closing the only descriptor deletes the device, in whichever namespace it is.
        tap.disconnect().get(5, TimeUnit.SECONDS);
    }

    @Test
    void theKernelsArpRequestIsReadFromTheTap() throws Exception {
        // A datagram to a neighbour the kernel does not know makes it ask by ARP first.
        Commands.check("ip", "netns", "exec", namespace, "bash", "-c",
                "echo hello > /dev/udp/" + JAVA_IP + "/9");
        byte[] frame = received.await(f -> {
            TestFrames.Arp arp = TestFrames.parseArp(f);
            return arp != null && arp.operation() == TestFrames.ARP_REQUEST && arp.targetIp().equals(JAVA_IP);
        }, WAIT);
        assertNotNull(frame, "the kernel's ARP request for " + JAVA_IP + " arrives on the Java side");
        TestFrames.Arp arp = TestFrames.parseArp(frame);
        assertEquals(MacAddress.BROADCAST, TestFrames.destination(frame));
        assertEquals(kernelMac, arp.senderMac());
        assertEquals(KERNEL_IP, arp.senderIp());
        NetifStats stats = tap.stats();
        assertTrue(stats.rxPackets() >= 1 && stats.rxBytes() >= 42, stats.toString());
    }

    @Test
    void anArpRequestWrittenByJavaIsAnsweredByTheKernelWhichLearnsOurMac() throws Exception {
        byte[] request = TestFrames.arp(MacAddress.BROADCAST,
                new TestFrames.Arp(TestFrames.ARP_REQUEST, JAVA_MAC, JAVA_IP, MacAddress.ZERO, KERNEL_IP));
        assertSame(Result.ok(), FrameCollector.write(tap, request));

        byte[] frame = received.await(f -> {
            TestFrames.Arp arp = TestFrames.parseArp(f);
            return arp != null && arp.operation() == TestFrames.ARP_REPLY;
        }, WAIT);
        assertNotNull(frame, "the kernel answers the ARP request written on the TAP");
        TestFrames.Arp reply = TestFrames.parseArp(frame);
        assertEquals(JAVA_MAC, TestFrames.destination(frame));
        assertEquals(new TestFrames.Arp(TestFrames.ARP_REPLY, kernelMac, KERNEL_IP, JAVA_MAC, JAVA_IP), reply);

        // RFC 826: the target of a request records the sender's mapping.
        String neighbours = Commands.check("ip", "-n", namespace, "neigh", "show", JAVA_IP.toString());
        assertTrue(neighbours.contains(JAVA_MAC.toString()), neighbours);
        assertEquals(1, tap.stats().txPackets());
        assertEquals(42, tap.stats().txBytes());
    }

    @Test
    void aUdpDatagramWrittenByJavaToAClosedPortComesBackAsPortUnreachable() throws Exception {
        // The kernel learns our MAC from our ARP request, so its ICMP error needs no ARP round.
        FrameCollector.write(tap, TestFrames.arp(MacAddress.BROADCAST,
                new TestFrames.Arp(TestFrames.ARP_REQUEST, JAVA_MAC, JAVA_IP, MacAddress.ZERO, KERNEL_IP)));
        byte[] datagram = TestFrames.udp(JAVA_MAC, kernelMac, JAVA_IP, KERNEL_IP, 40000, 9,
                "tcpip4j".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        assertSame(Result.ok(), FrameCollector.write(tap, datagram));

        byte[] frame = received.await(f -> TestFrames.parseIcmp(f) != null, WAIT);
        assertNotNull(frame, "the kernel's ICMP error for the datagram arrives on the Java side");
        assertEquals(new TestFrames.Icmp(KERNEL_IP, JAVA_IP, 3, 3), TestFrames.parseIcmp(frame),
                "destination unreachable, port unreachable (RFC 792)");
        assertEquals(JAVA_MAC, TestFrames.destination(frame));
    }

    @Test
    void aStalledLoopMakesTheReaderDropAndCountFramesInsteadOfQueueingThem() throws Exception {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        loop.execute(() -> {
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            // Eight unknown neighbours: eight ARP requests at once, for a queue of two.
            StringBuilder script = new StringBuilder();
            for (int host = 10; host < 18; host++) {
                script.append("echo x > /dev/udp/198.18.77.").append(host).append("/9; ");
            }
            Commands.check("ip", "netns", "exec", namespace, "bash", "-c", script.toString());
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (tap.stats().rxDrops() < 1 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertTrue(tap.stats().rxDrops() >= 1, "frames beyond the queue are dropped and counted: " + tap.stats());
        } finally {
            release.countDown();
        }
        // The device keeps working once the loop runs again.
        FrameCollector.write(tap, TestFrames.arp(MacAddress.BROADCAST,
                new TestFrames.Arp(TestFrames.ARP_REQUEST, JAVA_MAC, JAVA_IP, MacAddress.ZERO, KERNEL_IP)));
        assertNotNull(received.await(f -> {
            TestFrames.Arp arp = TestFrames.parseArp(f);
            return arp != null && arp.operation() == TestFrames.ARP_REPLY;
        }, WAIT));
    }
}
