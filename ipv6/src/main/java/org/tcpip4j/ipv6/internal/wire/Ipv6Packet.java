package org.tcpip4j.ipv6.internal.wire;

import java.nio.ByteBuffer;

/**
 * A flyweight view of the fixed header of an IPv6 datagram (RFC 8200 3) at an absolute
 * offset of a buffer: one reusable object reads and writes fields in place, so receiving a
 * datagram allocates nothing.
 *
 * <pre>
 *  0               1               2               3
 * +-------+-------+-------+-------+-------------------------------+
 * |Version| Traffic Class |           Flow Label                  |
 * +-------+---------------+-------+---------------+---------------+
 * |         Payload Length        |  Next Header  |   Hop Limit   |
 * +-------------------------------+---------------+---------------+
 * |                    Source Address (128 bits)                  |
 * +---------------------------------------------------------------+
 * |                 Destination Address (128 bits)                |
 * +---------------------------------------------------------------+
 * </pre>
 */
public final class Ipv6Packet {

    /** Length of the fixed header. */
    public static final int HEADER_LENGTH = 40;
    /** The largest payload (the payload length field has 16 bits; no jumbograms, RFC 2675). */
    public static final int MAX_PAYLOAD = 65_535;
    /** Offset of the payload length field, the pointer of a parameter problem about it. */
    public static final int PAYLOAD_LENGTH = 4;
    /** Offset of the first next header field. */
    public static final int NEXT_HEADER = 6;
    /** Offset of the hop limit. */
    public static final int HOP_LIMIT = 7;
    /** Offset of the source address. */
    public static final int SOURCE = 8;
    /** Offset of the destination address. */
    public static final int DESTINATION = 24;

    private ByteBuffer buffer;
    private int offset;
    private int length;

    /** Points the view at {@code length} bytes of {@code buffer} from {@code offset}. */
    public Ipv6Packet wrap(ByteBuffer buffer, int offset, int length) {
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        return this;
    }

    /**
     * The first reason the viewed bytes are not an IPv6 datagram, or {@code null} when they
     * are: a fixed header whose payload length fits in the bytes (bytes after it, link
     * padding, are allowed). A payload length of zero is taken as it is: jumbograms (RFC 2675)
     * are not supported.
     */
    public Ipv6Rejection check() {
        if (length < HEADER_LENGTH) {
            return Ipv6Rejection.TOO_SHORT;
        }
        if (version() != 6) {
            return Ipv6Rejection.BAD_VERSION;
        }
        if (payloadLength() > length - HEADER_LENGTH) {
            return Ipv6Rejection.BAD_PAYLOAD_LENGTH;
        }
        return null;
    }

    /** The version field. */
    public int version() {
        return (buffer.get(offset) & 0xf0) >>> 4;
    }

    /** The traffic class (DSCP and ECN). */
    public int trafficClass() {
        return (buffer.getShort(offset) >>> 4) & 0xff;
    }

    /** The flow label, 20 bits. */
    public int flowLabel() {
        return buffer.getInt(offset) & 0xf_ffff;
    }

    /** The payload length: every byte after the fixed header, extension headers included. */
    public int payloadLength() {
        return buffer.getShort(offset + PAYLOAD_LENGTH) & 0xffff;
    }

    /** The next header field of the fixed header. */
    public int nextHeader() {
        return buffer.get(offset + NEXT_HEADER) & 0xff;
    }

    /** The hop limit. */
    public int hopLimit() {
        return buffer.get(offset + HOP_LIMIT) & 0xff;
    }

    /** The first 64 bits of the source address. */
    public long sourceHigh() {
        return buffer.getLong(offset + SOURCE);
    }

    /** The last 64 bits of the source address. */
    public long sourceLow() {
        return buffer.getLong(offset + SOURCE + 8);
    }

    /** The first 64 bits of the destination address. */
    public long destinationHigh() {
        return buffer.getLong(offset + DESTINATION);
    }

    /** The last 64 bits of the destination address. */
    public long destinationLow() {
        return buffer.getLong(offset + DESTINATION + 8);
    }

    /** Absolute offset of the datagram's first byte. */
    public int offset() {
        return offset;
    }

    /** Absolute offset of the end of the datagram: the fixed header and the payload length. */
    public int end() {
        return offset + HEADER_LENGTH + payloadLength();
    }

    /**
     * Writes the fixed header.
     *
     * @param flowLabel 20 bits
     */
    public void emit(int trafficClass, int flowLabel, int payloadLength, int nextHeader, int hopLimit,
                     long sourceHigh, long sourceLow, long destinationHigh, long destinationLow) {
        buffer.putInt(offset, (6 << 28) | ((trafficClass & 0xff) << 20) | (flowLabel & 0xf_ffff));
        buffer.putShort(offset + PAYLOAD_LENGTH, (short) payloadLength);
        buffer.put(offset + NEXT_HEADER, (byte) nextHeader);
        buffer.put(offset + HOP_LIMIT, (byte) hopLimit);
        buffer.putLong(offset + SOURCE, sourceHigh);
        buffer.putLong(offset + SOURCE + 8, sourceLow);
        buffer.putLong(offset + DESTINATION, destinationHigh);
        buffer.putLong(offset + DESTINATION + 8, destinationLow);
    }

    /** Sets the payload length field. */
    public void setPayloadLength(int payloadLength) {
        buffer.putShort(offset + PAYLOAD_LENGTH, (short) payloadLength);
    }
}
