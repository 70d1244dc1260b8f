package org.tcpip4j.cli;

import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.tcpip4j.cli.flow.FlowDrain;
import org.tcpip4j.cli.flow.FlowSender;
import org.tcpip4j.cli.flow.RepeatingPattern;
import org.tcpip4j.netif.Ipv4Address;
import org.tcpip4j.netif.Ipv4Cidr;
import org.tcpip4j.netif.IpAddress;
import org.tcpip4j.netif.Ipv6Address;
import org.tcpip4j.netif.Ipv6Cidr;
import org.tcpip4j.ipv6.Ipv6AddressInfo;
import org.tcpip4j.ipv6.Ipv6Neighbor;
import org.tcpip4j.netif.MacAddress;
import org.tcpip4j.netif.loop.RealTimeEventLoop;
import org.tcpip4j.netif.memory.MemorySwitch;
import org.tcpip4j.stack.direct.DirectStack;
import org.tcpip4j.stack.direct.DirectStackBuilder;
import org.tcpip4j.tcp.TcpFlow;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tcpip4j demo}: two direct stacks on an in-memory network, one event loop, no root:
 * ARP, ping, UDP echo, then a TCP transfer checked byte for byte, and a summary; then the
 * same over IPv6: duplicate address detection, neighbor discovery, ping, UDP echo and a
 * shorter TCP transfer.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, versionProvider = Version.class, sortOptions = false,
        description = {"Two stacks in memory, no root: ARP, ping, UDP echo and a TCP transfer, over IPv4 and IPv6.",
                "The TCP transfer is checked byte for byte; over IPv6 it sends at most 16 MiB, after duplicate "
                        + "address detection and neighbor discovery. Shows a progress bar on a terminal, then "
                        + "throughput, retransmissions and every layer's counters. The impairments (--loss, --delay, "
                        + "--rate, ...) and the capture apply to stack a's device, both ways."})
final class DemoCommand implements Callable<Integer> {

    static final Ipv4Address A = Ipv4Address.parse("198.18.0.1");
    static final Ipv4Address B = Ipv4Address.parse("198.18.0.2");
    static final Ipv6Address A6 = Ipv6Address.parse("2001:2::1");
    static final Ipv6Address B6 = Ipv6Address.parse("2001:2::2");
    /** The most the IPv6 transfer sends. */
    static final long IPV6_BYTES = 16L << 20;
    static final int ECHO_PORT = 7;
    static final int SINK_PORT = 5001;
    /** What the transfer sends and checks: byte k of the stream is k % 251. */
    static final RepeatingPattern PATTERN = RepeatingPattern.modulo251();

    @Spec
    CommandSpec spec;

    /** What the transfer sends by default. */
    static final long DEFAULT_BYTES = 256L << 20;
    /**
     * What it sends by default with {@code --pcap} or an impairment: under 5% loss 256 MiB
     * would take most of a minute and make a capture of some 300 MB.
     */
    static final long DEFAULT_BYTES_IMPAIRED_OR_CAPTURED = 16L << 20;

    @Option(names = "--bytes", paramLabel = "SIZE", converter = Converters.Size.class,
            description = "Bytes to send over TCP, " + Converters.SIZE_HELP + " (default: 256M; 16M with --pcap or "
                    + "an impairment, which make for a long run and a large capture).")
    Long bytes;

    @Mixin
    ImpairmentOptions impairment = new ImpairmentOptions();

    @Mixin
    Verbosity verbosity = new Verbosity();

    /** Where the command prints: standard output, or standard error when that carries the capture. */
    private PrintStream out = System.out;

