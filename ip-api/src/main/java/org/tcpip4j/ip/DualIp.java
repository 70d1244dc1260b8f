package org.tcpip4j.ip;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.tcpip4j.netif.Counters;
import org.tcpip4j.netif.IpAddress;
import org.tcpip4j.netif.Ipv4Address;
import org.tcpip4j.netif.Ipv6Address;
import org.tcpip4j.netif.NetifOffloads;
import org.tcpip4j.netif.PacketWriter;
import org.tcpip4j.netif.Result;

/**
 * One {@link Ip} over an IPv4 and an IPv6 layer (Mirage's {@code Ipv4v6}): what a dual
 * stack gives UDP and TCP, so that they serve both versions through one layer. Every call
 * that names an address goes to the layer of that address's version; a version without a
 * layer has no route. Received datagrams go to the layer of their version's nibble, though
 * a stack normally hands each layer its own frames (by ethertype) and calls their
 * {@code input} directly.
 *
 * <p>Allocates nothing of its own on any path.
 */
public final class DualIp implements Ip {

    private final Ip v4;
    private final Ip v6;
    private final Counters counters = new Counters("ip");
    private final Counters.Counter unknownVersion = counters.counter("rx.unknown_version");

    private DualIp(Ip v4, Ip v6) {
        if (v4 == null && v6 == null) {
            throw new IllegalArgumentException("a dual IP layer needs at least one of IPv4 and IPv6");
        }
        this.v4 = v4;
        this.v6 = v6;
    }

    /**
     * The layer over {@code v4} and {@code v6}; either may be {@code null} (that version then
     * has no route), not both.
     */
    public static DualIp of(Ip v4, Ip v6) {
        return new DualIp(v4, v6);
    }

    /** The IPv4 layer, or {@code null}. */
    public Ip v4() {
        return v4;
    }

    /** The IPv6 layer, or {@code null}. */
    public Ip v6() {
        return v6;
    }

    private Ip layerOf(IpAddress address) {
        return address instanceof Ipv6Address ? v6 : v4;
    }

    @Override
    public void input(ByteBuffer packet, IpHandler tcp, IpHandler udp, OtherProtocolHandler other) {
        int version = packet.hasRemaining() ? (packet.get(packet.position()) & 0xff) >>> 4 : 0;
        Ip layer = version == 6 ? v6 : version == 4 ? v4 : null;
        if (layer == null) {
            unknownVersion.increment();
            return;
        }
        layer.input(packet, tcp, udp, other);
    }

    @Override
    public Result<IpError> write(IpAddress src, IpAddress dst, int protocol, int ttl, boolean fragment, int size,
                                 PacketWriter payload) {
        Objects.requireNonNull(dst, "dst");
        Ip layer = layerOf(dst);
        if (layer == null || (src != null && src.version() != dst.version())) {
            return Result.err(new IpError.NoRoute(dst));
        }
        return layer.write(src, dst, protocol, ttl, fragment, size, payload);
    }

    @Override
    public long pseudoheaderChecksum(IpAddress src, IpAddress dst, int protocol, int length) {
        Ip layer = layerOf(src);
        if (layer == null) {
            throw new IllegalArgumentException("no IPv" + src.version() + " layer for " + src);
        }
        return layer.pseudoheaderChecksum(src, dst, protocol, length);
    }

    /** {@inheritDoc} The unspecified address of {@code dst}'s version when that version has no layer. */
    @Override
    public IpAddress src(IpAddress dst) {
        Ip layer = layerOf(dst);
        if (layer == null) {
            return dst instanceof Ipv6Address ? Ipv6Address.ANY : Ipv4Address.ANY;
        }
        return layer.src(dst);
    }

    @Override
    public int mtu(IpAddress dst) {
        Ip layer = layerOf(dst);
        return layer == null ? 0 : layer.mtu(dst);
    }

    @Override
    public NetifOffloads offloads(IpAddress dst) {
        Ip layer = layerOf(dst);
        return layer == null ? NetifOffloads.NONE : layer.offloads(dst);
    }

    /** {@inheritDoc} Asks both layers: only the one delivering answers true. */
    @Override
    public boolean rxChecksumValid() {
        return (v4 != null && v4.rxChecksumValid()) || (v6 != null && v6.rxChecksumValid());
    }

    /** {@inheritDoc} Asks both layers: only the one delivering {@code payload} answers. */
    @Override
    public void portUnreachable(ByteBuffer payload) {
        if (v4 != null) {
            v4.portUnreachable(payload);
        }
        if (v6 != null) {
            v6.portUnreachable(payload);
        }
    }

    /** {@inheritDoc} Asks both layers: only the one delivering {@code payload} answers. */
    @Override
    public void protocolUnreachable(ByteBuffer payload) {
        if (v4 != null) {
            v4.protocolUnreachable(payload);
        }
        if (v6 != null) {
            v6.protocolUnreachable(payload);
        }
    }

    @Override
    public AddressKind addressKind(IpAddress address) {
        Ip layer = layerOf(address);
        return layer == null ? AddressKind.of(address) : layer.addressKind(address);
    }

    @Override
    public void updatePathMtu(IpAddress destination, int mtu) {
        Ip layer = layerOf(destination);
        if (layer != null) {
            layer.updatePathMtu(destination, mtu);
        }
    }

    @Override
    public void confirmReachable(IpAddress destination) {
        Ip layer = layerOf(destination);
        if (layer != null) {
            layer.confirmReachable(destination);
        }
    }

    /** {@inheritDoc} The IPv4 layer's first, then the IPv6 layer's. */
    @Override
    public List<IpAddress> configuredIps() {
        List<IpAddress> all = new ArrayList<>();
        if (v4 != null) {
            all.addAll(v4.configuredIps());
        }
        if (v6 != null) {
            all.addAll(v6.configuredIps());
        }
        return List.copyOf(all);
    }

    /**
     * {@inheritDoc} Only this layer's own: datagrams of no known version. Each version's
     * layer keeps its own counters.
     */
    @Override
    public Counters counters() {
        return counters;
    }

    /** {@inheritDoc} Disconnects both layers. */
    @Override
    public CompletableFuture<Void> disconnect() {
        CompletableFuture<Void> a = v4 == null ? CompletableFuture.completedFuture(null) : v4.disconnect();
        CompletableFuture<Void> b = v6 == null ? CompletableFuture.completedFuture(null) : v6.disconnect();
        return CompletableFuture.allOf(a, b);
    }

    @Override
    public String toString() {
        return "DualIp[" + v4 + ", " + v6 + "]";
    }
}
