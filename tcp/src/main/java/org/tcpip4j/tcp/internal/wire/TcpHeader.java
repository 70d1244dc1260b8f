package org.tcpip4j.tcp.internal.wire;

import java.nio.ByteBuffer;
import org.tcpip4j.netif.InternetChecksum;

/**
 * A flyweight view of a TCP header in a buffer (RFC 9293 3.1): one reusable object
 * {@link #wrap wraps} a buffer at an offset and reads or writes each field in place, so
 * parsing or building a segment allocates nothing. Indexing is absolute; the buffer's
 * position and limit are neither read nor changed.
 *
 * <p>{@link #check} validates the fixed header of a received segment; the accessors do no
 * checking of their own, so only call them on a checked segment or one being built.
 */
public final class TcpHeader {

    /** The fixed header's length. */
    public static final int MIN_LENGTH = 20;
    /** The longest header: data offset 15 words. */
    public static final int MAX_LENGTH = 60;

    /** No more data from sender. */
    public static final int FIN = 0x01;
    /** Synchronize sequence numbers. */
    public static final int SYN = 0x02;
    /** Reset the connection. */
    public static final int RST = 0x04;
    /** Push function. */
    public static final int PSH = 0x08;
    /** Acknowledgment field is significant. */
    public static final int ACK = 0x10;
    /** Urgent pointer field is significant. */
    public static final int URG = 0x20;
    /** ECN-Echo (RFC 3168). */
    public static final int ECE = 0x40;
    /** Congestion window reduced (RFC 3168). */
    public static final int CWR = 0x80;

    // Field offsets (RFC 9293 3.1, figure 1).
    private static final int SRC_PORT = 0;
    private static final int DST_PORT = 2;
    private static final int SEQ = 4;
    private static final int ACK_NUMBER = 8;
    private static final int DATA_OFFSET = 12;
    private static final int FLAGS = 13;
    private static final int WINDOW = 14;
    private static final int CHECKSUM = 16;
    private static final int URGENT = 18;

    private ByteBuffer buffer;
    private int offset;
    private int length;

    /**
     * Checks that {@code length} bytes at {@code offset} hold a TCP header this stack can
     * read: at least 20 bytes, a data offset of 5 to 15 words inside the segment, and
     * non-zero ports. The options are not looked at ({@link TcpOptions#parse} does).
     *
     * @return {@code null} when the header is sound, else why it is not
     */
    public static TcpRejection check(ByteBuffer buffer, int offset, int length) {
        if (length < MIN_LENGTH || offset < 0 || offset + length > buffer.limit()) {
            return TcpRejection.TOO_SHORT;
        }
        int headerLength = ((buffer.get(offset + DATA_OFFSET) & 0xff) >>> 4) * 4;
        if (headerLength < MIN_LENGTH || headerLength > length) {
            return TcpRejection.BAD_DATA_OFFSET;
        }
        if (buffer.getShort(offset + SRC_PORT) == 0 || buffer.getShort(offset + DST_PORT) == 0) {
            return TcpRejection.BAD_PORT;
        }
        return null;
    }

    /** Views the {@code length} bytes at {@code offset} of {@code buffer} as a segment. */
    public TcpHeader wrap(ByteBuffer buffer, int offset, int length) {
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        return this;
    }

    /** Drops the reference to the buffer, so a reused view does not keep it alive. */
    public void release() {
        buffer = null;
    }

    /** The wrapped buffer. */
    public ByteBuffer buffer() {
        return buffer;
    }

    /** The offset of the header in the buffer. */
    public int offset() {
        return offset;
    }

    /** The whole segment's length, header and payload. */
    public int segmentLength() {
        return length;
    }

    /** The source port. */
    public int srcPort() {
        return buffer.getShort(offset + SRC_PORT) & 0xffff;
    }

    /** Sets the source port. */
    public void srcPort(int port) {
        buffer.putShort(offset + SRC_PORT, (short) port);
    }

    /** The destination port. */
    public int dstPort() {
        return buffer.getShort(offset + DST_PORT) & 0xffff;
    }

