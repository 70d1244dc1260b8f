package org.tcpip4j.stack.socket;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.tcpip4j.tcp.ReadResult;
import org.tcpip4j.tcp.TcpFlow;

/** Bounded waits and small TCP helpers shared by the socket stack's tests. */
public final class Futures {

    /** How long any single step of a test may take on loopback. */
    public static final long TIMEOUT_SECONDS = 5;

    private Futures() {
    }

    /** The future's value, waiting at most {@link #TIMEOUT_SECONDS}. */
    public static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("future failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("future did not complete in " + TIMEOUT_SECONDS + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The exception the future fails with, checked to be a {@code type}. */
    public static <E extends Throwable> E failure(Class<E> type, CompletableFuture<?> future) {
        try {
            Object v = future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            return fail("expected a " + type.getSimpleName() + " but the future completed with " + v);
        } catch (ExecutionException e) {
            return assertInstanceOf(type, e.getCause());
        } catch (TimeoutException e) {
            return fail("future did not fail in " + TIMEOUT_SECONDS + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Every byte the flow gives until Eof. */
    public static CompletableFuture<byte[]> readAll(TcpFlow flow) {
        CompletableFuture<byte[]> result = new CompletableFuture<>();
        readInto(flow, new ByteArrayOutputStream(), result);
        return result;
    }

    private static void readInto(TcpFlow flow, ByteArrayOutputStream out, CompletableFuture<byte[]> result) {
        flow.read().whenComplete((r, e) -> {
            if (e != null) {
                result.completeExceptionally(e);
                return;
            }
            switch (r) {
                case ReadResult.Data d -> {
                    byte[] bytes = new byte[d.data().remaining()];
                    d.data().get(bytes);
                    out.writeBytes(bytes);
                    readInto(flow, out, result);
                }
                case ReadResult.Eof eof -> result.complete(out.toByteArray());
            }
        });
    }

    /** Echoes everything the flow reads, then closes it after the peer's Eof. */
    public static void echo(TcpFlow flow) {
        flow.read().whenComplete((r, e) -> {
            if (e != null) {
                flow.close();
                return;
            }
            switch (r) {
                case ReadResult.Data d -> flow.write(d.data()).thenRun(() -> echo(flow));
                case ReadResult.Eof eof -> flow.close();
            }
        });
    }

    /** A buffer holding {@code text} in UTF-8. */
    public static ByteBuffer utf8(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code bytes} as UTF-8 text. */
    public static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** A TCP port of 127.0.0.1 that nothing listens on (bound by the kernel, then closed). */
    public static int closedTcpPort() throws IOException {
        try (ServerSocketChannel s = ServerSocketChannel.open()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return ((InetSocketAddress) s.getLocalAddress()).getPort();
        }
    }
}
