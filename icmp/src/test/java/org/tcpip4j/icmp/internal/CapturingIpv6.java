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
import org.tcpip4j.ipv6.Ipv6;
import org.tcpip4j.ipv6.Ipv6AddressInfo;
import org.tcpip4j.ipv6.Ipv6Neighbor;
import org.tcpip4j.ipv6.Ipv6UndeliverableHandler;
import org.tcpip4j.netif.Counters;
import org.tcpip4j.netif.InternetChecksum;
import org.tcpip4j.netif.IpAddress;
import org.tcpip4j.netif.Ipv6Address;
import org.tcpip4j.netif.Ipv6Cidr;
import org.tcpip4j.netif.PacketWriter;
import org.tcpip4j.netif.Result;

/**
 * An IPv6 layer that records every datagram written to it, with one global address and a
 * link-local one; the source it selects is the link-local address for link-local and
 * link-scope multicast destinations, else the global one. Its pseudo-header sum is summed
 * here byte by byte (RFC 8200 8.1), apart from the stack's code.
 */
final class CapturingIpv6 implements Ipv6 {

    /** One datagram written. */
    record Sent(IpAddress src, IpAddress dst, int protocol, int hopLimit, boolean fragment, byte[] payload) {
        @Override
        public String toString() {
            return src + ">" + dst + " p" + protocol + " hl" + hopLimit + " " + HexFormat.of().formatHex(payload);
        }

        /** True when the payload's checksum verifies over the pseudo-header of its addresses. */
        boolean checksumVerifies() {
            return InternetChecksum.finish(InternetChecksum.sum(ByteBuffer.wrap(payload), 0, payload.length,
                    pseudoHeader(src, dst, protocol, payload.length))) == 0;
        }
    }

    final List<Sent> sent = new ArrayList<>();
    final List<String> pathMtuUpdates = new ArrayList<>();
    final Ipv6Cidr global;
    final Ipv6Cidr linkLocal;
    IpError refuseWith;

    CapturingIpv6(Ipv6Cidr global, Ipv6Cidr linkLocal) {
        this.global = global;
        this.linkLocal = linkLocal;
    }

    /** The RFC 8200 8.1 pseudo-header's partial sum, summed from its 40 bytes. */
    static long pseudoHeader(IpAddress src, IpAddress dst, int protocol, int length) {
        ByteBuffer b = ByteBuffer.allocate(40);
        ((Ipv6Address) src).write(b, 0);
        ((Ipv6Address) dst).write(b, 16);
        b.putInt(32, length).putInt(36, protocol);
        long sum = 0;
        for (int i = 0; i < 40; i += 2) {
            sum += b.getShort(i) & 0xffff;
        }
        return sum;
    }

    @Override
    public Result<IpError> write(IpAddress src, IpAddress dst, int protocol, int ttl, boolean fragment, int size,
                                 PacketWriter payload) {
        if (refuseWith != null) {
            return Result.err(refuseWith);
        }
        ByteBuffer b = ByteBuffer.allocate(size + 80);
        Arrays.fill(b.array(), (byte) 0xee);
        b.limit(40 + size).position(3);
        int n = payload.write(b, 40, size);
        sent.add(new Sent(src, dst, protocol, ttl, fragment, Arrays.copyOfRange(b.array(), 40, 40 + n)));
        return Result.ok();
    }

    @Override
    public long pseudoheaderChecksum(IpAddress src, IpAddress dst, int protocol, int length) {
        return pseudoHeader(src, dst, protocol, length);
    }

    @Override
    public IpAddress src(IpAddress dst) {
        Ipv6Address d = (Ipv6Address) dst;
        boolean linkScope = d.isLinkLocal() || d.isMulticast() && (d.high() >>> 48 & 0xf) == 2;
        return linkScope ? linkLocal.address() : global.address();
    }

    @Override
    public List<IpAddress> configuredIps() {
        return List.of(global.address(), linkLocal.address());
    }

    @Override
    public List<Ipv6Cidr> cidrs() {
        return List.of(global, linkLocal);
    }

    @Override
    public void updatePathMtu(IpAddress destination, int mtu) {
        pathMtuUpdates.add(destination + " " + mtu);
    }

    @Override
    public void input(ByteBuffer packet, IpHandler tcp, IpHandler udp, OtherProtocolHandler other) {
        throw new UnsupportedOperationException();
    }

    @Override
    public int mtu(IpAddress dst) {
        return 1460;
    }

    @Override
    public List<Ipv6AddressInfo> addressInfo() {
        return List.of();
    }

    @Override
    public CompletableFuture<Void> addressesReady() {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public Optional<Ipv6Address> defaultRouter() {
        return Optional.empty();
    }

    @Override
    public List<Ipv6Neighbor> neighbors() {
        return List.of();
    }

    @Override
    public void joinGroup(Ipv6Address group) {
    }

    @Override
    public void leaveGroup(Ipv6Address group) {
    }

    @Override
    public void onUndeliverable(Ipv6UndeliverableHandler handler) {
    }

    @Override
    public Counters counters() {
        return new Counters("ipv6");
    }

    @Override
    public CompletableFuture<Void> disconnect() {
        return CompletableFuture.completedFuture(null);
    }
}
