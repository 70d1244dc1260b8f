package org.tcpip4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code tcpip4j serve --queues 2 --read-on-loop off}: a multi-queue TAP moved into a
 * network namespace, a stack, a loop and a reader thread per queue. Linux's connections to discard are spread over both queues
 * by the kernel and every byte is counted; the counters say which queue took which.
 */
@NeedsHost(tools = {"curl", "socat"})
@Timeout(120)
class ServeQueuesOnTapTest {

    private static final String STACK = "198.18.92.2";
    private static final String KERNEL = "198.18.92.1";
    private static final Duration LIMIT = Duration.ofSeconds(20);
    private static final int CONNECTIONS = 16;
    private static final int BYTES = 200_000;

    @Test
    void connectionsFromLinuxAreServedOnBothQueues() throws Exception {
        try (ServeInNamespace serving = ServeInNamespace.start(KERNEL + "/24", "--ip", STACK + "/24",
                "--queues", "2", "--read-on-loop", "off", "--discard", "9", "--http", "8080")) {
            Namespace namespace = serving.namespace;
            CapturedOutput output = serving.output;
            try {
                assertTrue(output.text().contains("2 queues"), output.text());
                for (int i = 0; i < CONNECTIONS; i++) {
                    HostCommand.Outcome o = HostCommand.run(LIMIT, new byte[BYTES],
                        namespace.exec("socat", "-t", "10", "-", "TCP:" + STACK + ":9"));
                    assertEquals(0, o.exitCode(), o.toString());
                }
                Map<String, Long> counters = serving.stats(STACK, 8080);
                assertEquals((long) CONNECTIONS * BYTES, counters.get("services.discard.bytes"), counters.toString());
                long q0 = counters.get("queues.q0.accepted");
                long q1 = counters.get("queues.q1.accepted");
                // The curl connection above is accepted too, by one queue or the other.
                assertEquals(CONNECTIONS + 1, q0 + q1, counters.toString());
                assertTrue(q0 > 0 && q1 > 0, "both queues accepted connections: " + q0 + " and " + q1);
            } finally {
                assertEquals(0, serving.stop("the test is over"), output.text());
            }
        }
    }
}
