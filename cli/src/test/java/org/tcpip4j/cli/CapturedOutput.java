package org.tcpip4j.cli;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Predicate;

/**
 * What a command printed, for a test to wait on: {@link #await} returns as soon as the text
 * so far satisfies a condition, woken by every write rather than by polling.
 */
final class CapturedOutput extends OutputStream {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final PrintStream stream = new PrintStream(this, true, StandardCharsets.UTF_8);

    @Override
    public synchronized void write(int b) {
        bytes.write(b);
        notifyAll();
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        bytes.write(b, off, len);
        notifyAll();
    }

    /** Everything printed so far. */
    synchronized String text() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /**
     * Waits until the output satisfies {@code condition}, for at most {@code limit}.
     *
     * @return the output then
     * @throws AssertionError when the time runs out, with what was printed
     */
    synchronized String await(Predicate<String> condition, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.test(text())) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("the expected output did not come within " + limit + "; output:\n" + text());
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return text();
    }

    /** Waits until the output contains {@code text}. */
    String awaitText(String text, Duration limit) throws InterruptedException {
        return await(s -> s.contains(text), limit);
    }
}
