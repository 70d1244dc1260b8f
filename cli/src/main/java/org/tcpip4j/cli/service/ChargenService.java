package org.tcpip4j.cli.service;

import java.util.concurrent.Executor;
import java.util.concurrent.atomic.LongAdder;
import org.tcpip4j.cli.flow.FlowDrain;
import org.tcpip4j.cli.flow.FlowSender;
import org.tcpip4j.cli.flow.RepeatingPattern;
import org.tcpip4j.tcp.TcpFlow;
import org.tcpip4j.tcp.TcpListener;

/**
 * TCP character generator (after RFC 864): on connect, sends a fixed number of bytes of
 * the {@link RepeatingPattern#chargen()} stream, then closes. Unlike RFC 864's endless
 * stream it ends, so a client can check a whole transfer; what the client sends is read
 * and dropped, so its FIN is seen and the close completes.
 */
public final class ChargenService implements TcpListener {

    private static final RepeatingPattern PATTERN = RepeatingPattern.chargen();

    private final Executor loop;
    private final long bytesPerConnection;
    private final LongAdder connections;
    private final LongAdder bytes;
    private final Connections open;

    /** A service sending {@code bytesPerConnection} bytes on each connection, listed in {@code open} while open. */
    public ChargenService(Executor loop, long bytesPerConnection, ServiceCounters counters, Connections open) {
        this.loop = loop;
        this.bytesPerConnection = bytesPerConnection;
        this.connections = counters.counter("chargen.connections");
        this.bytes = counters.counter("chargen.bytes");
        this.open = open;
    }

    @Override
    public void accept(TcpFlow flow) {
        connections.increment();
        Runnable ended = open.opened("chargen", flow);
        // What the client sends is dropped, and its FIN does not cut the stream short: the
        // sender closes once every byte is written, and that close completes when the peer's
        // FIN has been read.
        new FlowDrain(flow, loop, (data, offset) -> {
        }, false).start();
        FlowSender sender = new FlowSender(flow, PATTERN, bytesPerConnection, loop);
        // The sender's future ends with the close, or with the write a reset or timeout failed.
        sender.start().whenComplete((sent, e) -> {
            bytes.add(sender.sent());
            ended.run();
        });
    }
}
