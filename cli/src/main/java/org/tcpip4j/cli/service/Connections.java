package org.tcpip4j.cli.service;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.tcpip4j.tcp.TcpFlow;
import org.tcpip4j.tcp.TcpInfo;

/**
 * The TCP connections {@code serve}'s services hold open: a service adds a flow when it
 * accepts it and removes it when it is done with it (both directions closed, reset, or
 * timed out). Listed, with each connection's {@link TcpFlow#info()}, on the HTTP server's
 * {@code /connections} and {@code /} pages. Safe from any thread.
 */
public final class Connections {

    /** What a connection shows when its stack gives no {@link TcpInfo}. */
    public static final String NO_INFORMATION = "(no information)";
    /** How long a listing waits for the connections' information, all together. */
    private static final Duration INFO_WAIT = Duration.ofSeconds(2);

    /**
     * One open connection as listed.
     *
     * @param service the service that accepted it: echo, discard, chargen, http
     * @param src our end, address:port
     * @param dst the peer's end, address:port
     * @param info {@link TcpInfo#summary()}, or {@link #NO_INFORMATION} (with the reason when
     *     it is not that the stack has none)
     */
    public record Line(String service, String src, String dst, String info) {

        /** {@code src -> dst  service  info}: one line of {@code /connections}. */
        @Override
        public String toString() {
            return src + " -> " + dst + "  " + service + "  " + info;
        }
    }

    private record Open(String service, String src, String dst, Supplier<CompletableFuture<TcpInfo>> info) {
    }

    /** In the order they were accepted; keyed by a token of each, so a flow need not define equality. */
    private final Map<Object, Open> open = new LinkedHashMap<>();

    /**
     * Adds {@code flow}, accepted by {@code service}.
     *
     * @return what removes it again: to run when the service is done with the flow (running it
     *     twice is harmless)
     */
    public Runnable opened(String service, TcpFlow flow) {
        return opened(service, flow.src().toString(), flow.dst().toString(), flow::info);
    }

    /**
     * Adds a connection of {@code service} between {@code src} and {@code dst} (as
     * {@link org.tcpip4j.netif.IpEndpoint} prints them), whose information {@code info} gives
     * (a Netty channel's, for one).
     *
     * @return what removes it again (running it twice is harmless)
     */
    public Runnable opened(String service, String src, String dst, Supplier<CompletableFuture<TcpInfo>> info) {
        Object token = new Object();
        synchronized (open) {
            open.put(token, new Open(service, src, dst, info));
        }
        return () -> {
            synchronized (open) {
                open.remove(token);
            }
        };
    }

    /** How many connections are open. */
    public int size() {
        synchronized (open) {
            return open.size();
        }
    }

    /**
     * Every open connection with its information, in the order they were accepted. Waits up
     * to two seconds, for all of them together, for the stack to answer: never call it on the
     * event loop.
     */
    public List<Line> describe() {
        List<Open> snapshot;
        synchronized (open) {
            snapshot = List.copyOf(open.values());
        }
        List<CompletableFuture<TcpInfo>> infos = new ArrayList<>(snapshot.size());
        for (Open o : snapshot) {
            CompletableFuture<TcpInfo> info;
            try {
                info = o.info().get();
            } catch (RuntimeException e) {
                info = CompletableFuture.failedFuture(e);
            }
            infos.add(info);
        }
        long deadline = System.nanoTime() + INFO_WAIT.toNanos();
        List<Line> lines = new ArrayList<>(snapshot.size());
        for (int i = 0; i < snapshot.size(); i++) {
            Open o = snapshot.get(i);
            lines.add(new Line(o.service(), o.src(), o.dst(), info(infos.get(i), deadline)));
        }
        return lines;
    }

    private static String info(CompletableFuture<TcpInfo> future, long deadline) {
        try {
            return future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS).summary();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return NO_INFORMATION;
        } catch (TimeoutException e) {
            return "(no information: no answer within " + INFO_WAIT.toSeconds() + " s)";
        } catch (ExecutionException | CompletionException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            return cause instanceof UnsupportedOperationException ? NO_INFORMATION
                    : "(no information: " + cause.getClass().getSimpleName() + ": " + cause.getMessage() + ")";
        }
    }

    /** {@code /connections}: one {@link Line} a line. */
    public String text() {
        StringBuilder s = new StringBuilder();
        describe().forEach(line -> s.append(line).append('\n'));
        return s.toString();
    }
}
