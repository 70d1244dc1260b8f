package org.tcpip4j.tck.sim;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.tcpip4j.arp.ArpConfig;
import org.tcpip4j.netif.Ipv4Address;
import org.tcpip4j.netif.Ipv4Cidr;
import org.tcpip4j.netif.MacAddress;
import org.tcpip4j.netif.impair.ImpairedNetif;
import org.tcpip4j.netif.loop.VirtualTimeEventLoop;
import org.tcpip4j.netif.memory.MemorySwitch;
import org.tcpip4j.stack.direct.DirectStack;
import org.tcpip4j.stack.direct.DirectStackBuilder;
import org.tcpip4j.tcp.ReadResult;
import org.tcpip4j.tcp.TcpConfig;
import org.tcpip4j.tcp.TcpFlow;
import org.tcpip4j.tcp.TcpInfo;

/**
 * Two direct stacks on an in-memory switch joined by a {@link BottleneckPath}: the sender's
 * port impairs what it sends with the path's data direction, the receiver's with its ACK
 * direction, on one {@link VirtualTimeEventLoop} owned by the test thread. Flows go from
 * the sender to the receiver's {@link #PORT}, where a {@link Sink} per connection reads
 * and counts every byte; the seed picks the impairments' dice and the stacks' randomness,
 * so a seed replays the same run frame for frame and every figure is exact for it.
 */
final class PathNetwork {

    static final Ipv4Address SENDER = Ipv4Address.parse("198.18.3.1");
    static final Ipv4Address RECEIVER = Ipv4Address.parse("198.18.3.2");
    static final int PORT = 5201;
    /** ARP entries outlive every run, so no refresh falls in a measurement. */
    static final ArpConfig ARP = new ArpConfig(1024, Duration.ofHours(1), 3, Duration.ofSeconds(1), 16);

    final BottleneckPath path;
    final VirtualTimeEventLoop loop = new VirtualTimeEventLoop();
    final ImpairedNetif senderLink;
    final ImpairedNetif receiverLink;
    final DirectStack sender;
    final DirectStack receiver;
    /** The receiving end of each connection, by the sender's port. */
    private final Map<Integer, Sink> sinks = new HashMap<>();

    PathNetwork(long seed, BottleneckPath path, TcpConfig config) {
        this.path = path;
        MemorySwitch network = new MemorySwitch(loop);
        SplittableRandom random = new SplittableRandom(seed ^ 0x7CA9_5EEDL);
        senderLink = ImpairedNetif.onSend(network.port(MacAddress.parse("02:00:00:00:03:01")), path.forward(),
                random.split());
        receiverLink = ImpairedNetif.onSend(network.port(MacAddress.parse("02:00:00:00:03:02")), path.reverse(),
                random.split());
        sender = DirectStackBuilder.on(senderLink).address(new Ipv4Cidr(SENDER, 24)).name("perf-sender")
                .seed(random.nextLong()).tcpConfig(config).arpConfig(ARP).build();
        receiver = DirectStackBuilder.on(receiverLink).address(new Ipv4Cidr(RECEIVER, 24)).name("perf-receiver")
                .seed(random.nextLong()).tcpConfig(config).arpConfig(ARP).build();
        receiver.listenTcp(PORT, f -> {
            Sink sink = new Sink(loop);
            sinks.put(f.dst().port(), sink);
            sink.start(f);
        });
    }

    /**
     * Opens a connection from the sender and sends {@code bytes} on it as fast as it takes
     * them, then closes it ({@link Long#MAX_VALUE}: sends until the run ends).
     */
    Flow start(long bytes) {
        Flow flow = new Flow(new Source(bytes));
        sender.tcp().connect(RECEIVER, PORT).whenComplete((f, e) -> {
            if (e != null) {
                flow.failure = e;
            } else {
                flow.flow = f;
                flow.source.start(f);
            }
        });
        return flow;
    }

    /** Runs the loop until virtual time {@code nanos} (from the loop's start). */
    void runUntilTime(long nanos) {
        loop.runUntilTime(nanos);
    }

    /**
     * The sending end's {@link TcpFlow#info()}, or null when the stack does not give it
     * ({@code why[0]} then says why). Runs the loop until the answer comes.
     */
    TcpInfo info(Flow flow, String[] why) {
        if (flow.flow == null) {
            why[0] = "no connection";
            return null;
        }
        CompletableFuture<TcpInfo> info = flow.flow.info();
        loop.runUntil(info::isDone, Duration.ofSeconds(1).toNanos());
        if (!info.isDone()) {
            why[0] = "TcpFlow.info() did not answer";
            return null;
        }
        try {
            return info.join();
        } catch (CompletionException e) {
            why[0] = "TcpFlow.info() failed: " + e.getCause();
            return null;
        }
    }

    /**
     * Ends the run: disconnects both stacks (which resets what is still open) and checks
     * that every buffer chunk went back to its layer's pool and no connection is held, as
     * the transfer simulations' leak checks do.
     *
     * @throws AssertionError when a chunk or a connection is left
     */
    void disconnectAndCheckPools() {
        CompletableFuture<Void> both = CompletableFuture.allOf(sender.disconnect(), receiver.disconnect());
        loop.runUntil(both::isDone, Duration.ofSeconds(10).toNanos());
        for (DirectStack s : new DirectStack[] {sender, receiver}) {
            Map<String, Long> tcp = s.counters().get("tcp");
            if (tcp.getOrDefault("mem.bytes", 0L) != 0 || tcp.getOrDefault("conn.open", 0L) != 0) {
                throw new AssertionError("buffer chunks or connections left after disconnect: " + tcp);
            }
        }
    }

