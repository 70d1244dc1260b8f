package org.tcpip4j.cli;

import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.tcpip4j.netif.Ipv4Address;
import org.tcpip4j.netif.Ipv4Cidr;
import org.tcpip4j.netif.MacAddress;
import org.tcpip4j.netif.Netif;
import org.tcpip4j.netif.loop.RealTimeEventLoop;
import org.tcpip4j.netif.memory.MemorySwitch;
import org.tcpip4j.stack.direct.DirectStack;
import org.tcpip4j.stack.direct.DirectStackBuilder;
import org.tcpip4j.tcp.ReadResult;
import org.tcpip4j.tcp.TcpFlow;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tcpip4j demo}: two direct stacks on an in-memory network, one event loop, no root:
 * ARP, ping, UDP echo, then a TCP transfer checked byte for byte, and a summary.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Two stacks on an in-memory network: ARP, ping, UDP echo, then a TCP transfer.")
final class DemoCommand implements Callable<Integer> {

    static final Ipv4Address A = Ipv4Address.parse("198.18.0.1");
    static final Ipv4Address B = Ipv4Address.parse("198.18.0.2");
    static final int ECHO_PORT = 7;
    static final int SINK_PORT = 5001;

    @Option(names = "--bytes", description = "Bytes to send over TCP (default: ${DEFAULT-VALUE}).",
            defaultValue = "268435456")
    long bytes;

    @Option(names = "--loss", description = "Percent of frames lost in each direction at stack a (default: none).",
            defaultValue = "0")
    double lossPercent;

    @Option(names = "--seed", description = "Seed of the impairment and the stacks' randomness (default: ${DEFAULT-VALUE}).",
            defaultValue = "1")
    long seed;

    @Option(names = "--pcap", description = "Write stack a's frames to this pcap file.")
    Path pcap;

    @Option(names = "-v", description = "More log output: -v info, -vv debug.")
    boolean[] verbose = new boolean[0];

    private final PrintStream out = System.out;

