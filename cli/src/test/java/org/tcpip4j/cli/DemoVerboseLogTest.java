package org.tcpip4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code tcpip4j demo -vv} as its own JVM (the log level is set before any logger exists,
 * once per process): the DEBUG lines show ARP resolving and each TCP connection's states,
 * each line naming its stack, and nothing per segment; without {@code -vv} none of them.
 */
@Timeout(120)
class DemoVerboseLogTest {

    private static String demo(String... options) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new java.util.ArrayList<>(List.of(java, "-p", System.getProperty("jdk.module.path"),
                "-m", "org.tcpip4j.cli/org.tcpip4j.cli.Main", "demo", "--bytes", "65536"));
        command.addAll(List.of(options));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), out);
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    @Test
    void veryVerboseShowsArpResolutionsAndTcpStatesNamedByStack() throws Exception {
        String out = demo("-vv");
        assertTrue(out.contains("DEBUG org.tcpip4j.arp.resolution - a: ARP resolved 198.18.0.2 is at 02:00:00:00:00:02"),
                out);
        assertTrue(out.contains("DEBUG org.tcpip4j.arp.resolution - b: ARP learned 198.18.0.1 is at 02:00:00:00:00:01"),
                out);
        for (String line : List.of(
                "a: 198\\.18\\.0\\.1:\\d+ <-> 198\\.18\\.0\\.2:5001 CLOSED -> SYN_SENT",
                "a: 198\\.18\\.0\\.1:\\d+ <-> 198\\.18\\.0\\.2:5001 SYN_SENT -> ESTABLISHED",
                "b: 198\\.18\\.0\\.2:5001 <-> 198\\.18\\.0\\.1:\\d+ SYN_RECEIVED -> ESTABLISHED",
                "a: 198\\.18\\.0\\.1:\\d+ <-> 198\\.18\\.0\\.2:5001 ESTABLISHED -> FIN_WAIT_1",
                "b: 198\\.18\\.0\\.2:5001 <-> 198\\.18\\.0\\.1:\\d+ LAST_ACK -> CLOSED",
                "a: \\[2001:2::1]:\\d+ <-> \\[2001:2::2]:5001 SYN_SENT -> ESTABLISHED")) {
            assertTrue(Pattern.compile("DEBUG org\\.tcpip4j\\.tcp\\.state - " + line).matcher(out).find(),
                    line + " in\n" + out);
        }
        // 64 KiB over IPv4, then over IPv6, is some ninety segments: the lines are per connection, not per segment.
        long debug = out.lines().filter(l -> l.contains(" DEBUG ")).count();
        assertTrue(debug < 40, debug + " DEBUG lines:\n" + out);
    }

    @Test
    void withoutVerbosityNoneOfThem() throws Exception {
        String out = demo();
        assertFalse(out.contains("org.tcpip4j.tcp.state"), out);
        assertFalse(out.contains("org.tcpip4j.arp.resolution"), out);
    }
}
