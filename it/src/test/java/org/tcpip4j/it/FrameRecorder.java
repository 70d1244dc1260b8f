package org.tcpip4j.it;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.tcpip4j.netif.FrameHandler;

/** Keeps a copy of every frame the TAP delivers, for tests to wait on. */
public final class FrameRecorder implements FrameHandler {

    private final LinkedBlockingQueue<byte[]> frames = new LinkedBlockingQueue<>();

    @Override
    public void frame(ByteBuffer frame) {
        byte[] copy = new byte[frame.remaining()];
        frame.get(frame.position(), copy);
        frames.add(copy);
    }

    /** Forgets the frames received so far. */
    public void clear() {
        frames.clear();
    }

    /**
     * The first frame received so far or within {@code timeout} that {@code wanted} accepts,
     * or null; frames looked at and not wanted are discarded.
     */
    public byte[] await(Predicate<byte[]> wanted, Duration timeout) throws InterruptedException {
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
}
