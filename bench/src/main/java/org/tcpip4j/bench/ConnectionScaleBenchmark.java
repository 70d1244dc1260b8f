package org.tcpip4j.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.tcpip4j.netif.IpAddress;
import org.tcpip4j.netif.Ipv4Address;
import org.tcpip4j.netif.Ipv4Cidr;
import org.tcpip4j.netif.MacAddress;
import org.tcpip4j.netif.loop.RealTimeEventLoop;
import org.tcpip4j.netif.memory.MemorySwitch;
import org.tcpip4j.stack.Stack;
import org.tcpip4j.stack.direct.DirectStack;
import org.tcpip4j.stack.direct.DirectStackBuilder;
import org.tcpip4j.stack.socket.SocketStack;
import org.tcpip4j.tcp.TcpConfig;
import org.tcpip4j.tcp.TcpFlow;

/**
 * Many connections between direct stacks on the in-memory network: heap per idle
 * established endpoint, heap per connection in TIME_WAIT, and connections opened and
 * closed per second. Not a test and not JMH: a program that prints its figures.
 *
 * <pre>
 * java -Xmx2g -cp bench/target/benchmarks.jar org.tcpip4j.bench.ConnectionScaleBenchmark [connections] [churn]
 * </pre>
 *
 * <p>One server stack listens on one port; client stacks (one per 14,000 connections, each
 * its own address) connect to it, all on one {@link RealTimeEventLoop}.
 *
 * <ol>
 *   <li><b>Idle:</b> {@code connections} connections are opened (1,000 in flight at a time)
 *       and left idle past the buffers' idle release; heap after a full GC, less the heap
 *       before, over twice the count, is the heap per idle endpoint (both ends counted).
 *   <li><b>TIME_WAIT:</b> every client closes and the server answers with its own close,
 *       leaving the clients' ends in TIME_WAIT and the servers' freed; the heap above the
 *       baseline over the count is the heap per TIME_WAIT connection.
 *   <li><b>Churn:</b> {@code churn} connections opened and closed (the server closes first,
 *       as an HTTP/1.0 server does, so TIME_WAIT lands on the server and client ports are
 *       reused), 1,000 in flight; connections per second over the wall time; then the same
 *       churn between two socket stacks over 127.0.0.1 (Linux's TCP), and the ratio.
 * </ol>
 */
public final class ConnectionScaleBenchmark {

    private static final int PORT = 80;
    private static final int PER_CLIENT = 14_000;
    private static final int IN_FLIGHT = 1_000;

    private ConnectionScaleBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int connections = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int churn = args.length > 1 ? Integer.parseInt(args[1]) : 200_000;
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        System.out.printf(Locale.ROOT, "heap max %d MiB, %d connections, %d churn%n",
            Runtime.getRuntime().maxMemory() >> 20, connections, churn);

