package org.tcpip4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.tcpip4j.netif.Ipv4Address;
import org.tcpip4j.netif.Ipv4Cidr;
import org.tcpip4j.netif.MacAddress;
import org.tcpip4j.netif.loop.RealTimeEventLoop;
import org.tcpip4j.netif.memory.MemorySwitch;
import org.tcpip4j.stack.direct.DirectStack;
import org.tcpip4j.stack.direct.DirectStackBuilder;
import org.tcpip4j.stack.socket.SocketStack;
import org.tcpip4j.tcp.TcpFlow;

/**
 * The echo server examples answer on both stacks, and are the same program but for the
 * line that makes the stack; the layer-swapping example runs.
 */
@Timeout(60)
class EchoServerExamplesTest {

    private static final byte[] MESSAGE = "hello, echo\n".repeat(1000).getBytes(StandardCharsets.US_ASCII);

    /** Sends the message, closes our direction, and reads everything until the server closes. */
    private static byte[] roundTrip(OutputStream out, InputStream in, Runnable shutdownOutput) throws IOException {
        out.write(MESSAGE);
        out.flush();
        shutdownOutput.run();
        return in.readAllBytes();
    }

    @Test
    void theDirectStackProgramEchoesOverTheInMemoryNetwork() throws Exception {
        try (RealTimeEventLoop loop = new RealTimeEventLoop("echo-example")) {
            MemorySwitch network = new MemorySwitch(loop);
            DirectStack server = DirectStackBuilder.on(network.port(MacAddress.parse("02:00:00:00:00:02")))
                    .address(Ipv4Cidr.parse("198.18.7.2/24")).build();
            DirectStack client = DirectStackBuilder.on(network.port(MacAddress.parse("02:00:00:00:00:01")))
                    .address(Ipv4Cidr.parse("198.18.7.1/24")).build();
            DirectEchoServer.serve(server, 7007);
            TcpFlow flow = client.tcp().connect(Ipv4Address.parse("198.18.7.2"), 7007).get(10, TimeUnit.SECONDS);
            OutputStream out = flow.outputStream();
            byte[] echoed = roundTrip(out, flow.inputStream(), () -> close(out));
            assertEquals(new String(MESSAGE, StandardCharsets.US_ASCII), new String(echoed, StandardCharsets.US_ASCII));
            client.disconnect().get(5, TimeUnit.SECONDS);
            server.disconnect().get(5, TimeUnit.SECONDS);
            assertTrue(DirectEchoServer.serve(server, 7007).isDone(), "serve's future completes on disconnect");
        }
    }

    @Test
    void theSocketStackProgramEchoesOverLoopbackToAPlainJavaSocket() throws Exception {
        try (SocketStack server = SocketStack.open(Ipv4Address.LOCALHOST)) {
            SocketEchoServer.serve(server, 0);
            int port = server.boundTcpPort(0);
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
                socket.setSoTimeout(10_000);
                byte[] echoed = roundTrip(socket.getOutputStream(), socket.getInputStream(), () -> shutdownOutput(socket));
                assertEquals(new String(MESSAGE, StandardCharsets.US_ASCII), new String(echoed, StandardCharsets.US_ASCII));
            }
        }
    }

    @Test
    void theTwoProgramsDifferOnlyInTheLineThatMakesTheStack() throws IOException {
        List<String> direct = body("DirectEchoServer");
        List<String> socket = body("SocketEchoServer");
        assertEquals(direct.size(), socket.size(), "same length");
        List<String> differing = new ArrayList<>();
        for (int i = 0; i < direct.size(); i++) {
            if (!direct.get(i).equals(socket.get(i))) {
                differing.add(direct.get(i) + "  vs  " + socket.get(i));
            }
        }
        assertEquals(1, differing.size(), differing.toString());
        assertTrue(differing.getFirst().trim().startsWith("Stack stack = DirectStackBuilder.on("), differing.toString());
        assertTrue(direct.size() <= 30, "a small program: " + direct.size() + " lines of code");
    }

    /** The code of an example: no package, imports, comments or blank lines, its own name replaced. */
    private static List<String> body(String className) throws IOException {
        Path source = Path.of("src/main/java/org/tcpip4j/examples", className + ".java");
        String text = Files.readString(source).replaceAll("(?s)/\\*.*?\\*/", "").replace(className, "Example");
        return text.lines()
                .filter(l -> !l.isBlank() && !l.startsWith("package ") && !l.startsWith("import "))
                .toList();
    }

    @Test
    void theCountingLayerExampleRunsWithTheSwappedInLayer() throws Exception {
        PrintStream saved = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
            CountingEthernetExample.main(new String[0]);
        } finally {
            System.setOut(saved);
        }
        String out = buffer.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("a uses ethernet: counting (org.tcpip4j.examples.CountingEthernetProvider), named on the builder"), out);
        assertTrue(out.contains("a uses tcp: default"), out);
        Matcher sent = Pattern.compile("ethernet\\.counting\\.tx\\.ipv4=(\\d+)").matcher(out);
        assertTrue(sent.find() && Long.parseLong(sent.group(1)) >= 1, "the echo request went through the counting layer: " + out);
    }

    private static void close(OutputStream out) {
        try {
            out.close();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void shutdownOutput(Socket socket) {
        try {
            socket.shutdownOutput();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
