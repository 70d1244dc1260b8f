package org.tcpip4j.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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
