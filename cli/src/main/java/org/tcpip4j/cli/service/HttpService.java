package org.tcpip4j.cli.service;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tcpip4j.cli.flow.RepeatingPattern;
import org.tcpip4j.tcp.TcpFlow;
import org.tcpip4j.tcp.TcpListener;

/**
 * A small HTTP/1.1 server (RFC 9112) of our own, on the stack's TCP: {@code GET} and
 * {@code HEAD} of
 * <ul>
 *   <li>{@code /}: an HTML page with the stack's live counters,
 *   <li>{@code /stats}: the same counters as text, one {@code layer.counter=value} a line,
 *   <li>{@code /bytes/N}: N bytes of the {@link RepeatingPattern#chargen()} stream,
 *   <li>{@code /connections}: the TCP connections of every service ({@link Connections}),
 *       one a line: {@code src -> dst  service  } and the connection's {@code ss -ti}-like
 *       summary.
 * </ul>
 * Connections are persistent unless the client asks to close (or speaks HTTP/1.0 without
 * keep-alive). Each connection is served on its own virtual thread with blocking streams,
 * so the event loop is never blocked; request bodies are not accepted.
 */
public final class HttpService implements TcpListener {

    private static final Logger LOG = LoggerFactory.getLogger(HttpService.class);
    private static final RepeatingPattern PATTERN = RepeatingPattern.chargen();
    private static final int MAX_LINE = 8192;
    private static final int MAX_HEADERS = 100;

    private final Supplier<String> page;
    private final Supplier<String> stats;
    private final LongAdder connections;
    private final LongAdder requests;
    private final LongAdder bodyBytes;
    private final LongAdder errors;
    private final Connections open;

    /**
     * A server whose {@code /} is {@code page} (HTML) and {@code /stats} is {@code stats}
     * (text), both produced afresh for every request (on the connection's own virtual
     * thread, so they may wait), and whose {@code /connections} lists {@code open}, where its
     * own connections are listed too.
     */
    public HttpService(Supplier<String> page, Supplier<String> stats, Connections open, ServiceCounters counters) {
        this.page = page;
        this.stats = stats;
        this.open = open;
        this.connections = counters.counter("http.connections");
        this.requests = counters.counter("http.requests");
        this.bodyBytes = counters.counter("http.body_bytes");
        this.errors = counters.counter("http.errors");
    }

    @Override
    public void accept(TcpFlow flow) {
        connections.increment();
        Runnable ended = open.opened("http", flow);
        Thread.ofVirtual().name("tcpip4j-http-" + flow.dst()).start(() -> serve(flow, ended));
    }

    /** A parsed request line and the headers that matter here. */
    private record Request(String method, String target, boolean keepAlive) {
    }

    private void serve(TcpFlow flow, Runnable ended) {
        InputStream in = new BufferedInputStream(flow.inputStream());
        try {
            while (true) {
                Request request = readRequest(in);
                if (request == null) {
                    break; // the client closed between requests
                }
                requests.increment();
                if (!respond(flow, request)) {
                    break;
                }
            }
        } catch (BadRequest e) {
            errors.increment();
            sendAndClose(flow, 400, "Bad Request", e.getMessage() + "\n");
        } catch (IOException e) {
            LOG.debug("HTTP connection from {} ended: {}", flow.dst(), e.getMessage());
            errors.increment();
        } catch (RuntimeException e) {
            LOG.warn("HTTP connection from {} failed", flow.dst(), e);
            errors.increment();
        }
        flow.close().whenComplete((v, e) -> ended.run());
    }

    /** Answers one request; false when the connection is to be closed after it. */
    private boolean respond(TcpFlow flow, Request r) throws IOException {
        boolean head = r.method().equals("HEAD");
        if (!head && !r.method().equals("GET")) {
            send(flow, 405, "Method Not Allowed", "text/plain", "only GET and HEAD\n", false, r.keepAlive());
            return r.keepAlive();
        }
        String path = r.target();
        int query = path.indexOf('?');
        if (query >= 0) {
            path = path.substring(0, query);
        }
        if (path.equals("/")) {
            send(flow, 200, "OK", "text/html; charset=utf-8", page.get(), head, r.keepAlive());
        } else if (path.equals("/stats")) {
            send(flow, 200, "OK", "text/plain; charset=utf-8", stats.get(), head, r.keepAlive());
        } else if (path.equals("/connections")) {
            send(flow, 200, "OK", "text/plain; charset=utf-8", open.text(), head, r.keepAlive());
        } else if (path.startsWith("/bytes/")) {
            long n = parseSize(path.substring("/bytes/".length()));
            if (n < 0) {
                send(flow, 400, "Bad Request", "text/plain", "/bytes/N takes a number of bytes\n", head, r.keepAlive());
            } else {
                sendPattern(flow, n, head, r.keepAlive());
            }
        } else {
            send(flow, 404, "Not Found", "text/plain", "no such page: " + path + "\n", head, r.keepAlive());
        }
        return r.keepAlive();
    }