    @Override
    public Integer call() throws Exception {
        impairment.validate(spec);
        long bytes = this.bytes != null ? this.bytes
                : impairment.pcap != null || impairment.any() ? DEFAULT_BYTES_IMPAIRED_OR_CAPTURED : DEFAULT_BYTES;
        if (impairment.captureToStdout()) {
            out = System.err;
        }
        impairment.openCapture();
        try (RealTimeEventLoop loop = new RealTimeEventLoop("tcpip4j-demo")) {
            MemorySwitch network = new MemorySwitch(loop);
            DemoNetwork net = DemoNetwork.open(network, impairment);
            DirectStack a = DirectStackBuilder.on(net.a()).address(new Ipv4Cidr(A, 24)).address6(new Ipv6Cidr(A6, 64))
                    .seed(impairment.seed).name("a").build();
            DirectStack b = DirectStackBuilder.on(net.b()).address(new Ipv4Cidr(B, 24)).address6(new Ipv6Cidr(B6, 64))
                    .seed(impairment.seed + 1).name("b").build();
            out.printf("tcpip4j demo: two stacks on an in-memory network, one event loop%n");
            out.printf("  a  %s/24  %s/64  %s%s%n", A, A6, a.netif().mac(), net.describeA());
            out.printf("  b  %s/24  %s/64  %s%n", B, B6, b.netif().mac());
            net.printImpairments(out);
            if (this.bytes == null && bytes != DEFAULT_BYTES) {
                out.printf("  the TCP transfer sends %s, the default with --pcap or impairments (--bytes to change)%n",
                        DemoFormat.bytes(bytes));
            }
            out.println();
            boolean ok = arp(a) & ping(a) & udpEcho(a, b, B);
            TransferResult transfer = tcp(a, b, A, B, bytes);
            ok &= transfer.ok();
            out.println();
            ok &= dad(a, b) & neighborDiscovery(a) & ping6(a) & udpEcho(a, b, B6);
            ok &= tcp(a, b, A6, B6, Math.min(bytes, IPV6_BYTES)).ok();
            summary(a, b, transfer, net);
            a.disconnect().get(5, TimeUnit.SECONDS);
            b.disconnect().get(5, TimeUnit.SECONDS);
            out.println(ok ? "demo: all steps passed" : "demo: some steps FAILED");
            return ok ? 0 : 1;
        }
    }

    private boolean arp(DirectStack a) throws Exception {
        long t0 = System.nanoTime();
        try {
            MacAddress mac = a.arp().query(B).get(10, TimeUnit.SECONDS);
            out.printf("[arp]  %s is at %s (%s)%n", B, mac, micros(System.nanoTime() - t0));
            return true;
        } catch (Exception e) {
            out.printf("[arp]  %s did not resolve: %s%n", B, cause(e));
            return false;
        }
    }

    private boolean ping(DirectStack a) throws Exception {
        int replies = 0;
        // The sequence numbers on the wire: these are stack a's first echo requests.
        for (int seq = 1; seq <= 3; seq++) {
            try {
                Duration rtt = a.icmp().ping(B, 56, Duration.ofSeconds(1)).get(5, TimeUnit.SECONDS);
                out.printf("[ping] 64 bytes from %s: icmp_seq=%d time=%s%n", B, seq, micros(rtt.toNanos()));
                replies++;
            } catch (Exception e) {
                out.printf("[ping] icmp_seq=%d: %s%n", seq, cause(e));
            }
        }
        return replies > 0;
    }

    private boolean dad(DirectStack a, DirectStack b) throws Exception {
        long t0 = System.nanoTime();
        try {
            a.ipv6().orElseThrow().addressesReady().get(10, TimeUnit.SECONDS);
            b.ipv6().orElseThrow().addressesReady().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            out.printf("[dad]  did not end: %s%n", cause(e));
            return false;
        }
        boolean unique = true;
        for (DirectStack s : new DirectStack[] {a, b}) {
            for (Ipv6AddressInfo info : s.ipv6().orElseThrow().addressInfo()) {
                unique &= info.isUsable();
                out.printf("[dad]  %s: %s (%.0f ms)%n", s == a ? "a" : "b", info, (System.nanoTime() - t0) / 1e6);
            }
        }
        return unique;
    }

