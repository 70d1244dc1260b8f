package org.tcpip4j.arp.internal;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
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

/** An Ethernet layer that records what is written to it, as "dst type payload-hex". */
final class CapturingEthernet implements Ethernet {

    /** One frame written. */
    record Frame(MacAddress dst, int etherType, byte[] payload) {
        @Override
        public String toString() {
            return dst + " " + Integer.toHexString(etherType) + " " + HexFormat.of().formatHex(payload);
        }
    }

    final List<Frame> frames = new ArrayList<>();
    final MacAddress mac;
    boolean failing;

    CapturingEthernet(MacAddress mac) {
        this.mac = mac;
    }

    @Override
    public MacAddress mac() {
        return mac;
    }

    @Override
    public int mtu() {
        return 1500;
    }

    @Override
    public void input(ByteBuffer frame, PayloadHandler arpv4, PayloadHandler ipv4, PayloadHandler ipv6) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Result<EthernetError> write(MacAddress src, MacAddress dst, int ethertype, int size, PacketWriter payload) {
        if (failing) {
            return Result.err(new EthernetError.Netif(NetifError.DISCONNECTED));
        }
        ByteBuffer b = ByteBuffer.allocate(size + 10);
        b.limit(3 + size);
        int n = payload.write(b, 3, size);
        frames.add(new Frame(dst, ethertype, Arrays.copyOfRange(b.array(), 3, 3 + n)));
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
