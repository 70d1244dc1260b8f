package org.tcpip4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.tcpip4j.cli.service.Connections;
import org.tcpip4j.netif.IpEndpoint;
import org.tcpip4j.netif.Ipv4Address;
import org.tcpip4j.tcp.ReadResult;
import org.tcpip4j.tcp.Shutdown;
import org.tcpip4j.tcp.TcpFlow;
import org.tcpip4j.tcp.TcpInfo;

/** The registry of open connections behind {@code /connections}, over flows that answer {@code info()} as told. */
class ConnectionsTest {

    private static final TcpInfo INFO = new TcpInfo("ESTABLISHED", "newreno", "open", 1448, 14480, Integer.MAX_VALUE,
            Duration.ofNanos(1_500_000), Duration.ofNanos(500_000), Duration.ofNanos(900_000), Duration.ofMillis(201), 5000, 0,
            5000, 300, 0, 0, 0, 0, 0, 65535, 131072, 262144, 262144, -1, true, true);

    /** A flow between 198.18.0.2:{@code port} and 198.18.0.1:40000 whose {@code info()} is {@code info}. */
    private record StubFlow(int port, CompletableFuture<TcpInfo> info) implements TcpFlow {
        @Override
        public CompletableFuture<ReadResult> read() {
            return new CompletableFuture<>();
        }

        @Override
        public CompletableFuture<Void> write(ByteBuffer data) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<Void> writev(List<ByteBuffer> data) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<Void> writeNodelay(ByteBuffer data) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<Void> writevNodelay(List<ByteBuffer> data) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<Void> close() {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<Void> shutdown(Shutdown mode) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public IpEndpoint src() {
            return new IpEndpoint(Ipv4Address.parse("198.18.0.2"), port);
        }

        @Override
        public IpEndpoint dst() {
            return new IpEndpoint(Ipv4Address.parse("198.18.0.1"), 40000);
        }
    }

    @Test
    void eachOpenConnectionIsALineWithItsInformationOrWhyThereIsNone() {
        Connections c = new Connections();
        c.opened("echo", new StubFlow(7, CompletableFuture.completedFuture(INFO)));
        Runnable discardEnded = c.opened("discard", new StubFlow(9,
                CompletableFuture.failedFuture(new UnsupportedOperationException("no connection information"))));
        c.opened("http", new StubFlow(80, CompletableFuture.failedFuture(new IllegalStateException("gone"))));
        assertEquals("198.18.0.2:7 -> 198.18.0.1:40000  echo  " + INFO.summary() + "\n"
                + "198.18.0.2:9 -> 198.18.0.1:40000  discard  (no information)\n"
                + "198.18.0.2:80 -> 198.18.0.1:40000  http  (no information: IllegalStateException: gone)\n", c.text());
        assertEquals(new Connections.Line("discard", "198.18.0.2:9", "198.18.0.1:40000", "(no information)"),
                c.describe().get(1));

        discardEnded.run();
        discardEnded.run();
        assertEquals(2, c.size(), "removed once, the second run changes nothing");
        assertEquals(List.of("echo", "http"), c.describe().stream().map(Connections.Line::service).toList());
    }

    @Test
    void aStackThatDoesNotAnswerCostsTheListingTwoSecondsAtMost() {
        Connections c = new Connections();
        c.opened("chargen", new StubFlow(19, new CompletableFuture<>()));
        c.opened("chargen", new StubFlow(19, new CompletableFuture<>()));
        long t0 = System.nanoTime();
        List<Connections.Line> lines = c.describe();
        long millis = (System.nanoTime() - t0) / 1_000_000;
        assertEquals("(no information: no answer within 2 s)", lines.get(1).info());
        assertEquals(true, millis >= 1900 && millis < 3500, "one wait for all: " + millis + " ms");
    }
}
