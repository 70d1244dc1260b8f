package org.tcpip4j.cli.service;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.LongAdder;
import org.tcpip4j.netif.IpAddress;
import org.tcpip4j.netif.Ipv4Address;
import org.tcpip4j.udp.Udp;
import org.tcpip4j.udp.UdpCallback;

/** UDP echo (RFC 862): every datagram goes back to its sender, from the port it came to. */
public final class UdpEchoService implements UdpCallback {

    private final Udp udp;
    private final int port;
    private final LongAdder datagrams;
    private final LongAdder bytes;

    /** An echo service on {@code port} of {@code udp}. */
    public UdpEchoService(Udp udp, int port, ServiceCounters counters) {
        this.udp = udp;
        this.port = port;
        this.datagrams = counters.counter("udp_echo.datagrams");
        this.bytes = counters.counter("udp_echo.bytes");
    }

    @Override
    public void datagram(IpAddress src, IpAddress dst, int srcPort, ByteBuffer payload) {
        datagrams.increment();
        bytes.add(payload.remaining());
        // The payload is only valid during the call; the write needs its own copy.
        ByteBuffer copy = ByteBuffer.allocate(payload.remaining()).put(payload).flip();
        // A datagram sent to a broadcast address is answered from our own address.
        IpAddress from = dst instanceof Ipv4Address v4 && (v4.isBroadcast() || v4.isMulticast()) ? null : dst;
        udp.write(from, port, src, srcPort, -1, copy);
    }
}
