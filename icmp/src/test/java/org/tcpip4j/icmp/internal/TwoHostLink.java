package org.tcpip4j.icmp.internal;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import org.tcpip4j.netif.FrameHandler;
import org.tcpip4j.netif.MacAddress;
import org.tcpip4j.netif.Netif;
import org.tcpip4j.netif.NetifError;
import org.tcpip4j.netif.NetifStats;
import org.tcpip4j.netif.PacketWriter;
import org.tcpip4j.netif.Result;
import org.tcpip4j.netif.loop.EventLoop;

/**
 * A point-to-point cable between two devices on one event loop: a frame written at one
 * end reaches the other end's listener {@code delayNanos} later, as a fresh buffer.
 */
final class TwoHostLink {

    final End a;
    final End b;
    /** Every frame written on the cable, in order. */
    final java.util.List<byte[]> captured = new java.util.ArrayList<>();
    private final EventLoop loop;
    private final long delayNanos;

    TwoHostLink(EventLoop loop, long delayNanos, MacAddress macA, MacAddress macB, int mtu) {
        this.loop = loop;
        this.delayNanos = delayNanos;
        this.a = new End(macA, mtu);
        this.b = new End(macB, mtu);
        a.peer = b;
        b.peer = a;
    }

    /** One end of the cable. */
    final class End implements Netif {
        private final MacAddress mac;
        private final int mtu;
        private final NetifStats.Counters stats = new NetifStats.Counters();
        private End peer;
        private FrameHandler handler;
        /** When set, frames written at this end are lost. */
        boolean unplugged;

        End(MacAddress mac, int mtu) {
            this.mac = mac;
            this.mtu = mtu;
        }

        @Override
        public MacAddress mac() {
            return mac;
        }

        @Override
        public int mtu() {
            return mtu;
        }

        @Override
        public EventLoop loop() {
            return loop;
        }

        @Override
        public Result<NetifError> write(int size, PacketWriter writer) {
            if (size > mtu + ETHERNET_HEADER_SIZE) {
                return Result.err(new NetifError.ExceedsMtu(size, mtu + ETHERNET_HEADER_SIZE));
            }
            ByteBuffer buffer = ByteBuffer.allocate(size);
            int n = writer.write(buffer, 0, size);
            stats.sent(n);
            if (!unplugged) {
                byte[] frame = Arrays.copyOf(buffer.array(), n);
                captured.add(frame);
                loop.schedule(delayNanos, () -> peer.receive(frame));
            }
            return Result.ok();
        }

        /** Hands {@code frame} to this end's listener now, as if it had come down the cable. */
        void inject(byte[] frame) {
            receive(frame);
        }

        private void receive(byte[] frame) {
            if (handler != null) {
                stats.received(frame.length);
                handler.frame(ByteBuffer.wrap(frame));
            }
        }

        @Override
        public CompletableFuture<Void> listen(FrameHandler handler) {
            this.handler = handler;
            return new CompletableFuture<>();
        }

        @Override
        public NetifStats stats() {
            return stats.snapshot();
        }

        @Override
        public void resetStats() {
            stats.reset();
        }

        @Override
        public CompletableFuture<Void> disconnect() {
            handler = null;
            return CompletableFuture.completedFuture(null);
        }
    }
}
