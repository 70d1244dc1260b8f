package org.tcpip4j.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Netty's own HTTP server and client, and a UDP exchange, between two of our stacks: the
 * code is what it would be on NIO but for the group and channel classes.
 */
class NettyCodecsOverStackTest {

    private final TwoStacks net = new TwoStacks();

    @AfterEach
    void close() throws Exception {
        net.close();
    }

    @Test
    void httpKeepAliveServesManyRequestsOnOneConnection() throws Exception {
        AtomicInteger connections = new AtomicInteger();
        new ServerBootstrap().group(net.serverGroup).channel(StackServerSocketChannel.class)
            .childHandler(new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(SocketChannel ch) {
                    connections.incrementAndGet();
                    ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 20),
                        new SimpleChannelInboundHandler<FullHttpRequest>() {
                            @Override
                            protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
                                String body = req.method() + " " + req.uri() + " "
                                    + req.content().toString(StandardCharsets.UTF_8);
                                FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                                    HttpResponseStatus.OK, Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
                                HttpUtil.setContentLength(res, res.content().readableBytes());
                                HttpUtil.setKeepAlive(res, HttpUtil.isKeepAlive(req));
                                ctx.writeAndFlush(res);
                            }
                        });
                }
            }).bind(8080).sync();

        LinkedBlockingQueue<FullHttpResponse> responses = new LinkedBlockingQueue<>();
        Channel client = new Bootstrap().group(net.clientGroup).channel(StackSocketChannel.class)
            .handler(new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(SocketChannel ch) {
                    ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(1 << 20),
                        new SimpleChannelInboundHandler<FullHttpResponse>() {
                            @Override
                            protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse res) {
                                responses.add(res.retainedDuplicate());
                            }
                        });
                }
            }).connect(new InetSocketAddress(TwoStacks.SERVER_IP, 8080)).sync().channel();

        int requests = 300;
        for (int i = 0; i < requests; i++) {
            String body = "x".repeat(i * 37 % 5000);
            FullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/item/" + i,
                Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
            req.headers().set(HttpHeaderNames.HOST, TwoStacks.SERVER_IP);
            HttpUtil.setContentLength(req, req.content().readableBytes());
            client.writeAndFlush(req);
            FullHttpResponse res = responses.poll(5, TimeUnit.SECONDS);
            assertTrue(res != null, "no response to request " + i);
            assertEquals(HttpResponseStatus.OK, res.status());
            assertEquals("POST /item/" + i + " " + body, res.content().toString(StandardCharsets.UTF_8));
            assertTrue(HttpUtil.isKeepAlive(res));
            res.release();
        }
        assertEquals(1, connections.get(), "keep-alive used one connection");
        // Pipelined: many requests in one flush, answered in order.
        for (int i = 0; i < 50; i++) {
            FullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/p/" + i);
            req.headers().set(HttpHeaderNames.HOST, TwoStacks.SERVER_IP);
            HttpUtil.setContentLength(req, 0);
            client.write(req);
        }
        client.flush();
        for (int i = 0; i < 50; i++) {
            FullHttpResponse res = responses.poll(5, TimeUnit.SECONDS);
            assertTrue(res != null, "no response to pipelined request " + i);
            assertEquals("GET /p/" + i + " ", res.content().toString(StandardCharsets.UTF_8));
            res.release();
        }
        assertEquals(1, connections.get());
        client.close().sync();
    }

    @Test
    void datagramsGoBothWays() throws Exception {
        Channel echo = new Bootstrap().group(net.serverGroup).channel(StackDatagramChannel.class)
            .handler(new SimpleChannelInboundHandler<DatagramPacket>() {
                @Override
                protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket p) {
                    String text = p.content().toString(StandardCharsets.UTF_8);
                    ctx.writeAndFlush(new DatagramPacket(Unpooled.copiedBuffer("echo " + text, StandardCharsets.UTF_8),
                        p.sender()));
                }
            }).bind(5353).sync().channel();
        LinkedBlockingQueue<String> got = new LinkedBlockingQueue<>();
        LinkedBlockingQueue<InetSocketAddress> from = new LinkedBlockingQueue<>();
        DatagramChannel client = (DatagramChannel) new Bootstrap().group(net.clientGroup)
            .channel(StackDatagramChannel.class)
            .handler(new SimpleChannelInboundHandler<DatagramPacket>() {
                @Override
                protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket p) {
                    from.add(p.sender());
                    got.add(p.content().toString(StandardCharsets.UTF_8));
                }
            }).bind(0).sync().channel();
        InetSocketAddress server = new InetSocketAddress(TwoStacks.SERVER_IP, 5353);
        for (int i = 0; i < 20; i++) {
            client.writeAndFlush(new DatagramPacket(Unpooled.copiedBuffer("hello " + i, StandardCharsets.UTF_8),
                server)).sync();
            assertEquals("echo hello " + i, got.poll(5, TimeUnit.SECONDS));
            assertEquals(server, from.poll());
        }
        Throwable multicast = client.joinGroup(java.net.InetAddress.getByName("239.1.2.3")).await().cause();
        assertInstanceOf(UnsupportedOperationException.class, multicast);
        echo.close().sync();
        client.close().sync();
    }
}
