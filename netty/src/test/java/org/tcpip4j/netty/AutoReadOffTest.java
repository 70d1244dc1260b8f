package org.tcpip4j.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.tcpip4j.netty.StackChannelTest.await;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.SocketChannel;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * autoRead switched off on a running server or datagram channel, as
 * {@code ServerBootstrap}'s acceptor does to throttle accepts: nothing more is delivered
 * until {@code read()}, each read delivers one, and a server channel hands waiting
 * connections over in batches of at most {@code maxMessagesPerRead}.
 */
class AutoReadOffTest {

    private final TwoStacks net = new TwoStacks();

    @AfterEach
    void close() throws Exception {
        net.close();
    }

    /** Counts the connections a server channel fires, and the batches they come in. */
    static final class Batches extends ChannelInboundHandlerAdapter {
        final AtomicInteger accepted = new AtomicInteger();
        final List<Integer> batches = new ArrayList<>(); // loop only
        private int inBatch;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            accepted.incrementAndGet();
            inBatch++;
            ctx.fireChannelRead(msg);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            if (inBatch > 0) {
                batches.add(inBatch);
            }
            inBatch = 0;
            ctx.fireChannelReadComplete();
        }
    }

    private Channel server(int port, Batches batches) throws InterruptedException {
        return new ServerBootstrap().group(net.serverGroup).channel(StackServerSocketChannel.class)
            .handler(batches)
            .childHandler(new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(SocketChannel ch) {
                }
            }).bind(port).sync().channel();
    }

    private void connect(int port) throws InterruptedException {
        new Bootstrap().group(net.clientGroup).channel(StackSocketChannel.class)
            .handler(new ChannelInboundHandlerAdapter()).connect(TwoStacks.server(port)).sync();
    }

    @Test
    void aServerChannelWithAutoReadTurnedOffAcceptsOnlyOnRead() throws Exception {
        Batches batches = new Batches();
        Channel server = server(7201, batches);
        connect(7201);
        await(() -> batches.accepted.get() == 1, "the first connection");
        server.config().setAutoRead(false);
        for (int i = 0; i < 3; i++) {
            connect(7201); // established by the stack, waiting for the channel
        }
        await(() -> net.serverCounter("tcp", "conn.passive_opens") == 4, "the stack to accept four connections");
        net.settle();
        assertEquals(1, batches.accepted.get(), "connections delivered with autoRead off");
        server.read();
        await(() -> batches.accepted.get() == 2, "a read's connection");
        net.settle();
        assertEquals(2, batches.accepted.get(), "one connection per read");
        server.read();
        server.read();
        await(() -> batches.accepted.get() == 4, "two more reads' connections");
    }

    @Test
    void aServerChannelHandsWaitingConnectionsOverInBatchesOfMaxMessagesPerRead() throws Exception {
        Batches batches = new Batches();
        Channel server = server(7202, batches);
        server.config().setAutoRead(false);
        server.config().setOption(ChannelOption.MAX_MESSAGES_PER_READ, 2);
        for (int i = 0; i < 5; i++) {
            connect(7202);
        }
        await(() -> net.serverCounter("tcp", "conn.passive_opens") == 5, "the stack to accept five connections");
        net.settle();
        server.eventLoop().submit(() -> batches.batches.clear()).sync();
        server.config().setAutoRead(true);
        await(() -> batches.accepted.get() == 5, () -> "five connections, got " + batches.accepted.get());
        assertEquals(List.of(2, 2, 1), server.eventLoop().submit(() -> List.copyOf(batches.batches))
            .get(5, TimeUnit.SECONDS));
    }

    @Test
    void aDatagramChannelWithAutoReadTurnedOffDropsUntilRead() throws Exception {
        AtomicInteger received = new AtomicInteger();
        StackDatagramChannel receiver = (StackDatagramChannel) new Bootstrap().group(net.serverGroup)
            .channel(StackDatagramChannel.class)
            .handler(new ChannelInboundHandlerAdapter() {
                @Override
                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    ((DatagramPacket) msg).release();
                    received.incrementAndGet();
                }
            }).bind(5301).sync().channel();
        Channel sender = new Bootstrap().group(net.clientGroup).channel(StackDatagramChannel.class)
            .handler(new ChannelInboundHandlerAdapter()).bind(0).sync().channel();
        InetSocketAddress to = TwoStacks.server(5301);
        sender.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(new byte[] {1}), to)).sync();
        await(() -> received.get() == 1, "the first datagram");
        receiver.config().setAutoRead(false);
        net.settle(); // autoRead off has reached the loop
        sender.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(new byte[] {2}), to)).sync();
        await(() -> received.get() + receiver.droppedWhilePaused() == 2, "the second datagram");
        assertEquals(1, received.get(), "datagrams delivered with autoRead off");
        assertEquals(1, receiver.droppedWhilePaused());
        receiver.read();
        sender.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(new byte[] {3}), to)).sync();
        await(() -> received.get() == 2, "a read's datagram");
    }
}
