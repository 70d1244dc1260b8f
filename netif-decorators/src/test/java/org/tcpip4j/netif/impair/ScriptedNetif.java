package org.tcpip4j.netif.impair;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.tcpip4j.netif.FrameHandler;
import org.tcpip4j.netif.MacAddress;
import org.tcpip4j.netif.Netif;
import org.tcpip4j.netif.NetifError;
import org.tcpip4j.netif.NetifStats;
import org.tcpip4j.netif.PacketWriter;
import org.tcpip4j.netif.Result;
import org.tcpip4j.netif.loop.EventLoop;

/**
 * A device for tests: {@link #inject} delivers a frame to the listener the way a driver
 * does, from one reused buffer that is scribbled over after each delivery (so a decorator
 * that keeps a frame without copying it is caught), and every frame written is recorded
 * with the loop time it was written at.
 */
public final class ScriptedNetif implements Netif {

    /** A frame written to the device. */
    public record Written(long nanos, byte[] bytes) {
    }

    private final EventLoop loop;
    private final MacAddress mac;
    private final int mtu;
    private final ByteBuffer rxBuffer;
    private final NetifStats.Counters counters = new NetifStats.Counters();
    private final CompletableFuture<Void> disconnected = new CompletableFuture<>();
    private final List<Written> written = new ArrayList<>();
    private FrameHandler handler;
    private boolean closed;

    /** A device on {@code loop} with an MTU of 1500. */
    public ScriptedNetif(EventLoop loop) {
        this(loop, 1500);
    }

    /** A device on {@code loop} with {@code mtu}. */
    public ScriptedNetif(EventLoop loop, int mtu) {
        this.loop = loop;
        this.mac = MacAddress.parse("02:00:00:00:00:01");
        this.mtu = mtu;
        this.rxBuffer = ByteBuffer.allocateDirect(65536);
    }

    /** Delivers {@code frame} to the listener now, at an offset inside the device's buffer. */
    public void inject(byte[] frame) {
        if (closed || handler == null) {
            return;
        }
        rxBuffer.clear();
        rxBuffer.put(7, frame);
        rxBuffer.position(7).limit(7 + frame.length);
        counters.received(frame.length);
        handler.frame(rxBuffer);
        rxBuffer.clear();
        for (int i = 0; i < 7 + frame.length; i++) {
            rxBuffer.put(i, (byte) 0xEE);
        }
    }

    /** The frames written so far. */
    public List<Written> written() {
        return written;
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
        return loop;
    }

    @Override
    public Result<NetifError> write(int size, PacketWriter writer) {
        if (closed) {
            return Result.err(NetifError.DISCONNECTED);
        }
        if (size > mtu + ETHERNET_HEADER_SIZE) {
            return Result.err(new NetifError.ExceedsMtu(size, mtu + ETHERNET_HEADER_SIZE));
        }
        ByteBuffer b = ByteBuffer.allocate(size + 3);
        int n = writer.write(b, 3, size);
        written.add(new Written(loop.nanoTime(), Arrays.copyOfRange(b.array(), 3, 3 + n)));
        counters.sent(n);
        return Result.ok();
    }

    @Override
    public CompletableFuture<Void> listen(FrameHandler handler) {
        this.handler = handler;
        return disconnected;
    }

    @Override
    public NetifStats stats() {
        return counters.snapshot();
    }

    @Override
    public void resetStats() {
        counters.reset();
    }

    @Override
    public CompletableFuture<Void> disconnect() {
        closed = true;
        disconnected.complete(null);
        return disconnected;
    }

    /** True once disconnected. */
    public boolean isDisconnected() {
        return closed;
    }
}
