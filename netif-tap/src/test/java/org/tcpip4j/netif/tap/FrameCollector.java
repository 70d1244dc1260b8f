package org.tcpip4j.netif.tap;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.tcpip4j.netif.FrameHandler;
import org.tcpip4j.netif.Netif;
import org.tcpip4j.netif.NetifError;
import org.tcpip4j.netif.Result;

/** Keeps a copy of every frame a device delivers, for a test to wait on; and writes frames through the loop. */
final class FrameCollector implements FrameHandler {

    private final LinkedBlockingQueue<byte[]> frames = new LinkedBlockingQueue<>();

    @Override
    public void frame(ByteBuffer frame) {
        byte[] copy = new byte[frame.remaining()];
        frame.get(frame.position(), copy);
        frames.add(copy);
    }

    /** The first frame, received now or within {@code timeout}, that {@code wanted} accepts; null if none. */
    byte[] await(Predicate<byte[]> wanted, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            byte[] frame = frames.poll(left, TimeUnit.NANOSECONDS);
            if (frame != null && wanted.test(frame)) {
                return frame;
            }
        }
    }

    /** Writes {@code frame} on the device's event loop, as the stack would, and returns the result. */
    static Result<NetifError> write(Netif netif, byte[] frame) throws Exception {
        return netif.loop().call(() -> CompletableFuture.completedFuture(netif.write(frame.length, (buffer, offset, max) -> {
            buffer.put(offset, frame);
            return frame.length;
        }))).get(5, TimeUnit.SECONDS);
    }
}
