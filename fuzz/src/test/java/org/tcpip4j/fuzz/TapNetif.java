package org.tcpip4j.fuzz;

import java.nio.ByteBuffer;
import java.util.ArrayList;
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
 * A tap on a device: passes everything through to the device it wraps, keeps a copy of
 * each frame the stack writes while {@link #capturing} is set, and hands frames of the
 * test's making to the stack as if the device had received them ({@link #inject}).
 */
final class TapNetif implements Netif {

    private final Netif device;
    private final List<byte[]> captured = new ArrayList<>();
    private FrameHandler handler;
    /** Whether written frames are copied into {@link #captured()}. */
    boolean capturing;

    TapNetif(Netif device) {
        this.device = device;
    }

    /** The frames written while capturing, in order. */
    List<byte[]> captured() {
        return captured;
    }

    /** Hands {@code frame} to the stack now, on the calling thread (which must own the loop). */
    void inject(byte[] frame) {
        if (handler != null) {
            handler.frame(ByteBuffer.wrap(frame));
        }
    }

    @Override
    public MacAddress mac() {
        return device.mac();
    }

    @Override
    public int mtu() {
        return device.mtu();
    }

    @Override
    public EventLoop loop() {
        return device.loop();
    }

    @Override
    public Result<NetifError> write(int size, PacketWriter writer) {
        if (!capturing) {
            return device.write(size, writer);
        }
        return device.write(size, (buffer, offset, maxLength) -> {
            int n = writer.write(buffer, offset, maxLength);
            if (n > 0 && n <= maxLength) {
                byte[] copy = new byte[n];
                buffer.get(offset, copy);
                captured.add(copy);
            }
            return n;
        });
    }

    @Override
    public CompletableFuture<Void> listen(FrameHandler handler) {
        this.handler = handler;
        return device.listen(handler);
    }

    @Override
    public NetifStats stats() {
        return device.stats();
    }

    @Override
    public void resetStats() {
        device.resetStats();
    }

    @Override
    public CompletableFuture<Void> disconnect() {
        handler = null;
        return device.disconnect();
    }

    @Override
    public String toString() {
        return "tap on " + device + ", " + captured.size() + " frames captured";
    }
}