    private static long parseSize(String text) {
        if (text.isEmpty() || text.length() > 18 || !text.chars().allMatch(Character::isDigit)) {
            return -1;
        }
        return Long.parseLong(text);
    }

    private void send(TcpFlow flow, int status, String reason, String type, String body, boolean head,
                      boolean keepAlive) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        byte[] header = header(status, reason, type, bytes.length, keepAlive);
        if (head) {
            write(flow, ByteBuffer.wrap(header));
        } else {
            ByteBuffer all = ByteBuffer.allocate(header.length + bytes.length).put(header).put(bytes).flip();
            write(flow, all);
            bodyBytes.add(bytes.length);
        }
    }

    /** Answers a request that ends the connection; a failure to answer only ends it sooner. */
    private void sendAndClose(TcpFlow flow, int status, String reason, String body) {
        try {
            send(flow, status, reason, "text/plain", body, false, false);
        } catch (IOException e) {
            LOG.debug("could not answer {}: {}", flow.dst(), e.getMessage());
        }
    }

    private void sendPattern(TcpFlow flow, long n, boolean head, boolean keepAlive) throws IOException {
        write(flow, ByteBuffer.wrap(header(200, "OK", "application/octet-stream", n, keepAlive)));
        if (head) {
            return;
        }
        long sent = 0;
        while (sent < n) {
            int chunk = (int) Math.min(RepeatingPattern.MAX_SLICE, n - sent);
            write(flow, PATTERN.slice(sent, chunk));
            sent += chunk;
            bodyBytes.add(chunk);
        }
    }

    private static byte[] header(int status, String reason, String type, long length, boolean keepAlive) {
        String h = "HTTP/1.1 " + status + " " + reason + "\r\n"
                + "Server: tcpip4j\r\n"
                + "Content-Type: " + type + "\r\n"
                + "Content-Length: " + length + "\r\n"
                + "Cache-Control: no-store\r\n"
                + (keepAlive ? "" : "Connection: close\r\n")
                + "\r\n";
        return h.getBytes(StandardCharsets.US_ASCII);
    }

    /** Writes {@code data} and waits until the flow has accepted it: we are on our own thread. */
    private static void write(TcpFlow flow, ByteBuffer data) throws IOException {
        try {
            flow.write(data).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        } catch (ExecutionException e) {
            throw new IOException(e.getCause().getMessage(), e.getCause());
        }
    }

    /** Reads one request head; null at a clean end of stream before its first byte. */
    private static Request readRequest(InputStream in) throws IOException {
        String line = readLine(in);
        if (line == null) {
            return null;
        }
        // RFC 9112 2.2: a server should ignore empty lines received before a request line.
        while (line.isEmpty()) {
            line = readLine(in);
            if (line == null) {
                return null;
            }
        }
        String[] parts = line.split(" ");
        if (parts.length != 3 || !parts[2].startsWith("HTTP/1.")) {
            throw new BadRequest("malformed request line");
        }
        boolean http10 = parts[2].equals("HTTP/1.0");
        boolean keepAlive = !http10;
        for (int i = 0; ; i++) {
            String header = readLine(in);
            if (header == null) {
                throw new BadRequest("end of stream inside the request head");
            }
            if (header.isEmpty()) {
                break;
            }
            if (i >= MAX_HEADERS) {
                throw new BadRequest("too many header fields");
            }
            int colon = header.indexOf(':');
            if (colon <= 0) {
                throw new BadRequest("malformed header field");
            }
            String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = header.substring(colon + 1).trim().toLowerCase(Locale.ROOT);
            if (name.equals("connection")) {
                if (value.contains("close")) {
                    keepAlive = false;
                } else if (value.contains("keep-alive")) {
                    keepAlive = true;
                }
            } else if ((name.equals("content-length") && !value.equals("0")) || name.equals("transfer-encoding")) {
                throw new BadRequest("request bodies are not accepted");
            }
        }
        return new Request(parts[0], parts[1], keepAlive);
    }

    /** A line ended by LF (CR LF or a bare LF, RFC 9112 2.2), without its end; null at end of stream. */
    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
            }
            if (line.size() >= MAX_LINE) {
                throw new BadRequest("line longer than " + MAX_LINE + " bytes");
            }
            line.write(b);
        }
        if (line.size() > 0) {
            throw new BadRequest("end of stream inside a line");
        }
        return null;
    }

    /** A request this server cannot parse: answered with 400 and the connection closed. */
    private static final class BadRequest extends IOException {
        BadRequest(String message) {
            super(message);
        }
    }
}
