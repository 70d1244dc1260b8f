package org.tcpip4j.netty;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.tcpip4j.tcp.Keepalive;
import org.tcpip4j.tcp.TcpException;
import org.tcpip4j.tcp.TcpInfo;

/**
 * The channel contract of the transport, between two stacks on the in-memory network:
 * registration, bind and connect, reads and writes, backpressure, autoRead, half-closure,
 * errors, options, scheduling and shutdown.
 */
class StackChannelTest {

    private final TwoStacks net = new TwoStacks();

    @AfterEach
    void close() throws Exception {
        net.close();
    }

    private Channel server(int port, ChannelInitializer<SocketChannel> init) throws InterruptedException {
        return new ServerBootstrap().group(net.serverGroup).channel(StackServerSocketChannel.class)
            .childHandler(init).bind(port).sync().channel();
    }

    private ChannelFuture connect(int port, ChannelInboundHandlerAdapter handler) {
        return new Bootstrap().group(net.clientGroup).channel(StackSocketChannel.class).handler(handler)
            .connect(TwoStacks.server(port));
    }

    /** Echoes what it reads. */
    static class Echo extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.write(msg);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }
    }

    /** Collects what it reads. */
    static final class Collect extends ChannelInboundHandlerAdapter {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final AtomicLong count = new AtomicLong();
        final CompletableFuture<Void> inactive = new CompletableFuture<>();
        final LinkedBlockingQueue<Object> events = new LinkedBlockingQueue<>();
        final AtomicInteger reads = new AtomicInteger();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf b = (ByteBuf) msg;
            synchronized (bytes) {
                byte[] a = new byte[b.readableBytes()];
                b.readBytes(a);
                bytes.writeBytes(a);
                count.addAndGet(a.length);
            }
            reads.incrementAndGet();
            b.release();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            events.add(evt);
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            events.add(cause);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            inactive.complete(null);
        }

        byte[] bytes() {
            synchronized (bytes) {
                return bytes.toByteArray();
            }
        }
    }

    static void await(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        await(condition, () -> what);
    }

    static void await(java.util.function.BooleanSupplier condition, java.util.function.Supplier<String> what)
        throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting for " + what.get());
            }
            Thread.sleep(5);
        }
    }

    @Test
    void echoesAMegabyteOnTheStackLoopThread() throws Exception {
        AtomicReference<Channel> child = new AtomicReference<>();
        AtomicBoolean offLoop = new AtomicBoolean();
        server(7000, new ChannelInitializer<>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                child.set(ch);
                ch.pipeline().addLast(new Echo() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        if (!net.server.loop().inEventLoop()) {
                            offLoop.set(true);
                        }
                        super.channelRead(ctx, msg);
                    }
                });
            }
        });
        Collect collect = new Collect();
        Channel ch = connect(7000, collect).sync().channel();
        assertTrue(ch.isActive());
        assertEquals(new InetSocketAddress(TwoStacks.SERVER_IP, 7000), ch.remoteAddress());
        assertEquals(TwoStacks.CLIENT_IP, ((InetSocketAddress) ch.localAddress()).getAddress().getHostAddress());
        byte[] data = new byte[1 << 20];
        new Random(1).nextBytes(data);
        for (int off = 0; off < data.length; off += 10_000) {
            ch.write(Unpooled.wrappedBuffer(data, off, Math.min(10_000, data.length - off)));
        }
        ch.flush();
        await(() -> collect.count.get() == data.length, "the echo");
        assertArrayEquals(data, collect.bytes());
        assertFalse(offLoop.get(), "a handler ran off the stack's loop");
        StackEventLoop loop = (StackEventLoop) child.get().eventLoop();
        assertSame(net.server, loop.stack(), "the child is registered on the loop of the stack that accepted it");
        TcpInfo info = ((StackSocketChannel) ch).info().get(5, TimeUnit.SECONDS);
        assertEquals("ESTABLISHED", info.state());
        assertTrue(info.bytesAcked() >= data.length, "acknowledged " + info.bytesAcked());
        ch.close().sync();
        collect.inactive.get(5, TimeUnit.SECONDS);
        await(() -> !child.get().isActive(), "the server side to close on the client's FIN");
    }

    @Test
    void writabilityFollowsAPausedReaderAndNothingPilesUp() throws Exception {
        int total = 16 << 20;
        int chunk = 16 * 1024;
        AtomicReference<Channel> child = new AtomicReference<>();
        Collect received = new Collect();
        AtomicBoolean stopped = new AtomicBoolean();
        server(7001, new ChannelInitializer<>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                child.set(ch);
                ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        // After the first megabyte the reader stops reading.
                        if (received.count.get() >= (1 << 20) && !stopped.getAndSet(true)) {
                            ctx.channel().config().setAutoRead(false);
                        }
                        ctx.fireChannelRead(msg);
                    }
                }, received);
            }
        });
        AtomicLong written = new AtomicLong();
        AtomicInteger unwritable = new AtomicInteger();
        AtomicInteger writableAgain = new AtomicInteger();
        ChannelInboundHandlerAdapter writer = new ChannelInboundHandlerAdapter() {
            @Override
            public void channelActive(ChannelHandlerContext ctx) {
                pump(ctx);
            }

            @Override
            public void channelWritabilityChanged(ChannelHandlerContext ctx) {
                if (ctx.channel().isWritable()) {
                    writableAgain.incrementAndGet();
                    pump(ctx);
                } else {
                    unwritable.incrementAndGet();
                }
            }

            private void pump(ChannelHandlerContext ctx) {
                while (ctx.channel().isWritable() && written.get() < total) {
                    ByteBuf b = ctx.alloc().buffer(chunk);
                    int index = (int) (written.get() / chunk);
                    for (int i = 0; i < chunk; i += 4) {
                        b.writeInt(index);
                    }
                    ctx.write(b);
                    written.addAndGet(chunk);
                }
                ctx.flush();
            }
        };
        Channel ch = new Bootstrap().group(net.clientGroup).channel(StackSocketChannel.class)
            .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(32 * 1024, 64 * 1024))
            .handler(writer).connect(TwoStacks.server(7001)).sync().channel();
        await(() -> unwritable.get() > 0 && child.get() != null && !child.get().config().isAutoRead(),
            "the writer to become unwritable behind a paused reader");
        Thread.sleep(300);
        long readWhilePaused = received.count.get();
        long writtenWhilePaused = written.get();
        Thread.sleep(300);
        assertEquals(readWhilePaused, received.count.get(), "the paused reader was handed more data");
        assertEquals(writtenWhilePaused, written.get(), "the writer kept writing while unwritable");
        assertFalse(ch.isWritable());
        // Buffered: what the reader took, the peer's receive window and our send buffer, and one water mark.
        long inFlight = writtenWhilePaused - readWhilePaused;
        assertTrue(inFlight < 4 << 20, "bytes held between writer and reader: " + inFlight);
        assertTrue(readWhilePaused < total / 2, "read while paused: " + readWhilePaused);

        child.get().config().setAutoRead(true);
        await(() -> received.count.get() >= total, () -> "the whole stream once reading resumed: read "
            + received.count.get() + " of " + written.get() + " written, writable " + ch.isWritable());
        Thread.sleep(100);
        byte[] got = received.bytes();
        java.nio.ByteBuffer view = java.nio.ByteBuffer.wrap(got);
        for (int i = 0; i < got.length; i += 4) {
            int expected = i / chunk;
            if (view.getInt(i) != expected) {
                throw new AssertionError("at byte " + i + " of " + got.length + ": chunk " + view.getInt(i)
                    + " where " + expected + " belongs");
            }
        }
        assertEquals(total, got.length);
        assertTrue(writableAgain.get() > 0, "writability never came back");
        assertTrue(ch.isWritable());
    }

    @Test
    void autoReadOffDeliversOneArrivalPerRead() throws Exception {
        AtomicReference<Channel> child = new AtomicReference<>();
        Collect received = new Collect();
        CountDownLatch accepted = new CountDownLatch(1);
        new ServerBootstrap().group(net.serverGroup).channel(StackServerSocketChannel.class)
            .childOption(ChannelOption.AUTO_READ, false)
            .childHandler(new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(SocketChannel ch) {
                    child.set(ch);
                    ch.pipeline().addLast(received);
                    accepted.countDown();
                }
            }).bind(7002).sync();
        Channel ch = connect(7002, new ChannelInboundHandlerAdapter()).sync().channel();
        assertTrue(accepted.await(5, TimeUnit.SECONDS));
        long before = net.serverCounter("tcp", "rx.bytes");
        long sent = 0;
        for (String s : new String[] {"one", "two", "three"}) {
            ch.writeAndFlush(Unpooled.copiedBuffer(s, StandardCharsets.US_ASCII)).sync();
            long expected = before + (sent += s.length());
            await(() -> net.serverCounter("tcp", "rx.bytes") == expected, "the server stack to receive " + s);
        }
        net.settle();
        assertEquals(0, received.count.get(), "read with autoRead off before any read()");
        child.get().read();
        await(() -> received.count.get() > 0, "one read");
        net.settle();
        assertEquals(1, received.reads.get());
        assertEquals("onetwothree", new String(received.bytes(), StandardCharsets.US_ASCII),
            "the three writes wait in the receive buffer and come as one arrival");
        ch.writeAndFlush(Unpooled.copiedBuffer("four", StandardCharsets.US_ASCII)).sync();
        long all = before + sent + 4;
        await(() -> net.serverCounter("tcp", "rx.bytes") == all, "the server stack to receive four");
        net.settle();
        assertEquals(1, received.reads.get(), "delivered without a read()");
        child.get().read();
        await(() -> received.reads.get() == 2, "the second read");
        assertEquals("onetwothreefour", new String(received.bytes(), StandardCharsets.US_ASCII));
    }

    @Test
    void halfClosureLetsTheServerAnswerAfterTheClientsFin() throws Exception {
        Collect serverSide = new Collect();
        new ServerBootstrap().group(net.serverGroup).channel(StackServerSocketChannel.class)
            .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
            .childHandler(new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(SocketChannel ch) {
                    ch.pipeline().addLast(serverSide, new ChannelInboundHandlerAdapter() {
                        @Override
                        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                            if (evt instanceof ChannelInputShutdownEvent) {
                                String got = new String(serverSide.bytes(), StandardCharsets.US_ASCII);
                                ctx.writeAndFlush(Unpooled.copiedBuffer("got " + got, StandardCharsets.US_ASCII))
                                    .addListener(ChannelFutureListener.CLOSE);
                            }
                        }
                    });
                }
            }).bind(7003).sync();
        Collect clientSide = new Collect();
        SocketChannel ch = (SocketChannel) new Bootstrap().group(net.clientGroup).channel(StackSocketChannel.class)
            .option(ChannelOption.ALLOW_HALF_CLOSURE, true).handler(clientSide)
            .connect(TwoStacks.server(7003)).sync().channel();
        ch.writeAndFlush(Unpooled.copiedBuffer("ping", StandardCharsets.US_ASCII));
        ch.shutdownOutput().sync();
        assertTrue(ch.isOutputShutdown());
        assertInstanceOf(ChannelInputShutdownEvent.class, next(serverSide, ChannelInputShutdownEvent.class));
        assertInstanceOf(ChannelInputShutdownEvent.class, next(clientSide, ChannelInputShutdownEvent.class));
        assertEquals("got ping", new String(clientSide.bytes(), StandardCharsets.US_ASCII));
        assertTrue(ch.isInputShutdown());
    }

    private static Object next(Collect c, Class<?> type) throws InterruptedException {
        Object e;
        java.util.List<Object> skipped = new java.util.ArrayList<>();
        while ((e = c.events.poll(5, TimeUnit.SECONDS)) != null && !type.isInstance(e)) {
            skipped.add(e); // others (the channel's own ChannelOutputShutdownEvent)
        }
        if (e == null) {
            throw new AssertionError("no " + type.getSimpleName() + " among " + skipped);
        }
        return e;
    }

    @Test
    void withoutHalfClosureThePeersFinClosesTheChannel() throws Exception {
        Collect serverSide = new Collect();
        server(7004, new ChannelInitializer<>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                ch.pipeline().addLast(serverSide);
            }
        });
        SocketChannel ch = (SocketChannel) connect(7004, new ChannelInboundHandlerAdapter()).sync().channel();
        ch.shutdownOutput().sync();
        serverSide.inactive.get(5, TimeUnit.SECONDS);
    }

    @Test
    void aResetReachesThePipelineThenCloses() throws Exception {
        server(7005, new ChannelInitializer<>() {
            @Override
            protected void initChannel(SocketChannel ch) {
            }
        });
        Collect collect = new Collect();
        Channel ch = connect(7005, collect).sync().channel();
        net.server.tcp().disconnect().get(5, TimeUnit.SECONDS); // resets every flow
        Object event = collect.events.poll(5, TimeUnit.SECONDS);
        IOException e = assertInstanceOf(IOException.class, event);
        assertInstanceOf(TcpException.Reset.class, e.getCause());
        collect.inactive.get(5, TimeUnit.SECONDS);
        assertFalse(ch.isOpen());
    }

    @Test
    void connectFailuresAreTyped() throws Exception {
        Throwable refused = connect(7999, new ChannelInboundHandlerAdapter()).await().cause();
        assertInstanceOf(ConnectException.class, refused);
        assertInstanceOf(TcpException.Refused.class, refused.getCause());

        ChannelFuture nobody = new Bootstrap().group(net.clientGroup).channel(StackSocketChannel.class)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 300).handler(new ChannelInboundHandlerAdapter())
            .connect(new InetSocketAddress("198.18.30.99", 80));
        long start = System.nanoTime();
        assertInstanceOf(ConnectTimeoutException.class, nobody.await().cause());
        long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(took >= 250 && took < 3000, "timed out after " + took + " ms");
        assertFalse(nobody.channel().isOpen());
    }

    @Test
    void optionsMapToTheFlow() throws Exception {
        server(7006, new ChannelInitializer<>() {
            @Override
            protected void initChannel(SocketChannel ch) {
            }
        });
        Keepalive keepalive = new Keepalive(Duration.ofSeconds(30), Duration.ofSeconds(5), 3);
        StackSocketChannel ch = (StackSocketChannel) new Bootstrap().group(net.clientGroup)
            .channel(StackSocketChannel.class)
            .option(ChannelOption.TCP_NODELAY, false)
            .option(ChannelOption.SO_RCVBUF, 1 << 20)
            .option(ChannelOption.SO_SNDBUF, 48 * 1024)
            .option(StackChannelOption.KEEPALIVE, keepalive)
            .option(StackChannelOption.CONGESTION_CONTROL, "newreno")
            .handler(new ChannelInboundHandlerAdapter()).connect(TwoStacks.server(7006)).sync().channel();
        assertFalse(ch.config().isTcpNoDelay());
        assertTrue(ch.config().getOption(ChannelOption.SO_KEEPALIVE));
        assertEquals(keepalive, ch.config().getOption(StackChannelOption.KEEPALIVE));
        assertEquals(1 << 20, ch.config().getOption(ChannelOption.SO_RCVBUF));
        TcpInfo info = ch.info().get(5, TimeUnit.SECONDS);
        assertEquals("newreno", info.congestionControl());
        assertEquals(48 * 1024, info.sendBuffer(), "SO_SNDBUF fixes the flow's send buffer");
        assertTrue(info.receiveBuffer() >= 1 << 20, "SO_RCVBUF fixes the receive buffer: " + info.receiveBuffer());
        ch.config().setSendBufferSize(32 * 1024); // on an open connection, as Linux allows
        assertEquals(32 * 1024, ch.info().get(5, TimeUnit.SECONDS).sendBuffer());
        ch.config().setTcpNoDelay(true);
        assertTrue(ch.config().getOption(ChannelOption.TCP_NODELAY));
    }

    @Test
    void bindingABoundPortFailsAndPortZeroTakesAFreeOne() throws Exception {
        ChannelInitializer<SocketChannel> none = new ChannelInitializer<>() {
            @Override
            protected void initChannel(SocketChannel ch) {
            }
        };
        Channel first = server(7007, none);
        Throwable second = new ServerBootstrap().group(net.serverGroup).channel(StackServerSocketChannel.class)
            .childHandler(none).bind(7007).await().cause();
        assertInstanceOf(BindException.class, second);
        Channel any = server(0, none);
        int port = ((InetSocketAddress) any.localAddress()).getPort();
        assertTrue(port >= 49152, "port " + port);
        connect(port, new ChannelInboundHandlerAdapter()).sync();
        first.close().sync();
        Throwable refused = connect(7007, new ChannelInboundHandlerAdapter()).await().cause();
        assertInstanceOf(ConnectException.class, refused, "the closed server channel stopped listening");
        server(7007, none); // and the port is free again
    }

    @Test
    void scheduledTasksRunOnTheStackLoop() throws Exception {
        StackEventLoop loop = net.clientGroup.next();
        CompletableFuture<Boolean> ranOnLoop = new CompletableFuture<>();
        long start = System.nanoTime();
        ScheduledFuture<?> once = loop.schedule(() -> ranOnLoop.complete(net.client.loop().inEventLoop()), 100,
            TimeUnit.MILLISECONDS);
        assertTrue(ranOnLoop.get(5, TimeUnit.SECONDS));
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(95));
        once.sync();
        AtomicInteger ticks = new AtomicInteger();
        ScheduledFuture<?> periodic = loop.scheduleAtFixedRate(ticks::incrementAndGet, 0, 20, TimeUnit.MILLISECONDS);
        await(() -> ticks.get() >= 3, "three ticks");
        assertTrue(periodic.cancel(false));
        int after = ticks.get();
        Thread.sleep(100);
        assertTrue(ticks.get() <= after + 1, "ticked after cancel");
        AtomicBoolean never = new AtomicBoolean();
        ScheduledFuture<?> cancelled = loop.schedule(() -> never.set(true), 50, TimeUnit.MILLISECONDS);
        assertTrue(cancelled.cancel(false));
        Thread.sleep(150);
        assertFalse(never.get());
    }

    @Test
    void shuttingTheGroupDownClosesItsChannelsButNotTheStack() throws Exception {
        Channel listener = server(7008, new ChannelInitializer<>() {
            @Override
            protected void initChannel(SocketChannel ch) {
            }
        });
        Collect collect = new Collect();
        Channel ch = connect(7008, collect).sync().channel();
        assertTrue(net.clientGroup.shutdownGracefully().await(5, TimeUnit.SECONDS));
        assertTrue(net.clientGroup.isTerminated());
        assertFalse(ch.isOpen());
        collect.inactive.get(5, TimeUnit.SECONDS);
        assertTrue(listener.isOpen(), "the other group's channel is untouched");
        // The stack runs on: a flow straight on its TCP still connects.
        net.client.tcp().connect(org.tcpip4j.netif.IpAddress.parse(TwoStacks.SERVER_IP), 7008)
            .get(5, TimeUnit.SECONDS).close();
    }
}
