package org.tcpip4j.cli.service;

import java.util.concurrent.Executor;
import java.util.concurrent.atomic.LongAdder;
import org.tcpip4j.cli.flow.FlowDrain;
import org.tcpip4j.tcp.TcpFlow;
import org.tcpip4j.tcp.TcpListener;

/** TCP discard (RFC 863): reads and drops everything until Eof, then closes. */
public final class DiscardService implements TcpListener {

    private final Executor loop;
    private final LongAdder connections;
    private final LongAdder bytes;
    private final Connections open;

    /** A discard service whose flows complete their futures on {@code loop}, listed in {@code open} while open. */
    public DiscardService(Executor loop, ServiceCounters counters, Connections open) {
        this.loop = loop;
        this.connections = counters.counter("discard.connections");
        this.bytes = counters.counter("discard.bytes");
        this.open = open;
    }

    @Override
    public void accept(TcpFlow flow) {
        connections.increment();
        Runnable ended = open.opened("discard", flow);
        new FlowDrain(flow, loop, (data, offset) -> bytes.add(data.remaining())).start()
                .whenComplete((n, e) -> ended.run());
    }
}
