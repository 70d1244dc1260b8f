package org.tcpip4j.netty;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tcpip4j.netty.StackChannelTest.await;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.SocketChannel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tcpip4j.tcp.TcpException;

/**
 * What a write's promise says against what the peer receives: a promise succeeds for
 * exactly the bytes the flow has taken, whether the channel goes on, is closed or has its
 * output shut down meanwhile, and a write the flow fails carries the flow's reason.
 */
class StackSocketChannelWriteTest {

    private static final int CHUNK = 64 * 1024;

    private final TwoStacks net = new TwoStacks();

    @AfterEach
    void close() throws Exception {
        net.close();
    }

    private StackChannelTest.Collect serve(int port, boolean autoRead) throws InterruptedException {
        StackChannelTest.Collect collect = new StackChannelTest.Collect();
        CompletableFuture<SocketChannel> child = new CompletableFuture<>();
        new ServerBootstrap().group(net.serverGroup).channel(StackServerSocketChannel.class)
            .childOption(ChannelOption.AUTO_READ, autoRead)
            .childHandler(new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(SocketChannel ch) {
                    ch.pipeline().addLast(collect);
                    child.complete(ch);
                }
            }).bind(port).sync();
        return collect;
    }

    private Channel connect(int port, boolean autoRead, ChannelInboundHandlerAdapter handler)
        throws InterruptedException {
        return new Bootstrap().group(net.clientGroup).channel(StackSocketChannel.class)
            .option(ChannelOption.AUTO_READ, autoRead).handler(handler)
            .connect(TwoStacks.server(port)).sync().channel();
    }

    private static byte[] pattern(int length, int seed) {
        byte[] a = new byte[length];
        for (int i = 0; i < length; i++) {
            a[i] = (byte) (i * 31 + seed);
        }
        return a;
    }

    @Test
    void aCompositeOfMoreComponentsThanOneWritevTakesArrivesWhole() throws Exception {
        StackChannelTest.Collect collect = serve(7101, true);
        Channel ch = connect(7101, true, new ChannelInboundHandlerAdapter());
        // 3000 components of 8 bytes: three rounds of at most 1024 buffers, then a plain buffer.
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        CompositeByteBuf c = Unpooled.compositeBuffer(4096);
        for (int i = 0; i < 3000; i++) {
            byte[] part = pattern(8, i);
            expected.writeBytes(part);
            c.addComponent(true, Unpooled.wrappedBuffer(part));
        }
        byte[] tail = pattern(100, 7);
        expected.writeBytes(tail);
        ChannelFuture first = ch.write(c);
        ch.writeAndFlush(Unpooled.wrappedBuffer(tail)).sync();
        assertTrue(first.isSuccess());
        byte[] want = expected.toByteArray();
        await(() -> collect.count.get() >= want.length, () -> "received " + collect.count.get() + " of " + want.length);
        Thread.sleep(200); // nothing is sent twice
        assertEquals(want.length, collect.count.get(), "bytes received");
        assertArrayEquals(want, collect.bytes());
    }

    /**
     * Closing (or shutting the output) right after a flush: the writes the flow has taken
     * succeed and reach the peer, the others fail, and the peer receives exactly the bytes
     * of the writes that succeeded.
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aCloseRightAfterAFlushSucceedsTheWritesTheFlowTook(boolean shutdownOutputOnly) throws Exception {
        int port = shutdownOutputOnly ? 7103 : 7102;
        StackChannelTest.Collect collect = serve(port, true);
        Channel ch = connect(port, true, new ChannelInboundHandlerAdapter());
        List<ChannelFuture> writes = new ArrayList<>();
        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        ch.eventLoop().submit(() -> {
            for (int i = 0; i < 16; i++) {
                writes.add(ch.write(Unpooled.wrappedBuffer(pattern(CHUNK, i))));
            }
            ch.flush();
            if (shutdownOutputOnly) {
                ((SocketChannel) ch).shutdownOutput();
            } else {
                ch.close();
            }
        }).sync();
        for (ChannelFuture w : writes) {
            w.await(5, TimeUnit.SECONDS);
        }
        int succeeded = 0;
        while (succeeded < writes.size() && writes.get(succeeded).isSuccess()) {
            sent.writeBytes(pattern(CHUNK, succeeded));
            succeeded++;
        }
        for (int i = succeeded; i < writes.size(); i++) {
            assertFalse(writes.get(i).isSuccess(), "write " + i + " succeeded after write " + succeeded + " failed");
        }
        assertTrue(succeeded > 0, "no write succeeded, though the flow had taken some: "
            + writes.get(0).cause());
        int want = succeeded * CHUNK;
        collect.inactive.get(10, TimeUnit.SECONDS); // the FIN follows the data
        assertEquals(want, collect.count.get(), succeeded + " writes succeeded");
        assertArrayEquals(sent.toByteArray(), collect.bytes());
    }

    /**
     * The peer resets while a write waits for room in the flow: the write's promise fails
     * with the flow's reason and the pipeline hears it, whether a reception is running
     * (autoRead) or not.
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aWriteTheFlowFailsCarriesItsReason(boolean autoRead) throws Exception {
        int port = autoRead ? 7105 : 7104;
        serve(port, false); // reads nothing: the window closes
        StackChannelTest.Collect clientSide = new StackChannelTest.Collect();
        Channel ch = connect(port, autoRead, clientSide);
        List<ChannelFuture> writes = new ArrayList<>();
        ch.eventLoop().submit(() -> {
            for (int i = 0; i < 64; i++) {
                writes.add(ch.write(Unpooled.wrappedBuffer(pattern(CHUNK, i))));
            }
            ch.flush();
        }).sync();
        // Wait until the flow holds a write it cannot take.
        await(() -> !ch.isWritable(), "the writer to be held back");
        Thread.sleep(300);
        net.server.tcp().disconnect().get(5, TimeUnit.SECONDS); // resets every flow
        clientSide.inactive.get(5, TimeUnit.SECONDS);
        Throwable firstFailure = null;
        for (ChannelFuture w : writes) {
            assertTrue(w.await(5, TimeUnit.SECONDS));
            if (!w.isSuccess()) {
                firstFailure = w.cause();
                break;
            }
        }
        assertNotNull(firstFailure, "a write failed");
        IOException e = assertInstanceOf(IOException.class, firstFailure);
        assertInstanceOf(TcpException.class, e.getCause());
        Object event = clientSide.events.poll(5, TimeUnit.SECONDS);
        IOException caught = assertInstanceOf(IOException.class, event, "exceptionCaught");
        assertInstanceOf(TcpException.class, caught.getCause());
    }
}
