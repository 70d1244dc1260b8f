package org.tcpip4j.icmp.internal;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.tcpip4j.ip.IpError;
import org.tcpip4j.ip.IpHandler;
import org.tcpip4j.ip.OtherProtocolHandler;
import org.tcpip4j.ipv4.Ipv4;
import org.tcpip4j.ipv4.UndeliverableHandler;
import org.tcpip4j.netif.Counters;
import org.tcpip4j.netif.IpAddress;
import org.tcpip4j.netif.Ipv4Address;
import org.tcpip4j.netif.Ipv4Cidr;
import org.tcpip4j.netif.PacketWriter;
import org.tcpip4j.netif.Result;

/** An IPv4 layer that records every datagram written to it. */
final class CapturingIpv4 implements Ipv4 {

    /** One datagram written. */
    record Sent(IpAddress src, IpAddress dst, int protocol, int ttl, byte[] payload) {
        @Override
        public String toString() {
            return src + ">" + dst + " p" + protocol + " ttl" + ttl + " " + HexFormat.of().formatHex(payload);
        }
    }

    final List<Sent> sent = new ArrayList<>();
    /** Every {@link #updatePathMtu} call, as "destination mtu". */
    final List<String> pathMtuUpdates = new ArrayList<>();
    private final Ipv4Cidr cidr;
    IpError refuseWith;

    CapturingIpv4(Ipv4Cidr cidr) {
        this.cidr = cidr;
    }

    @Override
    public Result<IpError> write(IpAddress src, IpAddress dst, int protocol, int ttl, boolean fragment, int size,
                                 PacketWriter payload) {
        if (refuseWith != null) {
            return Result.err(refuseWith);
        }
        ByteBuffer b = ByteBuffer.allocate(size + 40);
        Arrays.fill(b.array(), (byte) 0xee);
        b.limit(20 + size).position(2);
        int n = payload.write(b, 20, size);
        sent.add(new Sent(src, dst, protocol, ttl, Arrays.copyOfRange(b.array(), 20, 20 + n)));
        return Result.ok();
    }

    @Override
    public void input(ByteBuffer packet, IpHandler tcp, IpHandler udp, OtherProtocolHandler other) {
        throw new UnsupportedOperationException();
    }

    @Override
    public long pseudoheaderChecksum(IpAddress src, IpAddress dst, int protocol, int length) {
        return 0;
    }

    @Override
    public IpAddress src(IpAddress dst) {
        return cidr.address();
    }

    @Override
    public int mtu(IpAddress dst) {
        return 1480;
    }

    @Override
    public List<IpAddress> configuredIps() {
        return List.of(cidr.address());
    }

    @Override
    public List<Ipv4Cidr> cidrs() {
        return List.of(cidr);
    }

    @Override
    public Optional<Ipv4Address> gateway() {
        return Optional.empty();
    }

    @Override
    public void onUndeliverable(UndeliverableHandler handler) {
    }

    @Override
    public void updatePathMtu(IpAddress destination, int mtu) {
        pathMtuUpdates.add(destination + " " + mtu);
    }

    @Override
    public Counters counters() {
        return new Counters("ipv4");
    }

    @Override
    public CompletableFuture<Void> disconnect() {
        return CompletableFuture.completedFuture(null);
    }
}
