package org.tcpip4j.cli.service;

import java.nio.ByteBuffer;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.LongAdder;
import org.tcpip4j.tcp.ReadResult;
import org.tcpip4j.tcp.TcpFlow;
import org.tcpip4j.tcp.TcpListener;

/**
 * TCP echo (RFC 862): every byte read is written back; when the peer closes, so do we.
 * Each read waits for the previous echo to be accepted, so a client that does not read
 * is slowed by TCP's flow control rather than filling our memory.
 */
public final class EchoService implements TcpListener {

    private final Executor loop;
    private final LongAdder connections;
    private final LongAdder bytes;
    private final Connections open;

    /** An echo service whose flows complete their futures on {@code loop}, listed in {@code open} while open. */
    public EchoService(Executor loop, ServiceCounters counters, Connections open) {
        this.loop = loop;
        this.connections = counters.counter("echo.connections");
        this.bytes = counters.counter("echo.bytes");
        this.open = open;
    }

    @Override
    public void accept(TcpFlow flow) {
        connections.increment();
        echo(flow, open.opened("echo", flow));
    }

    private void echo(TcpFlow flow, Runnable ended) {
        flow.read().whenCompleteAsync((r, e) -> {
            if (e != null) {
                ended.run(); // reset or timed out: the flow is gone, nothing to answer
                return;
            }
            switch (r) {
                case ReadResult.Data d -> {
                    ByteBuffer data = d.data(); // ours: the flow may keep it until the write completes
                    bytes.add(data.remaining());
                    flow.write(data).whenComplete((v, x) -> {
                        if (x == null) {
                            loop.execute(() -> echo(flow, ended));
                        } else {
                            ended.run(); // the flow no longer sends: nothing more to echo
                        }
                    });
                }
                case ReadResult.Eof eof -> flow.close().whenComplete((v, x) -> ended.run());
            }
        }, loop);
    }
}
