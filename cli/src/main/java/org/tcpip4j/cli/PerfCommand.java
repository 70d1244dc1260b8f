package org.tcpip4j.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.tcpip4j.netif.IpAddress;
import org.tcpip4j.netif.Ipv4Address;
import org.tcpip4j.netif.tap.TapException;
import org.tcpip4j.netif.tap.TapNetif;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tcpip4j perf}: an iperf-like bulk TCP transfer over any stack, reporting Gbit/s
 * per interval and at the end, retransmissions, and CPU time per GiB. With
 * {@code --compare} it runs the same transfer on the direct stack (in memory) and on the
 * socket stack (the host kernel over loopback) and prints them side by side.
 */
@Command(name = "perf", mixinStandardHelpOptions = true, versionProvider = Version.class, sortOptions = false,
        description = {"An iperf-like TCP transfer over any stack: Gbit/s, retransmissions, CPU time per GiB.",
                "The impairments (--loss, --delay, --rate, ...) and --pcap apply to the direct stack's device, both "
                        + "ways (direct-memory: the client's). --stack socket and --compare refuse them: the socket "
                        + "stack's path is the host kernel's loopback, which perf can neither impair nor capture. "
                        + "Examples:",
                "  tcpip4j perf --stack direct-memory --time 5 --delay 25 --rate 100",
                "  tcpip4j perf --compare --bytes 1G",
                "  tcpip4j perf --stack tap --tap tap0 --ip 198.18.5.2/24 --peer 198.18.5.1",
                "  tcpip4j perf --stack tap --tap tap0 --ip 198.18.5.2/24 --server --port 5201"})
