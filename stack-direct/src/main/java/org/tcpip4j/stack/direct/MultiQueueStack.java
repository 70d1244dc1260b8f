package org.tcpip4j.stack.direct;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.tcpip4j.ip.IcmpError;
import org.tcpip4j.netif.Counters;
import org.tcpip4j.netif.IpAddress;
import org.tcpip4j.netif.Netif;
import org.tcpip4j.stack.Stack;
import org.tcpip4j.tcp.FlowOptions;
import org.tcpip4j.tcp.Keepalive;
import org.tcpip4j.tcp.Tcp;
import org.tcpip4j.tcp.TcpFlow;
import org.tcpip4j.tcp.TcpListener;
import org.tcpip4j.udp.Udp;
import org.tcpip4j.udp.UdpCallback;
import org.tcpip4j.udp.UdpErrorCallback;

/**
 * One {@link Stack} over the queues of a multi-queue device (a TAP opened with
 * {@code IFF_MULTI_QUEUE}): a whole direct stack per queue, each on the queue's own event
 * loop and sharing nothing with the others, so that the queues' loops run on as many
 * cores. To its user it is one stack: a listener listens on every queue, and its
 * connections are accepted on whichever queue owns them (so a {@link TcpListener} may be
 * called from several threads); a connection is opened from the next queue in turn; UDP
 * is sent from queue 0 and received on any. Frames that arrive on a queue that does not
 * own them are handed to the owner ({@link QueueNetif}).
 *
 * <pre>{@code
 * List<TapNetif> queues = TapNetif.openQueues(TapConfig.named("tap0"), loops);
 * MultiQueueStack stack = MultiQueueStack.build(queues, b -> b.address(Ipv4Cidr.parse("198.18.0.2/24")));
 * }</pre>
 *
 * <p>Each queue's stack is named NAME-qINDEX, takes its share of the ephemeral ports, and
 * draws the same secrets as the others (one key, from {@link SecureRandom}, or the seed).
 */
public final class MultiQueueStack implements Stack {

    private final List<DirectStack> queues;
    private final List<QueueNetif> devices;
    private final QueueNetif.Steering steering;
    private final QueuesTcp tcp = new QueuesTcp();
    private final QueuesUdp udp = new QueuesUdp();

    private MultiQueueStack(List<DirectStack> queues, List<QueueNetif> devices, QueueNetif.Steering steering) {
        this.queues = List.copyOf(queues);
        this.devices = List.copyOf(devices);
        this.steering = steering;
    }

