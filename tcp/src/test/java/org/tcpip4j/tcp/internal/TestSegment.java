package org.tcpip4j.tcp.internal;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.tcpip4j.ip.IpProtocol;
import org.tcpip4j.netif.IpAddress;
import org.tcpip4j.tcp.internal.wire.TcpHeader;
import org.tcpip4j.tcp.internal.wire.TcpOptions;

/**
 * A TCP segment as a plain value for tests: built and encoded (with a correct checksum)
 * to inject, or parsed from what TCP wrote, to compare field by field.
 */
final class TestSegment {

    int srcPort;
    int dstPort;
    int seq;
    int ack;
    int flags;
    int window = 65535;
    int mss = -1;
    int windowScale = -1;
    boolean sackPermitted;
    /** TSval and TSecr when {@link #timestamps} is set (RFC 7323). */
    boolean timestamps;
    int tsVal;
    int tsEcr;
    /** SACK blocks as [start, end) pairs (RFC 2018). */
    int[] sack = new int[0];
    byte[] payload = new byte[0];
    boolean corruptChecksum;

    static TestSegment of(int srcPort, int dstPort, int flags, int seq, int ack) {
        TestSegment s = new TestSegment();
        s.srcPort = srcPort;
        s.dstPort = dstPort;
        s.flags = flags;
        s.seq = seq;
        s.ack = ack;
        return s;
    }

    TestSegment window(int w) {
        this.window = w;
        return this;
    }

    TestSegment mss(int m) {
        this.mss = m;
        return this;
    }

    TestSegment windowScale(int ws) {
        this.windowScale = ws;
        return this;
    }

    TestSegment sackPermitted() {
        this.sackPermitted = true;
        return this;
    }

    TestSegment ts(int value, int echo) {
        this.timestamps = true;
        this.tsVal = value;
        this.tsEcr = echo;
        return this;
    }

    /** SACK blocks, given as start, end, start, end... */
    TestSegment sack(int... edges) {
        this.sack = edges.clone();
        return this;
    }

    TestSegment payload(byte[] data) {
        this.payload = data;
        return this;
    }

    TestSegment payload(String text) {
        return payload(text.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    TestSegment corrupt() {
        this.corruptChecksum = true;
        return this;
    }

    /** The encoded segment, checksummed for {@code src} to {@code dst}. */
    ByteBuffer encode(IpAddress src, IpAddress dst) {
        TcpOptions o = options();
        int optionsLength = o.encodedLength();
        int length = TcpHeader.MIN_LENGTH + optionsLength + payload.length;
        ByteBuffer b = ByteBuffer.allocate(length);
        TcpHeader h = new TcpHeader().wrap(b, 0, length);
        h.srcPort(srcPort);
        h.dstPort(dstPort);
        h.seq(seq);
        h.ackNumber(ack);
        h.headerLength(TcpHeader.MIN_LENGTH + optionsLength);
        h.flags(flags);
        h.window(window);
        o.write(b, TcpHeader.MIN_LENGTH);
        b.put(TcpHeader.MIN_LENGTH + optionsLength, payload);
        h.fillChecksum(CapturingIp.pseudoheader(src, dst, IpProtocol.TCP, length));
        if (corruptChecksum) {
            h.checksum(h.checksum() ^ 0x0101);
        }
        return b;
    }

    private TcpOptions options() {
        TcpOptions o = new TcpOptions().mss(mss).windowScale(windowScale).sackPermitted(sackPermitted);
        if (timestamps) {
            o.timestamps(tsVal, tsEcr);
        }
        for (int i = 0; i + 1 < sack.length; i += 2) {
            o.addSackBlock(sack[i], sack[i + 1]);
        }
        return o;
    }

    /** Parses a segment TCP wrote. */
    static TestSegment parse(ByteBuffer b) {
        TcpHeader h = new TcpHeader().wrap(b, 0, b.remaining());
        if (TcpHeader.check(b, 0, b.remaining()) != null) {
            throw new AssertionError("TCP wrote a malformed segment");
        }
        TestSegment s = of(h.srcPort(), h.dstPort(), h.flags(), h.seq(), h.ackNumber());
        s.window = h.window();
        TcpOptions o = new TcpOptions();
        if (o.parse(b, h.optionsOffset(), h.optionsLength()) != null) {
            throw new AssertionError("TCP wrote malformed options");
        }
        s.mss = o.mss();
        s.windowScale = o.windowScale();
        s.sackPermitted = o.sackPermitted();
        if (o.hasTimestamps()) {
            s.ts(o.timestampValue(), o.timestampEcho());
        }
        s.sack = new int[2 * o.sackBlockCount()];
        for (int i = 0; i < o.sackBlockCount(); i++) {
            s.sack[2 * i] = o.sackStart(i);
            s.sack[2 * i + 1] = o.sackEnd(i);
        }
        s.payload = new byte[h.payloadLength()];
        b.get(h.payloadOffset(), s.payload);
        return s;
    }

    boolean has(int mask) {
        return (flags & mask) == mask;
    }

    /** SEG.LEN. */
    int sequenceLength() {
        return payload.length + (has(TcpHeader.SYN) ? 1 : 0) + (has(TcpHeader.FIN) ? 1 : 0);
    }

    @Override
    public String toString() {
        return srcPort + ">" + dstPort + " " + TcpHeader.flagsToString(flags) + " seq=" + Integer.toUnsignedString(seq)
            + " ack=" + Integer.toUnsignedString(ack) + " win=" + window + " len=" + payload.length
            + (mss >= 0 ? " mss=" + mss : "") + (windowScale >= 0 ? " ws=" + windowScale : "")
            + (sackPermitted ? " sackOK" : "")
            + (timestamps ? " ts=" + Integer.toUnsignedString(tsVal) + "/" + Integer.toUnsignedString(tsEcr) : "")
            + (sack.length > 0 ? " sack=" + sackText() : "");
    }

    private String sackText() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i + 1 < sack.length; i += 2) {
            sb.append(i == 0 ? "" : ",").append(Integer.toUnsignedString(sack[i])).append('-')
                .append(Integer.toUnsignedString(sack[i + 1]));
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TestSegment t && t.srcPort == srcPort && t.dstPort == dstPort && t.seq == seq
            && t.ack == ack && t.flags == flags && t.window == window && t.mss == mss
            && t.windowScale == windowScale && t.sackPermitted == sackPermitted && t.timestamps == timestamps
            && t.tsVal == tsVal && t.tsEcr == tsEcr && Arrays.equals(t.sack, sack) && Arrays.equals(t.payload, payload);
    }

    @Override
    public int hashCode() {
        return seq;
    }
}
