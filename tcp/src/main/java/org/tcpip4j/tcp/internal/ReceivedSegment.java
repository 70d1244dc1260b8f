package org.tcpip4j.tcp.internal;

import java.nio.ByteBuffer;
import org.tcpip4j.netif.IpAddress;
import org.tcpip4j.tcp.internal.wire.TcpHeader;
import org.tcpip4j.tcp.internal.wire.TcpOptions;

/**
 * The received segment being processed: the header fields read once from the wire, the
 * payload's place in the received buffer, and the options. One instance per layer, filled
 * for each segment, so that input allocates nothing; the engine trims it in place
 * (RFC 9293 3.10.7.4: "segments ... trimmed to contain only new data"). Valid only during
 * {@code Tcp.input}.
 */
final class ReceivedSegment {

    IpAddress src;
    IpAddress dst;
    /** The addresses as 128 bits ({@link FourTuple}), the connection table's key. */
    long srcHigh;
    long srcLow;
    long dstHigh;
    long dstLow;
    int srcPort;
    int dstPort;
    int seq;
    int ack;
    int flags;
    int window;
    ByteBuffer buffer;
    int payloadOffset;
    int payloadLength;
    final TcpOptions options = new TcpOptions();

    /** Reads the fields of a checked header. */
    void fill(IpAddress src, IpAddress dst, TcpHeader header) {
        this.src = src;
        this.dst = dst;
        this.srcHigh = FourTuple.high(src);
        this.srcLow = FourTuple.low(src);
        this.dstHigh = FourTuple.high(dst);
        this.dstLow = FourTuple.low(dst);
        this.srcPort = header.srcPort();
        this.dstPort = header.dstPort();
        this.seq = header.seq();
        this.ack = header.ackNumber();
        this.flags = header.flags();
        this.window = header.window();
        this.buffer = header.buffer();
        this.payloadOffset = header.payloadOffset();
        this.payloadLength = header.payloadLength();
    }

    /** The ports of the connection this segment is for (our port first), as {@link FourTuple#ports(int, int)}. */
    int ports() {
        return FourTuple.ports(dstPort, srcPort);
    }

    /** True when the segment came over IPv6. */
    boolean ipv6() {
        return src instanceof org.tcpip4j.netif.Ipv6Address;
    }

    /** True when every bit of {@code mask} is set. */
    boolean has(int mask) {
        return (flags & mask) == mask;
    }

    /** SEG.LEN of RFC 9293 3.4: the payload, plus one for SYN and one for FIN. */
    int sequenceLength() {
        return payloadLength + ((flags & TcpHeader.SYN) != 0 ? 1 : 0) + ((flags & TcpHeader.FIN) != 0 ? 1 : 0);
    }

    /** Drops the buffer reference once processing is over. */
    void release() {
        buffer = null;
        src = null;
        dst = null;
    }

    @Override
    public String toString() {
        return srcPort + ">" + dstPort + " " + TcpHeader.flagsToString(flags) + " seq=" + SeqNum.toString(seq)
            + " ack=" + SeqNum.toString(ack) + " win=" + window + " len=" + payloadLength;
    }
}