final class PerfCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--stack", paramLabel = "KIND", defaultValue = "direct-memory",
            description = "direct-memory (two direct stacks in memory, one process), socket (the host kernel over "
                    + "loopback) or tap (the direct stack on a TAP device, against --peer or as --server) "
                    + "(default: ${DEFAULT-VALUE}).")
    String stack;

    @Option(names = "--compare", description = "Run direct-memory and socket and print them side by side.")
    boolean compare;

    @Option(names = "--time", paramLabel = "SECONDS", defaultValue = "10",
            description = "How long the client sends (default: ${DEFAULT-VALUE}).")
    double seconds;

    @Option(names = "--bytes", paramLabel = "SIZE", defaultValue = "0", converter = Converters.Size.class,
            description = "Send exactly this many bytes instead of sending for --time: " + Converters.SIZE_HELP + ".")
    long bytes;

    @Option(names = "--interval", paramLabel = "SECONDS", defaultValue = "1",
            description = "Seconds between interval reports (default: ${DEFAULT-VALUE}).")
    double interval;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "5201",
            description = "The server's port (default: ${DEFAULT-VALUE}; socket: any free port).")
    int port;

    @Option(names = "--peer", paramLabel = "ADDRESS", converter = Converters.AnyAddress.class,
            description = "tap: send to this host (IPv4, or IPv6 with --ip6 or --slaac), which must read and drop (e.g. socat -u TCP-LISTEN:5201,fork /dev/null).")
    IpAddress peer;

    @Option(names = "--server", description = "tap: receive one transfer on --port instead of sending.")
    boolean server;

    @Mixin
    TapOptions device = new TapOptions();

    @Mixin
    ImpairmentOptions impairment = new ImpairmentOptions();

    @Mixin
    Verbosity verbosity = new Verbosity();

    /** Completed with a reason to stop early: by a signal, or by a test. */
    final CompletableFuture<String> stop = new CompletableFuture<>();
    /** For tests: called with the TAP device (--stack tap) once it is open, before any traffic. */
    Consumer<TapNetif> onReady = tap -> {
    };

    /** Where the command prints; tests replace it. */
    PrintStream out = System.out;

    @Override
    public Integer call() throws Exception {
        validate();
        if (impairment.captureToStdout() && out == System.out) {
            out = System.err; // standard output carries the capture
        }
        impairment.openCapture();
        try (StopOnShutdown _ = StopOnShutdown.install(stop)) {
            if (compare) {
                List<PerfResult> results = new ArrayList<>();
                for (String kind : List.of("direct-memory", "socket")) {
                    results.add(runOn(kind));
                    out.println();
                }
                printSideBySide(results);
                return results.stream().allMatch(PerfResult::ok) ? 0 : 1;
            }
            PerfResult result;
            try {
                result = runOn(stack);
            } catch (TapException e) {
                impairment.closeUnusedCapture();
                System.err.println("tcpip4j perf: " + e.getMessage());
                return 1;
            }
            return result.ok() ? 0 : 1;
        }
    }

    private void validate() {
        if (!PerfEndpoints.KINDS.contains(stack)) {
            throw Usage.error(spec, "--stack", stack, "must be one of " + String.join(", ", PerfEndpoints.KINDS));
        }
        if (!(seconds > 0)) {
            throw Usage.error(spec, "--time", seconds, "must be more than 0 s");
        }
        if (!(interval > 0)) {
            throw Usage.error(spec, "--interval", interval, "must be more than 0 s");
        }
        if (port < 0 || port > 65535) {
            throw Usage.error(spec, "--port", port, "must be 0 to 65535");
        }
        impairment.validate(spec);
        List<String> impairments = impairment.given();
        if (compare || stack.equals("socket")) {
            String which = compare ? "--compare, whose socket run is" : "--stack socket, which is";
            if (!impairments.isEmpty()) {
                throw Usage.error(spec, impairments.getFirst(), null, "cannot apply to " + which
                        + " the host kernel's TCP over loopback: perf cannot impair that path");
            }
            if (impairment.pcap != null) {
                throw Usage.error(spec, "--pcap", impairment.pcap, "cannot capture " + which
                        + " the host kernel's TCP over loopback (capture that with tcpdump -i lo)");
            }
        }
        if (compare && !stack.equals("direct-memory") && spec.commandLine().getParseResult().hasMatchedOption("--stack")) {
            throw Usage.error(spec, "--stack", stack, "does not go with --compare, which runs direct-memory and socket");
        }
        if (!compare && stack.equals("tap")) {
            device.requireDevice(spec);
            if (peer == null && !server) {
                throw Usage.error(spec, "--stack tap needs --peer ADDRESS (to send) or --server (to receive)");
            }
            if (peer != null && server) {
                throw Usage.error(spec, "--peer " + peer + " and --server do not go together: send, or receive");
            }
            if (port == 0) {
                throw Usage.error(spec, "--port", port, "must be 1 to 65535 with --stack tap");
            }
            if (peer instanceof org.tcpip4j.netif.Ipv6Address && !device.hasIpv6()) {
                throw Usage.error(spec, "--peer", peer, "an IPv6 peer needs --ip6 ADDR/PREFIX or --slaac");
            }
        } else {
            for (String option : new String[] {"--peer", "--server", "--tap"}) {
                if (spec.commandLine().getParseResult().hasMatchedOption(option)) {
                    throw Usage.error(spec, option + " goes with --stack tap");
                }
            }
        }
    }

    private PerfResult runOn(String kind) throws Exception {
        long limitNanos = (long) (seconds * 1e9);
        long intervalNanos = (long) (interval * 1e9);
        try (PerfEndpoints ends = switch (kind) {
            case "direct-memory" -> PerfEndpoints.directMemory(port, impairment);
            case "socket" -> PerfEndpoints.socket(compare || !spec.commandLine().getParseResult().hasMatchedOption("--port")
                    ? 0 : port);
            default -> PerfEndpoints.tap(device, impairment, server ? null : peer, port, onReady);
        }) {
            return new PerfRun(ends, bytes, limitNanos, intervalNanos, out, stop).run();
        }
    }

    private void printSideBySide(List<PerfResult> results) {
        out.printf("perf --compare: the same transfer on each stack: %s each, no impairments, no capture%n",
                bytes > 0 ? DemoFormat.bytes(bytes) : ImpairmentOptions.number(seconds) + " s");
        StringBuilder header = new StringBuilder(String.format("  %-18s", ""));
        results.forEach(r -> header.append(String.format("%18s", r.stack())));
        out.println(header);
        row(results, "throughput", r -> String.format("%.2f Gbit/s", r.gbps()));
        row(results, "transferred", r -> DemoFormat.bytes(r.bytes()));
        row(results, "duration", r -> String.format("%.2f s", r.nanos() / 1e9));
        row(results, "retransmissions", r -> r.retransmissions() < 0 ? "unknown" : Long.toString(r.retransmissions()));
        row(results, "CPU per GiB", r -> Double.isNaN(r.cpuSecondsPerGib()) ? "-" : String.format("%.2f s", r.cpuSecondsPerGib()));
        row(results, "result", r -> r.ok() ? "ok" : "FAILED");
        if (results.size() == 2 && results.get(1).gbps() > 0) {
            out.printf("  direct-memory runs at %.2fx the socket stack's throughput%n",
                    results.get(0).gbps() / results.get(1).gbps());
        }
        out.flush();
    }

    private void row(List<PerfResult> results, String label, java.util.function.Function<PerfResult, String> cell) {
        StringBuilder line = new StringBuilder(String.format("  %-18s", label));
        results.forEach(r -> line.append(String.format("%18s", cell.apply(r))));
        out.println(line);
    }
}
