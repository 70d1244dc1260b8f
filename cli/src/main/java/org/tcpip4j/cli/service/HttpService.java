package org.tcpip4j.cli.service;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpChunkedInput;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.stream.ChunkedInput;
import io.netty.handler.stream.ChunkedWriteHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tcpip4j.cli.flow.RepeatingPattern;
import org.tcpip4j.netif.InetAddresses;
import org.tcpip4j.netif.IpEndpoint;
import org.tcpip4j.netty.StackEventLoopGroup;
import org.tcpip4j.netty.StackServerSocketChannel;
import org.tcpip4j.netty.StackSocketChannel;

/**
 * The HTTP/1.1 server of {@code serve --http}: Netty's HTTP codec (RFC 9112) over the
 * {@code netty} module's transport, its handlers on the stack's own event loop. {@code GET}
 * and {@code HEAD} of
 * <ul>
 *   <li>{@code /}: an HTML page with the stack's live counters,
 *   <li>{@code /stats}: the same counters as text, one {@code layer.counter=value} a line,
 *   <li>{@code /bytes/N}: N bytes of the {@link RepeatingPattern#chargen()} stream, with a
 *       {@code Content-Length}, or in the chunked transfer coding when the query has
 *       {@code chunked} ({@code /bytes/N?chunked}); bodies past 64 KiB are streamed as the
 *       connection takes them (Netty's writability, our send buffer),
 *   <li>{@code /connections}: the TCP connections of every service ({@link Connections}),
 *       one a line: {@code src -> dst  service  } and the connection's {@code ss -ti}-like
 *       summary.
 * </ul>
 * Connections are persistent unless the client asks to close (or speaks HTTP/1.0 without
 * keep-alive); pipelined requests are answered in order. A response leaves in one flush, its
 * header and body together. The pages of counters and connections are made on a virtual
 * thread (they wait for the stack's answers), never on the loop. Request bodies are refused
 * (413), malformed requests answered 400 and the connection closed.
 */
public final class HttpService {

    private static final Logger LOG = LoggerFactory.getLogger(HttpService.class);
    private static final RepeatingPattern PATTERN = RepeatingPattern.chargen();
    /** Bodies up to this size go in one response; longer ones are streamed in slices of it. */
    private static final int WHOLE = RepeatingPattern.MAX_SLICE;
    /** A connection neither read from nor written to for this long is closed (nginx's keepalive_timeout). */
    private static final int KEEP_ALIVE_SECONDS = 65;
    /** Pages being made off the loop for one connection, past which its requests are not read. */
    private static final int MAX_PAGES_WAITING = 8;

    private final Supplier<String> page;
    private final Supplier<String> stats;
    private final LongAdder connections;
    private final LongAdder requests;
    private final LongAdder bodyBytes;
    private final LongAdder errors;
    private final Connections open;

    /**
     * A server whose {@code /} is {@code page} (HTML) and {@code /stats} is {@code stats}
     * (text), both produced afresh for every request on a virtual thread (so they may wait),
     * and whose {@code /connections} lists {@code open}, where its own connections are
     * listed too.
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

    /**
     * Listens on {@code port} of every address of the stacks of {@code group}, over both IP
     * versions where the stack has them.
     *
     * @return the server channel; closing it stops accepting
     * @throws InterruptedException when interrupted while binding
     */
    public Channel bind(StackEventLoopGroup group, int port) throws InterruptedException {
        return new ServerBootstrap()
                .group(group)
                .channel(StackServerSocketChannel.class)
                // A client that half-closes after its last request still gets every answer.
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childHandler(new ChannelInitializer<StackSocketChannel>() {
                    @Override
                    protected void initChannel(StackSocketChannel ch) {
                        ch.pipeline().addLast(
                                new IdleStateHandler(0, 0, KEEP_ALIVE_SECONDS),
                                new HttpServerCodec(),
                                new ChunkedWriteHandler(),
                                new Pages(ch));
                    }
                })
                .bind(port).sync().channel();
    }

    /** A response made: its head, and its body as text or as a length of the pattern. */
    private record Response(HttpResponseStatus status, String type, byte[] text, long patternBytes,
                            boolean chunked) {

        static Response text(HttpResponseStatus status, String type, String body) {
            return new Response(status, type, body.getBytes(StandardCharsets.UTF_8), -1, false);
        }

        long length() {
            return text != null ? text.length : patternBytes;
        }
    }

    /**
     * One connection's requests, answered in order on its loop. Reading stops while the
     * connection cannot take more (Netty's writability, our send buffer) or while
     * {@value #MAX_PAGES_WAITING} pages are being made, so a client that sends requests
     * without reading answers holds bounded memory.
     */
    private final class Pages extends ChannelInboundHandlerAdapter {

        private final Runnable ended;
        /** The last response waiting for a page made off the loop, or null when none waits. */
        private CompletableFuture<Void> pending;
        /** Responses in the chain behind {@link #pending}. */
        private int waiting;
        private boolean unflushed;
        /** A response that ends the connection was made: later pipelined requests go unanswered. */
        private boolean closing;

