package org.tcpip4j.udp.internal.wire;

import java.nio.ByteBuffer;
import org.tcpip4j.netif.InternetChecksum;

/**
 * A flyweight view of a UDP datagram (RFC 768) at an absolute offset of a buffer: one
 * reusable object reads and writes the header in place.
 *
 * <p>The checksum covers a pseudo-header from the IP layer (addresses, protocol, length),
 * the header and the data; the caller passes the pseudo-header's partial sum
 * ({@code Ip.pseudoheaderChecksum}) so the view stays IP-version neutral.
 *
 * <pre>
 *  0               2               4               6               8
 * +---------------+---------------+---------------+---------------+------ ...
 * | source port   | dest. port    |    length     |   checksum    | data
 * +---------------+---------------+---------------+---------------+------ ...
 * </pre>
 */
public final class UdpPacket {

    /** Length of the header. */
    public static final int HEADER_LENGTH = 8;

    private static final int SOURCE_PORT = 0;
    private static final int DESTINATION_PORT = 2;
    private static final int LENGTH = 4;
    private static final int CHECKSUM = 6;

    private ByteBuffer buffer;
    private int offset;
    private int available;

    /** Points the view at the {@code available} bytes the IP layer delivered, from {@code offset}. */
    public UdpPacket wrap(ByteBuffer buffer, int offset, int available) {
        this.buffer = buffer;
        this.offset = offset;
        this.available = available;
        return this;
    }

    /**
     * The first reason the bytes are not a datagram, or {@code null}: a header must fit,
     * and its length field must cover the header and not exceed what was delivered. Bytes
     * past the length field are allowed (and ignored). The checksum is verified apart.
     */
    public UdpRejection check() {
        if (available < HEADER_LENGTH) {
            return UdpRejection.TOO_SHORT;
        }
        int length = length();
        if (length < HEADER_LENGTH || length > available) {
            return UdpRejection.BAD_LENGTH;
        }
        return null;
    }

    /**
     * True when the checksum verifies over the pseudo-header and the {@link #length()}
     * bytes of the datagram, or when it is zero: RFC 768, "an all zero transmitted checksum
     * value means that the transmitter generated no checksum".
     */
    public boolean checksumValid(long pseudoheaderSum) {
        return checksum() == 0 || InternetChecksum.finish(InternetChecksum.sum(buffer, offset, length(),
                pseudoheaderSum)) == 0;
    }

    /** The source port. */
    public int sourcePort() {
        return buffer.getShort(offset + SOURCE_PORT) & 0xffff;
    }

    /** The destination port. */
    public int destinationPort() {
        return buffer.getShort(offset + DESTINATION_PORT) & 0xffff;
    }

    /** The length field: header and data. */
    public int length() {
        return buffer.getShort(offset + LENGTH) & 0xffff;
    }

    /** The checksum field. */
    public int checksum() {
        return buffer.getShort(offset + CHECKSUM) & 0xffff;
    }

    /** Absolute offset of the data. */
    public int dataOffset() {
        return offset + HEADER_LENGTH;
    }

    /** Writes the ports and the length, with a zero checksum. */
    public void emitHeader(int sourcePort, int destinationPort, int length) {
        buffer.putShort(offset + SOURCE_PORT, (short) sourcePort);
        buffer.putShort(offset + DESTINATION_PORT, (short) destinationPort);
        buffer.putShort(offset + LENGTH, (short) length);
        buffer.putShort(offset + CHECKSUM, (short) 0);
    }

    /**
     * Computes the checksum over the pseudo-header and the {@link #length()} bytes of the
     * datagram (checksum field zero) and writes it; a computed zero is sent as 0xffff
     * (RFC 768: zero would mean "no checksum", and 0xffff is its ones' complement twin).
     */
    public void fillChecksum(long pseudoheaderSum) {
        buffer.putShort(offset + CHECKSUM, (short) 0);
        int c = InternetChecksum.finish(InternetChecksum.sum(buffer, offset, length(), pseudoheaderSum));
        buffer.putShort(offset + CHECKSUM, (short) (c == 0 ? 0xffff : c));
    }
}