    @Override
    public Integer call() throws Exception {
        if (bytes < 0 || lossPercent < 0 || lossPercent >= 100) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                    "--bytes must be >= 0 and --loss in [0, 100)");
        }
        try (RealTimeEventLoop loop = new RealTimeEventLoop("tcpip4j-demo")) {
            MemorySwitch network = new MemorySwitch(loop);
            DemoNetwork net = DemoNetwork.open(network, lossPercent / 100.0, seed, pcap);
            DirectStack a = DirectStackBuilder.on(net.a()).address(new Ipv4Cidr(A, 24)).seed(seed).name("a").build();
            DirectStack b = DirectStackBuilder.on(net.b()).address(new Ipv4Cidr(B, 24)).seed(seed + 1).name("b").build();
            out.printf("tcpip4j demo: two stacks on an in-memory network, one event loop%n");
            out.printf("  a  %s/24  %s%s%n", A, a.netif().mac(), net.describeA());
            out.printf("  b  %s/24  %s%n%n", B, b.netif().mac());
            boolean ok = arp(a) & ping(a) & udpEcho(a, b);
            TransferResult transfer = tcp(a, b);
            ok &= transfer.ok();
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

    private boolean udpEcho(DirectStack a, DirectStack b) throws Exception {
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
            a.udp().write(null, port, B, ECHO_PORT, -1, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
            try {
                String got = reply.get(1, TimeUnit.SECONDS);
                out.printf("[udp]  %s:%d echoed \"%s\"%n", B, ECHO_PORT, got);
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

    private TransferResult tcp(DirectStack a, DirectStack b) throws Exception {
        ByteSink sink = new ByteSink(b.loop());
        b.listenTcp(SINK_PORT, sink::start);
        out.printf("[tcp]  connecting %s -> %s:%d, sending %s%n", A, B, SINK_PORT, DemoFormat.bytes(bytes));
        TcpFlow flow;
        try {
            flow = a.tcp().connect(B, SINK_PORT).get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            out.printf("[tcp]  connect failed: %s%n", cause(e));
            return new TransferResult(false, 0, 0, "connect failed");
        }
        long t0 = System.nanoTime();
        ByteSource source = new ByteSource(flow, bytes, a.loop());
        source.start();
        Progress progress = new Progress(out, bytes);
        while (!sink.done.isDone()) {
            try {
                sink.done.get(200, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                progress.update(sink.received.get(), System.nanoTime() - t0);
            }
            if (source.failed.isDone()) {
                break;
            }
        }
        long nanos = System.nanoTime() - t0;
        progress.finish(sink.received.get(), nanos);
        String problem = null;
        if (source.failed.isDone()) {
            problem = "sender failed: " + cause(source.failed.exceptionNow());
        } else if (sink.done.isCompletedExceptionally()) {
            problem = "receiver failed: " + cause(sink.done.exceptionNow());
        } else if (sink.received.get() != bytes) {
            problem = "received " + sink.received.get() + " of " + bytes + " bytes";
        } else if (sink.mismatchAt.get() >= 0) {
            problem = "content differs at byte " + sink.mismatchAt.get();
        }
        try {
            flow.close().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            problem = problem != null ? problem : "close did not complete: " + cause(e);
        }
        if (problem == null) {
            out.printf("[tcp]  %s received and verified byte for byte%n", DemoFormat.bytes(bytes));
        } else {
            out.printf("[tcp]  FAILED: %s%n", problem);
        }
        return new TransferResult(problem == null, sink.received.get(), nanos, problem);
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
            s.counters().forEach((layer, counters) -> {
                StringBuilder line = new StringBuilder();
                counters.forEach((k, v) -> {
                    if (v != 0) {
                        line.append(' ').append(k).append('=').append(v);
                    }
                });
                if (!line.isEmpty()) {
                    out.printf("    %-8s%s%n", layer, line);
                }
            });
        }
    }

    static long retransmissions(Map<String, Map<String, Long>> counters) {
        long n = 0;
        for (var e : counters.getOrDefault("tcp", Map.of()).entrySet()) {
            if (e.getKey().contains("retrans")) {
                n += e.getValue();
            }
        }
        return n;
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

    /** The stream's content: byte k of the stream is {@code k % 251}, so order and content are checked. */
    static byte patternAt(long k) {
        return (byte) (k % 251);
    }

    /** Reads a flow to its end on the loop, counting and checking every byte. */
    static final class ByteSink {
        final AtomicLong received = new AtomicLong();
        final AtomicLong mismatchAt = new AtomicLong(-1);
        final CompletableFuture<Void> done = new CompletableFuture<>();
        private final java.util.concurrent.Executor loop;
        private TcpFlow flow;

        ByteSink(java.util.concurrent.Executor loop) {
            this.loop = loop;
        }

        void start(TcpFlow f) {
            this.flow = f;
            next();
        }

        private void next() {
            flow.read().whenCompleteAsync((r, e) -> {
                if (e != null) {
                    done.completeExceptionally(e);
                    return;
                }
                switch (r) {
                    case ReadResult.Data d -> {
                        ByteBuffer buf = d.data();
                        long at = received.get();
                        for (int i = buf.position(); i < buf.limit(); i++, at++) {
                            if (buf.get(i) != patternAt(at) && mismatchAt.get() < 0) {
                                mismatchAt.set(at);
                            }
                        }
                        received.set(at);
                        next();
                    }
                    case ReadResult.Eof eof -> flow.close().whenComplete((v, x) -> done.complete(null));
                }
            }, loop); // through the loop's queue, so a chain of ready reads does not recurse
        }
    }

    /** Writes the pattern to a flow in chunks, each after the previous one was accepted. */
    static final class ByteSource {
        private static final int CHUNK = 64 * 1024;
        private final byte[] pattern = new byte[CHUNK + 251];
        private final TcpFlow flow;
        private final long total;
        private final java.util.concurrent.Executor loop;
        private long sent;
        final CompletableFuture<Void> failed = new CompletableFuture<>();

        ByteSource(TcpFlow flow, long total, java.util.concurrent.Executor loop) {
            this.flow = flow;
            this.total = total;
            this.loop = loop;
            for (int i = 0; i < pattern.length; i++) {
                pattern[i] = patternAt(i);
            }
        }

        void start() {
            loop.execute(this::next);
        }

        private void next() {
            if (sent >= total) {
                flow.close();
                return;
            }
            int n = (int) Math.min(CHUNK, total - sent);
            // The pattern array is never written after construction, so handing out views
            // of it honours the rule that a written buffer is not reused.
            ByteBuffer chunk = ByteBuffer.wrap(pattern, (int) (sent % 251), n);
            sent += n;
            flow.write(chunk).whenComplete((v, e) -> {
                if (e != null) {
                    failed.completeExceptionally(e);
                } else {
                    loop.execute(this::next);
                }
            });
        }
    }
}
