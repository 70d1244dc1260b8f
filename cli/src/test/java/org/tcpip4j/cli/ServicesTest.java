package org.tcpip4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.tcpip4j.cli.flow.FlowDrain;
import org.tcpip4j.cli.flow.RepeatingPattern;
import org.tcpip4j.cli.service.ChargenService;
import org.tcpip4j.cli.service.Connections;
import org.tcpip4j.cli.service.DiscardService;
import org.tcpip4j.cli.service.EchoService;
import org.tcpip4j.cli.service.HttpService;
import org.tcpip4j.cli.service.ServiceCounters;
import org.tcpip4j.cli.service.UdpEchoService;
import org.tcpip4j.netif.Ipv4Address;
import org.tcpip4j.netif.Ipv4Cidr;
import org.tcpip4j.netif.MacAddress;
import org.tcpip4j.netif.loop.RealTimeEventLoop;
import org.tcpip4j.netif.memory.MemorySwitch;
import org.tcpip4j.netty.StackEventLoopGroup;
import org.tcpip4j.stack.direct.DirectStack;
import org.tcpip4j.stack.direct.DirectStackBuilder;
import org.tcpip4j.tcp.Shutdown;
import org.tcpip4j.tcp.TcpFlow;

/**
 * The services of {@code serve}, each on a direct stack on the in-memory network, used by
 * a client stack as a Linux tool would use them: what goes in, what comes out, and when the
 * connection closes.
 */
@Timeout(60)
class ServicesTest {

    private static final Ipv4Address SERVER = Ipv4Address.parse("198.18.0.2");

    private RealTimeEventLoop loop;
    private DirectStack server;
    private DirectStack client;
    private final ServiceCounters counters = new ServiceCounters();
    private final Connections connections = new Connections();

    @BeforeEach
    void twoStacks() {
        loop = new RealTimeEventLoop("services-test");
        MemorySwitch network = new MemorySwitch(loop);
        server = DirectStackBuilder.on(network.port(MacAddress.parse("02:00:00:00:00:02")))
                .address(Ipv4Cidr.parse("198.18.0.2/24")).seed(2).name("server").build();
        client = DirectStackBuilder.on(network.port(MacAddress.parse("02:00:00:00:00:01")))
                .address(Ipv4Cidr.parse("198.18.0.1/24")).seed(1).name("client").build();
    }

    @AfterEach
    void stop() throws Exception {
        client.disconnect().get(5, TimeUnit.SECONDS);
        server.disconnect().get(5, TimeUnit.SECONDS);
        loop.close();
    }

    /** Connects, sends {@code request}, closes our direction, and returns all that came back before the server closed. */
    private byte[] exchange(int port, byte[] request) throws Exception {
        TcpFlow flow = client.tcp().connect(SERVER, port).get(10, TimeUnit.SECONDS);
        ByteArrayOutputStream reply = new ByteArrayOutputStream();
        FlowDrain drain = new FlowDrain(flow, client.loop(), (data, offset) -> {
            byte[] bytes = new byte[data.remaining()];
            data.duplicate().get(bytes);
            reply.writeBytes(bytes);
        });
        CompletableFuture<Long> done = drain.start();
        if (request.length > 0) {
            flow.write(ByteBuffer.wrap(request)).get(10, TimeUnit.SECONDS);
        }
        flow.shutdown(Shutdown.WRITE).get(10, TimeUnit.SECONDS);
        done.get(20, TimeUnit.SECONDS);
        return reply.toByteArray();
    }

    @Test
    void echoSendsBackEveryByteThenClosesAfterThePeer() throws Exception {
        server.listenTcp(7, new EchoService(server.loop(), counters, connections));
        byte[] request = RepeatingPattern.modulo251().prefix(500_000);
        assertArrayEquals(request, exchange(7, request));
        assertEquals(500_000L, counters.snapshot().get("echo.bytes"));
        assertEquals(1L, counters.snapshot().get("echo.connections"));
    }

    @Test
    void discardReadsEverythingSendsNothingAndClosesAtEof() throws Exception {
        server.listenTcp(9, new DiscardService(server.loop(), counters, connections));
        assertEquals(0, exchange(9, new byte[300_000]).length);
        assertEquals(300_000L, counters.snapshot().get("discard.bytes"));
    }

