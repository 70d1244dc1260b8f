package org.tcpip4j.tcp.internal;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import org.tcpip4j.ip.Ip;
import org.tcpip4j.ip.IpError;
import org.tcpip4j.ip.IpHandler;
import org.tcpip4j.ip.OtherProtocolHandler;
import org.tcpip4j.netif.Counters;
import org.tcpip4j.netif.IpAddress;
import org.tcpip4j.netif.Ipv4Address;
import org.tcpip4j.netif.Ipv6Address;
import org.tcpip4j.netif.PacketWriter;
import org.tcpip4j.netif.Result;
import org.tcpip4j.netif.loop.EventLoop;
import org.tcpip4j.tcp.Tcp;

/**
 * A point-to-point "link" of two fake IP layers on one virtual-time loop, for simulations:
 * each segment written at one end is delivered to the other end's TCP after a delay, or
 * lost, duplicated, reordered (by jitter) or corrupted, as a seeded random source decides.
 * Deliberately simple: the project's in-memory network and impairment modules do this
 * properly; this one only needs to be deterministic for a seed.
 */
final class SimulatedLink {

    /** What the link does to segments. */
    record Impairments(double loss, double duplication, double reordering, double corruption,
                       long delayNanos, long jitterNanos) {
        static final Impairments NONE = new Impairments(0, 0, 0, 0, 1_000_000, 0);
    }

    final EventLoop loop;
    final End a;
    final End b;
    private final SplittableRandom random;
    private Impairments impairments;
    /** When set, sees every segment an end writes, before the link acts on it. */
    java.util.function.BiConsumer<End, ByteBuffer> tap;
    long delivered;
    long lost;
    long duplicated;
    long corrupted;

    SimulatedLink(EventLoop loop, long seed, Impairments impairments) {
        this(loop, seed, impairments, false);
    }

    /**
     * A link between 2001:2::1:1 and 2001:2::1:2 when {@code ipv6} (an IP MTU of 1460: Ethernet's
     * 1500 less the IPv6 header), else between 198.18.1.1 and 198.18.1.2 (1480).
     */
    SimulatedLink(EventLoop loop, long seed, Impairments impairments, boolean ipv6) {
        this.loop = loop;
        this.random = new SplittableRandom(seed);
        this.impairments = impairments;
        this.a = ipv6 ? new End(Ipv6Address.parse("2001:2::1:1"), 1460) : new End(Ipv4Address.parse("198.18.1.1"), 1480);
        this.b = ipv6 ? new End(Ipv6Address.parse("2001:2::1:2"), 1460) : new End(Ipv4Address.parse("198.18.1.2"), 1480);
        a.peer = b;
        b.peer = a;
    }

    void impairments(Impairments i) {
        this.impairments = i;
    }

    /** One end: an {@link Ip} with one address, delivering to the other end's TCP. */
    final class End implements Ip {
        final IpAddress address;
        private final int mtu;
        End peer;
        Tcp tcp;
        private final Counters counters = new Counters("ip");

        End(IpAddress address, int mtu) {
            this.address = address;
            this.mtu = mtu;
        }

        @Override
        public Result<IpError> write(IpAddress src, IpAddress dst, int protocol, int ttl, boolean fragment, int size,
                                     PacketWriter payload) {
            ByteBuffer frame = ByteBuffer.allocate(size + 20);
            int n = payload.write(frame, 20, size);
            ByteBuffer segment = ByteBuffer.allocate(n);
            segment.put(0, frame, 20, n);
            if (tap != null) {
                tap.accept(this, segment);
            }
            transmit(src == null ? address : src, dst, segment);
            return Result.ok();
        }

        private void transmit(IpAddress src, IpAddress dst, ByteBuffer segment) {
            Impairments imp = impairments;
            if (random.nextDouble() < imp.loss()) {
                lost++;
                return;
            }
            int copies = random.nextDouble() < imp.duplication() ? 2 : 1;
            if (copies == 2) {
                duplicated++;
            }
            for (int i = 0; i < copies; i++) {
                ByteBuffer copy = ByteBuffer.allocate(segment.capacity());
                copy.put(0, segment, 0, segment.capacity());
                if (random.nextDouble() < imp.corruption()) {
                    int at = random.nextInt(copy.capacity());
                    copy.put(at, (byte) (copy.get(at) ^ (1 << random.nextInt(8))));
                    corrupted++;
                }
                long delay = imp.delayNanos();
                if (imp.jitterNanos() > 0 && random.nextDouble() < imp.reordering()) {
                    delay += random.nextLong(imp.jitterNanos());
                }
                Tcp target = peer.tcp;
                loop.schedule(delay, () -> {
                    delivered++;
                    target.input(src, dst, copy);
                });
            }
        }

        @Override
        public void input(ByteBuffer packet, IpHandler tcp, IpHandler udp, OtherProtocolHandler other) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long pseudoheaderChecksum(IpAddress src, IpAddress dst, int protocol, int length) {
            return CapturingIp.pseudoheader(src, dst, protocol, length);
        }

        @Override
        public IpAddress src(IpAddress dst) {
            return address;
        }

        @Override
        public int mtu(IpAddress dst) {
            return mtu;
        }

        @Override
        public List<IpAddress> configuredIps() {
            return List.of(address);
        }

        @Override
        public Counters counters() {
            return counters;
        }

        @Override
        public CompletableFuture<Void> disconnect() {
            return CompletableFuture.completedFuture(null);
        }
    }
}
