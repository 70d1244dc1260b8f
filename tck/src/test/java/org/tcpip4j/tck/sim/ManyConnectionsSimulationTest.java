package org.tcpip4j.tck.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.tcpip4j.netif.Ipv4Address;
import org.tcpip4j.netif.Ipv4Cidr;
import org.tcpip4j.netif.MacAddress;
import org.tcpip4j.netif.loop.VirtualTimeEventLoop;
import org.tcpip4j.netif.memory.MemorySwitch;
import org.tcpip4j.stack.direct.DirectStack;
import org.tcpip4j.stack.direct.DirectStackBuilder;
import org.tcpip4j.tcp.TcpConfig;
import org.tcpip4j.tcp.TcpFlow;

/**
 * Thousands of connections between two direct stacks in virtual time, opened together,
 * each exchanging a little, closed together: every one is established and closed without a
 * single retransmission (nothing is lost on this network), the active closers hold one
 * compact TIME_WAIT record each and no connection, no buffer chunk is left anywhere, and
 * after 2 MSL nothing at all.
 */
class ManyConnectionsSimulationTest {

    static final int CONNECTIONS = 5_000;
    static final Ipv4Address SERVER = Ipv4Address.parse("198.18.6.1");

    @Test
    void thousandsOpenedAndClosedTogetherLeaveOnlyTimeWaitRecordsThenNothing() throws Exception {
        VirtualTimeEventLoop loop = new VirtualTimeEventLoop();
        MemorySwitch network = new MemorySwitch(loop);
        DirectStack server = DirectStackBuilder.on(network.port(MacAddress.parse("02:00:00:00:06:01")))
            .address(new Ipv4Cidr(SERVER, 24)).seed(1).name("server").build();
        DirectStack client = DirectStackBuilder.on(network.port(MacAddress.parse("02:00:00:00:06:02")))
            .address(Ipv4Cidr.parse("198.18.6.2/24")).seed(2).name("client").build();
        // The server echoes one line and closes when the client does.
        server.listenTcp(80, flow -> flow.read().thenCompose(r -> r instanceof org.tcpip4j.tcp.ReadResult.Data d
            ? flow.write(d.data()).thenCompose(v -> flow.read()) : CompletableFuture.completedFuture(r))
            .whenComplete((r, e) -> flow.close()));
        List<CompletableFuture<TcpFlow>> connects = new ArrayList<>();
        connects.add(client.tcp().connect(SERVER, 80)); // the first resolves the neighbour (ARP holds only a few datagrams)
        loop.runFor(Duration.ofMillis(10));
        for (int i = 1; i < CONNECTIONS; i++) {
            connects.add(client.tcp().connect(SERVER, 80));
        }
        loop.runFor(Duration.ofSeconds(1));
        List<CompletableFuture<?>> echoes = new ArrayList<>();
        for (CompletableFuture<TcpFlow> c : connects) {
            assertTrue(c.isDone() && !c.isCompletedExceptionally(), "established");
            TcpFlow flow = c.join();
            echoes.add(flow.write(java.nio.ByteBuffer.wrap("ping\n".getBytes())).thenCompose(v -> flow.read()));
        }
        loop.runFor(Duration.ofSeconds(1));
        assertTrue(echoes.stream().allMatch(CompletableFuture::isDone), "every echo came back");
        Map<String, Long> c = client.counters().get("tcp");
        assertTrue(c.get("mem.bytes") == 0, "idle: no buffer memory: " + c);
        List<CompletableFuture<Void>> closes = new ArrayList<>();
        for (CompletableFuture<TcpFlow> f : connects) {
            closes.add(f.join().close());
        }
        loop.runFor(Duration.ofSeconds(1));
        assertTrue(closes.stream().allMatch(CompletableFuture::isDone), "every close completed");
        c = client.counters().get("tcp");
        Map<String, Long> s = server.counters().get("tcp");
        assertEquals(0, c.get("tx.retransmits"), "no retransmission on a lossless network: " + c);
        assertEquals(0, s.get("tx.retransmits"), "none from the server: " + s);
        assertEquals(CONNECTIONS, c.get("conn.time_wait"), "a record per active close: " + c);
        assertEquals(0, c.get("conn.open"));
        assertEquals(0, s.get("conn.open"));
        assertEquals(0, c.get("mem.bytes"));
        assertEquals(0, s.get("mem.bytes"));
        loop.runFor(TcpConfig.DEFAULT.msl().multipliedBy(2));
        c = client.counters().get("tcp");
        assertEquals(0, c.get("conn.time_wait"), "2 MSL later: nothing");
        assertEquals(CONNECTIONS, c.get("conn.closed"));
        assertEquals(CONNECTIONS, s.get("conn.closed"));
    }
}
