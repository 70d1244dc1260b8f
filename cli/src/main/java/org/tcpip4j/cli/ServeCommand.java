package org.tcpip4j.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.tcpip4j.cli.service.ChargenService;
import org.tcpip4j.cli.service.Connections;
import org.tcpip4j.cli.service.DiscardService;
import org.tcpip4j.cli.service.EchoService;
import org.tcpip4j.cli.service.HttpService;
import org.tcpip4j.cli.service.ServiceCounters;
import org.tcpip4j.cli.service.UdpEchoService;
import org.tcpip4j.netif.loop.RealTimeEventLoop;
import org.tcpip4j.netif.loop.Timer;
import org.tcpip4j.netif.tap.TapException;
import org.tcpip4j.netif.tap.TapNetif;
import org.tcpip4j.netty.StackEventLoopGroup;
import org.tcpip4j.stack.Stack;
import org.tcpip4j.stack.direct.DirectStack;
import org.tcpip4j.stack.direct.MultiQueueStack;
import org.tcpip4j.tcp.TcpConfig;
import org.tcpip4j.tcp.TcpLimits;
import org.tcpip4j.tcp.TcpListener;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tcpip4j serve}: the direct stack on a TAP device, answering ARP and ping, with the
 * services named on the command line, until SIGINT or SIGTERM; then it closes the device
 * (deleting it if it created it), closes the capture, and prints a summary of counters.
 */
@Command(name = "serve", mixinStandardHelpOptions = true, versionProvider = Version.class, sortOptions = false,
        description = {"The stack on a TAP device, serving until interrupted (SIGINT/SIGTERM close cleanly).",
                "Every service is off unless its port is given. At exit: a summary of counters, and the device is "
                        + "deleted if serve created it. The impairments (--loss, --delay, --rate, ...) apply on our "
                        + "side of the device, to what we send and what we receive. Example:",
                "  tcpip4j serve --tap tap0 --ip 198.18.5.2/24 --echo 7 --http 8080"})
final class ServeCommand implements Callable<Integer> {

    /** RFC 864's stream, bounded so a client can check a whole transfer: 1 GiB. */
    static final long DEFAULT_CHARGEN_BYTES = 1L << 30;
    /** How often a capture is flushed, so Wireshark can follow the file while we serve. */
    private static final Duration PCAP_FLUSH = Duration.ofSeconds(1);

    @Spec
    CommandSpec spec;

    @Mixin
    TapOptions device = new TapOptions();

    @Option(names = "--echo", paramLabel = "PORT", description = "TCP echo on this port.")
    Integer echo;

    @Option(names = "--discard", paramLabel = "PORT", description = "TCP discard: read and drop until Eof, then close.")
    Integer discard;

    @Option(names = "--chargen", paramLabel = "PORT",
            description = "TCP chargen: on connect send --chargen-bytes of the RFC 864 pattern, then close.")
    Integer chargen;

    @Option(names = "--chargen-bytes", paramLabel = "SIZE", defaultValue = "1G", converter = Converters.Size.class,
            description = "Bytes chargen sends on each connection, " + Converters.SIZE_HELP
                    + " (default: ${DEFAULT-VALUE}).")
    long chargenBytes;

    @Option(names = "--udp-echo", paramLabel = "PORT", description = "UDP echo on this port.")
    Integer udpEcho;

    @Option(names = "--http", paramLabel = "PORT",
            description = "HTTP/1.1 on this port: / the live counters and connections, /stats the counters as text, "
                    + "/connections the open TCP connections (ss -ti-like), /bytes/N N bytes of the chargen pattern.")
    Integer http;

    @Option(names = "--queues", paramLabel = "N", defaultValue = "1",
            description = "Open the TAP with N queues (IFF_MULTI_QUEUE): a stack and an event loop per queue, on as "
                    + "many cores, the kernel spreading connections over them (default: ${DEFAULT-VALUE}). "
                    + "Impairments and --pcap need one queue.")
    int queues = 1;

