package org.tcpip4j.netif.memory;

import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.tcpip4j.netif.FrameHandler;
import org.tcpip4j.netif.MacAddress;
import org.tcpip4j.netif.Netif;
import org.tcpip4j.netif.NetifError;
import org.tcpip4j.netif.NetifOffloads;
import org.tcpip4j.netif.NetifStats;
import org.tcpip4j.netif.PacketWriter;
import org.tcpip4j.netif.Result;
import org.tcpip4j.netif.TcpSegmentation;
import org.tcpip4j.netif.loop.EventLoop;

/**
 * One port of a {@link MemorySwitch}: a {@link Netif} whose frames travel through the
 * switch to the other ports, made by {@link MemorySwitch#port(MacAddress, int)}.
 *
 * <p>{@link #write} lends a buffer of the switch to the writer and queues the frame; it is
 * delivered later, on the loop. Received frames reach the listener with the frame between
 * the buffer's position and limit; the buffer is the switch's, valid only during the call,
 * and shared with the other receivers of a flooded frame, so a handler may move its
 * position and limit but must not write into it.
 *
 * <p>Loop only, but for {@link #mac()}, {@link #mtu()}, {@link #stats()} and
 * {@link #disconnect()}, which any thread may call.
 */
public final class MemoryNetif implements Netif {

    private final MemorySwitch owner;
    private final MacAddress mac;
    private final int mtu;
    private final NetifStats.Counters counters = new NetifStats.Counters();
    private final CompletableFuture<Void> disconnected = new CompletableFuture<>();
    private final NetifOffloads offloads;
    private final TcpSegmentation segmentation = new TcpSegmentation();
    private FrameHandler handler;
    private boolean attached = true;
    /** True while delivering a frame whose checksums the switch vouches for. */
    private boolean deliveringVouched;

    MemoryNetif(MemorySwitch owner, MacAddress mac, int mtu, NetifOffloads offloads) {
        this.owner = owner;
        this.mac = mac;
        this.mtu = mtu;
        this.offloads = offloads;
    }

    /** What the port offers ({@link MemorySwitch#port(MacAddress, int, NetifOffloads)}). */
    @Override
    public NetifOffloads offloads() {
        return offloads;
    }

    @Override
    public boolean rxChecksumValid() {
        return deliveringVouched;
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
    public EventLoop loop() {
        return owner.loop();
    }

    /** The switch this port belongs to. */
    public MemorySwitch memorySwitch() {
        return owner;
    }

    /**
     * Lends a switch buffer to {@code writer} and queues the frame it fills for delivery.
     *
     * @return {@link Result#ok()} once queued; {@link NetifError.Disconnected} after
     *     {@link #disconnect()}; {@link NetifError.ExceedsMtu} when {@code size} is over
     *     {@code mtu() + 14}; {@link NetifError.DeviceError} when the frame written is
     *     shorter than an Ethernet header, so the switch could not read its addresses
     * @throws IllegalArgumentException when {@code size} is negative
     * @throws IllegalStateException when the writer reports a length outside 0..size
     */
    @Override
    public Result<NetifError> write(int size, PacketWriter writer) {
        if (!attached) {
            counters.sendDropped();
            return Result.err(NetifError.DISCONNECTED);
        }
        int maxFrameSize = offloads.tso4() || offloads.tso6() ? offloads.maxTsoFrame() : mtu + ETHERNET_HEADER_SIZE;
        if (size > maxFrameSize) {
            counters.sendDropped();
            return Result.err(new NetifError.ExceedsMtu(size, maxFrameSize));
        }
        if (size < 0) {
            throw new IllegalArgumentException("negative frame size: " + size);
        }
        ByteBuffer buffer = owner.acquireBuffer(size);
        int length;
        try {
            length = writer.write(buffer, 0, size);
        } catch (RuntimeException e) {
            owner.releaseBuffer(buffer);
            throw e;
        }
        if (length < 0 || length > size) {
            owner.releaseBuffer(buffer);
            throw new IllegalStateException("writer returned " + length + " for a frame of at most " + size + " bytes");
        }
        if (length < ETHERNET_HEADER_SIZE) {
            owner.releaseBuffer(buffer);
            counters.sendDropped();
            return Result.err(new NetifError.DeviceError(
                    "frame of " + length + " bytes is shorter than an Ethernet header"));
        }
        if (length > mtu + ETHERNET_HEADER_SIZE && !segmentable(buffer, length)) {
            owner.releaseBuffer(buffer);
            counters.sendDropped();
            return Result.err(new NetifError.ExceedsMtu(length, mtu + ETHERNET_HEADER_SIZE));
        }
        buffer.limit(length).position(0);
        counters.sent(length);
        owner.enqueue(buffer, this);
        return Result.ok();
    }

    /**
     * Delivers every frame the switch sends to this port to {@code handler}, replacing the
     * handler set before; without a handler, frames are dropped and counted.
     *
     * @return a future that completes when the port is disconnected
     */
    @Override
    public CompletableFuture<Void> listen(FrameHandler handler) {
        this.handler = Objects.requireNonNull(handler, "handler");
        return disconnected.copy();
    }

    @Override
    public NetifStats stats() {
        return counters.snapshot();
    }

    @Override
    public void resetStats() {
        counters.reset();
    }

    /**
     * Detaches the port from the switch: frames queued to it are dropped, its addresses
     * forgotten, and writes fail with {@link NetifError.Disconnected}. Idempotent.
     *
     * @return a future that completes once the port is detached (on the loop)
     */
    @Override
    public CompletableFuture<Void> disconnect() {
        owner.loop().run(this::detach);
        return disconnected.copy();
    }

    private void detach() {
        if (attached) {
            attached = false;
            handler = null;
            owner.detach(this);
            disconnected.complete(null);
        }
    }

    boolean isAttached() {
        return attached;
    }

    /** True when a frame over the MTU is a TCP segment this port's TSO may carry. */
    private boolean segmentable(ByteBuffer frame, int length) {
        return segmentation.parse(frame, 0, length)
            && (segmentation.ipv6() ? offloads.tso6() : offloads.tso4());
    }

    /**
     * Hands the switch's frame, {@code length} bytes from 0, to the listener; {@code vouched}
     * when the switch vouches for its checksums ({@link #rxChecksumValid()}).
     */
    void deliver(ByteBuffer frame, int length, boolean vouched) {
        if (!attached) {
            return;
        }
        FrameHandler h = handler;
        int maxFrame = offloads.rxCoalesced() ? offloads.maxTsoFrame() : mtu + ETHERNET_HEADER_SIZE;
        if (h == null || length > maxFrame) {
            counters.receiveDropped();
            return;
        }
        // Read-only when it is the switch's buffer; the previous receiver of a flooded frame
        // may have moved position and limit.
        frame = owner.readOnlyView(frame);
        frame.limit(length).position(0);
        counters.received(length);
        boolean outer = deliveringVouched;
        deliveringVouched = vouched;
        try {
            h.frame(frame);
        } finally {
            deliveringVouched = outer;
        }
    }

    @Override
    public String toString() {
        return "MemoryNetif[" + mac + ", mtu " + mtu + (attached ? "" : ", disconnected") + "]";
    }
}