    /** The sender's TCP counters that tell how it recovered. */
    String senderCounters() {
        Map<String, Long> tcp = sender.counters().get("tcp");
        StringBuilder sb = new StringBuilder();
        for (String name : new String[] {"tx.segments", "tx.retransmits", "tx.fast_retransmits", "tx.sack_recoveries",
                "tx.tail_loss_probes", "tx.lost_retransmits", "tx.rto_expiries"}) {
            sb.append(sb.isEmpty() ? "" : " ").append(name).append('=').append(tcp.getOrDefault(name, 0L));
        }
        return sb.toString();
    }

    /** Everything needed to reproduce and diagnose a run. */
    String describe() {
        return "at " + Duration.ofNanos(loop.nanoTime()) + " on " + path
                + "\ndata direction " + senderLink.sendStats()
                + "\nACK direction  " + receiverLink.sendStats()
                + "\nsender tcp " + senderCounters()
                + "\nsender " + sender.counters().get("tcp")
                + "\nreceiver " + receiver.counters().get("tcp");
    }

    /** One connection: its sending end and, once accepted, its receiving end. */
    final class Flow {
        final Source source;
        volatile TcpFlow flow;
        volatile Throwable failure;

        private Flow(Source source) {
            this.source = source;
        }

        /** The receiving end, or null before the connection is accepted. */
        Sink sink() {
            return flow == null ? null : sinks.get(flow.src().port());
        }

        /** Bytes the receiving application has read so far. */
        long received() {
            Sink s = sink();
            return s == null ? 0 : s.received;
        }

        @Override
        public String toString() {
            return (failure != null ? "connect failed: " + failure : flow == null ? "connecting" : flow.toString())
                    + ", " + source + ", " + sink();
        }
    }

    /** Writes {@code total} bytes in chunks as the send buffer takes them, then closes. */
    static final class Source {
        private static final int CHUNK = 64 * 1024;
        /** What every write sends; never written to, so writes in flight may share it. */
        private static final ByteBuffer PATTERN;

        static {
            byte[] b = new byte[CHUNK];
            new SplittableRandom(1).nextBytes(b);
            PATTERN = ByteBuffer.wrap(b);
        }

        final long total;
        private TcpFlow flow;
        long written;
        private Throwable failure;

        Source(long total) {
            this.total = total;
        }

        void start(TcpFlow f) {
            this.flow = f;
            writeLoop();
        }

        private void writeLoop() {
            while (true) {
                if (written >= total) {
                    flow.close();
                    return;
                }
                int n = (int) Math.min(CHUNK, total - written);
                CompletableFuture<Void> w = flow.write(PATTERN.duplicate().limit(n));
                written += n;
                if (w.isDone() && !w.isCompletedExceptionally()) {
                    continue;
                }
                w.whenComplete((v, e) -> {
                    if (e != null) {
                        failure = e;
                    } else {
                        writeLoop();
                    }
                });
                return;
            }
        }

        @Override
        public String toString() {
            return "written " + written + (total == Long.MAX_VALUE ? "" : "/" + total)
                    + (failure == null ? "" : " (write failed: " + failure + ")");
        }
    }

    /**
     * Reads a connection to Eof, counting the bytes and keeping when each read completed
     * (virtual time) with the count after it, so that goodput over any window can be
     * computed afterwards.
     */
    static final class Sink {
        private final VirtualTimeEventLoop loop;
        long received;
        boolean eof;
        Throwable failure;
        private long[] times = new long[1024];
        private long[] counts = new long[1024];
        private int samples;

        Sink(VirtualTimeEventLoop loop) {
            this.loop = loop;
        }

        void start(TcpFlow f) {
            while (true) {
                CompletableFuture<ReadResult> r = f.read();
                if (r.isDone() && !r.isCompletedExceptionally()) {
                    if (!take(r.join())) {
                        return;
                    }
                    continue;
                }
                r.whenComplete((result, e) -> {
                    if (e != null) {
                        failure = e;
                    } else if (take(result)) {
                        start(f);
                    }
                });
                return;
            }
        }

        private boolean take(ReadResult result) {
            if (!(result instanceof ReadResult.Data d)) {
                eof = true;
                return false;
            }
            received += d.data().remaining();
            long now = loop.nanoTime();
            if (samples > 0 && times[samples - 1] == now) {
                counts[samples - 1] = received;
                return true;
            }
            if (samples == times.length) {
                times = Arrays.copyOf(times, samples * 2);
                counts = Arrays.copyOf(counts, samples * 2);
            }
            times[samples] = now;
            counts[samples] = received;
            samples++;
            return true;
        }

        /** Bytes read by virtual time {@code nanos}, that instant's reads included. */
        long bytesAt(long nanos) {
            int i = Arrays.binarySearch(times, 0, samples, nanos);
            if (i >= 0) {
                return counts[i];
            }
            int before = -i - 2;
            return before < 0 ? 0 : counts[before];
        }

        /** The virtual time of the read that brought the count to {@code bytes} or past it; -1 when none has. */
        long timeReaching(long bytes) {
            int lo = 0;
            int hi = samples;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (counts[mid] < bytes) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return lo == samples ? -1 : times[lo];
        }

        @Override
        public String toString() {
            return "read " + received + (eof ? " (Eof)" : "") + (failure == null ? "" : " (read failed: " + failure + ")");
        }
    }
}
