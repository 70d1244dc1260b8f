package org.tcpip4j.ipv6.internal;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.tcpip4j.ethernet.Ethernet;
import org.tcpip4j.ethernet.EthernetError;
import org.tcpip4j.ethernet.PayloadHandler;
import org.tcpip4j.netif.Counters;
import org.tcpip4j.netif.MacAddress;
import org.tcpip4j.netif.NetifError;
import org.tcpip4j.netif.PacketWriter;
import org.tcpip4j.netif.Result;

/** An Ethernet layer that records every payload written to it, lending dirty buffers. */
final class CapturingEthernet implements Ethernet {

    /** One frame written: its destination, ethertype and payload (the IP datagram). */
    record Frame(MacAddress dst, int etherType, byte[] payload) {
        ByteBuffer buffer() {
            return ByteBuffer.wrap(payload);
        }
    }

    final List<Frame> frames = new ArrayList<>();
    private final MacAddress mac;
    private final int mtu;
    boolean failing;

    CapturingEthernet(MacAddress mac, int mtu) {
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
    public void input(ByteBuffer frame, PayloadHandler arpv4, PayloadHandler ipv4, PayloadHandler ipv6) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Result<EthernetError> write(MacAddress src, MacAddress dst, int ethertype, int size, PacketWriter payload) {
        if (size > mtu) {
            return Result.err(new EthernetError.ExceedsMtu(size, mtu));
        }
        if (failing) {
            return Result.err(new EthernetError.Netif(NetifError.DISCONNECTED));
        }
        ByteBuffer b = ByteBuffer.allocate(size + 20);
        Arrays.fill(b.array(), (byte) 0xee);
        b.limit(14 + size).position(1);
        int n = payload.write(b, 14, size);
        frames.add(new Frame(dst, ethertype, Arrays.copyOfRange(b.array(), 14, 14 + n)));
        return Result.ok();
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