    private boolean neighborDiscovery(DirectStack a) throws Exception {
        long t0 = System.nanoTime();
        // An echo request needs b's MAC: sending one (sequence 1) starts the resolution; whether
        // its reply comes (under --loss it may not) is not the point here, the neighbor cache is.
        a.icmpv6().orElseThrow().ping(B6, 8, Duration.ofSeconds(1));
        long deadline = t0 + TimeUnit.SECONDS.toNanos(5);
        Ipv6Neighbor neighbor = null;
        while (System.nanoTime() < deadline) {
            neighbor = a.loop().call(() -> CompletableFuture.completedFuture(
                    a.ipv6().orElseThrow().neighbors().stream().filter(n -> n.address().equals(B6)).findFirst()
                            .orElse(null))).get(5, TimeUnit.SECONDS);
            if (neighbor != null && neighbor.mac() != null) {
                out.printf("[nd]   %s is at %s, %s (%s, for echo icmp_seq=1)%n", B6, neighbor.mac(),
                        neighbor.state().name().toLowerCase(java.util.Locale.ROOT), micros(System.nanoTime() - t0));
                return true;
            }
            Thread.sleep(2);
        }
        out.printf("[nd]   %s did not resolve within 5 s (%s)%n", B6, neighbor == null ? "no entry" : neighbor.state());
        return false;
    }

    private boolean ping6(DirectStack a) throws Exception {
        int replies = 0;
        // The sequence numbers on the wire: neighbor discovery's echo was 1.
        for (int seq = 2; seq <= 4; seq++) {
            try {
                Duration rtt = a.icmpv6().orElseThrow().ping(B6, 56, Duration.ofSeconds(1)).get(5, TimeUnit.SECONDS);
                out.printf("[ping] 64 bytes from %s: icmp_seq=%d time=%s%n", B6, seq, micros(rtt.toNanos()));
                replies++;
            } catch (Exception e) {
                out.printf("[ping] %s icmp_seq=%d: %s%n", B6, seq, cause(e));
            }
        }
        return replies > 0;
    }