        Pages(StackSocketChannel ch) {
            InfoOf info = new InfoOf(ch);
            this.ended = open.opened("http", info.src(), info.dst(), ch::info);
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) throws Exception {
            connections.increment();
            super.channelActive(ctx);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            ended.run();
            super.channelInactive(ctx);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof HttpRequest request && !closing) {
                    request(ctx, request);
                }
                // Request bodies (HttpContent) are refused with the request: nothing to keep.
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        private void request(ChannelHandlerContext ctx, HttpRequest request) {
            HttpVersion version = request.protocolVersion();
            boolean head = request.method().equals(HttpMethod.HEAD);
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            CompletableFuture<Response> made;
            if (!request.decoderResult().isSuccess()) {
                errors.increment();
                keepAlive = false;
                head = false;
                Throwable cause = request.decoderResult().cause();
                String why = cause instanceof TooLongFrameException ? "request line or header too long" : "malformed request";
                made = CompletableFuture.completedFuture(
                        Response.text(HttpResponseStatus.BAD_REQUEST, "text/plain", why + "\n"));
            } else {
                requests.increment();
                if (HttpUtil.getContentLength(request, 0L) > 0 || HttpUtil.isTransferEncodingChunked(request)) {
                    // Its body would follow on the connection: answer, then close.
                    keepAlive = false;
                    made = CompletableFuture.completedFuture(Response.text(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                            "text/plain", "request bodies are not accepted\n"));
                } else if (!head && !request.method().equals(HttpMethod.GET)) {
                    made = CompletableFuture.completedFuture(
                            Response.text(HttpResponseStatus.METHOD_NOT_ALLOWED, "text/plain", "only GET and HEAD\n"));
                } else {
                    made = respond(new QueryStringDecoder(request.uri()), version);
                }
            }
            if (!keepAlive) {
                closing = true;
                ctx.channel().config().setAutoRead(false);
            }
            if (pending == null && made.isDone()) {
                send(ctx, made.join(), version, head, keepAlive);
                unflushed = true;
                throttle(ctx);
                return;
            }
            // Behind a page still being made, or one itself: in order, each flushed at once.
            boolean h = head;
            boolean k = keepAlive;
            CompletableFuture<Void> before = pending != null ? pending : CompletableFuture.completedFuture(null);
            waiting++;
            CompletableFuture<Void> chain = before.thenCombine(made, (v, r) -> r).thenAcceptAsync(r -> {
                send(ctx, r, version, h, k);
                ctx.flush();
            }, ctx.executor());
            pending = chain;
            chain.whenCompleteAsync((v, e) -> {
                waiting--;
                if (pending == chain) {
                    pending = null;
                }
                throttle(ctx);
            }, ctx.executor());
            throttle(ctx);
        }

        /** Reads while the connection takes what is written and few pages are being made. */
        private void throttle(ChannelHandlerContext ctx) {
            boolean read = !closing && ctx.channel().isWritable() && waiting < MAX_PAGES_WAITING;
            if (ctx.channel().config().isAutoRead() != read) {
                ctx.channel().config().setAutoRead(read);
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
            throttle(ctx);
            super.channelWritabilityChanged(ctx);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
            // Pipelined requests read together are answered in one flush.
            if (unflushed) {
                unflushed = false;
                ctx.flush();
            }
            super.channelReadComplete(ctx);
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
            if (event instanceof ChannelInputShutdownEvent) {
                closing = true;
                closeAfterAnswers(ctx);
            } else if (event instanceof IdleStateEvent && pending == null) {
                // Neither read nor written for the keep-alive timeout: an idle connection goes.
                ctx.close();
            }
            super.userEventTriggered(ctx, event);
        }

        /** The client sends no more: close once every request it sent is answered. */
        private void closeAfterAnswers(ChannelHandlerContext ctx) {
            if (pending != null && !pending.isDone()) {
                pending.whenCompleteAsync((v, e) -> closeAfterAnswers(ctx), ctx.executor());
                return;
            }
            // Behind whatever is still being written (a streamed body included).
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            errors.increment();
            LOG.debug("HTTP connection {} ended: {}", ctx.channel().remoteAddress(), cause.toString());
            ctx.close();
        }
    }

    /** Makes the response to {@code uri}: at once, or on a virtual thread for the pages that wait. */
    private CompletableFuture<Response> respond(QueryStringDecoder uri, HttpVersion version) {
        String path = uri.path();
        return switch (path) {
            case "/" -> offLoop(() -> Response.text(HttpResponseStatus.OK, "text/html; charset=utf-8", page.get()));
            case "/stats" -> offLoop(() -> Response.text(HttpResponseStatus.OK, "text/plain; charset=utf-8", stats.get()));
            case "/connections" -> offLoop(() -> Response.text(HttpResponseStatus.OK, "text/plain; charset=utf-8", open.text()));
            default -> {
                if (path.startsWith("/bytes/")) {
                    long n = parseSize(path.substring("/bytes/".length()));
                    yield CompletableFuture.completedFuture(n < 0
                            ? Response.text(HttpResponseStatus.BAD_REQUEST, "text/plain", "/bytes/N takes a number of bytes\n")
                            : new Response(HttpResponseStatus.OK, "application/octet-stream", null, n,
                                    // HTTP/1.0 has no chunked coding (RFC 9112 6.1): a length then.
                                    uri.parameters().containsKey("chunked") && !version.equals(HttpVersion.HTTP_1_0)));
                }
                yield CompletableFuture.completedFuture(
                        Response.text(HttpResponseStatus.NOT_FOUND, "text/plain", "no such page: " + path + "\n"));
            }
        };
    }

