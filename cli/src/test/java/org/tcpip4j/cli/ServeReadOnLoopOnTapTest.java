package org.tcpip4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.tcpip4j.cli.flow.RepeatingPattern;

/**
 * {@code tcpip4j serve --read-on-loop on --queues 2}: each queue's loop reads its TAP queue
 * itself, with no reader thread. Linux's connections to discard are spread over both queues
 * and every byte is counted (lent to the discard's reception from the frames read), and
 * Linux reads chargen's bytes whole, their pattern intact.
 */
@NeedsHost(tools = {"curl", "socat"})
@Timeout(120)
class ServeReadOnLoopOnTapTest {

    private static final String STACK = "198.18.93.2";
    private static final String KERNEL = "198.18.93.1";
    private static final Duration LIMIT = Duration.ofSeconds(20);
    private static final int CONNECTIONS = 16;
    private static final int BYTES = 1_000_000;
    private static final int CHARGEN_BYTES = 3_000_000;

    @Test
    void linuxIsServedBothWaysByLoopsThatReadTheirQueues() throws Exception {
        try (ServeInNamespace serving = ServeInNamespace.start(KERNEL + "/24", "--ip", STACK + "/24",
                "--queues", "2", "--read-on-loop", "on", "--discard", "9", "--chargen", "19", "--chargen-bytes",
                Integer.toString(CHARGEN_BYTES), "--http", "8080")) {
            Namespace namespace = serving.namespace;
            CapturedOutput output = serving.output;
            try {
                assertFalse(Thread.getAllStackTraces().keySet().stream()
                    .anyMatch(t -> t.getName().startsWith("tap-reader-" + serving.tapName)), "no reader thread");
                for (int i = 0; i < CONNECTIONS; i++) {
                    HostCommand.Outcome o = HostCommand.run(LIMIT, new byte[BYTES],
                        namespace.exec("socat", "-t", "10", "-", "TCP:" + STACK + ":9"));
                    assertEquals(0, o.exitCode(), o.toString());
                }
                HostCommand.Outcome chargen = HostCommand.run(LIMIT, new byte[0],
                    namespace.exec("socat", "-u", "TCP:" + STACK + ":19", "-"));
                assertEquals(0, chargen.exitCode(), chargen.toString());
                byte[] received = chargen.stdout();
                assertEquals(CHARGEN_BYTES, received.length);
                assertArrayEquals(RepeatingPattern.chargen().prefix(CHARGEN_BYTES), received, "chargen's pattern");
                Map<String, Long> counters = serving.stats(STACK, 8080);
                assertEquals((long) CONNECTIONS * BYTES, counters.get("services.discard.bytes"), counters.toString());
                assertTrue(counters.get("tcp.rx.bytes_lent") > CONNECTIONS * BYTES / 2,
                    "the discard's bytes lent from the frames: " + counters.get("tcp.rx.bytes_lent"));
                long q0 = counters.get("queues.q0.accepted");
                long q1 = counters.get("queues.q1.accepted");
                assertTrue(q0 > 0 && q1 > 0, "both queues accepted connections: " + q0 + " and " + q1);
            } finally {
                assertEquals(0, serving.stop("the test is over"), output.text());
            }
        }
    }
}
