package org.tcpip4j.cli;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.tcpip4j.icmp.IcmpException;
import org.tcpip4j.netif.IpAddress;
import org.tcpip4j.netif.Ipv4Address;
import org.tcpip4j.netif.Ipv6Address;
import org.tcpip4j.netif.loop.RealTimeEventLoop;
import org.tcpip4j.netif.tap.TapException;
import org.tcpip4j.netif.tap.TapNetif;
import org.tcpip4j.stack.direct.DirectStack;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tcpip4j ping}: echo requests from the direct stack on a TAP device, printed as
 * Linux's ping prints them. Exit code 0 when a reply came, 1 when none did.
 *
 * <p>Unlike Linux's ping it cannot show a reply's TTL: the stack's ping gives the
 * round-trip time only.
 */
@Command(name = "ping", mixinStandardHelpOptions = true, versionProvider = Version.class, sortOptions = false,
        description = {"Echo requests from the stack on a TAP device, in the shape of Linux's ping.",
                "Exit code 1 when no reply came. Example:",
                "  tcpip4j ping --tap tap0 --ip 198.18.5.2/24 -c 3 198.18.5.1",
                "  tcpip4j ping --tap tap0 --ip 198.18.5.2/24 --ip6 2001:2::2/64 -c 3 2001:2::1"})
final class PingCommand implements Callable<Integer> {

    /** The most payload {@code -s} takes: an IPv4 datagram's 65535 bytes less its headers. */
    static final int MAX_SIZE = 65507;
    /** The shortest {@code -i}, in seconds. */
    static final double MIN_INTERVAL = 0.001;

    @Spec
    CommandSpec spec;

    @Mixin
    TapOptions device = new TapOptions();

    @Parameters(index = "0", paramLabel = "DEST", converter = Converters.AnyAddress.class,
            description = "The address to ping: IPv4, or IPv6 with --ip6 or --slaac.")
    IpAddress destination;

    @Option(names = "-c", paramLabel = "COUNT", defaultValue = "0",
            description = "Stop after COUNT requests (default: until interrupted).")
    long count;

    @Option(names = "-s", paramLabel = "SIZE", defaultValue = "56",
            description = "Bytes of payload in each request (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "-i", paramLabel = "INTERVAL", defaultValue = "1",
            description = "Seconds between requests (default: ${DEFAULT-VALUE}).")
    double interval;

    @Option(names = "-W", paramLabel = "TIMEOUT", defaultValue = "2",
            description = "Seconds to wait for each reply (default: ${DEFAULT-VALUE}).")
    double timeout;

    @Mixin
    Verbosity verbosity = new Verbosity();

    /** Completed with a reason to stop early: by a signal, or by a test. */
    final CompletableFuture<String> stop = new CompletableFuture<>();
    /** For tests: called with the device after it is open and before the first request. */
    Consumer<TapNetif> onReady = tap -> {
    };

    /** Where the command prints; tests replace it. */
    PrintStream out = System.out;

    @Override
    public Integer call() throws Exception {
        device.requireDevice(spec);
        if (destination instanceof Ipv6Address && !device.hasIpv6()) {
            throw Usage.error(spec, "DEST " + destination + ": an IPv6 destination needs --ip6 ADDR/PREFIX or --slaac");
        }
        if (count < 0) {
            throw Usage.error(spec, "-c", count, "must not be negative");
        }
        if (size < 0 || size > MAX_SIZE) {
            throw Usage.error(spec, "-s", size, "must be 0 to " + MAX_SIZE);
        }
        if (interval < MIN_INTERVAL) {
            throw Usage.error(spec, "-i", interval, "must be at least " + MIN_INTERVAL + " s");
        }
        if (timeout <= 0) {
            throw Usage.error(spec, "-W", timeout, "must be more than 0 s");
        }
        try (RealTimeEventLoop loop = device.newLoop("tcpip4j-ping");
             StopOnShutdown _ = StopOnShutdown.install(stop)) {
            TapNetif tap;
            try {
                tap = TapNetif.open(device.config(false), loop);
            } catch (TapException e) {
                System.err.println("tcpip4j ping: " + e.getMessage());
                return 1;
            }
            DirectStack stack = device.stack(tap).name("ping").build();
            TapOptions.awaitIpv6(stack, device.slaac, device.slaac ? 10 : 5, System.err, "ping");
            onReady.accept(tap);
            try {
                return run(stack) > 0 ? 0 : 1;
            } finally {
                stack.disconnect().get(5, TimeUnit.SECONDS);
            }
        }
    }

