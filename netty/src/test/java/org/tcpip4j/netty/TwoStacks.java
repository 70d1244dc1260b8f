package org.tcpip4j.netty;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.tcpip4j.netif.Ipv4Cidr;
import org.tcpip4j.netif.MacAddress;
import org.tcpip4j.netif.loop.RealTimeEventLoop;
import org.tcpip4j.netif.memory.MemorySwitch;
import org.tcpip4j.stack.direct.DirectStack;
import org.tcpip4j.stack.direct.DirectStackBuilder;

/** Two direct stacks on one in-memory switch, each under an event loop group of its own. */
final class TwoStacks implements AutoCloseable {

    static final String SERVER_IP = "198.18.30.1";
    static final String CLIENT_IP = "198.18.30.2";

    final RealTimeEventLoop loop = new RealTimeEventLoop("netty-test");
    final MemorySwitch network = new MemorySwitch(loop);
    final DirectStack server = DirectStackBuilder.on(network.port(MacAddress.parse("02:00:00:00:30:01")))
        .address(Ipv4Cidr.parse(SERVER_IP + "/24")).name("server").build();
    final DirectStack client = DirectStackBuilder.on(network.port(MacAddress.parse("02:00:00:00:30:02")))
        .address(Ipv4Cidr.parse(CLIENT_IP + "/24")).name("client").build();
    final StackEventLoopGroup serverGroup = StackEventLoopGroup.over(server);
    final StackEventLoopGroup clientGroup = StackEventLoopGroup.over(client);

    static InetSocketAddress server(int port) {
        return new InetSocketAddress(SERVER_IP, port);
    }

    /** The server stack's counter {@code layer.name} ("tcp", "rx.bytes"). Safe from any thread. */
    long serverCounter(String layer, String name) {
        return server.counters().get(layer).getOrDefault(name, 0L);
    }

    /**
     * Waits until the loop has run what was queued on it, eight times over (what that queued
     * in turn, to a chain of eight tasks: a frame through the switch, a stack's dispatch, a
     * channel's read): after it, nothing an earlier event set off is still to come, so what
     * has not happened will not (both stacks and both groups run on this one loop, and no
     * timer is involved). In place of sleeping for a guess at how long that takes.
     */
    void settle() throws Exception {
        for (int i = 0; i < 8; i++) {
            java.util.concurrent.CompletableFuture<Void> ran = new java.util.concurrent.CompletableFuture<>();
            loop.execute(() -> ran.complete(null));
            ran.get(5, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() throws Exception {
        clientGroup.shutdownGracefully().await(5, TimeUnit.SECONDS);
        serverGroup.shutdownGracefully().await(5, TimeUnit.SECONDS);
        client.disconnect().get(5, TimeUnit.SECONDS);
        server.disconnect().get(5, TimeUnit.SECONDS);
        loop.close();
    }
}
