package org.tcpip4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.tcpip4j.cli.flow.RepeatingPattern;

/**
 * {@code tcpip4j serve} on a TAP device, reached by Linux's own ping, curl and socat from a
 * network namespace: the command runs in this JVM, its TAP is moved into the namespace,
 * where the kernel holds 198.18.91.1/24 and our stack answers as 198.18.91.2. The last test
 * stops it and reads its capture with tshark.
 */
@NeedsHost(tools = {"ping", "curl", "socat"})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(120)
class ServeOnTapTest {

    private static final String STACK = "198.18.91.2";
    private static final String KERNEL = "198.18.91.1";
    private static final String MAC = "02:00:c6:12:5b:02";
    private static final int CHARGEN_BYTES = 300_000;
    private static final Duration LIMIT = Duration.ofSeconds(20);

    @TempDir
    static Path dir;

    private static ServeInNamespace serving;
    private static Namespace namespace;
    private static CapturedOutput output;
    private static String tapName;
    private static Path pcap;

    @BeforeAll
    static void serveOnATapMovedIntoANamespace() throws Exception {
        pcap = dir.resolve("serve.pcap");
        serving = ServeInNamespace.start(KERNEL + "/24", "--ip", STACK + "/24", "--gateway", KERNEL, "--mac", MAC,
                "--mtu", "1400", "--echo", "7", "--discard", "9", "--chargen", "19", "--chargen-bytes",
                Integer.toString(CHARGEN_BYTES), "--udp-echo", "7", "--http", "8080", "--pcap", pcap.toString());
        namespace = serving.namespace;
        output = serving.output;
        tapName = serving.tapName;
    }

    @AfterAll
    static void stopServeAndDeleteTheNamespace() throws Exception {
        if (serving != null) {
            serving.close();
        }
    }

    private static HostCommand.Outcome inNamespace(byte[] stdin, String... command) {
        return HostCommand.run(LIMIT, stdin, namespace.exec(command));
    }

    private static String curl(String path) {
        HostCommand.Outcome o = inNamespace(new byte[0], "curl", "-sS", "--max-time", "10",
                "http://" + STACK + ":8080" + path);
        assertEquals(0, o.exitCode(), o.toString());
        return o.out();
    }

    @Test
    @Order(1)
    void theBannerNamesTheDeviceAndEveryService() {
        String text = output.text();
        assertTrue(text.contains("tcpip4j serve: the stack on TAP " + tapName + ": " + STACK + "/24, MAC " + MAC
                + ", MTU 1400  (captured to " + pcap + ")"), text);
        assertTrue(text.contains("  gateway " + KERNEL), text);
        assertTrue(HostCommand.check("ip", "-n", namespace.name, "link", "show", "dev", tapName).contains(" mtu 1400 "),
                "--mtu is set on the device");
        assertTrue(text.contains("tcp echo     " + STACK + ":7"), text);
        assertTrue(text.contains("http         http://" + STACK + ":8080/"), text);
        assertTrue(text.contains("serving until interrupted"), text);
    }

    @Test
    @Order(2)
    void linuxPingIsAnsweredByTheStack() {
        HostCommand.Outcome o = inNamespace(new byte[0], "ping", "-c", "3", "-i", "0.2", "-W", "2", STACK);
        assertEquals(0, o.exitCode(), o.toString());
        assertTrue(o.out().contains("64 bytes from " + STACK + ": icmp_seq=1 ttl=64"), o.out());
        assertTrue(o.out().contains("3 packets transmitted, 3 received, 0% packet loss"), o.out());
        assertTrue(HostCommand.check("ip", "-n", namespace.name, "neigh", "show", STACK).contains("lladdr " + MAC),
                "Linux learned our --mac by ARP");
    }

    @Test
    @Order(3)
    void curlGetsThePageOfLiveCounters() {
        String page = curl("/");
        assertTrue(page.contains("<title>tcpip4j serve on " + tapName + "</title>"), page);
        // This very connection was accepted before the page was made.
        Matcher opens = Pattern.compile("<td>tcp\\.conn\\.passive_opens</td><td class=\"v\">(\\d+)</td>").matcher(page);
        assertTrue(opens.find(), page);
        assertTrue(Long.parseLong(opens.group(1)) >= 1, page);
        assertTrue(page.contains("<td>services.http.requests</td>"), page);
    }

    @Test
    @Order(4)
    void curlFindsItsOwnConnectionAmongTheOpenOnes() {
        List<String> lines = curl("/connections").lines().toList();
        assertTrue(lines.stream().anyMatch(l -> l.startsWith(STACK + ":8080 -> " + KERNEL + ":") && l.contains("  http  ")),
                "this very request's connection: " + lines);
        assertTrue(curl("/").contains("<td>http</td><td>" + STACK + ":8080</td><td>" + KERNEL + ":"), "the page's table");
    }

