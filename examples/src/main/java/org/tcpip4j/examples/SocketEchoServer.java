package org.tcpip4j.examples;

import java.util.concurrent.CompletableFuture;
import org.tcpip4j.netif.Ipv4Address;
import org.tcpip4j.netif.loop.RealTimeEventLoop;
import org.tcpip4j.stack.Stack;
import org.tcpip4j.stack.socket.SocketStack;
import org.tcpip4j.tcp.ReadResult;
import org.tcpip4j.tcp.TcpFlow;

/**
 * A TCP echo server on the host kernel's stack, on 127.0.0.1 (no root needed):
 * {@link DirectEchoServer} with the one line that makes the stack changed.
 */
public final class SocketEchoServer {

    private SocketEchoServer() {
    }

    /** Serves echo on port 7007 until the process is stopped. */
    public static void main(String[] args) throws Exception {
        var loop = new RealTimeEventLoop();
        Stack stack = SocketStack.builder().loop(loop).address(Ipv4Address.LOCALHOST).build();
        serve(stack, 7007).join();
    }

    /** Echoes every connection to {@code port}; the future completes when the stack is disconnected. */
    public static CompletableFuture<Void> serve(Stack stack, int port) {
        stack.listenTcp(port, SocketEchoServer::echo);
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
