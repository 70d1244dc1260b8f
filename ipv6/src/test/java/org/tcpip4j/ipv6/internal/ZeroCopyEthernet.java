package org.tcpip4j.ipv6.internal;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import org.tcpip4j.ethernet.Ethernet;
import org.tcpip4j.ethernet.EthernetError;
import org.tcpip4j.ethernet.PayloadHandler;
import org.tcpip4j.netif.Counters;
import org.tcpip4j.netif.MacAddress;
import org.tcpip4j.netif.PacketWriter;
import org.tcpip4j.netif.Result;

/** An Ethernet layer that writes every frame into one reused buffer and keeps nothing. */
final class ZeroCopyEthernet implements Ethernet {

    private final ByteBuffer frame = ByteBuffer.allocateDirect(1514);
    private final MacAddress mac;

    ZeroCopyEthernet(MacAddress mac) {
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
    public void input(ByteBuffer f, PayloadHandler arpv4, PayloadHandler ipv4, PayloadHandler ipv6) {
    }

    @Override
    public Result<EthernetError> write(MacAddress src, MacAddress dst, int ethertype, int size, PacketWriter payload) {
        frame.clear();
        payload.write(frame, 14, size);
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
