package org.tcpip4j.udp.internal;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.tcpip4j.ip.Ip;
import org.tcpip4j.ip.IpError;
import org.tcpip4j.ip.IpHandler;
import org.tcpip4j.ip.OtherProtocolHandler;
import org.tcpip4j.netif.Counters;
import org.tcpip4j.netif.IpAddress;
import org.tcpip4j.netif.PacketWriter;
import org.tcpip4j.netif.Result;

/** An IP layer that writes every datagram into one reused buffer and keeps nothing. */
final class SinkIp implements Ip {

    private final ByteBuffer frame = ByteBuffer.allocateDirect(65_535);
    private final IpAddress address;
    private final List<IpAddress> ips;

    SinkIp(IpAddress address) {
        this.address = address;
        this.ips = List.of(address);
    }

    @Override
    public Result<IpError> write(IpAddress src, IpAddress dst, int protocol, int ttl, boolean fragment, int size,
                                 PacketWriter payload) {
        frame.clear();
        payload.write(frame, 34, size);
        return Result.ok();
    }

    @Override
    public void input(ByteBuffer packet, IpHandler tcp, IpHandler udp, OtherProtocolHandler other) {
    }

    @Override
    public long pseudoheaderChecksum(IpAddress src, IpAddress dst, int protocol, int length) {
        return protocol + length;
    }

    @Override
    public IpAddress src(IpAddress dst) {
        return address;
    }

    @Override
    public int mtu(IpAddress dst) {
        return 1480;
    }

    @Override
    public List<IpAddress> configuredIps() {
        return ips;
    }

    @Override
    public Counters counters() {
        return new Counters("ip");
    }

    @Override
    public CompletableFuture<Void> disconnect() {
        return CompletableFuture.completedFuture(null);
    }
}
