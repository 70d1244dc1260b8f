package org.tcpip4j.tcp.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
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
import org.tcpip4j.netif.loop.StackContext;
import org.tcpip4j.netif.loop.VirtualTimeEventLoop;
import org.tcpip4j.tcp.Shutdown;
import org.tcpip4j.tcp.TcpConfig;
import org.tcpip4j.tcp.TcpFlow;
import org.tcpip4j.testsupport.AllocationMeter;

/**
 * The bulk data path allocates nothing per segment: one large write streams through the
 * send buffer, segments cross a fake link made of preallocated frames, and the receiver,
 * its read direction shut, acknowledges and drops the data. The bytes the loop thread
 * allocates while 32 MiB flow are counted; reads, which hand the user a new buffer, are
 * left out on purpose.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SteadyStateAllocationTest {

    /** A link whose frames are preallocated and delivered in order by one reusable task. */
    static final class FramePipe {
        final VirtualTimeEventLoop loop;
        final ArrayDeque<ByteBuffer> free = new ArrayDeque<>();
        final ArrayDeque<ByteBuffer> queued = new ArrayDeque<>(4096);
        final ArrayDeque<End> targets = new ArrayDeque<>(4096);
        final Runnable deliver = this::deliverAll;
        boolean scheduled;

        FramePipe(VirtualTimeEventLoop loop) {
            this.loop = loop;
            for (int i = 0; i < 4096; i++) {
                free.add(ByteBuffer.allocate(1600));
            }
        }

        void deliverAll() {
            scheduled = false;
            ByteBuffer frame;
            while ((frame = queued.poll()) != null) {
                End to = targets.poll();
                to.tcp.input(to.peer.address, to.address, frame);
                frame.clear();
                free.add(frame);
            }
        }

        final class End implements Ip {
            final IpAddress address;
            final int mtu;
            End peer;
            DefaultTcp tcp;
            final Counters counters = new Counters("ip");

            End(IpAddress address, int mtu) {
                this.address = address;
                this.mtu = mtu;
            }

            @Override
            public Result<IpError> write(IpAddress src, IpAddress dst, int protocol, int ttl, boolean fragment,
                                         int size, PacketWriter payload) {
                ByteBuffer frame = free.poll();
                int n = payload.write(frame, 0, size);
                frame.limit(n);
                queued.add(frame);
                targets.add(peer);
                if (!scheduled) {
                    scheduled = true;
                    loop.execute(deliver);
                }
                return Result.ok();
            }

            @Override
            public void input(ByteBuffer packet, IpHandler t, IpHandler u, OtherProtocolHandler o) {
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

    /** The bytes this thread has allocated so far; fails the test when the JVM does not say. */
    static long allocatedBytes() {
        long bytes = AllocationMeter.allocatedBytes();
        assertTrue(bytes >= 0, "the JVM does not count this thread's allocations");
        return bytes;
    }

    @Test
    @Order(1)
    void bulkTransferAllocatesNothingPerSegment() throws Exception {
        bulkTransfer(Ipv4Address.parse("198.18.2.1"), Ipv4Address.parse("198.18.2.2"), 1480);
    }

    /**
     * The same over IPv6: 128-bit 4-tuples are looked up and hashed without an allocation.
     * Run second, so that the compilations of the code both versions share fall into the
     * first test's warm-up, not into this one's measurement.
     */
    @Test
    @Order(2)
    void overIpv6BulkTransferAllocatesNothingPerSegment() throws Exception {
        bulkTransfer(Ipv6Address.parse("2001:2::2:1"), Ipv6Address.parse("2001:2::2:2"), 1460);
    }

    private static void bulkTransfer(IpAddress addressA, IpAddress addressB, int mtu) throws Exception {
        VirtualTimeEventLoop loop = new VirtualTimeEventLoop();
        FramePipe pipe = new FramePipe(loop);
        FramePipe.End a = pipe.new End(addressA, mtu);
        FramePipe.End b = pipe.new End(addressB, mtu);
        a.peer = b;
        b.peer = a;
        a.tcp = new DefaultTcp(a, TcpConfig.DEFAULT, StackContext.seeded(loop, 1, "a"));
        b.tcp = new DefaultTcp(b, TcpConfig.DEFAULT, StackContext.seeded(loop, 2, "b"));
        b.tcp.listen(9, flow -> flow.shutdown(Shutdown.READ));
        TcpFlow sender = loop.await(a.tcp.connect(b.address, 9), 1_000_000_000L);
        byte[] data = new byte[96 << 20];
        CompletableFuture<Void> written = sender.write(ByteBuffer.wrap(data));
        Connection c = a.tcp.connection(a.address, sender.src().port(), b.address, 9);
        long[] segmentsAtStart = new long[1];
        long[] bytesAtStart = new long[1];
        // Lambdas first: linking a lambda call site allocates, the first time it runs.
        java.util.function.BooleanSupplier warmedUp = () -> c.sender.sndUna - c.sender.iss > (48 << 20);
        java.util.function.BooleanSupplier measured = () -> c.sender.sndUna - c.sender.iss > (80 << 20);
        // Warm up over 48 MiB (until the JIT has compiled the path; with 32 MiB, a few hundred
        // bytes of a late compilation, not of any segment, could fall into the window), then
        // measure over 32 MiB.
        loop.runUntil(warmedUp, 60_000_000_000L);
        for (int i = 0; i < 1000; i++) {
            allocatedBytes(); // warm the meter's reflective path up
        }
        segmentsAtStart[0] = a.tcp.counters().get("tx.segments") + b.tcp.counters().get("tx.segments");
        bytesAtStart[0] = allocatedBytes();
        loop.runUntil(measured, 60_000_000_000L);
        long allocated = allocatedBytes() - bytesAtStart[0];
        long segments = a.tcp.counters().get("tx.segments") + b.tcp.counters().get("tx.segments") - segmentsAtStart[0];
        double perSegment = (double) allocated / segments;
        System.out.printf("steady state: %d segments, %d bytes allocated, %.3f bytes per segment%n",
            segments, allocated, perSegment);
        assertTrue(segments > 20_000, "segments: " + segments);
        // Measuring itself boxes a long or two.
        assertTrue(perSegment < 0.01, "bytes allocated per segment: " + perSegment);
        assertTrue(!written.isDone());
        assertTrue(c.sender.cwnd() <= 4 * TcpConfig.DEFAULT.receiveBufferSize(),
            "the congestion window grows only while it is used: " + c.sender.cwnd());
    }
}
