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
import org.tcpip4j.netif.Ipv6Address;
import org.tcpip4j.netif.PacketWriter;
import org.tcpip4j.netif.Result;

/** An IP layer that records every datagram written to it, with the real pseudo-header of either IP version. */
final class CapturingIp implements Ip {

    /** One datagram written. */
    record Sent(IpAddress src, IpAddress dst, int protocol, int ttl, byte[] payload) {
    }

    final List<Sent> sent = new ArrayList<>();
    /** Every path MTU update, as "destination mtu". */
    final List<String> pathMtuUpdates = new ArrayList<>();
    /** The bytes from position to limit of each buffer reported port unreachable. */
    final List<byte[]> portUnreachable = new ArrayList<>();
    private final IpAddress address;
    IpError refuseWith;

    CapturingIp(IpAddress address) {
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
        return pseudoheader(src, dst, protocol, length);
    }

    /** RFC 768's pseudo-header, or RFC 8200 8.1's for IPv6 (128-bit addresses, 32-bit length, next header). */
    static long pseudoheader(IpAddress src, IpAddress dst, int protocol, int length) {
        if (src instanceof Ipv6Address s && dst instanceof Ipv6Address d) {
            long sum = add64(add64(add64(add64(0, s.high()), s.low()), d.high()), d.low());
            return InternetChecksum.add32(InternetChecksum.add32(sum, length), protocol);
        }
        long sum = InternetChecksum.add32(0, ((Ipv4Address) src).bits());
        sum = InternetChecksum.add32(sum, ((Ipv4Address) dst).bits());
        sum = InternetChecksum.add16(sum, protocol);
        return InternetChecksum.add16(sum, length);
    }

    private static long add64(long acc, long word) {
        return InternetChecksum.add32(InternetChecksum.add32(acc, (int) (word >>> 32)), (int) word);
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
