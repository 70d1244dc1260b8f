package org.tcpip4j.ethernet.internal.wire;

import java.nio.ByteBuffer;

/**
 * A flyweight view of an Ethernet II frame (IEEE 802.3 clause 3.1, RFC 894) over a buffer
 * at an absolute offset: one reusable object reads and writes header fields in place,
 * so demultiplexing a frame allocates nothing.
 *
 * <p>{@link #wrap} points the view at bytes without looking at them; {@link #check} says
 * whether they hold a whole header. The getters are safe after a successful check; the
 * setters are for a buffer being written, which the caller sized.
 *
 * <pre>
 *  0                   6                  12      14
 * +-------------------+-------------------+-------+---------- ...
 * | destination MAC   | source MAC        | type  | payload
 * +-------------------+-------------------+-------+---------- ...
 * </pre>
 */
public final class EthernetFrame {

    /** Length of the header: destination, source, ethertype. */
    public static final int HEADER_LENGTH = 14;

    /** Smallest value of the type field that is an ethertype; below it is an 802.3 length. */
    public static final int MIN_ETHERTYPE = 0x0600;

    private static final int DESTINATION = 0;
    private static final int SOURCE = 6;
    private static final int ETHERTYPE = 12;

    private ByteBuffer buffer;
    private int offset;
    private int length;

    /** Points the view at {@code length} bytes of {@code buffer} from {@code offset}. */
    public EthernetFrame wrap(ByteBuffer buffer, int offset, int length) {
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        return this;
    }

    /** The first reason the viewed bytes are not a frame, or {@code null} when they are. */
    public EthernetRejection check() {
        return length < HEADER_LENGTH ? EthernetRejection.RUNT : null;
    }

    /** The destination MAC in the low 48 bits. */
    public long destination() {
        return readMac(offset + DESTINATION);
    }

    /** The source MAC in the low 48 bits. */
    public long source() {
        return readMac(offset + SOURCE);
    }

    /** The ethertype (or, below {@link #MIN_ETHERTYPE}, an 802.3 length). */
    public int etherType() {
        return buffer.getShort(offset + ETHERTYPE) & 0xffff;
    }

    /** Absolute offset of the payload in the buffer. */
    public int payloadOffset() {
        return offset + HEADER_LENGTH;
    }

    /** Bytes after the header: the payload with any padding and trailer. */
    public int payloadLength() {
        return length - HEADER_LENGTH;
    }

    /** Writes the destination MAC (low 48 bits). */
    public void setDestination(long mac) {
        writeMac(offset + DESTINATION, mac);
    }

    /** Writes the source MAC (low 48 bits). */
    public void setSource(long mac) {
        writeMac(offset + SOURCE, mac);
    }

    /** Writes the ethertype. */
    public void setEtherType(int etherType) {
        buffer.putShort(offset + ETHERTYPE, (short) etherType);
    }

    private long readMac(int at) {
        return ((long) (buffer.getShort(at) & 0xffff) << 32) | (buffer.getInt(at + 2) & 0xffff_ffffL);
    }

    private void writeMac(int at, long mac) {
        buffer.putShort(at, (short) (mac >>> 32));
        buffer.putInt(at + 2, (int) mac);
    }
}
