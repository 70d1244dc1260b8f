package org.tcpip4j.tcp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.tcpip4j.netif.loop.StackContext;
import org.tcpip4j.netif.loop.VirtualTimeEventLoop;
import org.tcpip4j.tcp.ReadResult;
import org.tcpip4j.tcp.TcpConfig;
import org.tcpip4j.tcp.TcpFlow;

/**
 * Keep-alive request and response, as an HTTP client and server exchange them, in virtual
 * time over a link of 1 ms each way: every exchange takes about a round trip. Nagle must
 * not meet the peer's delayed ACK here (the 40 ms stall): a response written as header
 * and body together leaves in one segment, and the small tail of a response of several
 * full segments is not held behind full segments in flight (Minshall's rule, as Linux
 * applies it) while the peer delays its ACK of the odd last one.
 */
class RequestResponseLatencyTest {

    private static final int REQUEST = 120;
    private static final int EXCHANGES = 40;

    enum Response {
        /** A 1 KiB response in one write. */
        ONE_SMALL_WRITE(List.of(1024)),
        /** A header and a 1 KiB body in one writev. */
        HEADER_AND_BODY_WRITEV(List.of(150, 1024)),
        /** Seven full segments (of 1,460 bytes) and a small tail in one write. */
        SEVERAL_SEGMENTS_AND_A_TAIL(List.of(7 * 1460 + 300)),
        /** A header and a body of several segments and a tail, in one writev. */
        HEADER_AND_LARGE_BODY_WRITEV(List.of(180, 5 * 1440 + 77));

        final List<Integer> parts;

        Response(List<Integer> parts) {
            this.parts = parts;
        }

        int length() {
            return parts.stream().mapToInt(Integer::intValue).sum();
        }
    }

    @ParameterizedTest
    @EnumSource(Response.class)
    void everyExchangeTakesAboutARoundTrip(Response response) throws Exception {
        VirtualTimeEventLoop loop = new VirtualTimeEventLoop();
        SimulatedLink link = new SimulatedLink(loop, 1, SimulatedLink.Impairments.NONE);
        DefaultTcp client = new DefaultTcp(link.a, TcpConfig.DEFAULT, StackContext.seeded(loop, 11, "client"));
        DefaultTcp server = new DefaultTcp(link.b, TcpConfig.DEFAULT, StackContext.seeded(loop, 12, "server"));
        link.a.tcp = client;
        link.b.tcp = server;

        server.listen(80, flow -> serve(flow, response));
        TcpFlow flow = loop.await(client.connect(link.b.address, 80), Duration.ofSeconds(5));

        List<Long> latencies = new ArrayList<>();
        for (int i = 0; i < EXCHANGES; i++) {
            long start = loop.nanoTime();
            flow.write(ByteBuffer.allocate(REQUEST));
            // As a Linux client does, the reader sends no window update of its own here: it
            // reads once the whole response is in, so only the peer's ACK rules bring it.
            Connection c = ((DefaultTcpFlow) flow).connection();
            assertTrue(loop.runUntil(() -> c.receiver.buffer.readable() >= response.length(),
                Duration.ofSeconds(5).toNanos()), response + ": the response did not arrive");
            int received = 0;
            while (received < response.length()) {
                ReadResult r = loop.await(flow.read(), Duration.ofSeconds(5));
                received += ((ReadResult.Data) r).data().remaining();
            }
            assertEquals(response.length(), received);
            latencies.add(loop.nanoTime() - start);
        }
        long worst = latencies.stream().mapToLong(Long::longValue).max().orElseThrow();
        // A round trip is 2 ms; a response of several segments adds a little serialisation
        // only. A stall behind a delayed ACK adds 40 ms.
        assertTrue(worst < Duration.ofMillis(10).toNanos(),
            response + ": the slowest exchange took " + worst / 1_000 + " us; all (us): "
                + latencies.stream().map(l -> l / 1_000).toList());
    }

    /** Reads requests of {@value #REQUEST} bytes and answers each with {@code response}. */
    private static void serve(TcpFlow flow, Response response) {
        new Object() {
            int pending;

            void next() {
                flow.read().thenAccept(r -> {
                    if (!(r instanceof ReadResult.Data d)) {
                        return;
                    }
                    pending += d.data().remaining();
                    while (pending >= REQUEST) {
                        pending -= REQUEST;
                        answer();
                    }
                    next();
                });
            }

            void answer() {
                List<ByteBuffer> parts = new ArrayList<>();
                for (int n : response.parts) {
                    parts.add(ByteBuffer.allocate(n));
                }
                CompletableFuture<Void> written = parts.size() == 1 ? flow.write(parts.getFirst()) : flow.writev(parts);
                assertTrue(written.isDone(), "the send buffer takes a response at once");
            }
        }.next();
    }
}
