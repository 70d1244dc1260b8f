package org.tcpip4j.stack.direct;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import org.tcpip4j.ethernet.Ethernet;
import org.tcpip4j.ethernet.EthernetError;
import org.tcpip4j.ethernet.PayloadHandler;
import org.tcpip4j.netif.Counters;
import org.tcpip4j.netif.FrameHandler;
import org.tcpip4j.netif.MacAddress;
import org.tcpip4j.netif.Netif;
import org.tcpip4j.netif.NetifOffloads;
import org.tcpip4j.netif.PacketWriter;
import org.tcpip4j.netif.Result;
import org.tcpip4j.netif.loop.EventLoop;

/**
 * The Ethernet layer as the IPv4 layer sees it: the stack's own, except that a frame to
 * our own MAC (a datagram to one of our addresses) is not put on the wire but handed back
 * to the stack's input, as a later task of the loop, as Linux's loopback device does for
 * local routes (RFC 1122 3.3.6: a host delivers datagrams for itself locally). A device
 * would drop such a frame, or a switch send it nowhere.
 *
 * <p>A looped frame is copied once into a buffer of its own; every other frame goes
 * straight to the link with one comparison more.
 */
final class LoopbackEthernet implements Ethernet {

    private final Ethernet link;
    private final EventLoop loop;
    private final long mac;
    private final Counters.Counter looped;
    private FrameHandler input;

    /** Wraps {@code link}, counting looped frames as {@code tx.loopback} in {@code counters}. */
    LoopbackEthernet(Ethernet link, EventLoop loop, Counters counters) {
        this.link = link;
        this.loop = loop;
        this.mac = link.mac().bits();
        this.looped = counters.counter("tx.loopback");
    }

    /** Sets the stack's input, where looped frames go. */
    void input(FrameHandler stackInput) {
        this.input = stackInput;
    }

    @Override
    public Result<EthernetError> write(MacAddress src, MacAddress dst, int ethertype, int size, PacketWriter payload) {
        if (dst.bits() != mac || input == null) {
            return link.write(src, dst, ethertype, size, payload);
        }
        if (size < 0 || size > link.mtu()) {
            return Result.err(new EthernetError.ExceedsMtu(size, link.mtu()));
        }
        ByteBuffer frame = ByteBuffer.allocate(Netif.ETHERNET_HEADER_SIZE + size);
        MacAddress.writeBits(frame, 0, mac);
        MacAddress.writeBits(frame, 6, src == null ? mac : src.bits());
        frame.putShort(12, (short) ethertype);
        int n = payload.write(frame, Netif.ETHERNET_HEADER_SIZE, size);
        if (n < 0 || n > size) {
            throw new IllegalStateException("payload writer wrote " + n + " bytes of at most " + size);
        }
        frame.limit(Netif.ETHERNET_HEADER_SIZE + n);
        looped.increment();
        FrameHandler to = input;
        loop.execute(() -> to.frame(frame));
        return Result.ok();
    }

    @Override
    public MacAddress mac() {
        return link.mac();
    }

    @Override
    public int mtu() {
        return link.mtu();
    }

    @Override
    public NetifOffloads offloads() {
        return link.offloads();
    }

    @Override
    public boolean rxChecksumValid() {
        return link.rxChecksumValid();
    }

    @Override
    public void input(ByteBuffer frame, PayloadHandler arpv4, PayloadHandler ipv4, PayloadHandler ipv6) {
        link.input(frame, arpv4, ipv4, ipv6);
    }

    @Override
    public void joinGroup(MacAddress group) {
        link.joinGroup(group);
    }

    @Override
    public void leaveGroup(MacAddress group) {
        link.leaveGroup(group);
    }

    @Override
    public Counters counters() {
        return link.counters();
    }

    @Override
    public CompletableFuture<Void> disconnect() {
        return link.disconnect();
    }
}
