package org.tcpip4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.tcpip4j.cli.flow.RepeatingPattern;
import picocli.CommandLine;

/**
 * {@code tcpip4j perf --stack tap} against Linux: socat in a namespace receives what our
 * stack sends (and every byte is checked), and sends what our stack receives.
 */
@NeedsHost(tools = "socat")
@Timeout(90)
class PerfOnTapTest {

    private static final String STACK = "198.18.94.2";
    private static final String KERNEL = "198.18.94.1";
    private Namespace namespace;
    private Process socat;

    @BeforeEach
    void createNamespace() {
        namespace = Namespace.create();
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (socat != null && socat.isAlive()) {
            socat.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        namespace.close();
    }

    private PerfCommand perfOnTap(CapturedOutput output) {
        PerfCommand perf = new PerfCommand();
        perf.out = output.stream;
        perf.onReady = tap -> namespace.adopt(tap.interfaceName(), KERNEL + "/24");
        return perf;
    }

    @Test
    void theClientSendsExactlyTheBytesAskedForToLinux() throws Exception {
        // socat -d -d says when it listens, so the transfer starts only then.
        socat = new ProcessBuilder(List.of(namespace.exec("socat", "-d", "-d", "-u", "TCP-LISTEN:5201,reuseaddr", "-")))
                .start();
        CapturedOutput socatLog = new CapturedOutput();
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        Thread.ofVirtual().start(() -> copy(socat.getErrorStream(), socatLog.stream));
        Thread.ofVirtual().start(() -> copy(socat.getInputStream(), received));
        socatLog.awaitText("listening on", Duration.ofSeconds(10));

        CapturedOutput output = new CapturedOutput();
        int code = new CommandLine(perfOnTap(output)).execute("--stack", "tap", "--tap", Namespace.freshTapName(),
                "--ip", STACK + "/24", "--peer", KERNEL, "--port", "5201", "--bytes", "3000000");
        assertEquals(0, code, output.text());
        assertTrue(socat.waitFor(10, TimeUnit.SECONDS), "socat ends when our stack closes: " + socatLog.text());
        assertArrayEquals(RepeatingPattern.modulo251().prefix(3_000_000), received.toByteArray(),
                "Linux received every byte, in order");
        String out = output.text();
        assertTrue(out.contains("perf: the direct stack on TAP "), out);
        assertTrue(out.contains("-> " + KERNEL + ":5201"), out);
        assertTrue(out.contains("2.9 MiB") && out.contains("total"), out);
        assertTrue(out.contains("for the whole process, our end"), out);
    }

    @Test
    void theServerReceivesOneTransferFromLinux() throws Exception {
        CapturedOutput output = new CapturedOutput();
        PerfCommand perf = perfOnTap(output);
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> new CommandLine(perf).execute("--stack",
                "tap", "--tap", Namespace.freshTapName(), "--ip", STACK + "/24", "--server", "--port", "5202"));
        output.awaitText("waiting for a connection to port 5202", Duration.ofSeconds(20));
        HostCommand.Outcome sent = HostCommand.run(Duration.ofSeconds(30), new byte[2_000_000],
                namespace.exec("socat", "-t", "10", "-", "TCP:" + STACK + ":5202"));
        assertEquals(0, sent.exitCode(), sent.toString());
        assertEquals(0, exit.get(30, TimeUnit.SECONDS), output.text());
        assertTrue(output.text().contains("1.9 MiB"), "2,000,000 bytes received: " + output.text());
    }

    private static void copy(java.io.InputStream in, java.io.OutputStream out) {
        try (in) {
            in.transferTo(out);
        } catch (java.io.IOException e) {
            // the process ended
        }
    }
}
