package org.tcpip4j.bench;

import java.nio.ByteBuffer;
import java.nio.channels.CompletionHandler;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.tcpip4j.netif.Counters;
import org.tcpip4j.netif.IpAddress;
import org.tcpip4j.netif.Ipv4Address;
import org.tcpip4j.netif.Ipv4Cidr;
import org.tcpip4j.netif.Ipv6Address;
import org.tcpip4j.netif.Ipv6Cidr;
import org.tcpip4j.netif.MacAddress;
import org.tcpip4j.netif.NetifOffloads;
import org.tcpip4j.netif.loop.RealTimeEventLoop;
import org.tcpip4j.netif.memory.MemorySwitch;
import org.tcpip4j.stack.Stack;
import org.tcpip4j.stack.direct.DirectStack;
import org.tcpip4j.stack.direct.DirectStackBuilder;
import org.tcpip4j.stack.socket.SocketStack;
import org.tcpip4j.tcp.ReadResult;
import org.tcpip4j.tcp.Shutdown;
import org.tcpip4j.tcp.TcpFlow;

/**
 * Bulk TCP transfer from one stack to another, one connection, one direction. One
 * operation is {@value #OP_BYTES} bytes written by the client and received by the server:
 * {@value #SEGMENTS_PER_OP} full segments of {@value #SEGMENT_PAYLOAD} bytes (MTU 1500, MSS
 * 1460, less the 12 bytes of timestamps every segment carries), so
 *
 * <ul>
 *   <li>throughput in Gbit/s = ops/s * {@value #OP_BYTES} * 8 / 10^9, and
 *   <li>bytes allocated per segment = JMH's {@code gc.alloc.rate.norm} (bytes per op, over
 *       all threads) / {@value #SEGMENTS_PER_OP}.
 * </ul>
 *
 * <p>Three cases, run side by side ({@link BenchReport} prints them as one table):
 * <ul>
 *   <li>{@link #directStack}: two direct stacks (DirectStackBuilder) on a MemorySwitch, on
 *       one RealTimeEventLoop; the server reads every byte ({@code TcpFlow.read} hands it a
 *       fresh buffer, so that copy is counted).
 *   <li>{@link #directStackBufferReader}: the same, the server reading with
 *       {@code TcpFlow.read(dst, attachment, handler)} into one 64 KiB buffer, with one
 *       handler that reads again: the reader's copy without its allocation.
 *   <li>{@link #directStackDiscardingReader}: the same, the server's read direction shut
 *       ({@code Shutdown.READ}), so the data is acknowledged and dropped: what the stack
 *       itself allocates per segment.
 *   <li>{@link #directStackIpv6}, {@link #directStackIpv6DiscardingReader}: the same two
 *       over IPv6 (2001:2::1 to 2001:2::2; 20 bytes of each 1500-byte frame more go to the
 *       IP header, so a segment carries 1428 bytes instead of 1448).
 *   <li>{@link #socketStack}: two SocketStacks over loopback, the host kernel's TCP behind
 *       the same interfaces: the reference.
 * </ul>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class BulkTransferBenchmark {

    /** Payload of a full segment: MTU 1500 less 20 (IPv4), 20 (TCP) and 12 (timestamps). */
    public static final int SEGMENT_PAYLOAD = 1448;
    /** Full segments per operation. */
    public static final int SEGMENTS_PER_OP = 1000;
    /** Bytes per operation. */
    public static final int OP_BYTES = SEGMENT_PAYLOAD * SEGMENTS_PER_OP;
    /** The server's port. */
    static final int PORT = 5001;

    /** Two direct stacks on the in-memory network; the server reads. */
    @Benchmark
    public void directStack(DirectTransfer transfer) throws Exception {
        transfer.transferOne();
    }

    /** Two direct stacks on the in-memory network; the server reads into a buffer it reuses. */
    @Benchmark
    public void directStackBufferReader(DirectBufferReaderTransfer transfer) throws Exception {
        transfer.transferOne();
    }

    /** As {@link #directStackBufferReader}, on ports that offload (TSO, checksums, coalescing). */
    @Benchmark
    public void directStackOffloads(DirectOffloadsTransfer transfer) throws Exception {
        transfer.transferOne();
    }

    /** Two direct stacks on the in-memory network; the server acknowledges and drops. */
    @Benchmark
    public void directStackDiscardingReader(DirectDiscardingTransfer transfer) throws Exception {
        transfer.transferOne();
    }

    /** {@link #directStack} over IPv6: dual stacks, the connection between their IPv6 addresses. */
    @Benchmark
    public void directStackIpv6(DirectTransfer6 transfer) throws Exception {
        transfer.transferOne();
    }

    /** {@link #directStackDiscardingReader} over IPv6. */
    @Benchmark
    public void directStackIpv6DiscardingReader(DirectDiscardingTransfer6 transfer) throws Exception {
        transfer.transferOne();
    }

    /** Two socket stacks over loopback: the host kernel's TCP. */
    @Benchmark
    public void socketStack(SocketTransfer transfer) throws Exception {
        transfer.transferOne();
    }

    /** A goal in received bytes and the future that completes when it is reached. */
    record Pending(long goal, CompletableFuture<Void> reached) {
    }

    /** One connection and its bookkeeping: what was received, what the running op waits for. */
    public abstract static class Transfer {
        private final ByteBuffer payload = ByteBuffer.allocate(OP_BYTES);
        private final AtomicLong received = new AtomicLong();
        private volatile Pending pending;
        private long sent;
        TcpFlow client;

        /** Sends one operation's bytes and waits until the server has them. */
        void transferOne() throws Exception {
            sent += OP_BYTES;
            Pending p = new Pending(sent, new CompletableFuture<>());
            pending = p;
            client.write(payload.duplicate()).get();
            awaitReceived(p);
        }

        /** Waits until the server has received {@code p.goal()} bytes. */
        void awaitReceived(Pending p) throws Exception {
            if (received.get() < p.goal()) {
                p.reached().get(30, TimeUnit.SECONDS);
            }
        }

        /** The server took {@code n} more bytes. */
        final void onReceived(long n) {
            long total = received.addAndGet(n);
            Pending p = pending;
            if (p != null && total >= p.goal()) {
                p.reached().complete(null);
            }
        }

        /** Reads everything the server's flow gives, counting it; closes at the end of the stream. */
        final void readAll(TcpFlow flow) {
            flow.read().whenComplete((r, e) -> {
                if (r instanceof ReadResult.Data d) {
                    onReceived(d.data().remaining());
                    readAll(flow);
                } else {
                    flow.close();
                }
            });
        }

        /**
         * Closes the client's flow, waiting a little for the server to close too, then the
         * stacks (which reset whatever is left).
         */
        static void close(TcpFlow flow, Stack... stacks) throws Exception {
            if (flow != null) {
                try {
                    flow.close().get(2, TimeUnit.SECONDS);
                } catch (java.util.concurrent.TimeoutException e) {
                    // a server that dropped its read direction never saw the FIN: reset below
                }
            }
            for (Stack s : stacks) {
                s.disconnect().get(10, TimeUnit.SECONDS);
            }
        }
    }

    /** Two direct stacks, 198.18.0.1 to 198.18.0.2, on one MemorySwitch and one loop. */
    @State(Scope.Benchmark)
    public static class DirectTransfer extends Transfer {
        RealTimeEventLoop loop;
        DirectStack clientStack;
        DirectStack serverStack;

        /** Builds the network and opens the connection. */
        @Setup(Level.Trial)
        public void open() throws Exception {
            loop = new RealTimeEventLoop("bench-direct");
            MemorySwitch network = new MemorySwitch(loop); // MTU 1500
            DirectStackBuilder server = DirectStackBuilder.on(network.port(MacAddress.parse("02:00:00:00:00:02"),
                    MemorySwitch.DEFAULT_MTU, offloads()))
                .address(Ipv4Cidr.parse("198.18.0.2/24")).seed(2).name("server");
            DirectStackBuilder client = DirectStackBuilder.on(network.port(MacAddress.parse("02:00:00:00:00:01"),
                    MemorySwitch.DEFAULT_MTU, offloads()))
                .address(Ipv4Cidr.parse("198.18.0.1/24")).seed(1).name("client");
            if (ipv6()) {
                server.address6(Ipv6Cidr.parse("2001:2::2/64"));
                client.address6(Ipv6Cidr.parse("2001:2::1/64"));
            }
            serverStack = server.build();
            clientStack = client.build();
            if (ipv6()) {
                serverStack.ipv6().orElseThrow().addressesReady().get(10, TimeUnit.SECONDS);
                clientStack.ipv6().orElseThrow().addressesReady().get(10, TimeUnit.SECONDS);
            }
            serverStack.listenTcp(PORT, this::accepted);
            IpAddress to = ipv6() ? Ipv6Address.parse("2001:2::2") : Ipv4Address.parse("198.18.0.2");
            this.client = clientStack.tcp().connect(to, PORT).get(10, TimeUnit.SECONDS);
        }

        /** Whether the connection is over IPv6. */
        boolean ipv6() {
            return false;
        }

        /** What the switch's ports offer: nothing, so that every segment is a wire segment. */
        NetifOffloads offloads() {
            return NetifOffloads.NONE;
        }

        /** The server's side of the connection. */
        void accepted(TcpFlow flow) {
            readAll(flow);
        }

        /** Closes the connection, the stacks and the loop. */
        @TearDown(Level.Trial)
        public void close() throws Exception {
            close(client, clientStack, serverStack);
            loop.close();
        }
    }

    /**
     * The direct stacks, the server reading into one buffer with one handler, on the loop:
     * nothing is allocated per read.
     */
    @State(Scope.Benchmark)
    public static class DirectBufferReaderTransfer extends DirectTransfer {
        @Override
        void accepted(TcpFlow flow) {
            ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
            flow.read(buffer, flow, new CompletionHandler<Integer, TcpFlow>() {
                @Override
                public void completed(Integer n, TcpFlow f) {
                    if (n < 0) {
                        f.close();
                        return;
                    }
                    onReceived(n);
                    f.read(buffer.clear(), f, this);
                }

                @Override
                public void failed(Throwable e, TcpFlow f) {
                    f.close();
                }
            });
        }
    }

    /**
     * The direct stacks, the server's read direction shut: received data is acknowledged
     * and dropped, and the op polls the server's {@code tcp rx.bytes} counter.
     */
    @State(Scope.Benchmark)
    public static class DirectDiscardingTransfer extends DirectTransfer {
        private Counters.Counter serverBytes;

        @Override
        void accepted(TcpFlow flow) {
            flow.shutdown(Shutdown.READ);
        }

        @Override
        void awaitReceived(Pending p) {
            if (serverBytes == null) {
                serverBytes = serverStack.tcp().counters().counter("rx.bytes");
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (serverBytes.get() < p.goal()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the server stopped receiving at " + serverBytes.get());
                }
                LockSupport.parkNanos(50_000);
            }
        }
    }

    /**
     * {@link DirectBufferReaderTransfer} on ports that offload ({@link NetifOffloads#ALL}),
     * as two stacks on one host would be: TCP segments of up to 64 KiB, checksums left to
     * the device and vouched for on arrival.
     */
    @State(Scope.Benchmark)
    public static class DirectOffloadsTransfer extends DirectBufferReaderTransfer {
        @Override
        NetifOffloads offloads() {
            return NetifOffloads.ALL;
        }
    }

    /** {@link DirectTransfer} over IPv6. */
    @State(Scope.Benchmark)
    public static class DirectTransfer6 extends DirectTransfer {
        @Override
        boolean ipv6() {
            return true;
        }
    }

    /** {@link DirectDiscardingTransfer} over IPv6. */
    @State(Scope.Benchmark)
    public static class DirectDiscardingTransfer6 extends DirectDiscardingTransfer {
        @Override
        boolean ipv6() {
            return true;
        }
    }

    /** Two socket stacks over 127.0.0.1: the kernel's TCP. */
    @State(Scope.Benchmark)
    public static class SocketTransfer extends Transfer {
        SocketStack clientStack;
        SocketStack serverStack;

        /** Listens on an ephemeral port and opens the connection. */
        @Setup(Level.Trial)
        public void open() throws Exception {
            serverStack = SocketStack.builder().address(Ipv4Address.LOCALHOST).name("server").build();
            serverStack.listenTcp(0, this::readAll);
            int port = serverStack.boundTcpPort(0);
            clientStack = SocketStack.builder().address(Ipv4Address.LOCALHOST).name("client").build();
            client = clientStack.tcp().connect(Ipv4Address.LOCALHOST, port).get(10, TimeUnit.SECONDS);
        }

        /** Closes the connection and the stacks. */
        @TearDown(Level.Trial)
        public void close() throws Exception {
            close(client, clientStack, serverStack);
        }
    }
}
