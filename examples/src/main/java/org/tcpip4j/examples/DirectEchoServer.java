package org.tcpip4j.examples;

import java.util.concurrent.CompletableFuture;
import org.tcpip4j.netif.Ipv4Cidr;
import org.tcpip4j.netif.loop.RealTimeEventLoop;
import org.tcpip4j.netif.tap.TapNetif;
import org.tcpip4j.stack.Stack;
import org.tcpip4j.stack.direct.DirectStackBuilder;
import org.tcpip4j.tcp.ReadResult;
import org.tcpip4j.tcp.TcpFlow;

/**
 * A TCP echo server on our own stack, on the TAP device tap0 as 198.18.7.2 (run as root,
 * with {@code --enable-native-access=org.tcpip4j.netif.tap}); {@link SocketEchoServer} is
 * the same program on the host kernel, one line changed.
 */
public final class DirectEchoServer {

    private DirectEchoServer() {
    }

    /** Serves echo on port 7007 until the process is stopped. */
    public static void main(String[] args) throws Exception {
        var loop = new RealTimeEventLoop();
        Stack stack = DirectStackBuilder.on(TapNetif.open("tap0", loop)).address(Ipv4Cidr.parse("198.18.7.2/24")).build();
        serve(stack, 7007).join();
    }

    /** Echoes every connection to {@code port}; the future completes when the stack is disconnected. */
    public static CompletableFuture<Void> serve(Stack stack, int port) {
        stack.listenTcp(port, DirectEchoServer::echo);
        return stack.listen();
    }

    /** Writes back what it reads, reading again once the write is accepted; closes after the peer. */
    static void echo(TcpFlow flow) {
        flow.read().thenAccept(r -> {
            switch (r) {
                case ReadResult.Data d -> flow.write(d.data()).thenRun(() -> echo(flow));
                case ReadResult.Eof e -> flow.close();
            }
        });
    }
}