    private static CompletableFuture<Response> offLoop(Supplier<Response> make) {
        CompletableFuture<Response> made = new CompletableFuture<>();
        Thread.ofVirtual().name("tcpip4j-http-page").start(() -> {
            try {
                made.complete(make.get());
            } catch (RuntimeException e) {
                LOG.warn("making an HTTP page failed", e);
                made.complete(Response.text(HttpResponseStatus.INTERNAL_SERVER_ERROR, "text/plain",
                        "the page could not be made: " + e + "\n"));
            }
        });
        return made;
    }

    /**
     * Writes {@code r} (not flushed) as HTTP/1.1, the server's version (RFC 9110 6.2), to a
     * request of {@code version}, and closes after it when the connection does not persist.
     */
    private void send(ChannelHandlerContext ctx, Response r, HttpVersion version, boolean head, boolean keepAlive) {
        boolean whole = r.text() != null || (r.patternBytes() <= WHOLE && !r.chunked());
        Object written;
        if (head || whole) {
            ByteBuf body = Unpooled.EMPTY_BUFFER;
            if (!head) {
                body = r.text() != null ? Unpooled.wrappedBuffer(r.text())
                        : Unpooled.wrappedBuffer(PATTERN.slice(0, (int) r.patternBytes()));
                bodyBytes.add(body.readableBytes());
            }
            FullHttpResponse full = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, r.status(), body);
            headers(full, r, version, keepAlive);
            written = full;
        } else {
            HttpResponse h = new DefaultHttpResponse(HttpVersion.HTTP_1_1, r.status());
            headers(h, r, version, keepAlive);
            ctx.write(h);
            written = new HttpChunkedInput(new PatternInput(r.patternBytes()));
        }
        ChannelFuture done = ctx.write(written);
        if (!keepAlive) {
            done.addListener(ChannelFutureListener.CLOSE);
        }
    }

    /**
     * The head's fields, named as most servers write them (Netty's constants are lower case,
     * which HTTP allows): server, type, length or the chunked coding, no caching, and
     * whether the connection persists.
     */
    private static void headers(HttpResponse h, Response r, HttpVersion version, boolean keepAlive) {
        h.headers().set("Server", "tcpip4j");
        h.headers().set("Content-Type", r.type());
        if (r.chunked()) {
            h.headers().set("Transfer-Encoding", HttpHeaderValues.CHUNKED);
        } else {
            h.headers().set("Content-Length", r.length());
        }
        h.headers().set("Cache-Control", HttpHeaderValues.NO_STORE);
        if (!keepAlive) {
            h.headers().set("Connection", HttpHeaderValues.CLOSE);
        } else if (!version.isKeepAliveDefault()) {
            h.headers().set("Connection", HttpHeaderValues.KEEP_ALIVE);
        }
    }

    private static long parseSize(String text) {
        if (text.isEmpty() || text.length() > 18 || !text.chars().allMatch(Character::isDigit)) {
            return -1;
        }
        return Long.parseLong(text);
    }

    /** The connection's ends as {@link Connections} lists them, as {@link IpEndpoint} prints them. */
    private record InfoOf(String src, String dst) {
        InfoOf(StackSocketChannel ch) {
            this(InetAddresses.endpoint(ch.localAddress()).toString(), InetAddresses.endpoint(ch.remoteAddress()).toString());
        }
    }

    /** N bytes of the pattern, slice after slice, as the connection takes them. */
    private final class PatternInput implements ChunkedInput<ByteBuf> {
        private final long length;
        private long offset;

        PatternInput(long length) {
            this.length = length;
        }

        @Override
        public boolean isEndOfInput() {
            return offset >= length;
        }

        @Override
        public void close() {
        }

        @Deprecated
        @Override
        public ByteBuf readChunk(ChannelHandlerContext ctx) {
            return readChunk(ctx.alloc());
        }

        @Override
        public ByteBuf readChunk(ByteBufAllocator allocator) {
            if (isEndOfInput()) {
                return null;
            }
            int n = (int) Math.min(WHOLE, length - offset);
            ByteBuf slice = Unpooled.wrappedBuffer(PATTERN.slice(offset, n));
            offset += n;
            bodyBytes.add(n);
            return slice;
        }

        @Override
        public long length() {
            return length;
        }

        @Override
        public long progress() {
            return offset;
        }
    }
}