    @Option(names = "--max-connections", paramLabel = "N",
            description = "Hold at most this many TCP connections (TIME_WAIT aside); SYNs past it go unanswered "
                    + "(default: ${DEFAULT-VALUE}).", defaultValue = "1048576")
    int maxConnections;

    @Option(names = "--syn-cookies", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Answer SYNs with cookies when a port's half-open queue is full (RFC 4987; the default); "
                    + "--no-syn-cookies drops them instead.")
    boolean synCookies = true;

    @Mixin
    ImpairmentOptions impairment = new ImpairmentOptions();

    @Option(names = "--stats-interval", paramLabel = "SECONDS", defaultValue = "0",
            description = "Print the counters every this many seconds (default: only at exit).")
    double statsInterval;

    @Mixin
    Verbosity verbosity = new Verbosity();

    /** Completed with a reason to stop: by a signal, or by a test. */
    final CompletableFuture<String> stop = new CompletableFuture<>();
    /** For tests: called with the device once every service listens. */
    Consumer<TapNetif> onReady = tap -> {
    };

    /** Where the command prints; tests replace it. */
    PrintStream out = System.out;
    private final PrintStream err = System.err;
    /** Flushes the capture; touched on the loop only. */
    private Timer pcapFlush;

    @Override
    public Integer call() throws Exception {
        validate();
        if (impairment.captureToStdout() && out == System.out) {
            out = System.err; // standard output carries the capture
        }
        if (queues > 1) {
            return serveQueues();
        }
        impairment.openCapture();
        try (RealTimeEventLoop loop = device.newLoop("tcpip4j-serve");
             StopOnShutdown _ = StopOnShutdown.install(stop)) {
            TapNetif tap;
            try {
                tap = TapNetif.open(device.config(impairment.any()), loop);
            } catch (TapException e) {
                impairment.closeUnusedCapture();
                err.println("tcpip4j serve: " + e.getMessage());
                return 1;
            }
            NetifChain chain = NetifChain.wrap(tap, impairment); // the capture is open already
            DirectStack stack = device.stack(chain.netif()).tcpConfig(tcpConfig()).seed(impairment.seed).name("serve")
                    .build();
            TapOptions.awaitIpv6(stack, device.slaac, device.slaac ? 10 : 5, err, "serve");
            ServiceCounters services = new ServiceCounters();
            Connections connections = new Connections();
            long started = System.nanoTime();
            StackEventLoopGroup group = StackEventLoopGroup.over(stack);
            List<String> listening = startServices(stack,
                    (port, listenerOn) -> stack.listenTcp(port, listenerOn.apply(stack.loop())), services, connections,
                    group, lines -> new HttpService(
                            () -> CounterReport.html("tcpip4j serve on " + tap.interfaceName(),
                                    facts(stack, tap, chain, lines, started), connections.describe(),
                                    counters(stack, tap, chain, services)),
                            () -> CounterReport.text(counters(stack, tap, chain, services)), connections, services));
            if (chain.capture() != null) {
                loop.execute(() -> flushPeriodically(loop, chain));
            }

            out.printf("tcpip4j serve: the stack on TAP %s: %s, MAC %s, MTU %d%s%n", tap.interfaceName(), device.ip,
                    tap.mac(), tap.mtu(), chain.describe());
            out.printf("  %s%n", device.describeOffloads(tap, impairment.any()));
            if (device.gateway != null) {
                out.printf("  gateway %s%n", device.gateway);
            }
            stack.ipv6().ifPresent(ipv6 -> out.printf("  IPv6 %s%s, every service on both versions%n",
                    ipv6.addressInfo(), ipv6.defaultRouter().map(r -> ", router " + r).orElse("")));
            chain.printImpairments(out, "  ");
            listening.forEach(line -> out.println("  " + line));
            out.println("serving until interrupted (Ctrl-C)");
            out.flush();
            onReady.accept(tap);

            String reason = waitForStop(() -> counters(stack, tap, chain, services), tap::isOpen, started);
            out.printf("stopping: %s%n", reason);
            loop.execute(() -> {
                if (pcapFlush != null) {
                    pcapFlush.cancel();
                }
            });
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS); // the HTTP channels
            stack.disconnect().get(10, TimeUnit.SECONDS); // closes the capture, then the device
            out.printf("%nsummary after %.1f s%n", (System.nanoTime() - started) / 1e9);
            out.printf("  tcp retransmissions %d%n", CounterReport.get(stack.counters(), "tcp", "tx.retransmits"));
            chain.summary(out, "us");
            CounterReport.print(out, counters(stack, tap, chain, services), "  ");
            out.flush();
            return reason.startsWith("the device") ? 1 : 0;
        }
    }

    private void validate() {
        device.requireDevice(spec);
        impairment.validate(spec);
        String[] names = {"--echo", "--discard", "--chargen", "--udp-echo", "--http"};
        Integer[] ports = {echo, discard, chargen, udpEcho, http};
        for (int i = 0; i < ports.length; i++) {
            if (ports[i] != null && (ports[i] < 1 || ports[i] > 65535)) {
                throw Usage.error(spec, names[i], ports[i], "must be a port, 1 to 65535");
            }
        }
        if (queues < 1 || queues > MAX_QUEUES) {
            throw Usage.error(spec, "--queues", queues, "must be 1 to " + MAX_QUEUES);
        }
        if (queues > 1 && (impairment.any() || impairment.pcap != null)) {
            throw Usage.error(spec, "--queues", queues, (impairment.any() ? impairment.given().getFirst() : "--pcap")
                    + " needs one queue (impairments and the capture act on one queue's frames)");
        }
        if (statsInterval < 0) {
            throw Usage.error(spec, "--stats-interval", statsInterval, "must not be negative");
        }
        if (maxConnections < 1 || maxConnections > TcpLimits.MAX_CONNECTIONS) {
            throw Usage.error(spec, "--max-connections", maxConnections, "must be 1 to " + TcpLimits.MAX_CONNECTIONS);
        }
    }

    /** Listens on a TCP port with a listener made for the loop its connections complete on. */
    @FunctionalInterface
    private interface TcpListen {
        void listen(int port, Function<Executor, TcpListener> listenerOn);
    }

    /**
     * Starts the services asked for on {@code stack}, the TCP ones through {@code listen};
     * {@code status} makes the HTTP service from the lines the banner shows. Returns those
     * lines.
     */
    private List<String> startServices(Stack stack, TcpListen listen, ServiceCounters services,
                                       Connections connections, StackEventLoopGroup group,
                                       Function<List<String>, HttpService> status) throws InterruptedException {
        String at = device.ip.address().toString();
        List<String> lines = new ArrayList<>();
        if (echo != null) {
            listen.listen(echo, loop -> new EchoService(loop, services, connections));
            lines.add(String.format("tcp echo     %s:%d", at, echo));
        }
        if (discard != null) {
            listen.listen(discard, loop -> new DiscardService(loop, services, connections));
            lines.add(String.format("tcp discard  %s:%d", at, discard));
        }
        if (chargen != null) {
            listen.listen(chargen, loop -> new ChargenService(loop, chargenBytes, services, connections));
            lines.add(String.format("tcp chargen  %s:%d  (%s a connection)", at, chargen, DemoFormat.bytes(chargenBytes)));
        }
        if (udpEcho != null) {
            stack.listenUdp(udpEcho, new UdpEchoService(stack.udp(), udpEcho, services));
            lines.add(String.format("udp echo     %s:%d", at, udpEcho));
        }
        if (http != null) {
            status.apply(lines).bind(group, http);
            lines.add(String.format("http         http://%s:%d/", at, http));
        }
        return lines;
    }

    private Map<String, String> facts(DirectStack stack, TapNetif tap, NetifChain chain, List<String> services,
                                      long started) {
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("device", "TAP " + tap.interfaceName() + ", MTU " + tap.mtu() + ", "
                + device.describeOffloads(tap, impairment.any()));
        facts.put("address", device.ip + (device.gateway != null ? ", gateway " + device.gateway : ""));
        stack.ipv6().ifPresent(ipv6 -> facts.put("IPv6", ipv6.addressInfo()
                + ipv6.defaultRouter().map(r -> ", router " + r).orElse("")));
        facts.put("MAC", tap.mac().toString());
        if (chain.impairments() != null) {
            facts.put("impairments", chain.impairments().substring("impairments: ".length()));
        }
        facts.put("up for", String.format("%.0f s", (System.nanoTime() - started) / 1e9));
        facts.put("services", services.isEmpty() ? "none (ARP and ping only)" : String.join("; ", services).replaceAll(" +", " "));
        return facts;
    }

    /**
     * The stack's layers, then the device's offloads ("tap") and wrappers', then the
     * services': one naming, {@link CounterReport}.
     */
    private static Map<String, Map<String, Long>> counters(DirectStack stack, TapNetif tap, NetifChain chain,
                                                           ServiceCounters services) {
        Map<String, Map<String, Long>> all = new LinkedHashMap<>(stack.counters());
        all.put(tap.offloadCounters().layer(), tap.offloadCounters().snapshot());
        all.putAll(chain.counters());
        all.put(ServiceCounters.LAYER, services.snapshot());
        return all;
    }

    /**
     * Waits for a stop request, printing the counters every {@code --stats-interval}, and
     * noticing within a second a device that stopped working (deleted under us).
     */
    private String waitForStop(Supplier<Map<String, Map<String, Long>>> counters, BooleanSupplier deviceWorks,
                               long started) throws Exception {
        long intervalNanos = (long) (statsInterval * 1e9);
        long nextStats = intervalNanos > 0 ? started + intervalNanos : Long.MAX_VALUE;
        while (true) {
            long wait = Math.min(TimeUnit.SECONDS.toNanos(1), Math.max(1, nextStats - System.nanoTime()));
            try {
                return stop.get(wait, TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                if (!deviceWorks.getAsBoolean()) {
                    return "the device stopped working";
                }
                long now = System.nanoTime();
                if (now >= nextStats) {
                    out.printf("[stats %.1f s]%n", (now - started) / 1e9);
                    CounterReport.print(out, counters.get(), "  ");
                    out.flush();
                    nextStats = started + ((now - started) / intervalNanos + 1) * intervalNanos;
                }
            }
        }
    }

    /** The TCP configuration {@code --max-connections} and {@code --syn-cookies} give, checked by {@link #validate}. */
    private TcpConfig tcpConfig() {
        return TcpConfig.DEFAULT.withLimits(TcpLimits.DEFAULT
                .withConnections(maxConnections, maxConnections).withSynCookies(synCookies));
    }

    /** The most queues {@code --queues} opens: Linux's limit for a TAP is 256 (MAX_TAP_QUEUES). */
    static final int MAX_QUEUES = 64;

    /**
     * Serves on a TAP of {@link #queues} queues, a stack and a loop per queue
     * ({@link MultiQueueStack}): the services listen on every queue, each connection's
     * service on the loop of the queue that owns it.
     */
    private int serveQueues() throws Exception {
        List<RealTimeEventLoop> loops = new ArrayList<>();
        for (int i = 0; i < queues; i++) {
            loops.add(device.newLoop("tcpip4j-serve-q" + i));
        }
        try (StopOnShutdown _ = StopOnShutdown.install(stop)) {
            List<TapNetif> taps;
            try {
                taps = TapNetif.openQueues(device.config(false), loops);
            } catch (TapException e) {
                err.println("tcpip4j serve: " + e.getMessage());
                return 1;
            }
            TcpConfig tcpConfig = tcpConfig();
            MultiQueueStack stack = MultiQueueStack.build(taps,
                    b -> device.configure(b).tcpConfig(tcpConfig).seed(impairment.seed).name("serve"));
            for (DirectStack q : stack.queues()) {
                TapOptions.awaitIpv6(q, device.slaac, device.slaac ? 10 : 5, err, "serve");
            }
            ServiceCounters services = new ServiceCounters();
            Connections connections = new Connections();
            long started = System.nanoTime();
            TapNetif tap = taps.getFirst();
            Map<String, String> facts = new LinkedHashMap<>();
            facts.put("device", "TAP " + tap.interfaceName() + ", " + queues + " queues, MTU " + tap.mtu() + ", "
                    + device.describeOffloads(tap, false));
            facts.put("address", device.ip + (device.gateway != null ? ", gateway " + device.gateway : ""));
            facts.put("MAC", tap.mac().toString());
            StackEventLoopGroup group = StackEventLoopGroup.over(stack);
            List<String> lines = startServices(stack,
                    (port, listenerOn) -> stack.listenTcpOnEachQueue(port, q -> listenerOn.apply(q.loop())), services,
                    connections, group, listed -> new HttpService(
                            () -> CounterReport.html("tcpip4j serve on " + tap.interfaceName(), facts,
                                    connections.describe(), queueCounters(stack, taps, services)),
                            () -> CounterReport.text(queueCounters(stack, taps, services)), connections, services));
            out.printf("tcpip4j serve: the stack on TAP %s: %s, MAC %s, MTU %d, %d queues (a stack and a loop each)%n",
                    tap.interfaceName(), device.ip, tap.mac(), tap.mtu(), queues);
            out.printf("  %s%n", device.describeOffloads(tap, false));
            if (device.gateway != null) {
                out.printf("  gateway %s%n", device.gateway);
            }
            lines.forEach(line -> out.println("  " + line));
            out.println("serving until interrupted (Ctrl-C)");
            out.flush();
            onReady.accept(tap);
            String reason = waitForStop(() -> queueCounters(stack, taps, services),
                    () -> taps.stream().allMatch(TapNetif::isOpen), started);
            out.printf("stopping: %s%n", reason);
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS); // the HTTP channels
            stack.disconnect().get(10, TimeUnit.SECONDS);
            out.printf("%nsummary after %.1f s%n", (System.nanoTime() - started) / 1e9);
            out.printf("  tcp retransmissions %d%n", CounterReport.get(stack.counters(), "tcp", "tx.retransmits"));
            CounterReport.print(out, queueCounters(stack, taps, services), "  ");
            out.flush();
            return reason.startsWith("the device") ? 1 : 0;
        } finally {
            loops.forEach(RealTimeEventLoop::close);
        }
    }

    /** Every queue's layers summed, the devices' offload counters summed, then the services'. */
    private static Map<String, Map<String, Long>> queueCounters(MultiQueueStack stack, List<TapNetif> taps,
                                                                ServiceCounters services) {
        Map<String, Map<String, Long>> all = new LinkedHashMap<>(stack.counters());
        Map<String, Long> offloads = new LinkedHashMap<>();
        for (TapNetif t : taps) {
            t.offloadCounters().snapshot().forEach((k, v) -> offloads.merge(k, v, Long::sum));
        }
        all.put(taps.getFirst().offloadCounters().layer(), offloads);
        all.put(ServiceCounters.LAYER, services.snapshot());
        return all;
    }

    /** Arms a timer that flushes the capture every second. Loop only. */
    private void flushPeriodically(RealTimeEventLoop loop, NetifChain chain) {
        pcapFlush = loop.newTimer(() -> {
            try {
                chain.capture().flush();
                pcapFlush.schedule(PCAP_FLUSH.toNanos());
            } catch (IOException e) {
                // PcapNetif has logged the failure once; the traffic goes on without a capture.
            }
        });
        pcapFlush.schedule(PCAP_FLUSH.toNanos());
    }
}
