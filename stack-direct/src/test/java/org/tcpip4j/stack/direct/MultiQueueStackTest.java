package org.tcpip4j.stack.direct;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.tcpip4j.netif.FrameHandler;
import org.tcpip4j.netif.Ipv4Address;
import org.tcpip4j.netif.Ipv4Cidr;
import org.tcpip4j.netif.MacAddress;
import org.tcpip4j.netif.Netif;
import org.tcpip4j.netif.NetifError;
import org.tcpip4j.netif.NetifStats;
import org.tcpip4j.netif.PacketWriter;
import org.tcpip4j.netif.Result;
import org.tcpip4j.netif.loop.EventLoop;
import org.tcpip4j.netif.loop.RealTimeEventLoop;
import org.tcpip4j.tcp.TcpFlow;

/**
 * A {@link MultiQueueStack} on a device of several queues, each on its own real-time loop,
 * against one direct stack at the other end of the link. The device steers as Linux's TAP
 * does: a flow to the queue that last wrote it, an unknown flow by a hash of its own (not
 * the stack's idea of the owner), frames without ports to queue 0. Every byte is checked.
 */
class MultiQueueStackTest {

    static final Ipv4Address OURS = Ipv4Address.parse("198.18.9.2");
    static final Ipv4Address PEER = Ipv4Address.parse("198.18.9.1");

