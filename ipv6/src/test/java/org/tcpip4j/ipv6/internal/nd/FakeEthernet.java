package org.tcpip4j.ipv6.internal.nd;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.tcpip4j.ethernet.Ethernet;
import org.tcpip4j.ethernet.EthernetError;
import org.tcpip4j.ethernet.PayloadHandler;
import org.tcpip4j.netif.Counters;
import org.tcpip4j.netif.MacAddress;
import org.tcpip4j.netif.PacketWriter;
import org.tcpip4j.netif.Result;

/** An Ethernet layer that only records the multicast groups joined (Neighbor Discovery writes through NdOutput). */
final class FakeEthernet implements Ethernet {

    final MacAddress mac;
    final int mtu;
    /** Joins counted per group. */
    final Map<MacAddress, Integer> groups = new HashMap<>();

    FakeEthernet(MacAddress mac, int mtu) {
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
    public void joinGroup(MacAddress group) {
        if (!group.isMulticast()) {
            throw new IllegalArgumentException("not multicast: " + group);
        }
        groups.merge(group, 1, Integer::sum);
    }

    @Override
    public void leaveGroup(MacAddress group) {
        groups.computeIfPresent(group, (g, n) -> n == 1 ? null : n - 1);
    }

    @Override
    public void input(ByteBuffer frame, PayloadHandler arpv4, PayloadHandler ipv4, PayloadHandler ipv6) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Result<EthernetError> write(MacAddress src, MacAddress dst, int ethertype, int size, PacketWriter payload) {
        throw new UnsupportedOperationException("Neighbor Discovery writes through NdOutput");
    }

    @Override
    public Counters counters() {
        return new Counters("ethernet");
    }

    @Override
    public CompletableFuture<Void> disconnect() {
        return CompletableFuture.completedFuture(null);
    }
}
