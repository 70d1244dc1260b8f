package org.tcpip4j.stack.socket.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tcpip4j.stack.socket.Futures.await;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import jdk.net.ExtendedSocketOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.tcpip4j.netif.Ipv4Address;
import org.tcpip4j.stack.socket.SocketStack;
import org.tcpip4j.tcp.Keepalive;
import org.tcpip4j.tcp.TcpFlow;

class KeepaliveOptionsTest {

    private final SocketStack server = SocketStack.open(Ipv4Address.LOCALHOST);
    private final SocketStack client = SocketStack.open(Ipv4Address.LOCALHOST);

    @AfterEach
    void disconnect() {
        client.close();
        server.close();
    }

    @Test
    void connectAppliesKeepaliveToTheSocketBeforeTheFlowIsGiven() throws Exception {
        server.listenTcp(0, flow -> { });
        Keepalive keepalive = new Keepalive(Duration.ofSeconds(30), Duration.ofSeconds(5), 4);

        SocketFlow flow = (SocketFlow) await(client.tcp().connect(Ipv4Address.LOCALHOST, server.boundTcpPort(0),
                keepalive));

        assertTrue(flow.socketOption(StandardSocketOptions.SO_KEEPALIVE));
        assertEquals(30, flow.socketOption(ExtendedSocketOptions.TCP_KEEPIDLE));
        assertEquals(5, flow.socketOption(ExtendedSocketOptions.TCP_KEEPINTERVAL));
        assertEquals(4, flow.socketOption(ExtendedSocketOptions.TCP_KEEPCOUNT));
    }

    @Test
    void listenAppliesKeepaliveToEachAcceptedFlowBeforeTheListenerSeesIt() throws Exception {
        BlockingQueue<Object[]> seen = new LinkedBlockingQueue<>();
        server.listenTcp(0, new Keepalive(Duration.ofMillis(1500), Duration.ofMillis(200), 200), flow -> {
            try {
                SocketFlow f = (SocketFlow) flow;
                seen.add(new Object[] {f.socketOption(StandardSocketOptions.SO_KEEPALIVE),
                        f.socketOption(ExtendedSocketOptions.TCP_KEEPIDLE),
                        f.socketOption(ExtendedSocketOptions.TCP_KEEPINTERVAL),
                        f.socketOption(ExtendedSocketOptions.TCP_KEEPCOUNT)});
            } catch (IOException e) {
                seen.add(new Object[] {e});
            }
        });

        await(client.tcp().connect(Ipv4Address.LOCALHOST, server.boundTcpPort(0)));

        Object[] options = seen.poll(5, TimeUnit.SECONDS);
        // Whole seconds rounded up, at least 1 s; probes capped at the kernel's 127.
        assertEquals(true, options[0]);
        assertEquals(2, options[1]);
        assertEquals(1, options[2]);
        assertEquals(127, options[3]);
    }

    @Test
    void flowsWithoutKeepaliveHaveItOff() throws Exception {
        server.listenTcp(0, flow -> { });
        TcpFlow flow = await(client.tcp().connect(Ipv4Address.LOCALHOST, server.boundTcpPort(0)));
        assertFalse(((SocketFlow) flow).socketOption(StandardSocketOptions.SO_KEEPALIVE));
    }

    @Test
    void durationsBecomeWholeSecondsRoundedUpWithinTheKernelsLimits() {
        assertEquals(1, KeepaliveOptions.seconds(Duration.ZERO));
        assertEquals(1, KeepaliveOptions.seconds(Duration.ofMillis(1)));
        assertEquals(2, KeepaliveOptions.seconds(Duration.ofMillis(1001)));
        assertEquals(7200, KeepaliveOptions.seconds(Duration.ofHours(2)));
        assertEquals(32_767, KeepaliveOptions.seconds(Duration.ofDays(2)));
    }
}
