package org.tcpip4j.tcp.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.tcpip4j.tcp.internal.DataTransferTest.bytes;
import static org.tcpip4j.tcp.internal.DataTransferTest.open;
import static org.tcpip4j.tcp.internal.TcpHarness.*;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.tcpip4j.tcp.TcpConfig;
import org.tcpip4j.tcp.TcpException;
import org.tcpip4j.tcp.TcpFlow;

/**
 * The blocking InputStream's ring: what arrives is copied into it on the loop while the
 * reader is away; once it is full the rest stays in the receive buffer (the reception
 * paused, the window closing), and the reader's reads resume it; the bytes come in order,
 * then the end or the failure. The peer's segments are 1000 bytes, our receive buffer
 * 65535 bytes, the ring 64 KiB.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class FlowInputStreamTest {

    private static final TcpConfig BIG_RECEIVE_BUFFER = new TcpConfig(8192, 65535, Duration.ofSeconds(30), 3, 4, 4)
        .withCongestionControl("newreno");

    /** Runs the loop until {@code f} is done: the reader's calls reach it as foreign tasks. */
    private static <T> T await(TcpHarness h, CompletableFuture<T> f) throws Exception {
        while (!f.isDone()) {
            h.loop.runFor(1_000_000);
            Thread.onSpinWait();
        }
        return f.get();
    }

    private static <T> CompletableFuture<T> onItsOwnThread(Callable<T> task) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                result.complete(task.call());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        return result;
    }

    @Test
    void whenTheRingIsFullTheRestWaitsInTheReceiveBufferUntilTheReaderCatchesUp() throws Exception {
        TcpHarness h = new TcpHarness(BIG_RECEIVE_BUFFER);
        TcpFlow flow = open(h, 1000, 65535);
        InputStream in = flow.inputStream();
        CompletableFuture<Integer> first = new CompletableFuture<>();
        CountDownLatch away = new CountDownLatch(1);
        CompletableFuture<byte[]> rest = onItsOwnThread(() -> {
            first.complete(in.read());
            away.await();
            return in.readAllBytes();
        });
        h.inject(from(40000, 80, ACK, 5001, 1001).payload(new byte[] {42}));
        assertEquals(42, await(h, first));

        byte[] data = bytes(130_000, 3);
        FlowReadFormsTest.inject(h, data, 1);
        assertEquals(65536, in.available(), "the ring is full");
        assertEquals(130_000 - 65536, h.connection(flow).receiver.buffer.readable(), "the rest waits in the buffer");
        h.inject(from(40000, 80, ACK | FIN, 5001 + 1 + 130_000, 1001));

        away.countDown();
        assertArrayEquals(data, await(h, rest));
    }

    @Test
    void theBytesInTheRingComeBeforeTheFailure() throws Exception {
        TcpHarness h = new TcpHarness(BIG_RECEIVE_BUFFER);
        TcpFlow flow = open(h, 1000, 65535);
        InputStream in = flow.inputStream();
        CompletableFuture<Integer> first = new CompletableFuture<>();
        CountDownLatch away = new CountDownLatch(1);
        byte[] got = new byte[200];
        CompletableFuture<Integer> rest = onItsOwnThread(() -> {
            first.complete(in.read());
            away.await();
            int n = 0;
            try {
                int r;
                while ((r = in.read(got, n, got.length - n)) > 0) {
                    n += r;
                }
                return n;
            } catch (IOException e) {
                assertInstanceOf(TcpException.Reset.class, e.getCause());
                return n;
            }
        });
        h.inject(from(40000, 80, ACK, 5001, 1001).payload(new byte[] {42}));
        assertEquals(42, await(h, first));
        h.inject(from(40000, 80, ACK, 5002, 1001).payload(bytes(99, 1)));
        h.inject(from(40000, 80, RST, 5002 + 99, 0));
        away.countDown();
        assertEquals(99, await(h, rest));
        assertArrayEquals(bytes(99, 1), Arrays.copyOf(got, 99));
    }
}
