package org.tcpip4j.netif.tap;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the host's tools (ip) for the tests' set-up; the library itself never does. */
final class Commands {

    /** A finished command: its exit code and its merged output. */
    record Outcome(int exitCode, String output) {
    }

    private Commands() {
    }

    /** Runs {@code command} for at most 20 seconds; exit code 127 when it cannot be started. */
    static Outcome run(String... command) {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        try {
            Process process = builder.start();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return new Outcome(124, "timed out: " + List.of(command));
            }
            return new Outcome(process.exitValue(), new String(output, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Outcome(127, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(130, "interrupted");
        }
    }

    /** Runs {@code command} and returns its output, failing the test when it exits non-zero. */
    static String check(String... command) {
        Outcome outcome = run(command);
        if (outcome.exitCode() != 0) {
            throw new AssertionError(String.join(" ", command) + " exited " + outcome.exitCode() + ": " + outcome.output());
        }
        return outcome.output();
    }
}
