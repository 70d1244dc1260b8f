package org.tcpip4j.cli;

import java.io.PrintStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import org.tcpip4j.cli.flow.FlowDrain;
import org.tcpip4j.cli.flow.FlowSender;
import org.tcpip4j.cli.flow.RepeatingPattern;
import org.tcpip4j.tcp.TcpFlow;

/**
 * One {@code perf} transfer over a pair of {@link PerfEndpoints}: the client writes as fast
 * as the flow accepts for a time or a number of bytes, the server reads and drops, and the
 * bytes that arrived are reported every interval and at the end, with the retransmissions
 * and the CPU time the process spent.
 */
final class PerfRun {

    private static final RepeatingPattern PATTERN = RepeatingPattern.modulo251();
    /** How long the end of a transfer may take after its last byte was written. */
    private static final long DRAIN_GRACE_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final PerfEndpoints ends;
    private final long byteLimit;
    private final long timeLimitNanos;
    private final long intervalNanos;
    private final PrintStream out;
    private final CompletableFuture<String> stop;

    /**
     * A run that sends {@code byteLimit} bytes when positive, else for {@code timeLimitNanos},
     * printing every {@code intervalNanos}; {@code stop} ends it early.
     */
    PerfRun(PerfEndpoints ends, long byteLimit, long timeLimitNanos, long intervalNanos, PrintStream out,
            CompletableFuture<String> stop) {
        this.ends = ends;
        this.byteLimit = byteLimit;
        this.timeLimitNanos = timeLimitNanos;
        this.intervalNanos = intervalNanos;
        this.out = out;
        this.stop = stop;
    }

    PerfResult run() throws Exception {
        out.printf("perf: %s%n", ends.description);
        if (ends.impairments != null) {
            out.printf("  %s%n", ends.impairments);
        }
        CompletableFuture<FlowDrain> accepted = new CompletableFuture<>();
        if (ends.server != null) {
            ends.server.listenTcp(ends.port, flow -> {
                FlowDrain drain = new FlowDrain(flow, ends.serverLoop);
                if (accepted.complete(drain)) {
                    drain.start();
                } else {
                    flow.close(); // one transfer at a time
                }
            });
        }
        long retransmissionsBefore = ends.retransmissions();
        FlowSender sender = null;
        if (ends.client != null) {
            TcpFlow flow;
            try {
                flow = ends.client.tcp().connect(ends.serverAddress, ends.port).get(15, TimeUnit.SECONDS);
            } catch (Exception e) {
                return failed("connect to " + ends.serverAddress + ":" + ends.port + " failed: " + DemoCommand.cause(e));
            }
            sender = new FlowSender(flow, PATTERN, byteLimit > 0 ? byteLimit : Long.MAX_VALUE, ends.clientLoop);
        } else {
            out.printf("waiting for a connection to port %d (Ctrl-C to give up)%n", ends.port);
            CompletableFuture.anyOf(accepted, stop).join();
            if (!accepted.isDone()) {
                return failed("no connection came");
            }
        }
        long cpuBefore = ProcessCpu.nanos();
        long started = System.nanoTime();
        if (sender != null) {
            sender.start();
        }
        // What moved: bytes received when the server is ours, else bytes the flow accepted.
        FlowSender s = sender;
        LongSupplier moved = ends.server != null
                ? () -> accepted.isDone() ? accepted.join().received() : 0
                : s::sent;
        CompletableFuture<Long> finished = ends.server != null
                ? accepted.thenCompose(FlowDrain::finished)
                : sender.finished();

        out.printf("  %-15s %12s %14s%n", "interval", "transfer", "throughput");
        long lastBytes = 0;
        long lastNanos = started;
        boolean stopped = false;
        while (!finished.isDone()) {
            long now = System.nanoTime();
            long nextReport = lastNanos + intervalNanos;
            long deadline = !stopped && byteLimit <= 0 && sender != null ? started + timeLimitNanos : Long.MAX_VALUE;
            long wait = Math.max(1, Math.min(nextReport, deadline) - now);
            try {
                CompletableFuture.anyOf(finished, stop).get(wait, TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                // an interval or the time limit has passed
            } catch (Exception e) {
                break; // the transfer failed; reported below
            }
            now = System.nanoTime();
            if (!stopped && sender != null && (now >= deadline || stop.isDone())) {
                sender.stop();
                stopped = true;
            } else if (stop.isDone() && sender == null) {
                break;
            }
            if (now >= nextReport && !finished.isDone()) {
                long bytes = moved.getAsLong();
                interval(lastNanos - started, now - started, bytes - lastBytes);
                lastBytes = bytes;
                lastNanos = now;
            }
            if (stopped && now - started > timeLimitNanos + DRAIN_GRACE_NANOS) {
                break;
            }
        }
        long ended = System.nanoTime();
        long cpu = ProcessCpu.nanos() - cpuBefore;
        long bytes = moved.getAsLong();
        if (ended - lastNanos > intervalNanos / 10 && bytes > lastBytes) {
            interval(lastNanos - started, ended - started, bytes - lastBytes);
        }
        String problem = null;
        if (finished.isCompletedExceptionally()) {
            problem = "the transfer failed: " + DemoCommand.cause(finished.exceptionNow());
        } else if (!finished.isDone()) {
            problem = stop.isDone() ? "interrupted" : "the transfer did not finish";
        } else if (byteLimit > 0 && bytes != byteLimit) {
            problem = "moved " + bytes + " of " + byteLimit + " bytes";
        }
        long after = ends.retransmissions();
        long retransmissions = retransmissionsBefore < 0 || after < 0 ? -1 : after - retransmissionsBefore;
        PerfResult result = new PerfResult(ends.kind, bytes, ended - started, retransmissions,
                ends.retransmissionSource, cpu, problem);
        report(result);
        return result;
    }

    private void interval(long fromNanos, long toNanos, long bytes) {
        double seconds = (toNanos - fromNanos) / 1e9;
        out.printf("  %5.1f-%5.1f s   %12s %9.2f Gbit/s%n", fromNanos / 1e9, toNanos / 1e9, DemoFormat.bytes(bytes),
                seconds > 0 ? bytes * 8 / seconds / 1e9 : 0);
    }

    private void report(PerfResult r) {
        out.printf("  %5.1f-%5.1f s   %12s %9.2f Gbit/s  total%n", 0.0, r.nanos() / 1e9, DemoFormat.bytes(r.bytes()),
                r.gbps());
        out.printf("  retransmissions   %s  (%s)%n", r.retransmissions() < 0 ? "unknown" : r.retransmissions(),
                r.retransmissionSource());
        out.printf("  CPU time          %s per GiB  (%.2f s for the whole process, %s)%n",
                Double.isNaN(r.cpuSecondsPerGib()) ? "-" : String.format("%.2f s", r.cpuSecondsPerGib()),
                r.cpuNanos() / 1e9, ends.client != null && ends.server != null ? "both ends" : "our end");
        if (!r.ok()) {
            out.printf("  FAILED: %s%n", r.problem());
        }
        out.flush();
    }

    private PerfResult failed(String problem) {
        out.printf("  FAILED: %s%n", problem);
        return new PerfResult(ends.kind, 0, 0, -1, ends.retransmissionSource, 0, problem);
    }
}