    @Test
    @Order(4)
    void curlGetsTheCountersAsTextInTheSummarysNaming() {
        String stats = curl("/stats");
        List<String> lines = stats.lines().toList();
        assertTrue(lines.size() > 20, stats);
        for (String line : lines) {
            assertTrue(line.matches("[a-z0-9_]+\\.[a-z0-9_.]+=\\d+"), "layer.counter=value: " + line);
        }
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("tcp.rx.segments=")), stats);
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("services.http.requests=")), stats);
    }

    @Test
    @Order(5)
    void curlGetsNBytesOfTheChargenPattern() {
        HostCommand.Outcome o = inNamespace(new byte[0], "curl", "-sS", "--max-time", "10",
                "http://" + STACK + ":8080/bytes/100000");
        assertEquals(0, o.exitCode(), o.toString());
        assertArrayEquals(RepeatingPattern.chargen().prefix(100_000), o.stdout());
    }

    @Test
    @Order(6)
    void socatGetsItsLineEchoed() {
        byte[] line = "hello through tcpip4j\n".getBytes(StandardCharsets.US_ASCII);
        HostCommand.Outcome o = inNamespace(line, "socat", "-t", "5", "-", "TCP:" + STACK + ":7");
        assertEquals(0, o.exitCode(), o.toString());
        assertEquals("hello through tcpip4j\n", o.out());
    }

    @Test
    @Order(7)
    void socatReceivesTheWholeChargenStreamThenTheClose() {
        HostCommand.Outcome o = inNamespace(new byte[0], "socat", "-u", "TCP:" + STACK + ":19", "-");
        assertEquals(0, o.exitCode(), o.toString());
        assertArrayEquals(RepeatingPattern.chargen().prefix(CHARGEN_BYTES), o.stdout());
    }

    @Test
    @Order(8)
    void socatsBytesAreReadAndDroppedByDiscard() {
        // socat waits for our close, and discard closes only after reading to the end.
        HostCommand.Outcome o = inNamespace(new byte[1_000_000], "socat", "-t", "10", "-", "TCP:" + STACK + ":9");
        assertEquals(0, o.exitCode(), o.toString());
        assertEquals(0, o.stdout().length, "discard sends nothing back");
        assertTrue(curl("/stats").lines().anyMatch(l -> l.equals("services.discard.bytes=1000000")), curl("/stats"));
    }

    @Test
    @Order(9)
    void socatGetsItsDatagramEchoed() {
        byte[] datagram = "a datagram for udp echo".getBytes(StandardCharsets.US_ASCII);
        HostCommand.Outcome o = inNamespace(datagram, "socat", "-t", "2", "-", "UDP:" + STACK + ":7");
        assertEquals(0, o.exitCode(), o.toString());
        assertEquals("a datagram for udp echo", o.out());
    }

    @Test
    @Order(100)
    void stoppingPrintsTheSummaryDeletesTheDeviceAndLeavesACaptureTsharkReads() throws Exception {
        assertEquals(0, serving.stop("stop requested by the test"), output.text());
        String text = output.text();
        assertTrue(text.contains("stopping: stop requested by the test"), text);
        assertTrue(text.contains("summary after"), text);
        assertTrue(text.contains("services.echo.connections=1"), text);
        assertTrue(text.contains("services.chargen.bytes=" + CHARGEN_BYTES), text);
        assertTrue(text.contains("pcap.frames="), text);
        assertNotEquals(0, HostCommand.run("ip", "-n", namespace.name, "link", "show", "dev", tapName).exitCode(),
                "serve created the device, so closing deleted it");

        HostPrerequisites.requireTool("tshark");
        assertTrue(Files.size(pcap) > 24);
        String frames = Tshark.readCleanly(pcap);
        assertTrue(frames.contains("ICMP") && frames.contains("HTTP"), frames);
        // The handshake of the echo connection: SYN from Linux, SYN-ACK from us, Linux's ACK.
        assertFalse(Tshark.tcpEndpoints(pcap, "tcp.dstport == 7 && tcp.flags.syn == 1 && tcp.flags.ack == 0").isEmpty(),
                frames);
        List<String> synAck = Tshark.tcpEndpoints(pcap, "tcp.srcport == 7 && tcp.flags.syn == 1 && tcp.flags.ack == 1");
        assertFalse(synAck.isEmpty(), frames);
        assertTrue(synAck.getFirst().startsWith(STACK + "\t7\t" + KERNEL + "\t"), synAck.toString());
        assertFalse(Tshark.tcpEndpoints(pcap,
                "tcp.dstport == 7 && tcp.flags.syn == 0 && tcp.flags.ack == 1 && tcp.seq == 1 && tcp.ack == 1").isEmpty(),
                frames);
    }
}