    private boolean udpEcho(DirectStack a, DirectStack b, IpAddress to) throws Exception {
        b.listenUdp(ECHO_PORT, (src, dst, srcPort, payload) -> {
            ByteBuffer copy = ByteBuffer.allocate(payload.remaining()).put(payload).flip();
            b.udp().write(dst, ECHO_PORT, src, srcPort, -1, copy);
        });
        int echoed = 0;
        for (int i = 1; i <= 3; i++) {
            String text = "datagram " + i;
            CompletableFuture<String> reply = new CompletableFuture<>();
            int port = 40000 + i;
            a.listenUdp(port, (src, dst, srcPort, payload) -> reply.complete(StandardCharsets.UTF_8.decode(payload).toString()));
            a.udp().write(null, port, to, ECHO_PORT, -1, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
            try {
                String got = reply.get(1, TimeUnit.SECONDS);
                out.printf("[udp]  %s echoed \"%s\"%n", endpoint(to, ECHO_PORT), got);
                echoed += got.equals(text) ? 1 : 0;
            } catch (TimeoutException e) {
                out.printf("[udp]  \"%s\": no echo within 1 s%n", text);
            }
            a.udp().unlisten(port);
        }
        return echoed > 0;
    }

    record TransferResult(boolean ok, long bytes, long nanos, String problem) {
    }

    /** {@code 198.18.0.2:7} or {@code [2001:2::2]:7}. */
    static String endpoint(IpAddress address, int port) {
        return (address instanceof Ipv6Address ? "[" + address + "]" : address.toString()) + ":" + port;
    }

    private TransferResult tcp(DirectStack a, DirectStack b, IpAddress from, IpAddress to, long bytes)
            throws Exception {
        CompletableFuture<FlowDrain> accepted = new CompletableFuture<>();
        AtomicLong mismatchAt = new AtomicLong(-1);
        b.listenTcp(SINK_PORT, f -> {
            FlowDrain drain = new FlowDrain(f, b.loop(), (data, offset) -> {
                if (mismatchAt.get() < 0) {
                    mismatchAt.set(PATTERN.firstMismatch(data, offset));
                }
            });
            accepted.complete(drain);
            drain.start();
        });
        out.printf("[tcp]  connecting %s -> %s, sending %s%n", from, endpoint(to, SINK_PORT), DemoFormat.bytes(bytes));
        TcpFlow flow;
        try {
            flow = a.tcp().connect(to, SINK_PORT).get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            out.printf("[tcp]  connect failed: %s%n", cause(e));
            return new TransferResult(false, 0, 0, "connect failed");
        }
        long t0 = System.nanoTime();
        FlowSender source = new FlowSender(flow, PATTERN, bytes, a.loop());
        source.start();
        FlowDrain sink = accepted.get(10, TimeUnit.SECONDS);
        Progress progress = new Progress(out, bytes);
        while (!sink.finished().isDone() && !source.finished().isCompletedExceptionally()) {
            try {
                CompletableFuture.anyOf(sink.finished(), source.finished()).get(200, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                progress.update(sink.received(), System.nanoTime() - t0);
            } catch (ExecutionException e) {
                break; // reported below
            }
        }
        long nanos = System.nanoTime() - t0;
        progress.finish(sink.received(), nanos);
        String problem = null;
        if (source.finished().isCompletedExceptionally()) {
            problem = "sender failed: " + cause(source.finished().exceptionNow());
        } else if (sink.finished().isCompletedExceptionally()) {
            problem = "receiver failed: " + cause(sink.finished().exceptionNow());
        } else if (sink.received() != bytes) {
            problem = "received " + sink.received() + " of " + bytes + " bytes";
        } else if (mismatchAt.get() >= 0) {
            problem = "content differs at byte " + mismatchAt.get();
        }
        try {
            // The sender closes once everything is written; this completes when b has closed too.
            source.finished().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            problem = problem != null ? problem : "close did not complete: " + cause(e);
        }
        if (problem == null) {
            out.printf("[tcp]  %s received and verified byte for byte%n", DemoFormat.bytes(bytes));
        } else {
            out.printf("[tcp]  FAILED: %s%n", problem);
        }
        return new TransferResult(problem == null, sink.received(), nanos, problem);
    }

    private void summary(DirectStack a, DirectStack b, TransferResult t, DemoNetwork net) {
        out.println();
        out.println("summary");
        if (t.nanos() > 0) {
            double gbps = t.bytes() * 8.0 / t.nanos();
            out.printf("  tcp throughput      %.2f Gbit/s (%s in %.2f s)%n", gbps, DemoFormat.bytes(t.bytes()), t.nanos() / 1e9);
        }
        out.printf("  tcp retransmissions %d%n", retransmissions(a.counters()) + retransmissions(b.counters()));
        net.summary(out);
        for (DirectStack s : new DirectStack[] {a, b}) {
            out.printf("  counters of stack %s%n", s == a ? "a" : "b");
            CounterReport.print(out, s.counters(), "    ");
        }
    }

    /** Segments sent again, timeouts and fast retransmits together. */
    static long retransmissions(Map<String, Map<String, Long>> counters) {
        return CounterReport.get(counters, "tcp", "tx.retransmits");
    }

    private static String micros(long nanos) {
        return String.format("%.1f us", nanos / 1e3);
    }

    static String cause(Throwable e) {
        Throwable c = e;
        while ((c instanceof java.util.concurrent.ExecutionException || c instanceof java.util.concurrent.CompletionException)
                && c.getCause() != null) {
            c = c.getCause();
        }
        return c.getClass().getSimpleName() + ": " + c.getMessage();
    }
}
