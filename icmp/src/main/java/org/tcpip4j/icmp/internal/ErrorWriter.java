package org.tcpip4j.icmp.internal;

import java.nio.ByteBuffer;
import org.tcpip4j.icmp.internal.wire.IcmpPacket;
import org.tcpip4j.netif.PacketWriter;

/**
 * Writes one ICMP error message (RFC 792): type, code, the four type-specific bytes (zero
 * but for fragmentation needed's next-hop MTU and parameter problem's pointer), then the
 * quoted part of the offending datagram, and the checksum over the whole. Reused.
 */
final class ErrorWriter implements PacketWriter {

    private final IcmpPacket packet = new IcmpPacket();
    private int type;
    private int code;
    private int restOfHeader;
    private ByteBuffer quoted;
    private int from;
    private int length;

    /** Sets the next message: the quote is {@code quoted[from..from+length)}. */
    ErrorWriter set(int type, int code, int restOfHeader, ByteBuffer quoted, int from, int length) {
        this.type = type;
        this.code = code;
        this.restOfHeader = restOfHeader;
        this.quoted = quoted;
        this.from = from;
        this.length = length;
        return this;
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
        packet.fillChecksum();
        return total;
    }
}
