package org.tcpip4j.icmp.internal.wire;

import java.nio.ByteBuffer;

/**
 * An ICMPv4 header as a plain value (RFC 792), with a total {@link #parse} and an
 * {@link #emit}. The checksum covers the data too, so emitting writes the header in front
 * of data the caller already placed, then checksums the whole.
 *
 * @param type the message type ({@link IcmpType})
 * @param code the code
 * @param restOfHeader the four type-specific bytes (identifier and sequence for echo)
 * @param dataLength the bytes after the header
 */
public record IcmpHeader(int type, int code, int restOfHeader, int dataLength) implements IcmpParseResult {

    /** Checks the fields. */
    public IcmpHeader {
        if (type < 0 || type > 255 || code < 0 || code > 255 || dataLength < 0) {
            throw new IllegalArgumentException("type " + type + ", code " + code + ", data " + dataLength);
        }
    }

    /** An echo request (type 8) or reply (type 0) header. */
    public static IcmpHeader echo(int type, int identifier, int sequence, int dataLength) {
        return new IcmpHeader(type, 0, (identifier & 0xffff) << 16 | (sequence & 0xffff), dataLength);
    }

    /** The identifier of an echo message: the high half of the type-specific bytes. */
    public int identifier() {
        return restOfHeader >>> 16;
    }

    /** The sequence number of an echo message: the low half. */
    public int sequence() {
        return restOfHeader & 0xffff;
    }

    /** Parses the message at {@code buffer}'s position..limit, verifying its checksum. Never throws. */
    public static IcmpParseResult parse(ByteBuffer buffer) {
        IcmpPacket p = new IcmpPacket().wrap(buffer, buffer.position(), buffer.remaining());
        IcmpRejection rejection = p.check();
        if (rejection != null) {
            return rejection;
        }
        if (!p.checksumValid()) {
            return IcmpRejection.BAD_CHECKSUM;
        }
        return new IcmpHeader(p.type(), p.code(), p.restOfHeader(), p.length() - IcmpPacket.HEADER_LENGTH);
    }

    /** Bytes {@link #emit} writes and checksums: header and data. */
    public int bufferLength() {
        return IcmpPacket.HEADER_LENGTH + dataLength;
    }

    /**
     * Writes the header at {@code buffer[offset..]} in front of the {@link #dataLength}
     * bytes of data already there, and the checksum over both.
     */
    public void emit(ByteBuffer buffer, int offset) {
        IcmpPacket p = new IcmpPacket().wrap(buffer, offset, bufferLength());
        p.emitHeader(type, code, restOfHeader);
        p.fillChecksum();
    }
}