    @Test
    void chargenSendsItsBytesOfTheRfc864PatternThenCloses() throws Exception {
        server.listenTcp(19, new ChargenService(server.loop(), 123_457, counters, connections));
        byte[] got = exchange(19, new byte[0]);
        assertArrayEquals(RepeatingPattern.chargen().prefix(123_457), got);
        String firstLine = new String(got, 0, 74, StandardCharsets.US_ASCII);
        assertEquals(" !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefg\r\n", firstLine,
                "RFC 864: 72 printable characters from the space on, then CR LF");
    }

    @Test
    void udpEchoAnswersFromThePortTheDatagramWentTo() throws Exception {
        server.listenUdp(7, new UdpEchoService(server.udp(), 7, counters));
        CompletableFuture<String> reply = new CompletableFuture<>();
        client.listenUdp(40000, (src, dst, srcPort, payload) ->
                reply.complete(src + ":" + srcPort + " " + StandardCharsets.UTF_8.decode(payload)));
        client.udp().write(null, 40000, SERVER, 7, -1, ByteBuffer.wrap("ping".getBytes(StandardCharsets.UTF_8)));
        assertEquals("198.18.0.2:7 ping", reply.get(10, TimeUnit.SECONDS));
        assertEquals(1L, counters.snapshot().get("udp_echo.datagrams"));
    }

    private void http() throws InterruptedException {
        new HttpService(() -> "<html>page</html>", () -> "tcp.rx.segments=1\n", connections, counters)
                .bind(StackEventLoopGroup.over(server), 80);
    }

    private String httpExchange(String requests) throws Exception {
        return new String(exchange(80, requests.getBytes(StandardCharsets.US_ASCII)), StandardCharsets.ISO_8859_1);
    }

    @Test
    void httpAnswersPipelinedRequestsOnOneConnectionAndClosesWhenAsked() throws Exception {
        http();
        String replies = httpExchange("GET / HTTP/1.1\r\nHost: a\r\n\r\n"
                + "GET /stats HTTP/1.1\r\nHost: a\r\n\r\n"
                + "GET /bytes/80 HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"
                + "GET /never-answered HTTP/1.1\r\n\r\n");
        String pattern = new String(RepeatingPattern.chargen().prefix(80), StandardCharsets.ISO_8859_1);
        String expected = response(200, "OK", "text/html; charset=utf-8", "<html>page</html>", true)
                + response(200, "OK", "text/plain; charset=utf-8", "tcp.rx.segments=1\n", true)
                + response(200, "OK", "application/octet-stream", pattern, false);
        assertEquals(expected, replies);
        assertEquals(3L, counters.snapshot().get("http.requests"));
    }

    private static String response(int status, String reason, String type, String body, boolean keepAlive) {
        return "HTTP/1.1 " + status + " " + reason + "\r\nServer: tcpip4j\r\nContent-Type: " + type
                + "\r\nContent-Length: " + body.length() + "\r\nCache-Control: no-store\r\n"
                + (keepAlive ? "" : "Connection: close\r\n") + "\r\n" + body;
    }

