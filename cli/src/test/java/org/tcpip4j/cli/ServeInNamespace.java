package org.tcpip4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.tcpip4j.netif.tap.TapNetif;
import picocli.CommandLine;

/**
 * {@code tcpip4j serve} run in this JVM on a TAP of a fresh name, the TAP moved into a
 * network namespace of its own where the kernel holds {@code kernelCidr}; what the tests
 * of serve on a TAP share. Closing it stops serve (when a test has not) and deletes the
 * namespace.
 */
final class ServeInNamespace implements AutoCloseable {

    final Namespace namespace = Namespace.create();
    final String tapName = Namespace.freshTapName();
    final ServeCommand serve = new ServeCommand();
    final CapturedOutput output = new CapturedOutput();
    private final CompletableFuture<Integer> exit;

    private ServeInNamespace(String kernelCidr, String... args) throws Exception {
        serve.out = output.stream;
        CompletableFuture<TapNetif> ready = new CompletableFuture<>();
        serve.onReady = tap -> {
            namespace.adopt(tap.interfaceName(), kernelCidr);
            ready.complete(tap);
        };
        List<String> all = new ArrayList<>(List.of("--tap", tapName));
        all.addAll(List.of(args));
        exit = CompletableFuture.supplyAsync(() -> new CommandLine(serve).execute(all.toArray(String[]::new)));
        try {
            CompletableFuture.anyOf(ready, exit).get(20, TimeUnit.SECONDS);
            assertTrue(ready.isDone(), "serve is up: " + output.text());
        } catch (Exception | AssertionError e) {
            close();
            throw e;
        }
    }

    /** Starts serve with {@code --tap} and {@code args}, and waits until it serves. */
    static ServeInNamespace start(String kernelCidr, String... args) throws Exception {
        return new ServeInNamespace(kernelCidr, args);
    }

    /**
     * The counters of serve's {@code /stats} page at {@code http://stack:port}, fetched with
     * curl from the namespace: {@code name=value} lines, the first of a name kept.
     */
    Map<String, Long> stats(String stack, int port) {
        HostCommand.Outcome o = HostCommand.run(Duration.ofSeconds(20), new byte[0],
            namespace.exec("curl", "-sS", "--max-time", "10", "http://" + stack + ":" + port + "/stats"));
        assertEquals(0, o.exitCode(), o.toString());
        return o.out().lines().filter(l -> l.contains("="))
            .collect(Collectors.toMap(l -> l.substring(0, l.indexOf('=')),
                l -> Long.parseLong(l.substring(l.indexOf('=') + 1).trim()), (a, b) -> a));
    }

    /** Stops serve, saying {@code why}, and returns its exit code. */
    int stop(String why) throws Exception {
        serve.stop.complete(why);
        return exit.get(20, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws Exception {
        try {
            if (!exit.isDone()) {
                stop("the test is over");
            }
        } finally {
            namespace.close();
        }
    }
}
