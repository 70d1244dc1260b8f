package org.tcpip4j.udp.internal;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.tcpip4j.ip.Ip;
import org.tcpip4j.ip.IpError;
import org.tcpip4j.ip.IpHandler;
import org.tcpip4j.ip.OtherProtocolHandler;
import org.tcpip4j.netif.Counters;
import org.tcpip4j.netif.InternetChecksum;
import org.tcpip4j.netif.IpAddress;
import org.tcpip4j.netif.Ipv4Address;
import org.tcpip4j.netif.PacketWriter;
import org.tcpip4j.netif.Result;

/** An IP layer that records every datagram written to it, with the real IPv4 pseudo-header. */
final class CapturingIp implements Ip {

    /** One datagram written. */
    record Sent(IpAddress src, IpAddress dst, int protocol, int ttl, byte[] payload) {
    }

    final List<Sent> sent = new ArrayList<>();
    /** Every path MTU update, as "destination mtu". */
    final List<String> pathMtuUpdates = new ArrayList<>();
    /** The bytes from position to limit of each buffer reported port unreachable. */
    final List<byte[]> portUnreachable = new ArrayList<>();
    private final Ipv4Address address;
    IpError refuseWith;

    CapturingIp(Ipv4Address address) {
        this.address = address;
    }

    @Override
    public void updatePathMtu(IpAddress destination, int mtu) {
        pathMtuUpdates.add(destination + " " + mtu);
    }

    @Override
    public Result<IpError> write(IpAddress src, IpAddress dst, int protocol, int ttl, boolean fragment, int size,
                                 PacketWriter payload) {
        if (refuseWith != null) {
            return Result.err(refuseWith);
        }
        ByteBuffer b = ByteBuffer.allocate(size + 40);
        Arrays.fill(b.array(), (byte) 0xee);
        b.limit(20 + size).position(3);
        int n = payload.write(b, 20, size);
        sent.add(new Sent(src, dst, protocol, ttl, Arrays.copyOfRange(b.array(), 20, 20 + n)));
        return Result.ok();
    }

    @Override
    public void input(ByteBuffer packet, IpHandler tcp, IpHandler udp, OtherProtocolHandler other) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void portUnreachable(ByteBuffer payload) {
        byte[] b = new byte[payload.remaining()];
        payload.get(payload.position(), b);
        portUnreachable.add(b);
    }

    @Override
    public long pseudoheaderChecksum(IpAddress src, IpAddress dst, int protocol, int length) {
        long sum = InternetChecksum.add32(0, ((Ipv4Address) src).bits());
        sum = InternetChecksum.add32(sum, ((Ipv4Address) dst).bits());
        sum = InternetChecksum.add16(sum, protocol);
        return InternetChecksum.add16(sum, length);
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
        return List.of(address);
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