    @Test
    void httpHeadGivesTheLengthWithoutTheBody() throws Exception {
        http();
        String reply = httpExchange("HEAD /bytes/1000000 HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
        assertTrue(reply.startsWith("HTTP/1.1 200 OK\r\n"), reply);
        assertTrue(reply.contains("Content-Length: 1000000\r\n"), reply);
        assertTrue(reply.endsWith("\r\n\r\n"), "no body: " + reply);
    }

    @Test
    void httpAnswersUnknownPathsWith404AndGarbageWith400() throws Exception {
        http();
        assertTrue(httpExchange("GET /nope HTTP/1.0\r\n\r\n").startsWith("HTTP/1.1 404 Not Found\r\n"));
        assertTrue(httpExchange("GET /bytes/lots HTTP/1.0\r\n\r\n").startsWith("HTTP/1.1 400 Bad Request\r\n"));
        assertTrue(httpExchange("POST / HTTP/1.0\r\n\r\n").startsWith("HTTP/1.1 405 Method Not Allowed\r\n"));
        String garbage = httpExchange("\u0001\u0002 not http at all\r\n\r\n");
        assertTrue(garbage.startsWith("HTTP/1.1 400 Bad Request\r\n"), garbage);
        assertTrue(garbage.contains("Connection: close\r\n"), garbage);
    }

    @Test
    void httpStreamsLargeBodiesWithALengthOrInTheChunkedCoding() throws Exception {
        http();
        byte[] expected = RepeatingPattern.chargen().prefix(300_000);
        String whole = httpExchange("GET /bytes/300000 HTTP/1.1\r\nHost: a\r\n\r\n");
        int end = whole.indexOf("\r\n\r\n") + 4;
        assertTrue(whole.substring(0, end).contains("Content-Length: 300000\r\n"), whole.substring(0, end));
        assertArrayEquals(expected, whole.substring(end).getBytes(StandardCharsets.ISO_8859_1));

        String chunked = httpExchange("GET /bytes/300000?chunked HTTP/1.1\r\nHost: a\r\n\r\n");
        end = chunked.indexOf("\r\n\r\n") + 4;
        assertTrue(chunked.substring(0, end).contains("Transfer-Encoding: chunked\r\n"), chunked.substring(0, end));
        // RFC 9112 7.1: hex size, CRLF, data, CRLF; a last chunk of size 0, then the end.
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int at = end;
        int chunks = 0;
        while (true) {
            int crlf = chunked.indexOf("\r\n", at);
            int size = Integer.parseInt(chunked.substring(at, crlf), 16);
            at = crlf + 2;
            if (size == 0) {
                assertEquals("\r\n", chunked.substring(at), "nothing after the last chunk");
                break;
            }
            body.writeBytes(chunked.substring(at, at + size).getBytes(StandardCharsets.ISO_8859_1));
            assertEquals("\r\n", chunked.substring(at + size, at + size + 2));
            at += size + 2;
            chunks++;
        }
        assertArrayEquals(expected, body.toByteArray());
        assertTrue(chunks >= 5, "streamed in slices of at most 64 KiB: " + chunks);
    }

    @Test
    void httpRefusesRequestBodies() throws Exception {
        http();
        String reply = httpExchange("POST /stats HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello");
        assertTrue(reply.startsWith("HTTP/1.1 413 "), reply);
    }

    @Test
    void httpAnswersEveryPipelinedRequestInOrderEvenBehindASlowPage() throws Exception {
        new HttpService(() -> "<html>page</html>", () -> {
            try {
                Thread.sleep(300); // a page made off the loop, slowly
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return "slow\n";
        }, connections, counters).bind(StackEventLoopGroup.over(server), 80);
        String garbage = httpExchange("GET /stats HTTP/1.1\r\nHost: a\r\n\r\n\u0001\u0002 not http\r\n\r\n");
        assertTrue(garbage.startsWith("HTTP/1.1 200 OK\r\n"), garbage);
        int bad = garbage.indexOf("HTTP/1.1 400 Bad Request\r\n");
        assertTrue(bad > garbage.indexOf("slow\n"), "the 400 after the slow page: " + garbage);

        String body = httpExchange("GET /stats HTTP/1.1\r\nHost: a\r\n\r\nPOST / HTTP/1.1\r\nHost: a\r\n"
                + "Content-Length: 5\r\n\r\nhello");
        assertTrue(body.startsWith("HTTP/1.1 200 OK\r\n"), body);
        assertTrue(body.indexOf("HTTP/1.1 413 ") > body.indexOf("slow\n"), "the 413 after the slow page: " + body);
    }

    @Test
    void aRequestWithABodyBehindAStreamedResponseLetsItFinish() throws Exception {
        http();
        String r = httpExchange("GET /bytes/300000 HTTP/1.1\r\nHost: a\r\n\r\n"
                + "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello");
        int end = r.indexOf("\r\n\r\n") + 4;
        assertTrue(r.length() > end + 300_000, "the whole streamed body came: " + r.length());
        assertArrayEquals(RepeatingPattern.chargen().prefix(300_000),
                r.substring(end, end + 300_000).getBytes(StandardCharsets.ISO_8859_1));
        assertTrue(r.substring(end + 300_000).startsWith("HTTP/1.1 413 "), r.substring(end + 300_000));
    }

    @Test
    void http10GetsALengthWhereChunkedWasAsked() throws Exception {
        http();
        String r = httpExchange("GET /bytes/100000?chunked HTTP/1.0\r\n\r\n");
        String head = r.substring(0, r.indexOf("\r\n\r\n"));
        assertTrue(head.contains("Content-Length: 100000"), head);
        assertFalse(head.contains("chunked"), head);
    }

    /** The body of one GET on a connection of its own, which the server closes after answering. */
    private String get(String path) throws Exception {
        String reply = httpExchange("GET " + path + " HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
        assertTrue(reply.startsWith("HTTP/1.1 200 OK\r\n"), reply);
        return reply.substring(reply.indexOf("\r\n\r\n") + 4);
    }

    /** Waits until {@code connections} lists {@code count} connections of {@code service}. */
    private void awaitListed(String service, long count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (connections.describe().stream().filter(l -> l.service().equals(service)).count() != count) {
            assertTrue(System.nanoTime() < deadline, service + " connections: " + connections.describe());
            Thread.sleep(20);
        }
    }

    @Test
    void connectionsListsEveryOpenConnectionWithItsInformationUntilItCloses() throws Exception {
        server.listenTcp(9, new DiscardService(server.loop(), counters, connections));
        server.listenTcp(7, new EchoService(server.loop(), counters, connections));
        server.listenTcp(19, new ChargenService(server.loop(), 200_000, counters, connections));
        new HttpService(() -> CounterReport.html("serve", Map.of(), connections.describe(), Map.of()), () -> "",
                connections, counters).bind(StackEventLoopGroup.over(server), 80);
        TcpFlow discard = client.tcp().connect(SERVER, 9).get(10, TimeUnit.SECONDS);
        TcpFlow echo = client.tcp().connect(SERVER, 7).get(10, TimeUnit.SECONDS);
        TcpFlow chargen = client.tcp().connect(SERVER, 19).get(10, TimeUnit.SECONDS);
        discard.write(ByteBuffer.wrap(new byte[100_000])).get(10, TimeUnit.SECONDS);
        awaitListed("discard", 1);
        awaitListed("echo", 1);
        awaitListed("chargen", 1);

        List<String> lines = get("/connections").lines().toList();
        assertEquals(4, lines.size(), "discard, echo, chargen and this request's own: " + lines);
        String discardLine = line(lines, "198.18.0.2:9 -> " + discard.src() + "  discard  ");
        line(lines, "198.18.0.2:7 -> " + echo.src() + "  echo  ");
        line(lines, "198.18.0.2:19 -> " + chargen.src() + "  chargen  ");
        line(lines, "198.18.0.2:80 -> 198.18.0.1:");
        String info = discardLine.substring(("198.18.0.2:9 -> " + discard.src() + "  discard  ").length());
        if (!info.equals(Connections.NO_INFORMATION)) {
            // The stack gives each connection's TcpInfo: its summary follows the endpoints.
            assertTrue(info.startsWith("established "), info);
            for (String field : List.of(" mss:", " cwnd:", " rtt:", " bytes_received:", " rcv_wnd:")) {
                assertTrue(info.contains(field), field + " in " + info);
            }
        }

        String page = get("/");
        assertTrue(page.contains("<h2>Connections</h2>"), page);
        // The page reads the connection's information again, a moment later: its state and
        // fields, not the live figures (RTT, windows), are what must match.
        String shown = info.equals(Connections.NO_INFORMATION) ? info : "established ";
        assertTrue(page.contains("<tr><td>discard</td><td>198.18.0.2:9</td><td>" + discard.src()
                + "</td><td class=\"i\">" + shown.replace("<", "&lt;").replace(">", "&gt;")), page);
        assertTrue(page.contains("<td>chargen</td><td>198.18.0.2:19</td><td>" + chargen.src() + "</td>"), page);

        // Each leaves the list once closed both ways. Chargen, done sending, waits for our close.
        discard.close().get(10, TimeUnit.SECONDS);
        awaitListed("discard", 0);
        echo.shutdown(Shutdown.WRITE).get(10, TimeUnit.SECONDS);
        awaitListed("echo", 0);
        assertEquals(200_000L, new FlowDrain(chargen, client.loop()).start().get(10, TimeUnit.SECONDS));
        awaitListed("chargen", 0);
        awaitListed("http", 0);
        assertEquals(0, connections.size());
    }

    private static String line(List<String> lines, String prefix) {
        return lines.stream().filter(l -> l.startsWith(prefix)).findFirst()
                .orElseThrow(() -> new AssertionError("no line starting with " + prefix + ": " + lines));
    }
}