    /** Sends the requests, prints each reply as it comes, then the summary; returns the replies. */
    private long run(DirectStack stack) throws InterruptedException, ExecutionException {
        // Where errors are reported from: our address towards the destination, read on the loop.
        IpAddress source = stack.loop().call(() -> CompletableFuture.completedFuture(stack.ip().src(destination))).get();
        if (destination instanceof Ipv6Address) {
            out.printf("PING %s (%s) %d data bytes%n", destination, destination, size);
        } else {
            out.printf("PING %s (%s) %d(%d) bytes of data.%n", destination, destination, size, size + 28);
        }
        PingStatistics statistics = new PingStatistics();
        List<CompletableFuture<Void>> outstanding = new ArrayList<>();
        Duration wait = Duration.ofNanos((long) (timeout * 1e9));
        long intervalNanos = (long) (interval * 1e9);
        long started = System.nanoTime();
        // As iputils' ping: the first request carries sequence 1 on the wire, and each line
        // shows the sequence its request carried. The stack is ours alone and its echo
        // sequence starts at 1 (Icmpv4.ping), so the k-th request is sequence k (modulo 65536).
        for (long seq = 1; count == 0 || seq <= count; seq++) {
            long sequence = seq & 0xffff; // 16 bits on the wire
            statistics.sent();
            CompletableFuture<Duration> reply = destination instanceof Ipv6Address d6
                    ? stack.icmpv6().orElseThrow().ping(d6, size, wait)
                    : stack.icmp().ping((Ipv4Address) destination, size, wait);
            outstanding.add(reply.handle((rtt, error) -> {
                report(sequence, rtt, error, statistics, source);
                return null;
            }));
            if (count != 0 && seq == count) {
                break;
            }
            if (waitOrStop(started + seq * intervalNanos)) {
                break;
            }
        }
        // Each request is bounded by its timeout; an interrupt stops waiting for them too.
        CompletableFuture<Void> all = CompletableFuture.allOf(outstanding.toArray(CompletableFuture[]::new));
        CompletableFuture.anyOf(all, stop).exceptionally(e -> null).join();
        long elapsedMillis = (System.nanoTime() - started) / 1_000_000;
        out.printf("%n--- %s ping statistics ---%n%s%n", destination, statistics.summary(elapsedMillis));
        out.flush();
        return statistics.received();
    }

    /** Waits until {@code deadline} (System.nanoTime); true when asked to stop meanwhile. */
    private boolean waitOrStop(long deadline) throws InterruptedException {
        long wait = deadline - System.nanoTime();
        if (wait <= 0) {
            return stop.isDone();
        }
        try {
            stop.get(wait, TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return true;
        }
    }

    private void report(long sequence, Duration rtt, Throwable error, PingStatistics statistics, IpAddress source) {
        if (error == null) {
            double millis = rtt.toNanos() / 1e6;
            statistics.replied(millis);
            out.printf("%d bytes from %s: icmp_seq=%d time=%s ms%n", size + 8, destination, sequence,
                    PingStatistics.time(millis));
            return;
        }
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof IcmpException.Timeout) {
            return; // Linux's ping is silent about a request that got no answer; the summary counts it
        }
        statistics.error();
        out.printf("From %s icmp_seq=%d %s%n", source, sequence, cause.getMessage());
    }
}