    /**
     * Builds a stack over {@code queues}, the queues of one device, each on its own loop:
     * {@code configure} sets each queue's builder as it would one stack's (addresses,
     * configurations, a seed, a name).
     *
     * @throws IllegalArgumentException when there is no queue, or the queues share a loop
     */
    public static MultiQueueStack build(List<? extends Netif> queues, UnaryOperator<DirectStackBuilder> configure) {
        Objects.requireNonNull(configure, "configure");
        if (queues.isEmpty()) {
            throw new IllegalArgumentException("a multi-queue stack needs at least one queue");
        }
        if (queues.stream().map(Netif::loop).distinct().count() != queues.size()) {
            throw new IllegalArgumentException("each queue needs an event loop of its own");
        }
        int n = queues.size();
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        QueueNetif.Steering steering = new QueueNetif.Steering(n);
        List<QueueNetif> devices = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            devices.add(new QueueNetif(queues.get(i), i, steering));
        }
        List<DirectStack> stacks = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                stacks.add(configure.apply(DirectStackBuilder.on(devices.get(i))).queue(i, n, key).build());
            }
        } catch (RuntimeException e) {
            stacks.forEach(s -> s.disconnect().join());
            throw e;
        }
        return new MultiQueueStack(stacks, devices, steering);
    }

    /** The stack of each queue, in the device's order. */
    public List<DirectStack> queues() {
        return queues;
    }

    /**
     * Every queue's counters summed, by layer and name as {@link DirectStack#counters()},
     * and a layer "queues" with, per queue, the connections it accepted and opened
     * ({@code qN.accepted}, {@code qN.opened}), the TCP payload bytes it received and sent
     * ({@code qN.rx_bytes}, {@code qN.tx_bytes}: how evenly the queues share the traffic),
     * the frames it received for another ({@code qN.handed_off}) and those it took over
     * from another ({@code qN.taken_over}).
     */
    public Map<String, Map<String, Long>> counters() {
        Map<String, Map<String, Long>> all = new LinkedHashMap<>();
        for (DirectStack s : queues) {
            s.counters().forEach((layer, values) -> {
                Map<String, Long> sum = all.computeIfAbsent(layer, l -> new LinkedHashMap<>());
                values.forEach((name, v) -> sum.merge(name, v, Long::sum));
            });
        }
        Map<String, Long> q = new LinkedHashMap<>();
        for (int i = 0; i < devices.size(); i++) {
            Map<String, Long> tcpOfQueue = queues.get(i).counters().get("tcp");
            q.put("q" + i + ".accepted", tcpOfQueue.getOrDefault("conn.passive_opens", 0L));
            q.put("q" + i + ".opened", tcpOfQueue.getOrDefault("conn.active_opens", 0L));
            q.put("q" + i + ".rx_bytes", tcpOfQueue.getOrDefault("rx.bytes", 0L));
            q.put("q" + i + ".tx_bytes", tcpOfQueue.getOrDefault("tx.bytes", 0L));
            q.put("q" + i + ".handed_off", devices.get(i).handedOff());
            q.put("q" + i + ".taken_over", devices.get(i).takenOver());
        }
        all.put("queues", q);
        return all;
    }

    /**
     * Listens on {@code port} on every queue with a listener of that queue's own, made by
     * {@code listenerFor} from the queue's stack: for a service whose listener belongs to
     * one event loop.
     */
    public void listenTcpOnEachQueue(int port, Function<DirectStack, TcpListener> listenerFor) {
        listenOnEveryQueue(steering.tcpListening, port, q -> q.tcp().listen(port, listenerFor.apply(q)));
    }

    /**
     * Has {@code listen} listen on {@code port} on every queue, and marks the port in
     * {@code listening} for the steering: the first queue's layer checks the port before
     * it is marked or any other queue listens.
     */
    private void listenOnEveryQueue(AtomicIntegerArray listening, int port, Consumer<DirectStack> listen) {
        listen.accept(queues.getFirst());
        listening.incrementAndGet(port);
        for (int i = 1; i < queues.size(); i++) {
            listen.accept(queues.get(i));
        }
    }

    /** Has {@code unlisten} stop listening on {@code port} on every queue, and unmarks the port. */
    private void unlistenOnEveryQueue(AtomicIntegerArray listening, int port, Consumer<DirectStack> unlisten) {
        queues.forEach(unlisten);
        if (port >= 0 && port < listening.length()) {
            listening.set(port, 0);
        }
    }

    @Override
    public Udp udp() {
        return udp;
    }

    @Override
    public Tcp tcp() {
        return tcp;
    }

    @Override
    public List<IpAddress> addresses() {
        return queues.getFirst().addresses();
    }

    /** Completes when every queue's stack has stopped. */
    @Override
    public CompletableFuture<Void> listen() {
        return CompletableFuture.allOf(queues.stream().map(Stack::listen).toArray(CompletableFuture[]::new));
    }

    @Override
    public CompletableFuture<Void> disconnect() {
        return CompletableFuture.allOf(queues.stream().map(Stack::disconnect).toArray(CompletableFuture[]::new));
    }

    @Override
    public String toString() {
        return "MultiQueueStack[" + queues.size() + " queues, " + addresses() + "]";
    }

    private static Counters sum(String layer, List<Counters> all) {
        Counters sum = new Counters(layer);
        for (Counters c : all) {
            c.snapshot().forEach((name, v) -> {
                Counters.Counter counter = sum.counter(name);
                counter.set(counter.get() + v);
            });
        }
        return sum;
    }

    /** TCP over every queue: listeners on all, connections from each in turn. */
    private final class QueuesTcp implements Tcp {
        private final AtomicInteger next = new AtomicInteger();

        private Tcp nextQueue() {
            return queues.get(Math.floorMod(next.getAndIncrement(), queues.size())).tcp();
        }

        @Override
        public CompletableFuture<TcpFlow> connect(IpAddress dst, int port, Keepalive keepalive) {
            return nextQueue().connect(dst, port, keepalive);
        }

        @Override
        public CompletableFuture<TcpFlow> connectWith(IpAddress dst, int port, FlowOptions options) {
            return nextQueue().connectWith(dst, port, options);
        }

        @Override
        public void listen(int port, Keepalive keepalive, TcpListener listener) {
            listenOnEveryQueue(steering.tcpListening, port, q -> q.tcp().listen(port, keepalive, listener));
        }

        @Override
        public void listenWith(int port, FlowOptions options, TcpListener listener) {
            listenOnEveryQueue(steering.tcpListening, port, q -> q.tcp().listenWith(port, options, listener));
        }

        @Override
        public void unlisten(int port) {
            unlistenOnEveryQueue(steering.tcpListening, port, q -> q.tcp().unlisten(port));
        }

        @Override
        public void input(IpAddress src, IpAddress dst, ByteBuffer segment) {
            throw new UnsupportedOperationException("a multi-queue stack's TCP takes segments through its queues");
        }

        @Override
        public void icmpError(IcmpError error) {
            throw new UnsupportedOperationException("a multi-queue stack's TCP takes ICMP errors through its queues");
        }

        @Override
        public Counters counters() {
            return sum("tcp", queues.stream().map(q -> q.tcp().counters()).toList());
        }

        @Override
        public CompletableFuture<Void> disconnect() {
            return CompletableFuture.allOf(queues.stream().map(q -> q.tcp().disconnect())
                .toArray(CompletableFuture[]::new));
        }
    }

    /** UDP over every queue: listeners on all, datagrams sent from queue 0. */
    private final class QueuesUdp implements Udp {

        @Override
        public void listen(int port, UdpCallback callback) {
            listenOnEveryQueue(steering.udpListening, port, q -> q.udp().listen(port, callback));
        }

        @Override
        public void listen(int port, int ipVersion, UdpCallback callback) {
            listenOnEveryQueue(steering.udpListening, port, q -> q.udp().listen(port, ipVersion, callback));
        }

        @Override
        public void unlisten(int port) {
            unlistenOnEveryQueue(steering.udpListening, port, q -> q.udp().unlisten(port));
        }

        @Override
        public void onError(int port, UdpErrorCallback callback) {
            for (DirectStack q : queues) {
                q.udp().onError(port, callback);
            }
        }

        @Override
        public CompletableFuture<Void> write(IpAddress src, int srcPort, IpAddress dst, int dstPort, int ttl,
                                             ByteBuffer payload) {
            return queues.getFirst().udp().write(src, srcPort, dst, dstPort, ttl, payload);
        }

        @Override
        public void input(IpAddress src, IpAddress dst, ByteBuffer datagram) {
            throw new UnsupportedOperationException("a multi-queue stack's UDP takes datagrams through its queues");
        }

        @Override
        public Counters counters() {
            return sum("udp", queues.stream().map(q -> q.udp().counters()).toList());
        }

        @Override
        public CompletableFuture<Void> disconnect() {
            return CompletableFuture.allOf(queues.stream().map(q -> q.udp().disconnect())
                .toArray(CompletableFuture[]::new));
        }
    }
}
