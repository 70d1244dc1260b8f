package org.tcpip4j.examples;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import org.tcpip4j.ethernet.EtherType;
import org.tcpip4j.ethernet.Ethernet;
import org.tcpip4j.ethernet.EthernetError;
import org.tcpip4j.ethernet.PayloadHandler;
import org.tcpip4j.netif.Counters;
import org.tcpip4j.netif.MacAddress;
import org.tcpip4j.netif.NetifOffloads;
import org.tcpip4j.netif.PacketWriter;
import org.tcpip4j.netif.Result;

/**
 * An Ethernet layer that delegates to another and counts, per ethertype, the frames it
 * writes and the frames it receives. Its counters sit among the inner layer's, under
 * "counting.*" names.
 */
public final class CountingEthernet implements Ethernet {

    private final Ethernet inner;
    private final Counters.Counter rxArp;
    private final Counters.Counter rxIpv4;
    private final Counters.Counter rxOther;
    private final Counters.Counter txArp;
    private final Counters.Counter txIpv4;
    private final Counters.Counter txOther;
    // Handlers that count and pass on, cached per target so that input allocates nothing.
    private PayloadHandler arpTarget;
    private PayloadHandler arpCounting;
    private PayloadHandler ipv4Target;
    private PayloadHandler ipv4Counting;

    /** Wraps {@code inner}. */
    public CountingEthernet(Ethernet inner) {
        this.inner = inner;
        Counters c = inner.counters();
        rxArp = c.counter("counting.rx.arp");
        rxIpv4 = c.counter("counting.rx.ipv4");
        rxOther = c.counter("counting.rx.other");
        txArp = c.counter("counting.tx.arp");
        txIpv4 = c.counter("counting.tx.ipv4");
        txOther = c.counter("counting.tx.other");
    }

    /** Frames received for ARP. */
    public long receivedArp() {
        return rxArp.get();
    }

    /** Frames received for IPv4. */
    public long receivedIpv4() {
        return rxIpv4.get();
    }

    /** Frames written for ARP. */
    public long sentArp() {
        return txArp.get();
    }

    /** Frames written for IPv4. */
    public long sentIpv4() {
        return txIpv4.get();
    }

    @Override
    public MacAddress mac() {
        return inner.mac();
    }

    @Override
    public int mtu() {
        return inner.mtu();
    }

    @Override
    public NetifOffloads offloads() {
        return inner.offloads();
    }

    @Override
    public boolean rxChecksumValid() {
        return inner.rxChecksumValid();
    }

    @Override
    public void input(ByteBuffer frame, PayloadHandler arpv4, PayloadHandler ipv4, PayloadHandler ipv6) {
        if (arpv4 != arpTarget) {
            arpTarget = arpv4;
            arpCounting = arpv4 == null ? null : p -> {
                rxArp.increment();
                arpTarget.payload(p);
            };
        }
        if (ipv4 != ipv4Target) {
            ipv4Target = ipv4;
            ipv4Counting = ipv4 == null ? null : p -> {
                rxIpv4.increment();
                ipv4Target.payload(p);
            };
        }
        PayloadHandler other = ipv6 == null ? null : p -> {
            rxOther.increment();
            ipv6.payload(p);
        };
        inner.input(frame, arpCounting, ipv4Counting, other);
    }

    @Override
    public Result<EthernetError> write(MacAddress src, MacAddress dst, int ethertype, int size, PacketWriter payload) {
        Result<EthernetError> r = inner.write(src, dst, ethertype, size, payload);
        if (r.isOk()) {
            switch (ethertype) {
                case EtherType.ARP -> txArp.increment();
                case EtherType.IPV4 -> txIpv4.increment();
                default -> txOther.increment();
            }
        }
        return r;
    }

    @Override
    public void joinGroup(MacAddress group) {
        inner.joinGroup(group);
    }

    @Override
    public void leaveGroup(MacAddress group) {
        inner.leaveGroup(group);
    }

    /** The inner layer's counters, with this layer's "counting.*" counters among them. */
    @Override
    public Counters counters() {
        return inner.counters();
    }

    @Override
    public CompletableFuture<Void> disconnect() {
        return inner.disconnect();
    }
}
