package org.tcpip4j.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs the host's own tools (ip, ping, curl, socat, tshark) for the tests, bounded in time. */
final class HostCommand {

    /** A finished command: exit code (124 on timeout, 127 when it could not start), stdout, stderr. */
    record Outcome(int exitCode, byte[] stdout, String stderr) {

        String out() {
            return new String(stdout, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out() + "\n--- stderr\n" + stderr;
        }
    }

    private HostCommand() {
    }

    /** Runs {@code command} with {@code stdin} as its input, for at most {@code limit}. */
    static Outcome run(Duration limit, byte[] stdin, String... command) {
        try {
            Process p = new ProcessBuilder(command).start();
            CompletableFuture<byte[]> out = readAll(p.getInputStream());
            CompletableFuture<byte[]> err = readAll(p.getErrorStream());
            try (OutputStream in = p.getOutputStream()) {
                in.write(stdin);
            } catch (IOException e) {
                // the command exited without reading its input; its exit code says what happened
            }
            if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                return new Outcome(124, out.getNow(new byte[0]), "timed out after " + limit + ": " + List.of(command));
            }
            return new Outcome(p.exitValue(), out.get(5, TimeUnit.SECONDS),
                    new String(err.get(5, TimeUnit.SECONDS), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Outcome(127, new byte[0], e.getMessage());
        } catch (Exception e) {
            throw new AssertionError("running " + List.of(command) + " failed", e);
        }
    }

    /** Runs {@code command} with no input, for at most 20 seconds. */
    static Outcome run(String... command) {
        return run(Duration.ofSeconds(20), new byte[0], command);
    }

    /** Runs {@code command} and returns its stdout, failing the test when it exits non-zero. */
    static String check(String... command) {
        Outcome o = run(command);
        if (o.exitCode() != 0) {
            throw new AssertionError(String.join(" ", command) + " failed: " + o);
        }
        return o.out();
    }

    /** True when {@code tool} is on the PATH. */
    static boolean available(String tool) {
        return run(Duration.ofSeconds(5), new byte[0], "sh", "-c", "command -v " + tool).exitCode() == 0;
    }

    private static CompletableFuture<byte[]> readAll(InputStream stream) {
        CompletableFuture<byte[]> result = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try (stream) {
                ByteArrayOutputStream buf = new ByteArrayOutputStream();
                stream.transferTo(buf);
                result.complete(buf.toByteArray());
            } catch (IOException e) {
                result.complete(new byte[0]);
            }
        });
        return result;
    }
}
