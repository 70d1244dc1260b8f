package org.tcpip4j.bench;

import java.util.Collection;
import java.util.Locale;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs {@link BulkTransferBenchmark} with JMH's GC profiler and prints its figures as
 * Gbit/s and bytes allocated per segment, the direct stack beside the host kernel's TCP
 * (the socket stack), with their ratio.
 *
 * <p>Arguments are JMH's own (for a short run: {@code -wi 2 -i 3 -f 1}); a benchmark name
 * pattern among them narrows the run.
 */
public final class BenchReport {

    private BenchReport() {
    }

    /** Runs the benchmarks and prints the table. */
    public static void main(String[] args) throws Exception {
        CommandLineOptions command = new CommandLineOptions(args);
        OptionsBuilder builder = new OptionsBuilder();
        builder.parent(command);
        if (command.getIncludes().isEmpty()) {
            builder.include(BulkTransferBenchmark.class.getName() + "\\.");
        }
        Options options = builder.addProfiler(GCProfiler.class).build();
        Collection<RunResult> results = new Runner(options).run();
        System.out.println();
        System.out.printf(Locale.ROOT, "%-30s %10s %22s%n", "bulk transfer", "Gbit/s", "B allocated/segment");
        double direct = Double.NaN;
        double direct6 = Double.NaN;
        double socket = Double.NaN;
        double offloads = Double.NaN;
        for (RunResult run : results) {
            String name = run.getParams().getBenchmark();
            String label = name.substring(name.lastIndexOf('.') + 1);
            double opsPerSecond = run.getPrimaryResult().getScore();
            double gbits = opsPerSecond * BulkTransferBenchmark.OP_BYTES * 8 / 1e9;
            Result<?> norm = run.getSecondaryResults().get("gc.alloc.rate.norm");
            double perSegment = norm == null ? Double.NaN : norm.getScore() / BulkTransferBenchmark.SEGMENTS_PER_OP;
            System.out.printf(Locale.ROOT, "%-30s %10.2f %22.1f%n", label, gbits, perSegment);
            if (label.equals("directStack")) {
                direct = gbits;
            } else if (label.equals("directStackIpv6")) {
                direct6 = gbits;
            } else if (label.equals("socketStack")) {
                socket = gbits;
            } else if (label.equals("directStackOffloads")) {
                offloads = gbits;
            }
        }
        if (!Double.isNaN(direct) && !Double.isNaN(socket)) {
            System.out.printf(Locale.ROOT, "direct / socket (host kernel): %.2f%n", direct / socket);
        }
        if (!Double.isNaN(offloads) && !Double.isNaN(socket)) {
            System.out.printf(Locale.ROOT, "direct with offloads / socket:  %.2f%n", offloads / socket);
        }
        if (!Double.isNaN(direct) && !Double.isNaN(direct6)) {
            System.out.printf(Locale.ROOT, "direct over IPv6 / over IPv4:   %.3f%n", direct6 / direct);
        }
        System.out.printf(Locale.ROOT, "(one op = %d bytes = %d segments of %d bytes; B/segment = gc.alloc.rate.norm / %d)%n",
            BulkTransferBenchmark.OP_BYTES, BulkTransferBenchmark.SEGMENTS_PER_OP, BulkTransferBenchmark.SEGMENT_PAYLOAD,
            BulkTransferBenchmark.SEGMENTS_PER_OP);
    }
}
