package org.tcpip4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code tcpip4j serve} as its own JVM, run inside a namespace on a TAP device that exists
 * before it starts (so serve opens it rather than creating it), stopped by SIGTERM as a
 * service manager stops it.
 */
@NeedsHost(tools = "socat")
@Timeout(90)
class ServeProcessTest {

    private static final String STACK = "198.18.92.2";
    private Namespace namespace;
    private String tap;
    private Process serve;

    @BeforeEach
    void createATapInANamespace() {
        namespace = Namespace.create();
        tap = Namespace.freshTapName();
        HostCommand.check(namespace.exec("ip", "tuntap", "add", "dev", tap, "mode", "tap"));
        HostCommand.check("ip", "-n", namespace.name, "addr", "add", "198.18.92.1/24", "dev", tap);
        HostCommand.check("ip", "-n", namespace.name, "link", "set", "dev", tap, "up");
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (serve != null && serve.isAlive()) {
            serve.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        namespace.close();
    }

    @Test
    void sigtermClosesCleanlyPrintsTheSummaryAndKeepsADeviceItDidNotCreate() throws Exception {
        // The same module path as this test's JVM: the cli module and what it requires.
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = List.of(namespace.exec(java, "--enable-native-access=org.tcpip4j.netif.tap",
                "-p", System.getProperty("jdk.module.path"), "-m", "org.tcpip4j.cli/org.tcpip4j.cli.Main",
                "serve", "--tap", tap, "--ip", STACK + "/24", "--echo", "7", "--stats-interval", "0.5"));
        serve = new ProcessBuilder(command).redirectErrorStream(true).start();
        CapturedOutput output = new CapturedOutput();
        Thread.ofVirtual().start(() -> {
            try (var in = serve.getInputStream()) {
                in.transferTo(output.stream);
            } catch (java.io.IOException e) {
                // the process ended
            }
        });
        output.awaitText("serving until interrupted", Duration.ofSeconds(30));

        HostCommand.Outcome echo = HostCommand.run(Duration.ofSeconds(20),
                "echo me\n".getBytes(StandardCharsets.US_ASCII), namespace.exec("socat", "-t", "5", "-", "TCP:" + STACK + ":7"));
        assertEquals("echo me\n", echo.out(), echo.toString());
        // The periodic counters show the connection once it was counted.
        output.awaitText("services.echo.connections=1", Duration.ofSeconds(10));

        // SIGTERM from outside: Process.destroy() would also close our end of its output, and
        // the summary it prints while closing would be lost.
        HostCommand.check("kill", "-TERM", Long.toString(serve.pid()));
        assertTrue(serve.waitFor(30, TimeUnit.SECONDS), output.text());
        assertEquals(143, serve.exitValue(), "128 + SIGTERM, after closing: " + output.text());
        String text = output.await(s -> s.contains("tcp.conn.passive_opens=1") && s.lastIndexOf("summary after") > 0,
                Duration.ofSeconds(5));
        assertTrue(text.contains("stopping: interrupted (SIGINT or SIGTERM)"), text);
        assertTrue(text.contains("[stats "), text);
        assertEquals(0, HostCommand.run("ip", "-n", namespace.name, "link", "show", "dev", tap).exitCode(),
                "a device that existed before serve stays after it");
    }
}
