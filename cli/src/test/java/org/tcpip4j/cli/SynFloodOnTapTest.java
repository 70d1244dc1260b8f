package org.tcpip4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve} on a TAP device keeps serving Linux clients through a flood of SYNs from
 * spoofed off-link sources (198.19.0.0/16; their SYN-ACKs go to the namespace's kernel,
 * which drops them): the half-open queue fills, SYN cookies answer, and each of Linux's
 * {@code socat} clients gets its echo in well under the one second a SYN retransmission
 * would take. The flood is a bounded count of raw frames written by a small Python script
 * on the namespace's side of the TAP, at a rate this stack's TAP path takes in (about
 * 8,000 SYNs a second, a cookie answering each; Linux takes several times that).
 */
@NeedsHost(tools = {"socat", "curl", "python3"})
@Timeout(180)
class SynFloodOnTapTest {

    private static final String STACK = "198.18.93.2";
    private static final String KERNEL = "198.18.93.1";
    private static final String MAC = "02:00:c6:12:5d:02";
    private static final int SYNS = 40_000;
    /** SYNs per second: ten times what fills the half-open queue before its SYN-ACKs give up, for 5 s. */
    private static final int RATE = 8_000;
    private static final int CLIENTS = 20;

    @TempDir
    static Path dir;

    /** What one flood saw. */
    record Outcome(int served, List<Long> millis, List<String> failures, long cookiesSent, long cookiesAccepted,
                   String tcp) {
    }

    @Test
    void linuxClientsAreServedThroughASpoofedSynFlood() throws Exception {
        Outcome o = flood(true, CLIENTS, 5);
        assertEquals(CLIENTS, o.served(), "every client got its echo: " + o);
        assertTrue(o.cookiesSent() > 1000, "the half-open queue filled and cookies answered: " + o);
        assertTrue(o.cookiesAccepted() >= CLIENTS / 2, "the clients came in through cookies: " + o);
        assertTrue(o.millis().stream().sorted().toList().get(CLIENTS / 2) < 900,
            "the median client took no SYN retransmission: " + o);
    }

    @Test
    void withoutCookiesTheSameFloodShutsThePort() throws Exception {
        Outcome o = flood(false, 3, 2);
        assertEquals(0, o.cookiesSent(), o.toString());
        assertTrue(o.served() <= 1, "the half-open queue full of spoofed entries: " + o);
    }

    private Outcome flood(boolean cookies, int clients, int connectTimeoutSeconds) throws Exception {
        Path script = dir.resolve("synflood.py");
        if (!Files.exists(script)) {
            try (InputStream in = SynFloodOnTapTest.class.getResourceAsStream("synflood.py")) {
                Files.copy(in, script);
            }
        }
        try (ServeInNamespace serving = ServeInNamespace.start(KERNEL + "/24", "--ip", STACK + "/24", "--gateway",
                KERNEL, "--mac", MAC, "--echo", "7", "--http", "8080", cookies ? "--syn-cookies" : "--no-syn-cookies")) {
            Namespace namespace = serving.namespace;
            String tapName = serving.tapName;
            // Linux learns our MAC first, so that the flood and the clients need no ARP.
            HostCommand.Outcome warm = HostCommand.run(Duration.ofSeconds(10), "hello\n".getBytes(),
                namespace.exec("socat", "-T", "3", "-", "TCP:" + STACK + ":7"));
            assertEquals(0, warm.exitCode(), warm.toString());

            CompletableFuture<HostCommand.Outcome> flood = CompletableFuture.supplyAsync(() -> HostCommand.run(
                Duration.ofSeconds(120), new byte[0], namespace.exec("python3", script.toString(), tapName, MAC,
                    STACK, "7", Integer.toString(SYNS), Integer.toString(RATE))));
            Thread.sleep(500); // the flood is under way and the half-open queue full
            List<Long> millis = new ArrayList<>();
            List<String> failures = new ArrayList<>();
            int served = 0;
            for (int i = 0; i < clients; i++) {
                Thread.sleep(100); // the clients spread over the flood's five seconds
                String line = "client " + i + "\n";
                long start = System.nanoTime();
                HostCommand.Outcome o = HostCommand.run(Duration.ofSeconds(10), line.getBytes(),
                    namespace.exec("socat", "-T", "5", "-", "TCP:" + STACK + ":7,connect-timeout=" + connectTimeoutSeconds));
                millis.add((System.nanoTime() - start) / 1_000_000);
                if (o.exitCode() == 0 && o.out().equals(line)) {
                    served++;
                } else {
                    failures.add(i + ": " + o);
                }
            }
            boolean during = !flood.isDone();
            HostCommand.Outcome f = flood.get(150, TimeUnit.SECONDS);
            assertEquals(0, f.exitCode(), f.toString());
            assertTrue(during || !cookies, "the clients ran during the flood");
            String stats = HostCommand.run(Duration.ofSeconds(10), new byte[0],
                namespace.exec("curl", "-sS", "--max-time", "5", "http://" + STACK + ":8080/stats")).out();
            String tcp = stats.lines().filter(l -> l.startsWith("tcp.") && !l.endsWith("=0"))
                .reduce("", (a, b) -> a + b + "\n");
            Outcome o = new Outcome(served, millis, failures, counter(stats, "tcp.syncookies.sent"),
                counter(stats, "tcp.syncookies.accepted"), tcp);
            System.out.printf("SYN flood on TAP (cookies %s): %s; %d of %d clients served, times %s ms; cookies "
                + "sent %d, accepted %d%n", cookies ? "on" : "off", f.out().strip(), served, clients, millis,
                o.cookiesSent(), o.cookiesAccepted());
            return o;
        }
    }

    private static long counter(String stats, String name) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "\\s*[=:]?\\s*(\\d+)").matcher(stats);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }
}
