package org.tcpip4j.tcp.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tcpip4j.tcp.internal.TcpHarness.*;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.tcpip4j.netif.loop.RealTimeEventLoop;
import org.tcpip4j.netif.loop.StackContext;
import org.tcpip4j.tcp.ReadResult;
import org.tcpip4j.tcp.Shutdown;
import org.tcpip4j.tcp.TcpConfig;
import org.tcpip4j.tcp.TcpException;
import org.tcpip4j.tcp.TcpFlow;

/** The flow API's promises (TcpFlow's Javadoc, Mirage_flow). */
class FlowApiTest {

    static byte[] data(ReadResult r) {
        ByteBuffer b = ((ReadResult.Data) r).data();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    @Test
    void writesWaitWhileTheSendBufferIsFullAndCompleteInOrder() {
        TcpHarness h = new TcpHarness(); // 8 KiB send buffer
        h.listen(80);
        h.inject(from(40000, 80, SYN, 5000, 0).mss(1000).window(0));
        h.sentOne();
        h.inject(from(40000, 80, ACK, 5001, 1001).window(0));
        TcpFlow flow = h.accepted.removeFirst();
        List<String> completed = new ArrayList<>();
        ByteBuffer big = ByteBuffer.wrap(new byte[10_000]);
        flow.write(big).thenRun(() -> completed.add("big"));
        flow.write(ByteBuffer.wrap(new byte[100])).thenRun(() -> completed.add("small"));
        h.settle();
        assertEquals(List.of(), completed, "8192 of 10100 bytes fit: both writes wait");
        assertEquals(0, big.position(), "the caller's buffer is left alone");
        h.inject(from(40000, 80, ACK, 5001, 1001).window(8192));
        assertEquals(4, h.sent().size(), "the window opened; the initial congestion window allows 4 segments");
        h.inject(from(40000, 80, ACK, 5001, 1001 + 1000).window(8192));
        h.settle();
        assertEquals(List.of(), completed, "1000 bytes freed: 808 of the first write still wait");
        h.inject(from(40000, 80, ACK, 5001, 1001 + 4000).window(8192));
        h.settle();
        assertEquals(List.of("big", "small"), completed);
    }

    @Test
    void onlyOneReadMayBePending() {
        TcpHarness h = new TcpHarness();
        TcpFlow flow = h.acceptFrom(80, 40000, 5000);
        CompletableFuture<ReadResult> first = flow.read();
        assertInstanceOf(IllegalStateException.class, flow.read().exceptionNow());
        assertFalse(first.isDone());
    }

    @Test
    void shutdownReadGivesEofAndDropsWhatArrives() throws Exception {
        TcpHarness h = new TcpHarness();
        TcpFlow flow = h.acceptFrom(80, 40000, 5000);
        CompletableFuture<ReadResult> pending = flow.read();
        flow.shutdown(Shutdown.READ);
        h.settle();
        assertEquals(ReadResult.EOF, pending.get());
        h.inject(from(40000, 80, ACK, 5001, 1001).payload(new byte[3000]));
        h.inject(from(40000, 80, ACK, 5001 + 3000, 1001).payload(new byte[3000]));
        // Each segment holds two of our MSS: each is acknowledged at once (RFC 5681 4.2).
        TestSegment ack = h.sent().getLast();
        assertEquals(5001 + 6000, ack.ack, "still acknowledged");
        assertEquals(ReadResult.EOF, flow.read().get());
    }

    @Test
    void writesAfterShutdownWriteFailWithClosed() {
        TcpHarness h = new TcpHarness();
        TcpFlow flow = h.acceptFrom(80, 40000, 5000);
        flow.shutdown(Shutdown.WRITE);
        assertInstanceOf(TcpException.Closed.class, flow.write(ByteBuffer.wrap(new byte[1])).exceptionNow());
        assertInstanceOf(TcpException.Closed.class, flow.writeNodelay(ByteBuffer.wrap(new byte[1])).exceptionNow());
    }

    @Test
    void writevKeepsTheOrderOfItsBuffers() {
        TcpHarness h = new TcpHarness();
        TcpFlow flow = h.acceptFrom(80, 40000, 5000);
        CompletableFuture<Void> f = flow.writevNodelay(List.of(ByteBuffer.wrap("ab".getBytes()),
            ByteBuffer.wrap("cd".getBytes())));
        h.settle();
        assertTrue(f.isDone());
        byte[] sent = h.sent().stream().map(s -> new String(s.payload)).reduce("", String::concat).getBytes();
        assertArrayEquals("abcd".getBytes(), sent);
    }

    @Test
    void aListenerThatThrowsDoesNotHurtTheStack() {
        TcpHarness h = new TcpHarness();
        h.tcp.listen(80, flow -> {
            throw new IllegalStateException("bad listener");
        });
        h.inject(from(40000, 80, SYN, 5000, 0));
        h.sentOne();
        h.inject(from(40000, 80, ACK, 5001, 1001));
        h.inject(from(40001, 80, SYN, 6000, 0));
        assertEquals(SYN | ACK, h.sentOne().flags);
    }

    @Test
    void disconnectResetsEveryFlowAndDropsListeners() throws Exception {
        TcpHarness h = new TcpHarness();
        TcpFlow flow = h.acceptFrom(80, 40000, 5000);
        CompletableFuture<ReadResult> read = flow.read();
        h.tcp.disconnect().get();
        h.settle();
        assertEquals(TestSegment.of(80, 40000, RST, 1001, 0).window(0), h.sentOne());
        assertInstanceOf(TcpException.Reset.class, read.exceptionNow());
        h.inject(from(40001, 80, SYN, 6000, 0));
        assertEquals(RST | ACK, h.sentOne().flags);
        assertEquals(0, h.tcp.connectionCount());
        assertEquals(0, h.loop.pendingTimers());
    }

    @Test
    void theModuleProvidesDefaultTcpProviderNamedDefault() throws Exception {
        // Tests run inside the module, which does not "use" the service; read its descriptor.
        var descriptor = DefaultTcpProvider.class.getModule().getDescriptor();
        assertTrue(descriptor.provides().stream().anyMatch(p -> p.service().equals("org.tcpip4j.tcp.TcpProvider")
            && p.providers().equals(List.of(DefaultTcpProvider.class.getName()))));
        var provider = DefaultTcpProvider.class.getConstructor().newInstance();
        assertEquals("default", provider.name());
        assertInstanceOf(DefaultTcp.class, provider.create(new CapturingIp(LOCAL), TcpConfig.DEFAULT,
            StackContext.seeded(new org.tcpip4j.netif.loop.VirtualTimeEventLoop(), 1, "t")));
    }

    @Test
    void blockingStreamsWorkOnVirtualThreadsOverARealTimeLoop() throws Exception {
        byte[] payload = TransferSimulationTest.randomBytes(5, 300_000);
        try (RealTimeEventLoop loop = new RealTimeEventLoop("tcp-test")) {
            SimulatedLink link = new SimulatedLink(loop, 1, SimulatedLink.Impairments.NONE);
            DefaultTcp client = new DefaultTcp(link.a, TcpConfig.DEFAULT, StackContext.seeded(loop, 1, "client"));
            DefaultTcp server = new DefaultTcp(link.b, TcpConfig.DEFAULT, StackContext.seeded(loop, 2, "server"));
            link.a.tcp = client;
            link.b.tcp = server;
            // An echo server: each accepted flow is served by a virtual thread.
            server.listen(7, flow -> Thread.ofVirtual().start(() -> {
                try (InputStream in = flow.inputStream(); OutputStream out = flow.outputStream()) {
                    in.transferTo(out);
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            }));
            TcpFlow flow = client.connect(link.b.address, 7).get(10, TimeUnit.SECONDS);
            CompletableFuture<byte[]> echoed = new CompletableFuture<>();
            Thread.ofVirtual().start(() -> {
                try {
                    Thread reader = Thread.ofVirtual().start(() -> {
                        try {
                            echoed.complete(flow.inputStream().readAllBytes());
                        } catch (Exception e) {
                            echoed.completeExceptionally(e);
                        }
                    });
                    try (OutputStream out = flow.outputStream()) {
                        for (int i = 0; i < payload.length; i += 1000) {
                            out.write(payload, i, Math.min(1000, payload.length - i));
                        }
                    }
                    reader.join();
                } catch (Exception e) {
                    echoed.completeExceptionally(e);
                }
            });
            assertArrayEquals(payload, echoed.get(20, TimeUnit.SECONDS));
            flow.close().get(10, TimeUnit.SECONDS);
        }
    }
}
