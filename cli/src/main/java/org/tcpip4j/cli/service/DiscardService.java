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

    /** A discard service whose flows complete their futures on {@code loop}. */
    public DiscardService(Executor loop, ServiceCounters counters) {
        this.loop = loop;
        this.connections = counters.counter("discard.connections");
        this.bytes = counters.counter("discard.bytes");
    }

    @Override
    public void accept(TcpFlow flow) {
        connections.increment();
        new FlowDrain(flow, loop, (data, offset) -> bytes.add(data.remaining())).start();
    }
}
