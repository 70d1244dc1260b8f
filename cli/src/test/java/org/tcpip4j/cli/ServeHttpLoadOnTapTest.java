package org.tcpip4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code tcpip4j serve --http} on a TAP under Linux's curl and wrk from a network namespace:
 * keep-alive connections reused, and wrk's load at one connection and at several answered
 * without a single error. Figures are the HTTP benchmark's ({@code bench/http.sh}); this
 * only checks that every answer is right, and that one connection is not held up by the
 * 40 ms delayed-ACK stall (a stall caps one connection near 25 requests a second).
 */
@NeedsHost(tools = {"curl", "wrk"})
@Timeout(120)
class ServeHttpLoadOnTapTest {

    private static final String STACK = "198.18.92.2";
    private static final String KERNEL = "198.18.92.1";
    private static final Duration LIMIT = Duration.ofSeconds(30);

    private static ServeInNamespace serving;

    @BeforeAll
    static void serveHttpOnATapMovedIntoANamespace() throws Exception {
        serving = ServeInNamespace.start(KERNEL + "/24", "--ip", STACK + "/24", "--http", "80");
    }

    @AfterAll
    static void stopServeAndDeleteTheNamespace() throws Exception {
        if (serving != null) {
            serving.close();
        }
    }

    private static HostCommand.Outcome inNamespace(String... command) {
        return HostCommand.run(LIMIT, new byte[0], serving.namespace.exec(command));
    }

    @Test
    void curlReusesOneConnectionForSeveralRequests() {
        String url = "http://" + STACK + "/bytes/1024";
        HostCommand.Outcome o = inNamespace("curl", "-sS", "-v", "--max-time", "10", "-o", "/dev/null", "-o", "/dev/null",
                "-o", "/dev/null", url, url, url);
        assertEquals(0, o.exitCode(), o.toString());
        String log = o.stderr();
        assertEquals(3, count(log, "< HTTP/1.1 200"), log);
        assertEquals(1, count(log, "Connected to " + STACK), "one connection for the three: " + log);
        assertEquals(2, count(log, "Re-using existing connection"), log);
    }

    @Test
    void wrkOnOneConnectionGetsEveryAnswerWithoutTheDelayedAckStall() {
        Wrk w = wrk(1, 3);
        assertEquals(0, w.errors, w.output);
        // 3 s at one request per 44 ms (the stall) is under 70; a round trip over a TAP is
        // well under a millisecond.
        assertTrue(w.requests > 300, "requests on one connection in 3 s: " + w.requests + "\n" + w.output);
    }

    @Test
    void wrkOnSixteenConnectionsGetsEveryAnswer() {
        Wrk w = wrk(16, 3);
        assertEquals(0, w.errors, w.output);
        assertTrue(w.requests > 16, w.output);
    }

    private record Wrk(long requests, long errors, String output) {
    }

    private static Wrk wrk(int connections, int seconds) {
        HostCommand.Outcome o = inNamespace("wrk", "-t1", "-c" + connections, "-d" + seconds + "s",
                "http://" + STACK + "/bytes/1024");
        assertEquals(0, o.exitCode(), o.toString());
        String out = o.out();
        Matcher m = Pattern.compile("(\\d+) requests in").matcher(out);
        assertTrue(m.find(), out);
        long requests = Long.parseLong(m.group(1));
        long errors = 0;
        Matcher socket = Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)").matcher(out);
        if (socket.find()) {
            for (int i = 1; i <= 4; i++) {
                errors += Long.parseLong(socket.group(i));
            }
        }
        Matcher non2xx = Pattern.compile("Non-2xx or 3xx responses: (\\d+)").matcher(out);
        if (non2xx.find()) {
            errors += Long.parseLong(non2xx.group(1));
        }
        return new Wrk(requests, errors, out);
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int at = text.indexOf(what); at >= 0; at = text.indexOf(what, at + 1)) {
            n++;
        }
        return n;
    }
}