    /** Sets the destination port. */
    public void dstPort(int port) {
        buffer.putShort(offset + DST_PORT, (short) port);
    }

    /** The sequence number (32 bits, modular). */
    public int seq() {
        return buffer.getInt(offset + SEQ);
    }

    /** Sets the sequence number. */
    public void seq(int seq) {
        buffer.putInt(offset + SEQ, seq);
    }

    /** The acknowledgment number (32 bits, modular). */
    public int ackNumber() {
        return buffer.getInt(offset + ACK_NUMBER);
    }

    /** Sets the acknowledgment number. */
    public void ackNumber(int ack) {
        buffer.putInt(offset + ACK_NUMBER, ack);
    }

    /** The header length in bytes (data offset times four). */
    public int headerLength() {
        return ((buffer.get(offset + DATA_OFFSET) & 0xff) >>> 4) * 4;
    }

    /** Sets the header length in bytes (a multiple of four, 20 to 60); clears the reserved bits. */
    public void headerLength(int bytes) {
        buffer.put(offset + DATA_OFFSET, (byte) ((bytes / 4) << 4));
    }

    /** The eight control bits (CWR..FIN). */
    public int flags() {
        return buffer.get(offset + FLAGS) & 0xff;
    }

    /** Sets the eight control bits. */
    public void flags(int flags) {
        buffer.put(offset + FLAGS, (byte) flags);
    }

    /** True when every bit of {@code mask} is set. */
    public boolean has(int mask) {
        return (flags() & mask) == mask;
    }

    /** The window field as sent (unscaled). */
    public int window() {
        return buffer.getShort(offset + WINDOW) & 0xffff;
    }

    /** Sets the window field. */
    public void window(int window) {
        buffer.putShort(offset + WINDOW, (short) window);
    }

    /** The checksum field. */
    public int checksum() {
        return buffer.getShort(offset + CHECKSUM) & 0xffff;
    }

    /** Sets the checksum field. */
    public void checksum(int checksum) {
        buffer.putShort(offset + CHECKSUM, (short) checksum);
    }

    /** The urgent pointer. */
    public int urgentPointer() {
        return buffer.getShort(offset + URGENT) & 0xffff;
    }

    /** Sets the urgent pointer. */
    public void urgentPointer(int pointer) {
        buffer.putShort(offset + URGENT, (short) pointer);
    }

    /** The offset of the first option byte in the buffer. */
    public int optionsOffset() {
        return offset + MIN_LENGTH;
    }

    /** The options' length in bytes. */
    public int optionsLength() {
        return headerLength() - MIN_LENGTH;
    }

    /** The offset of the payload in the buffer. */
    public int payloadOffset() {
        return offset + headerLength();
    }

    /** The payload's length in bytes. */
    public int payloadLength() {
        return length - headerLength();
    }

    /**
     * True when the checksum verifies (RFC 9293 3.1: over the pseudo-header, header and
     * payload), given the pseudo-header's partial sum from the IP layer.
     */
    public boolean checksumValid(long pseudoheaderSum) {
        return InternetChecksum.fold16(InternetChecksum.sum(buffer, offset, length, pseudoheaderSum)) == 0xffff;
    }

    /** Computes and stores the checksum of the whole segment; call once every other byte is written. */
    public void fillChecksum(long pseudoheaderSum) {
        checksum(0);
        checksum(InternetChecksum.finish(InternetChecksum.sum(buffer, offset, length, pseudoheaderSum)));
    }

    /** A short text of the control bits, e.g. "SYN|ACK", for logs and test messages. */
    public static String flagsToString(int flags) {
        StringBuilder sb = new StringBuilder();
        String[] names = {"FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR"};
        for (int i = 0; i < names.length; i++) {
            if ((flags & (1 << i)) != 0) {
                if (!sb.isEmpty()) {
                    sb.append('|');
                }
                sb.append(names[i]);
            }
        }
        return sb.isEmpty() ? "-" : sb.toString();
    }
}
