package org.tcpip4j.netif.tap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tcpip4j.netif.MacAddress;
import org.tcpip4j.netif.NetifError;
import org.tcpip4j.netif.NetifStats;
import org.tcpip4j.netif.Result;
import org.tcpip4j.netif.loop.RealTimeEventLoop;
import org.tcpip4j.netif.tap.internal.SocketPair;

/**
 * {@link TapNetif}'s send and receive paths with plain frames, its statistics and its
 * disconnect, over one end of a seqpacket socket pair instead of a TAP: no root, no
 * {@code /dev/net/tun}.
 */
class TapNetifOverSocketTest {

    private static final int MTU = 1500;
    private static final MacAddress MAC = MacAddress.parse("02:00:00:00:00:01");

    private RealTimeEventLoop loop;

    /** The loop the device runs on: one with a reader thread per device here. */
    RealTimeEventLoop newLoop() {
        return new RealTimeEventLoop("tap-socket-test");
    }
    private SocketPair pair;
    private TapNetif netif;

    @BeforeEach
    void open() {
        loop = newLoop();
        pair = new SocketPair();
        netif = TapNetif.overDescriptor(pair.device,
                TapConfig.builder().interfaceName("pair0").mac(MAC).mtu(MTU).receiveQueueCapacity(64)
                        .offloads(false).build(), loop);
    }

    @AfterEach
    void close() throws Exception {
        netif.disconnect().get(5, TimeUnit.SECONDS);
        pair.close();
        loop.close();
    }

    private Result<NetifError> writeOnLoop(byte[] frame) throws Exception {
        return onLoop(() -> netif.write(frame.length, (buffer, offset, max) -> {
            buffer.put(offset, frame);
            return frame.length;
        }));
    }

    private <T> T onLoop(java.util.function.Supplier<T> task) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        loop.execute(() -> {
            try {
                result.complete(task.get());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        return result.get(5, TimeUnit.SECONDS);
    }

    static byte[] frame(int i, int length) {
        byte[] f = new byte[length];
        ByteBuffer.wrap(f).putInt(0, i);
        for (int k = 4; k < length; k++) {
            f[k] = (byte) (i * 13 + k);
        }
        return f;
    }

    @Test
    void sentFramesComeOutOfTheOtherEndIntact() throws Exception {
        int count = 0;
        long bytes = 0;
        for (int length = 60; length <= MTU + 14; length += 37) {
            byte[] f = frame(count, length);
            assertTrue(writeOnLoop(f).isOk());
            assertArrayEquals(f, pair.receive(2000), "frame of " + length + " bytes");
            count++;
            bytes += length;
        }
        byte[] largest = frame(count, MTU + 14);
        assertTrue(writeOnLoop(largest).isOk());
        assertArrayEquals(largest, pair.receive(2000));
        NetifStats stats = netif.stats();
        assertEquals(count + 1, stats.txPackets());
        assertEquals(bytes + MTU + 14, stats.txBytes());
        assertEquals(0, stats.txDrops());
    }

    @Test
    void aFrameOverTheMtuIsRefusedAndNothingIsSent() throws Exception {
        Result<NetifError> r = writeOnLoop(new byte[MTU + 15]);
        assertInstanceOf(NetifError.ExceedsMtu.class, ((Result.Err<NetifError>) r).error());
        assertNull(pair.receive(50));
        assertEquals(1, netif.stats().txDrops());
    }

    @Test
    void aFullDeviceQueueIsAnErrorAndATransmitDrop() throws Exception {
        // Nobody reads the other end: the socket buffer fills and write meets EAGAIN.
        byte[] f = frame(0, MTU + 14);
        Result<NetifError> last = Result.ok();
        int sent = 0;
        while (last.isOk() && sent < 100_000) {
            last = writeOnLoop(f);
            sent++;
        }
        assertFalse(last.isOk(), "the queue never filled");
        NetifError error = ((Result.Err<NetifError>) last).error();
        assertInstanceOf(NetifError.DeviceError.class, error);
        assertTrue(((NetifError.DeviceError) error).message().startsWith("EAGAIN"), error.toString());
        assertEquals(1, netif.stats().txDrops());
        assertEquals(sent - 1, netif.stats().txPackets());
        // Once the other end reads, writes go through again.
        while (pair.receive() != null) {
            // drain
        }
        assertTrue(writeOnLoop(f).isOk());
    }

    @Test
    void receivedFramesReachTheHandlerInOrder() throws Exception {
        List<byte[]> frames = new CopyOnWriteArrayList<>();
        netif.listen(frame -> {
            byte[] copy = new byte[frame.remaining()];
            frame.get(copy);
            frames.add(copy);
        });
        int count = 5000;
        for (int i = 0; i < count; i++) {
            pair.send(frame(i, 60 + i % (MTU + 14 - 60 + 1)));
            // Stay within the receive queue: beyond it the reader drops by design.
            while (i + 1 - frames.size() > 32) {
                Thread.onSpinWait();
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (frames.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertEquals(count, frames.size());
        for (int i = 0; i < count; i++) {
            assertArrayEquals(frame(i, 60 + i % (MTU + 14 - 60 + 1)), frames.get(i), "frame " + i);
        }
        assertEquals(count, netif.stats().rxPackets());
        assertEquals(0, netif.stats().rxDrops());
    }

    @Test
    void disconnectReleasesTheDescriptorAndLaterWritesFail() throws Exception {
        CompletableFuture<Void> released = netif.listen(frame -> { });
        netif.disconnect().get(2, TimeUnit.SECONDS);
        // The listener's future completes from the reader thread as it stops: soon, not
        // necessarily before disconnect's own future.
        released.get(2, TimeUnit.SECONDS);
        assertFalse(netif.isOpen());
        // The device end is closed: the other end reads end of file.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        byte[] eof = null;
        while (eof == null && System.nanoTime() < deadline) {
            eof = pair.receive();
        }
        assertEquals(0, eof.length, "end of file on the other end");
        assertSame(NetifError.DISCONNECTED, ((Result.Err<NetifError>) writeOnLoop(frame(1, 60))).error());
    }

    @Test
    void theOtherEndGoingAwayDisconnectsTheDevice() throws Exception {
        CompletableFuture<Void> released = netif.listen(frame -> { });
        pair.closePeer();
        released.get(5, TimeUnit.SECONDS);
        assertFalse(netif.isOpen());
    }
}
