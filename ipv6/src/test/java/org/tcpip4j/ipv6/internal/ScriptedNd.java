package org.tcpip4j.ipv6.internal;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.tcpip4j.ipv6.Ipv6AddressInfo;
import org.tcpip4j.ipv6.Ipv6Neighbor;
import org.tcpip4j.netif.Counters;
import org.tcpip4j.netif.IpAddress;
import org.tcpip4j.netif.Ipv6Address;
import org.tcpip4j.netif.Ipv6Cidr;

/**
 * A Neighbor Discovery whose answers the test decides: addresses on link are those of
 * {@link #onLink}, others go through {@link #router}; known neighbors resolve at once,
 * others are held here. Records what the layer hands it.
 */
final class ScriptedNd implements NeighborDiscovery {

    /** A datagram held for a next hop. */
    record Held(Ipv6Address nextHop, byte[] datagram) {
    }

    NdOutput output;
    Counters counters;
    boolean started;
    boolean stopped;
    final Set<Ipv6Address> local = new HashSet<>();
    final List<Ipv6Cidr> cidrs = new ArrayList<>();
    Ipv6Cidr onLink;
    Ipv6Address router;
    final Map<Ipv6Address, Long> macs = new HashMap<>();
    final List<String> inputs = new ArrayList<>();
    final List<Held> held = new ArrayList<>();
    final List<Ipv6Address> confirmed = new ArrayList<>();
    final List<Ipv6Address> joined = new ArrayList<>();
    int linkMtu = 1500;
    int hopLimit = 64;

    /** Ours: {@code address} in {@code cidr}'s prefix, on link. */
    ScriptedNd(Ipv6Cidr cidr) {
        cidrs.add(cidr);
        local.add(cidr.address());
        onLink = cidr;
    }

    /** The factory the layer is built with, handing it this object. */
    NeighborDiscovery.Factory factory() {
        return (ethernet, config, context, out, c) -> {
            this.output = out;
            this.counters = c;
            return this;
        };
    }

    @Override
    public void start() {
        started = true;
    }

    @Override
    public void stop() {
        stopped = true;
    }

    @Override
    public Ipv6Address nextHop(Ipv6Address dst) {
        return dst.isLinkLocal() || dst.isMulticast() || onLink.contains(dst) ? dst : router;
    }

    @Override
    public long linkAddress(Ipv6Address nextHop) {
        if (nextHop.isMulticast()) {
            return 0x3333_0000_0000L | (nextHop.low() & 0xffff_ffffL);
        }
        Long mac = macs.get(nextHop);
        return mac == null ? NdOutput.RESOLVE : mac;
    }

    @Override
    public boolean hold(Ipv6Address nextHop, ByteBuffer datagram) {
        byte[] b = new byte[datagram.remaining()];
        datagram.get(datagram.position(), b);
        held.add(new Held(nextHop, b));
        return true;
    }

    @Override
    public void confirmReachable(Ipv6Address neighbor) {
        confirmed.add(neighbor);
    }

    @Override
    public void input(Ipv6Address src, Ipv6Address dst, int hopLimit, ByteBuffer message) {
        byte[] b = new byte[message.remaining()];
        message.get(message.position(), b);
        inputs.add(src + ">" + dst + " hl" + hopLimit + " " + HexFormat.of().formatHex(b));
    }

    @Override
    public boolean isLocal(Ipv6Address dst) {
        return local.contains(dst);
    }

    @Override
    public Ipv6Address sourceFor(Ipv6Address dst) {
        return cidrs.isEmpty() ? null : cidrs.get(0).address();
    }

    @Override
    public int linkMtu() {
        return linkMtu;
    }

    @Override
    public int hopLimit() {
        return hopLimit;
    }

    @Override
    public void joinGroup(Ipv6Address group) {
        joined.add(group);
        local.add(group);
    }

    @Override
    public void leaveGroup(Ipv6Address group) {
        joined.remove(group);
        local.remove(group);
    }

    @Override
    public List<Ipv6Cidr> cidrs() {
        return cidrs;
    }

    @Override
    public List<Ipv6AddressInfo> addressInfo() {
        return cidrs.stream().map(c -> new Ipv6AddressInfo(c, Ipv6AddressInfo.Origin.STATIC,
            Ipv6AddressInfo.State.PREFERRED, Long.MAX_VALUE, Long.MAX_VALUE)).toList();
    }

    @Override
    public List<IpAddress> configuredIps() {
        return cidrs.stream().map(c -> (IpAddress) c.address()).toList();
    }

    @Override
    public CompletableFuture<Void> addressesReady() {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public Optional<Ipv6Address> defaultRouter() {
        return Optional.ofNullable(router);
    }

    @Override
    public List<Ipv6Neighbor> neighbors() {
        return List.of();
    }
}
