package org.tcpip4j.netty;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.tcpip4j.netif.Ipv4Cidr;
import org.tcpip4j.netif.MacAddress;
import org.tcpip4j.stack.direct.DirectStack;
import org.tcpip4j.stack.direct.DirectStackBuilder;
import org.tcpip4j.tcp.ReadResult;
import org.tcpip4j.tcp.TcpFlow;

/**
 * The ends of a channel's life around its group and its connect: a connect that timed out
 * leaves no connection behind when the stack completes it later, and a channel registered
 * while the group shuts down is refused rather than left open past the shutdown.
 */
class ConnectAndShutdownTest {

    private static final String LATE_IP = "198.18.30.3";

    private final TwoStacks net = new TwoStacks();

    @AfterEach
    void close() throws Exception {
        net.close();
    }

    @Test
    void aConnectionCompletedAfterTheConnectTimedOutIsClosed() throws Exception {
        // Nobody answers for 198.18.30.3 yet: the SYN waits, and the connect times out.
        ChannelFuture connect = new Bootstrap().group(net.clientGroup).channel(StackSocketChannel.class)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 200).handler(new ChannelInboundHandlerAdapter())
            .connect(new InetSocketAddress(LATE_IP, 7301));
        assertInstanceOf(ConnectTimeoutException.class, connect.await().cause());
        assertFalse(connect.channel().isOpen());
        // Then the host comes up: the stack's next SYN reaches it and the handshake completes.
        DirectStack late = DirectStackBuilder.on(net.network.port(MacAddress.parse("02:00:00:00:30:03")))
            .address(Ipv4Cidr.parse(LATE_IP + "/24")).name("late").build();
        try {
            CompletableFuture<TcpFlow> accepted = new CompletableFuture<>();
            late.tcp().listen(7301, accepted::complete);
            TcpFlow flow = accepted.get(10, TimeUnit.SECONDS);
            // The channel gave up on it: the client closes the connection as soon as it has it.
            ReadResult r = flow.read().get(5, TimeUnit.SECONDS);
            assertInstanceOf(ReadResult.Eof.class, r, "the client closed the connection it no longer wanted");
            flow.close();
        } finally {
            late.disconnect().get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void aChannelRegisteredWhileTheGroupShutsDownIsRefusedAndClosed() throws Exception {
        // Hold the loop so that the registration queues behind the group's closing of its
        // channels, and runs after it took its list.
        CountDownLatch held = new CountDownLatch(1);
        net.client.loop().execute(() -> {
            try {
                held.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        io.netty.util.concurrent.Future<?> termination = net.clientGroup.shutdownGracefully();
        StackSocketChannel ch = new StackSocketChannel();
        ChannelFuture registered = net.clientGroup.register(ch);
        held.countDown();
        assertTrue(termination.await(5, TimeUnit.SECONDS));
        assertTrue(registered.await(5, TimeUnit.SECONDS));
        assertInstanceOf(RejectedExecutionException.class, registered.cause(),
            "the registration of a channel while the group shuts down");
        assertTrue(ch.closeFuture().await(5, TimeUnit.SECONDS));
        assertFalse(ch.isOpen(), "a channel registered during shutdown is left open");
        assertFalse(ch.isRegistered());
    }
}