        try (RealTimeEventLoop loop = new RealTimeEventLoop("bench-conns")) {
            MemorySwitch network = new MemorySwitch(loop);
            TcpConfig tcp = TcpConfig.DEFAULT;
            DirectStack server = DirectStackBuilder.on(network.port(MacAddress.parse("02:00:00:00:01:00")))
                .address(Ipv4Cidr.parse("198.18.0.1/16")).tcpConfig(tcp).seed(1).name("server").build();
            int clientCount = Math.max(1, (Math.max(connections, IN_FLIGHT) + PER_CLIENT - 1) / PER_CLIENT);
            List<DirectStack> clients = new ArrayList<>();
            for (int i = 0; i < clientCount; i++) {
                clients.add(DirectStackBuilder.on(network.port(MacAddress.parse(String.format(Locale.ROOT,
                        "02:00:00:00:02:%02x", i + 1))))
                    .address(Ipv4Cidr.parse("198.18.1." + (i + 1) + "/16")).tcpConfig(tcp).seed(100 + i)
                    .name("client-" + i).build());
            }
            Ipv4Address serverAddress = Ipv4Address.parse("198.18.0.1");
            warmNeighbours(clients, serverAddress);

            ConcurrentLinkedQueue<TcpFlow> accepted = new ConcurrentLinkedQueue<>();
            AtomicInteger acceptedCount = new AtomicInteger();
            server.listenTcp(PORT, flow -> {
                accepted.add(flow);
                acceptedCount.incrementAndGet();
                // the server closes when the client does
                flow.read().whenComplete((r, e) -> flow.close());
            });

            long baseline = usedAfterGc(memory);

            // 1. idle established connections
            long t0 = System.nanoTime();
            List<TcpFlow> flows = openAll(clients, serverAddress, connections);
            long openNanos = System.nanoTime() - t0;
            while (acceptedCount.get() < connections) {
                Thread.sleep(10);
            }
            Thread.sleep(1_500); // past the buffers' idle release
            long idle = usedAfterGc(memory) - baseline;
            System.out.printf(Locale.ROOT, "idle: %d connections open (%.0f/s), heap %.1f MiB, %.0f B per idle endpoint%n",
                connections, connections / (openNanos / 1e9), idle / 1048576.0, idle / (2.0 * connections));
            pause();

            // 2. TIME_WAIT on the clients' side
            List<CompletableFuture<Void>> closes = new ArrayList<>(IN_FLIGHT);
            for (TcpFlow flow : flows) {
                closes.add(flow.close());
                if (closes.size() == IN_FLIGHT) {
                    CompletableFuture.allOf(closes.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
                    closes.clear();
                }
            }
            CompletableFuture.allOf(closes.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
            closes.clear();
            flows.clear();
            accepted.clear();
            Thread.sleep(500);
            long timeWait = usedAfterGc(memory) - baseline;
            long records = clients.stream().mapToLong(c -> c.tcp().counters().get("conn.time_wait")).sum();
            System.out.printf(Locale.ROOT, "TIME_WAIT records: %d on the clients, %d on the server%n", records,
                server.tcp().counters().get("conn.time_wait"));
            System.out.printf(Locale.ROOT, "TIME_WAIT: heap %.1f MiB, %.0f B per connection in TIME_WAIT%n",
                timeWait / 1048576.0, timeWait / (double) connections);
            pause();

            // 3. churn: open, exchange nothing, close (server first)
            for (DirectStack c : clients) {
                c.disconnect().get(60, TimeUnit.SECONDS);
            }
            clients.clear();
            for (int i = 0; i < clientCount; i++) {
                clients.add(DirectStackBuilder.on(network.port(MacAddress.parse(String.format(Locale.ROOT,
                        "02:00:00:00:03:%02x", i + 1))))
                    .address(Ipv4Cidr.parse("198.18.2." + (i + 1) + "/16")).tcpConfig(tcp).seed(200 + i)
                    .name("churn-" + i).build());
            }
            server.tcp().unlisten(PORT);
            server.listenTcp(PORT, TcpFlow::close);
            warmNeighbours(clients, serverAddress);
            long t1 = System.nanoTime();
            churn(clients, serverAddress, PORT, churn);
            double seconds = (System.nanoTime() - t1) / 1e9;
            System.out.printf(Locale.ROOT, "churn: %d connections opened and closed in %.2f s: %.0f per second%n",
                churn, seconds, churn / seconds);
            for (DirectStack c : clients) {
                c.disconnect().get(60, TimeUnit.SECONDS);
            }
            server.disconnect().get(60, TimeUnit.SECONDS);
            double linux = socketChurn(churn);
            System.out.printf(Locale.ROOT, "churn, socket stack over the kernel's loopback (Linux's TCP): %.0f per second;"
                + " direct / socket: %.2f%n", linux, (churn / seconds) / linux);
        }
    }

    /**
     * The same churn between two socket stacks over 127.0.0.1: Linux's TCP behind the same
     * interfaces and the same futures, the reference in the same run.
     *
     * @return connections opened and closed per second
     */
    private static double socketChurn(int n) throws Exception {
        SocketStack server = SocketStack.builder().address(Ipv4Address.LOCALHOST).name("churn-server").build();
        SocketStack client = SocketStack.builder().address(Ipv4Address.LOCALHOST).name("churn-client").build();
        try {
            server.listenTcp(0, TcpFlow::close);
            int port = server.boundTcpPort(0);
            long t = System.nanoTime();
            churn(List.of(client), Ipv4Address.LOCALHOST, port, n);
            return n / ((System.nanoTime() - t) / 1e9);
        } finally {
            client.disconnect().get(60, TimeUnit.SECONDS);
            server.disconnect().get(60, TimeUnit.SECONDS);
        }
    }

    /**
     * Resolves each client's neighbour (the server) before the bursts: ARP holds only a few
     * datagrams per unresolved address, so a burst of SYNs before it would mostly wait for
     * a SYN retransmission a second later.
     */
    private static void warmNeighbours(List<DirectStack> clients, Ipv4Address server) throws Exception {
        for (DirectStack c : clients) {
            try {
                c.tcp().connect(server, 1).get(10, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException refused) {
                // nobody listens on port 1: the reset came back, so the neighbour is known
            }
        }
    }

    /** Opens {@code n} connections, {@value #IN_FLIGHT} handshakes at a time, spread over the clients. */
    private static List<TcpFlow> openAll(List<DirectStack> clients, Ipv4Address server, int n) throws Exception {
        List<TcpFlow> flows = new ArrayList<>(n);
        List<CompletableFuture<TcpFlow>> batch = new ArrayList<>(IN_FLIGHT);
        for (int i = 0; i < n; i++) {
            batch.add(clients.get(i / PER_CLIENT).tcp().connect(server, PORT));
            if (batch.size() == IN_FLIGHT || i == n - 1) {
                for (CompletableFuture<TcpFlow> f : batch) {
                    flows.add(f.get(60, TimeUnit.SECONDS));
                }
                batch.clear();
            }
        }
        return flows;
    }

    /** Opens and closes {@code n} connections, the server closing first; waits for each client's close. */
    private static void churn(List<? extends Stack> clients, IpAddress server, int port, int n) throws Exception {
        List<CompletableFuture<Void>> batch = new ArrayList<>(IN_FLIGHT);
        for (int i = 0; i < n; i++) {
            Stack client = clients.get(i % clients.size());
            batch.add(client.tcp().connect(server, port)
                .thenCompose(flow -> flow.read().thenCompose(r -> flow.close())));
            if (batch.size() == IN_FLIGHT || i == n - 1) {
                CompletableFuture.allOf(batch.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
                batch.clear();
            }
        }
    }

    /** With {@code -Dbench.histogram=N}, prints the heap's N largest classes after a phase. */
    private static void pause() throws Exception {
        int lines = Integer.getInteger("bench.histogram", 0);
        if (lines > 0) {
            Object histogram = ManagementFactory.getPlatformMBeanServer().invoke(
                new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                new Object[] {null}, new String[] {String[].class.getName()});
            histogram.toString().lines().limit(lines + 3L).forEach(System.out::println);
        }
    }

    private static long usedAfterGc(MemoryMXBean memory) throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
