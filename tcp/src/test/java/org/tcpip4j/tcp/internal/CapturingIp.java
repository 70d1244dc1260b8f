package org.tcpip4j.tcp.internal;

import java.nio.ByteBuffer;
import java.util.ArrayList;
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
import org.tcpip4j.netif.NetifOffloads;
import org.tcpip4j.netif.PacketWriter;
import org.tcpip4j.netif.Result;

/**
 * A fake IP layer for unit tests: it runs each writer into a fresh buffer (at an offset,
 * with room to spare, to check absolute indexing), keeps the segments written, and
 * answers the version-neutral questions (pseudo-header, src, mtu) for one address, of
 * either IP version. Records path MTU updates and confirmations of reachability.
 */
final class CapturingIp implements Ip {

    /** One segment written by TCP. */
    record Written(IpAddress src, IpAddress dst, ByteBuffer segment) {
        TestSegment parse() {
            return TestSegment.parse(segment);
        }
    }

    final IpAddress address;
    int mtu = 1480;
    /** What the device below offers ({@link Ip#offloads}). */
    NetifOffloads offloads = NetifOffloads.NONE;
    /** Whether segments injected now come with checksums the device vouched for ({@link Ip#rxChecksumValid}). */
    boolean vouch;
    IpError failWith;
    final List<Written> written = new ArrayList<>();
    /** Writes that let the IP layer fragment (DF clear). */
    int fragmentable;
    /** Every path MTU update, as "destination mtu". */
    final List<String> pathMtuUpdates = new ArrayList<>();
    /** Calls of {@link #confirmReachable}. */
    int reachabilityConfirmations;
    private final Counters counters = new Counters("ip");

    CapturingIp(IpAddress address) {
        this.address = address;
    }

    @Override
    public void input(ByteBuffer packet, IpHandler tcp, IpHandler udp, OtherProtocolHandler other) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Result<IpError> write(IpAddress src, IpAddress dst, int protocol, int ttl, boolean fragment, int size,
                                 PacketWriter payload) {
        if (failWith != null) {
            return Result.err(failWith);
        }
        if (fragment) {
            fragmentable++;
        }
        ByteBuffer frame = ByteBuffer.allocate(size + 64);
        frame.position(5); // a writer must not rely on the position
        int n = payload.write(frame, 34, size);
        ByteBuffer copy = ByteBuffer.allocate(n);
        copy.put(0, frame, 34, n);
        written.add(new Written(src == null ? address : src, dst, copy));
        return Result.ok();
    }

    @Override
    public void confirmReachable(IpAddress destination) {
        reachabilityConfirmations++;
    }

    @Override
    public void updatePathMtu(IpAddress destination, int mtu) {
        pathMtuUpdates.add(destination + " " + mtu);
    }

    /**
     * RFC 9293 3.1: source, destination, zero, protocol, TCP length; over IPv6 (RFC 8200
     * 8.1) the 128-bit addresses, a 32-bit length, and the next header.
     */
    static long pseudoheader(IpAddress src, IpAddress dst, int protocol, int length) {
        long acc = 0;
        if (src instanceof Ipv6Address s && dst instanceof Ipv6Address d) {
            acc = add64(add64(add64(add64(acc, s.high()), s.low()), d.high()), d.low());
            acc = InternetChecksum.add32(acc, length);
            return InternetChecksum.add32(acc, protocol);
        }
        acc = InternetChecksum.add32(acc, ((Ipv4Address) src).bits());
        acc = InternetChecksum.add32(acc, ((Ipv4Address) dst).bits());
        acc = InternetChecksum.add16(acc, protocol);
        acc = InternetChecksum.add16(acc, length);
        return acc;
    }

    private static long add64(long acc, long word) {
        return InternetChecksum.add32(InternetChecksum.add32(acc, (int) (word >>> 32)), (int) word);
    }

    @Override
    public long pseudoheaderChecksum(IpAddress src, IpAddress dst, int protocol, int length) {
        return pseudoheader(src, dst, protocol, length);
    }

    @Override
    public IpAddress src(IpAddress dst) {
        return address;
    }

    @Override
    public NetifOffloads offloads(IpAddress dst) {
        return offloads;
    }

    @Override
    public boolean rxChecksumValid() {
        return vouch;
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

    /** Removes and returns what was written since the last call. */
    List<TestSegment> drain() {
        List<TestSegment> out = new ArrayList<>();
        for (Written w : written) {
            out.add(w.parse());
        }
        written.clear();
        return out;
    }
}
