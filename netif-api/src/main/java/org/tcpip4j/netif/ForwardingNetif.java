package org.tcpip4j.netif;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.tcpip4j.netif.loop.EventLoop;

/**
 * A {@link Netif} that passes every call to another one: the base of decorators (capture,
 * impairment, counting) that override only what they change.
 */
public abstract class ForwardingNetif implements Netif {

    /** The device this one wraps. */
    protected final Netif inner;

    /** Wraps {@code inner}. */
    protected ForwardingNetif(Netif inner) {
        this.inner = Objects.requireNonNull(inner, "inner");
    }

    /** The device this one wraps. */
    public Netif inner() {
        return inner;
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
    public EventLoop loop() {
        return inner.loop();
    }

    @Override
    public Result<NetifError> write(int size, PacketWriter writer) {
        return inner.write(size, writer);
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
    public CompletableFuture<Void> listen(FrameHandler handler) {
        return inner.listen(handler);
    }

    @Override
    public NetifStats stats() {
        return inner.stats();
    }

    @Override
    public void resetStats() {
        inner.resetStats();
    }

    @Override
    public CompletableFuture<Void> disconnect() {
        return inner.disconnect();
    }
}