    private final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closing.reversed()) {
            c.close();
        }
    }

    /** A link between one peer device and a device of several queues. */
    static final class QueuedLink {
        final Side peer;
        final List<Side> queues = new ArrayList<>();
        /** Flow (symmetric hash) to the queue that last wrote it: tun's automatic queue selection. */
        final Map<Long, Integer> flows = new ConcurrentHashMap<>();
        final AtomicLong steeredByHash = new AtomicLong();

        QueuedLink(EventLoop peerLoop, List<EventLoop> queueLoops) {
            peer = new Side(this, MacAddress.parse("02:00:00:00:09:01"), peerLoop, -1);
            for (int i = 0; i < queueLoops.size(); i++) {
                queues.add(new Side(this, MacAddress.parse("02:00:00:00:09:02"), queueLoops.get(i), i));
            }
        }

        /** A symmetric hash of a frame's flow, or 0 for frames without ports. */
        static long flowHash(byte[] f) {
            if (f.length < 14 + 20 + 4 || f[12] != 0x08 || f[13] != 0x00) {
                return 0;
            }
            int ihl = (f[14] & 0x0f) * 4;
            int protocol = f[14 + 9] & 0xff;
            if (protocol != 6 && protocol != 17) {
                return 0;
            }
            ByteBuffer b = ByteBuffer.wrap(f);
            long a = (b.getInt(14 + 12) & 0xffffffffL) << 16 | (b.getShort(14 + ihl) & 0xffff);
            long c = (b.getInt(14 + 16) & 0xffffffffL) << 16 | (b.getShort(14 + ihl + 2) & 0xffff);
            long lo = Math.min(a, c);
            long hi = Math.max(a, c);
            return (lo * 0x9e3779b97f4a7c15L) ^ (hi * 0xc2b2ae3d27d4eb4fL) ^ protocol;
        }

        void fromQueue(int queue, byte[] frame) {
            long h = flowHash(frame);
            if (h != 0) {
                flows.put(h, queue);
            }
            peer.deliver(frame);
        }

        void fromPeer(byte[] frame) {
            long h = flowHash(frame);
            Integer q = h == 0 ? Integer.valueOf(0) : flows.get(h);
            if (q == null) {
                steeredByHash.incrementAndGet();
                q = (int) Math.floorMod(Long.rotateLeft(h, 17) * 31 + 7, (long) queues.size());
            }
            queues.get(q).deliver(frame);
        }
    }

    /** One end of the link: a device on its own loop. */
    static final class Side implements Netif {
        private final QueuedLink link;
        private final MacAddress mac;
        private final EventLoop loop;
        private final int queue;
        private final NetifStats.Counters counters = new NetifStats.Counters();
        private final ByteBuffer tx = ByteBuffer.allocate(1514);
        private volatile FrameHandler handler;

        Side(QueuedLink link, MacAddress mac, EventLoop loop, int queue) {
            this.link = link;
            this.mac = mac;
            this.loop = loop;
            this.queue = queue;
        }

        @Override
        public MacAddress mac() {
            return mac;
        }

        @Override
        public int mtu() {
            return 1500;
        }

        @Override
        public EventLoop loop() {
            return loop;
        }

        @Override
        public Result<NetifError> write(int size, PacketWriter writer) {
            tx.clear();
            int n = writer.write(tx, 0, size);
            byte[] frame = new byte[n];
            tx.get(0, frame);
            counters.sent(n);
            if (queue < 0) {
                link.fromPeer(frame);
            } else {
                link.fromQueue(queue, frame);
            }
            return Result.ok();
        }

        void deliver(byte[] frame) {
            loop.execute(() -> {
                FrameHandler h = handler;
                if (h != null) {
                    counters.received(frame.length);
                    h.frame(ByteBuffer.wrap(frame));
                }
            });
        }

        @Override
        public CompletableFuture<Void> listen(FrameHandler h) {
            this.handler = h;
            return new CompletableFuture<>();
        }

        @Override
        public NetifStats stats() {
            return counters.snapshot();
        }

        @Override
        public void resetStats() {
            counters.reset();
        }

        @Override
        public CompletableFuture<Void> disconnect() {
            handler = null;
            return CompletableFuture.completedFuture(null);
        }
    }

    private record Setup(QueuedLink link, MultiQueueStack ours, DirectStack peer) {
    }

    private Setup setUp(int queueCount) {
        RealTimeEventLoop peerLoop = new RealTimeEventLoop("mq-peer");
        closing.add(peerLoop);
        List<EventLoop> loops = new ArrayList<>();
        for (int i = 0; i < queueCount; i++) {
            RealTimeEventLoop l = new RealTimeEventLoop("mq-q" + i);
            closing.add(l);
            loops.add(l);
        }
        QueuedLink link = new QueuedLink(peerLoop, loops);
        MultiQueueStack ours = MultiQueueStack.build(link.queues, b -> b.address(new Ipv4Cidr(OURS, 24)).name("mq"));
        DirectStack peer = DirectStackBuilder.on(link.peer).address(new Ipv4Cidr(PEER, 24)).name("peer").build();
        closing.add(() -> peer.disconnect().get(5, TimeUnit.SECONDS));
        closing.add(() -> ours.disconnect().get(5, TimeUnit.SECONDS));
        return new Setup(link, ours, peer);
    }

    static byte[] data(int n, long seed) {
        byte[] b = new byte[n];
        new SplittableRandom(seed).nextBytes(b);
        return b;
    }

    /** Sends {@code data} on a virtual thread over the flow, then closes its write side. */
    static CompletableFuture<Void> send(TcpFlow flow, byte[] data) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try (OutputStream out = flow.outputStream()) {
                out.write(data);
                done.complete(null);
            } catch (Throwable t) {
                done.completeExceptionally(t);
            }
        });
        return done;
    }

    /**
     * The future of the bytes received from {@code port}, made by whichever comes first, the
     * listener or the test waiting for it, and completed with what {@code reading} gives.
     */
    static void receivedFrom(Map<Integer, CompletableFuture<byte[]>> received, int port,
                             CompletableFuture<byte[]> reading) {
        CompletableFuture<byte[]> result = received.computeIfAbsent(port, p -> new CompletableFuture<>());
        reading.whenComplete((bytes, e) -> {
            if (e != null) {
                result.completeExceptionally(e);
            } else {
                result.complete(bytes);
            }
        });
    }

    /** Reads the flow to its end on a virtual thread. */
    static CompletableFuture<byte[]> receive(TcpFlow flow) {
        CompletableFuture<byte[]> done = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try (InputStream in = flow.inputStream()) {
                done.complete(in.readAllBytes());
            } catch (Throwable t) {
                done.completeExceptionally(t);
            }
        });
        return done;
    }

    @Test
    void connectionsFromThePeerAreServedOnEveryQueueAndEveryByteArrives() throws Exception {
        Setup s = setUp(2);
        Map<Integer, CompletableFuture<byte[]>> received = new ConcurrentHashMap<>();
        s.ours().listenTcp(9, flow -> receivedFrom(received, flow.dst().port(), receive(flow)));
        List<CompletableFuture<Void>> sent = new ArrayList<>();
        List<Integer> ports = new ArrayList<>();
        int flows = 8;
        for (int i = 0; i < flows; i++) {
            TcpFlow f = s.peer().tcp().connect(OURS, 9).get(10, TimeUnit.SECONDS);
            ports.add(f.src().port());
            sent.add(send(f, data(256 * 1024, f.src().port())));
        }
        for (CompletableFuture<Void> f : sent) {
            f.get(30, TimeUnit.SECONDS);
        }
        for (int port : ports) {
            assertArrayEquals(data(256 * 1024, port), received.computeIfAbsent(port, p -> new CompletableFuture<>())
                .get(30, TimeUnit.SECONDS), "flow " + port);
        }
        List<Long> accepted = s.ours().queues().stream()
            .map(q -> q.counters().get("tcp").get("conn.passive_opens")).toList();
        assertEquals(flows, accepted.stream().mapToLong(Long::longValue).sum(), "" + accepted);
        int peerWord = PEER.bits();
        long toQueue0 = ports.stream().filter(p -> QueueNetif.ownerOfRemote(peerWord, p, 2) == 0).count();
        assertEquals(toQueue0, accepted.get(0), "queue 0 accepts the flows its hash names: " + accepted);
        assertEquals(flows - toQueue0, accepted.get(1), "queue 1 the others: " + accepted);
        Map<String, Long> queueCounters = s.ours().counters().get("queues");
        assertTrue(queueCounters.get("q0.handed_off") + queueCounters.get("q1.handed_off") > 0,
            "some SYNs arrived on a queue that does not own them: " + queueCounters);
        for (int q = 0; q < 2; q++) {
            assertEquals(accepted.get(q) * 256 * 1024, queueCounters.get("q" + q + ".rx_bytes"),
                "queue " + q + " received its flows' bytes: " + queueCounters);
        }
    }

    @Test
    void connectionsToThePeerLeaveFromEachQueueInTurnOnPortsOfItsShare() throws Exception {
        Setup s = setUp(2);
        Map<Integer, CompletableFuture<byte[]>> received = new ConcurrentHashMap<>();
        s.peer().listenTcp(7, flow -> receivedFrom(received, flow.dst().port(), receive(flow)));
        List<TcpFlow> flows = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            flows.add(s.ours().tcp().connect(PEER, 7).get(10, TimeUnit.SECONDS));
        }
        for (int i = 0; i < flows.size(); i++) {
            assertEquals(i % 2, flows.get(i).src().port() % 2, "queue " + (i % 2) + " takes ports of its share");
            send(flows.get(i), data(128 * 1024, i)).get(30, TimeUnit.SECONDS);
        }
        for (int i = 0; i < flows.size(); i++) {
            int port = flows.get(i).src().port();
            assertArrayEquals(data(128 * 1024, i), received.computeIfAbsent(port, p -> new CompletableFuture<>())
                .get(30, TimeUnit.SECONDS));
        }
        for (DirectStack q : s.ours().queues()) {
            assertEquals(3L, q.counters().get("tcp").get("conn.active_opens"));
            boolean resolved = q.loop().call(() -> CompletableFuture.completedFuture(q.arp().query(PEER).isDone()))
                .get(5, TimeUnit.SECONDS);
            assertTrue(resolved, "each queue resolved the peer, whichever queue the replies reached");
        }
    }

    @Test
    void queuesMustHaveLoopsOfTheirOwn() {
        RealTimeEventLoop loop = new RealTimeEventLoop("mq-shared");
        closing.add(loop);
        QueuedLink link = new QueuedLink(loop, List.of(loop, loop));
        assertThrows(IllegalArgumentException.class, () -> MultiQueueStack.build(link.queues, b -> b));
    }
}
