package org.tcpip4j.tcp.internal;

import java.nio.ByteBuffer;
import org.tcpip4j.ip.Ip;
import org.tcpip4j.ip.IpError;
import org.tcpip4j.ip.IpProtocol;
import org.tcpip4j.netif.InternetChecksum;
import org.tcpip4j.netif.IpAddress;
import org.tcpip4j.netif.PacketWriter;
import org.tcpip4j.netif.Result;
import org.tcpip4j.tcp.internal.wire.TcpHeader;
import org.tcpip4j.tcp.internal.wire.TcpOptions;

/**
 * Builds and sends every segment of one TCP layer: the layer's single {@link PacketWriter},
 * reused for each segment so that sending allocates nothing. The caller describes the
 * segment with {@link #segment}, optionally its {@link #options} and {@link #payload}, then
 * {@link #send}; the IP layer lends the frame buffer and this writer fills the header,
 * options, payload (copied once, straight from the send buffer) and checksum in place.
 *
 * <p>Assumes the IP layer runs the writer before {@code write} returns, as the
 * {@code write ~size fill} contract of the layers below does; the fields describe only
 * the segment being sent. Loop only.
 */
final class SegmentOutput implements PacketWriter {

    private final Ip ip;
    private final TcpCounters counters;
    private final TcpHeader header = new TcpHeader();

    private int srcPort;
    private int dstPort;
    private int seq;
    private int ack;
    private int flags;
    private int window;
    private final TcpOptions options = new TcpOptions();
    private SendBuffer payload;
    private int payloadFrom;
    private int payloadLength;
    private long pseudoheaderSum;
    private int length;
    /** True when the device under the segment being sent completes its checksum. */
    private boolean partialChecksum;
    // The last destination asked about, by identity (connections keep theirs), and its answer.
    private IpAddress offloadsFor;
    private boolean offloadsTxChecksum;

    SegmentOutput(Ip ip, TcpCounters counters) {
        this.ip = ip;
        this.counters = counters;
    }

    /** Starts a segment without options or payload. */
    SegmentOutput segment(int srcPort, int dstPort, int seq, int ack, int flags, int window) {
        this.srcPort = srcPort;
        this.dstPort = dstPort;
        this.seq = seq;
        this.ack = ack;
        this.flags = flags;
        this.window = window;
        this.options.clear();
        this.payload = null;
        this.payloadFrom = 0;
        this.payloadLength = 0;
        return this;
    }

    /** The options of the segment being described, empty after {@link #segment}. */
    TcpOptions options() {
        return options;
    }

    /** Adds {@code length} bytes of {@code buffer}, starting {@code from} bytes after its first. */
    SegmentOutput payload(SendBuffer buffer, int from, int length) {
        this.payload = length > 0 ? buffer : null;
        this.payloadFrom = from;
        this.payloadLength = length;
        return this;
    }

    /**
     * Sends the segment described from {@code src} to {@code dst} with Don't Fragment set
     * (RFC 1191 6.1, RFC 9293 3.7.2): a router that cannot forward it whole answers with
     * "fragmentation needed" and the connection lowers its MSS; one that the IP layer's
     * path MTU already says is too large fails with {@link IpError.WouldFragment}.
     */
    Result<IpError> send(IpAddress src, IpAddress dst) {
        int optionsLength = options.encodedLength();
        length = TcpHeader.MIN_LENGTH + optionsLength + payloadLength;
        pseudoheaderSum = ip.pseudoheaderChecksum(src, dst, IpProtocol.TCP, length);
        partialChecksum = txChecksumOffloaded(dst);
        Result<IpError> result = ip.write(src, dst, IpProtocol.TCP, -1, false, length, this);
        payload = null;
        counters.txSegments.increment();
        if (!result.isOk()) {
            counters.txErrors.increment();
        }
        return result;
    }

    @Override
    public int write(ByteBuffer buffer, int offset, int maxLength) {
        if (maxLength < length) {
            return 0; // the layer below lent less room than asked for: send nothing
        }
        int optionsLength = length - TcpHeader.MIN_LENGTH - payloadLength;
        header.wrap(buffer, offset, length);
        header.srcPort(srcPort);
        header.dstPort(dstPort);
        header.seq(seq);
        header.ackNumber((flags & TcpHeader.ACK) != 0 ? ack : 0);
        header.headerLength(TcpHeader.MIN_LENGTH + optionsLength);
        header.flags(flags);
        header.window(window);
        header.checksum(0);
        header.urgentPointer(0);
        if (optionsLength > 0) {
            options.write(buffer, offset + TcpHeader.MIN_LENGTH);
        }
        int headerLength = TcpHeader.MIN_LENGTH + optionsLength;
        if (partialChecksum) {
            // NetifOffloads: the device completes the sum over header and payload.
            if (payloadLength > 0) {
                payload.copyTo(payloadFrom, payloadLength, buffer, offset + headerLength);
            }
            header.checksum(InternetChecksum.fold16(pseudoheaderSum));
        } else if (payloadLength > 0) {
            // The payload's sum is taken as it is copied; the header (a multiple of four
            // bytes long, so the payload's words line up) is summed apart.
            long payloadSum = payload.copyToAndSum(payloadFrom, payloadLength, buffer, offset + headerLength);
            long headerSum = InternetChecksum.sum(buffer, offset, headerLength, pseudoheaderSum);
            header.checksum(InternetChecksum.finish(InternetChecksum.fold16(headerSum) + InternetChecksum.fold16(payloadSum)));
        } else {
            header.fillChecksum(pseudoheaderSum);
        }
        header.release();
        return length;
    }

    /** True when the device towards {@code dst} completes TCP checksums ({@link Ip#offloads}). */
    private boolean txChecksumOffloaded(IpAddress dst) {
        if (dst != offloadsFor) {
            offloadsFor = dst;
            offloadsTxChecksum = ip.offloads(dst).txTcpChecksum();
        }
        return offloadsTxChecksum;
    }
}
