package org.tcpip4j.icmp.internal.wire;

import java.nio.ByteBuffer;
import org.tcpip4j.netif.InternetChecksum;

/**
 * A flyweight view of an ICMPv4 message (RFC 792), or an ICMPv6 one (RFC 4443 2.1, the same
 * layout), at an absolute offset of a buffer: the 8-byte header (type, code, checksum, four
 * bytes whose meaning depends on the type) and the data after it. For echo messages those
 * four bytes are the identifier and the sequence number. An ICMPv6 checksum also covers the
 * IPv6 pseudo-header (RFC 4443 2.3), whose partial sum the checksum methods take.
 *
 * <pre>
 *  0       1       2               4               6               8
 * +-------+-------+---------------+---------------+---------------+------ ...
 * | type  | code  |   checksum    |  identifier   |   sequence    | data
 * +-------+-------+---------------+---------------+---------------+------ ...
 * </pre>
 */
public final class IcmpPacket {

    /** Length of the header. */
    public static final int HEADER_LENGTH = 8;

    private static final int TYPE = 0;
    private static final int CODE = 1;
    private static final int CHECKSUM = 2;
    private static final int REST = 4;
    private static final int IDENTIFIER = 4;
    private static final int SEQUENCE = 6;

    private ByteBuffer buffer;
    private int offset;
    private int length;

    /** Points the view at the {@code length} bytes of one message from {@code offset}. */
    public IcmpPacket wrap(ByteBuffer buffer, int offset, int length) {
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        return this;
    }

    /** {@link IcmpRejection#TOO_SHORT} when the bytes cannot hold a header, else {@code null}. */
    public IcmpRejection check() {
        return length < HEADER_LENGTH ? IcmpRejection.TOO_SHORT : null;
    }

    /** True when the checksum over the whole message verifies (RFC 792: the sum is zero). */
    public boolean checksumValid() {
        return checksumValid(0);
    }

    /**
     * True when the checksum over the whole message, after the partial sum
     * {@code pseudoHeader} (ICMPv6's pseudo-header, RFC 4443 2.3), verifies.
     */
    public boolean checksumValid(long pseudoHeader) {
        return InternetChecksum.finish(InternetChecksum.sum(buffer, offset, length, pseudoHeader)) == 0;
    }

    /** The message type. */
    public int type() {
        return buffer.get(offset + TYPE) & 0xff;
    }

    /** The code, refining the type. */
    public int code() {
        return buffer.get(offset + CODE) & 0xff;
    }

    /** The checksum field. */
    public int checksum() {
        return buffer.getShort(offset + CHECKSUM) & 0xffff;
    }

    /** The four type-specific header bytes as an int. */
    public int restOfHeader() {
        return buffer.getInt(offset + REST);
    }

    /** The identifier of an echo message. */
    public int identifier() {
        return buffer.getShort(offset + IDENTIFIER) & 0xffff;
    }

    /** The sequence number of an echo message. */
    public int sequence() {
        return buffer.getShort(offset + SEQUENCE) & 0xffff;
    }

    /** The length of the whole message. */
    public int length() {
        return length;
    }

    /** Absolute offset of the data after the header. */
    public int dataOffset() {
        return offset + HEADER_LENGTH;
    }

    /** Writes the header fields, leaving the checksum to {@link #fillChecksum}. */
    public void emitHeader(int type, int code, int restOfHeader) {
        buffer.put(offset + TYPE, (byte) type);
        buffer.put(offset + CODE, (byte) code);
        buffer.putShort(offset + CHECKSUM, (short) 0);
        buffer.putInt(offset + REST, restOfHeader);
    }

    /** Sets the type, updating the checksum for the change (RFC 1624) instead of summing again. */
    public void changeType(int type) {
        int oldWord = buffer.getShort(offset + TYPE) & 0xffff;
        buffer.put(offset + TYPE, (byte) type);
        int newWord = buffer.getShort(offset + TYPE) & 0xffff;
        buffer.putShort(offset + CHECKSUM, (short) InternetChecksum.update(checksum(), oldWord, newWord));
    }

    /** Computes the checksum over the whole message (header and data) and writes it. */
    public void fillChecksum() {
        fillChecksum(0);
    }

    /**
     * Computes the checksum over the partial sum {@code pseudoHeader} (ICMPv6's
     * pseudo-header) and the whole message, and writes it.
     */
    public void fillChecksum(long pseudoHeader) {
        buffer.putShort(offset + CHECKSUM, (short) 0);
        buffer.putShort(offset + CHECKSUM,
                (short) InternetChecksum.finish(InternetChecksum.sum(buffer, offset, length, pseudoHeader)));
    }
}
