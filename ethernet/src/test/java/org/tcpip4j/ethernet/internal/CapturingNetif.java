package org.tcpip4j.ethernet.internal;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.tcpip4j.netif.FrameHandler;
import org.tcpip4j.netif.MacAddress;
import org.tcpip4j.netif.Netif;
import org.tcpip4j.netif.NetifError;
import org.tcpip4j.netif.NetifStats;
import org.tcpip4j.netif.PacketWriter;
import org.tcpip4j.netif.Result;
import org.tcpip4j.netif.loop.EventLoop;

/** A device that records every frame written to it, lending a buffer with a dirty prefix. */
class CapturingNetif implements Netif {

    final List<byte[]> frames = new ArrayList<>();
    private final MacAddress mac;
    private final int mtu;
    private final EventLoop loop;
    NetifError failWith;

    CapturingNetif(MacAddress mac, int mtu, EventLoop loop) {
        this.mac = mac;
        this.mtu = mtu;
        this.loop = loop;
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
        if (failWith != null) {
            return Result.err(failWith);
        }
        if (size > mtu + ETHERNET_HEADER_SIZE) {
            return Result.err(new NetifError.ExceedsMtu(size, mtu + ETHERNET_HEADER_SIZE));
        }
        // Lend the frame at offset 7 of a larger, dirty buffer, as a pooled device would,
        // with the limit tight at the frame's end and a position a writer must not use.
        ByteBuffer buffer = ByteBuffer.allocate(size + 16);
        Arrays.fill(buffer.array(), (byte) 0xee);
        buffer.limit(7 + size).position(3);
        int n = writer.write(buffer, 7, size);
        if (buffer.position() != 3 || buffer.limit() != 7 + size) {
            throw new AssertionError("writer moved position or limit");
        }
        frames.add(Arrays.copyOfRange(buffer.array(), 7, 7 + n));
        return Result.ok();
    }

    @Override
    public CompletableFuture<Void> listen(FrameHandler handler) {
        return new CompletableFuture<>();
    }

    @Override
    public NetifStats stats() {
        return new NetifStats(0, 0, 0, 0, frames.size(), 0);
    }

    @Override
    public void resetStats() {
    }

    @Override
    public CompletableFuture<Void> disconnect() {
        return CompletableFuture.completedFuture(null);
    }
}
