package org.tcpip4j.icmp.internal;

import java.nio.ByteBuffer;
import org.tcpip4j.icmp.internal.wire.IcmpPacket;
import org.tcpip4j.ip.Ip;
import org.tcpip4j.ip.IpError;
import org.tcpip4j.netif.IpAddress;
import org.tcpip4j.netif.PacketWriter;
import org.tcpip4j.netif.Result;

/**
 * Writes one ICMP error message (RFC 792, RFC 4443 3): type, code, the four type-specific
 * bytes (zero but for fragmentation needed's or packet too big's MTU and parameter
 * problem's pointer), then the quoted part of the offending datagram, and the checksum over
 * the whole (and, for ICMPv6, the pseudo-header). Reused.
 */
final class ErrorWriter implements PacketWriter {

    private final IcmpPacket packet = new IcmpPacket();
    private int type;
    private int code;
    private int restOfHeader;
    private ByteBuffer quoted;
    private int from;
    private int length;
    private long pseudoHeader;

    /** Sets the next message: the quote is {@code quoted[from..from+length)}. */
    ErrorWriter set(int type, int code, int restOfHeader, ByteBuffer quoted, int from, int length) {
        return set(type, code, restOfHeader, quoted, from, length, 0);
    }

    /**
     * Sets the next message, whose checksum starts from the partial sum
     * {@code pseudoHeader} (ICMPv6's pseudo-header).
     */
    ErrorWriter set(int type, int code, int restOfHeader, ByteBuffer quoted, int from, int length,
                    long pseudoHeader) {
        this.pseudoHeader = pseudoHeader;
        this.type = type;
        this.code = code;
        this.restOfHeader = restOfHeader;
        this.quoted = quoted;
        this.from = from;
        this.length = length;
        return this;
    }

    /**
     * Writes the message set last from {@code src} (or the IP layer's choice, {@code null})
     * to {@code dst} with the default hop limit, then forgets the quoted buffer.
     */
    Result<IpError> send(Ip ip, IpAddress src, IpAddress dst, int protocol) {
        try {
            return ip.write(src, dst, protocol, -1, true, length(), this);
        } finally {
            release();
        }
    }

    /** The message's length. */
    int length() {
        return IcmpPacket.HEADER_LENGTH + length;
    }

    /** Forgets the quoted buffer, which belongs to the device. */
    void release() {
        quoted = null;
    }

    @Override
    public int write(ByteBuffer buffer, int offset, int maxLength) {
        int total = length();
        if (total > maxLength) {
            return 0;
        }
        buffer.put(offset + IcmpPacket.HEADER_LENGTH, quoted, from, length);
        packet.wrap(buffer, offset, total).emitHeader(type, code, restOfHeader);
        packet.fillChecksum(pseudoHeader);
        return total;
    }
}
