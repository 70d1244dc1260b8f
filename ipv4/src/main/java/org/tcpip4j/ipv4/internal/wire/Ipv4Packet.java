package org.tcpip4j.ipv4.internal.wire;

import java.nio.ByteBuffer;
import org.tcpip4j.netif.InternetChecksum;

/**
 * A flyweight view of an IPv4 datagram (RFC 791 3.1) at an absolute offset of a buffer:
 * one reusable object reads and writes header fields in place, so receiving a datagram
 * allocates nothing.
 *
 * <p>{@link #wrap} points the view at bytes; {@link #check} says whether they hold a
 * well-formed header whose total length fits in them, after which every getter is safe.
 * The checksum is verified apart ({@link #checksumValid}) so that it can be counted apart.
 *
 * <pre>
 *  0               1               2               3
 * +-------+-------+---------------+-------------------------------+
 * |Version|  IHL  |      TOS      |         Total Length          |
 * +-------+-------+---------------+-----+-------------------------+
 * |        Identification         |Flags|    Fragment Offset      |
 * +---------------+---------------+-----+-------------------------+
 * |      TTL      |   Protocol    |        Header Checksum        |
 * +---------------+---------------+-------------------------------+
 * |                        Source Address                         |
 * +---------------------------------------------------------------+
 * |                     Destination Address                       |
 * +---------------------------------------------------------------+
 * |                    Options (IHL > 5) ...                      |
 * </pre>
 */
public final class Ipv4Packet {

    /** Length of a header without options. */
    public static final int HEADER_LENGTH = 20;
    /** The largest datagram, header included (the total length field has 16 bits). */
    public static final int MAX_LENGTH = 65_535;
    /** The largest payload of a datagram with a 20-byte header. */
    public static final int MAX_PAYLOAD = MAX_LENGTH - HEADER_LENGTH;

    private static final int VERSION_IHL = 0;
    private static final int TOS = 1;
    private static final int TOTAL_LENGTH = 2;
    private static final int IDENTIFICATION = 4;
    private static final int FLAGS_FRAGMENT = 6;
    private static final int TTL = 8;
    private static final int PROTOCOL = 9;
    private static final int CHECKSUM = 10;
    private static final int SOURCE = 12;
    private static final int DESTINATION = 16;

    private static final int FLAG_DF = 0x4000;
    private static final int FLAG_MF = 0x2000;
    private static final int OFFSET_MASK = 0x1fff;

    private ByteBuffer buffer;
    private int offset;
    private int length;

    /** Points the view at {@code length} bytes of {@code buffer} from {@code offset}. */
    public Ipv4Packet wrap(ByteBuffer buffer, int offset, int length) {
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        return this;
    }

    /**
     * The first reason the viewed bytes are not an IPv4 datagram, or {@code null} when
     * they are. Bytes after the total length (link padding) are allowed; the checksum is
     * not verified here.
     */
    public Ipv4Rejection check() {
        if (length < HEADER_LENGTH) {
            return Ipv4Rejection.TOO_SHORT;
        }
        if (version() != 4) {
            return Ipv4Rejection.BAD_VERSION;
        }
        int headerLength = headerLength();
        if (headerLength < HEADER_LENGTH || headerLength > length) {
            return Ipv4Rejection.BAD_HEADER_LENGTH;
        }
        int total = totalLength();
        if (total < headerLength || total > length) {
            return Ipv4Rejection.BAD_TOTAL_LENGTH;
        }
        if (headerLength > HEADER_LENGTH && findOption(-1) == MALFORMED) {
            return Ipv4Rejection.BAD_OPTIONS;
        }
        return null;
    }

    /** Option type: end of option list (RFC 791 3.1). */
    public static final int OPTION_END = 0;
    /** Option type: no operation. */
    public static final int OPTION_NOP = 1;
    /** Option type: loose source and record route. */
    public static final int OPTION_LSRR = 0x83;
    /** Option type: strict source and record route. */
    public static final int OPTION_SSRR = 0x89;

    private static final int MALFORMED = -2;

    /**
     * True when the checked header carries a source route option (loose or strict): such
     * datagrams are refused by default by hosts (RFC 7126 4.3, Linux's
     * {@code accept_source_route=0}), as they let a sender steer replies through hosts of
     * its choosing.
     */
    public boolean hasSourceRoute() {
        return headerLength() > HEADER_LENGTH && (findOption(OPTION_LSRR) >= 0 || findOption(OPTION_SSRR) >= 0);
    }

    /**
     * Walks the options (RFC 791 3.1: end of list and no-operation are one byte; every
     * other option is type, length, data): the absolute offset of the first option of
     * {@code type}, -1 when there is none, {@code MALFORMED} when the options do not parse.
     */
    private int findOption(int type) {
        int end = offset + headerLength();
        int at = offset + HEADER_LENGTH;
        while (at < end) {
            int t = buffer.get(at) & 0xff;
            if (t == OPTION_END) {
                return -1;
            }
            if (t == OPTION_NOP) {
                at++;
                continue;
            }
            if (at + 1 >= end) {
                return MALFORMED;
            }
            int length = buffer.get(at + 1) & 0xff;
            if (length < 2 || at + length > end) {
                return MALFORMED;
            }
            if (t == type) {
                return at;
            }
            at += length;
        }
        return -1;
    }

    /** True when the header checksum verifies (RFC 791 3.1: the sum over the header is zero). */
    public boolean checksumValid() {
        return InternetChecksum.compute(buffer, offset, headerLength()) == 0;
    }

    /** The version field. */
    public int version() {
        return (buffer.get(offset + VERSION_IHL) & 0xf0) >>> 4;
    }

    /** The header length in bytes (IHL times four), options included. */
    public int headerLength() {
        return (buffer.get(offset + VERSION_IHL) & 0x0f) * 4;
    }

    /** The type of service (DSCP and ECN) octet. */
    public int tos() {
        return buffer.get(offset + TOS) & 0xff;
    }

    /** The total length: header and payload. */
    public int totalLength() {
        return buffer.getShort(offset + TOTAL_LENGTH) & 0xffff;
    }

    /** The identification shared by the fragments of one datagram. */
    public int identification() {
        return buffer.getShort(offset + IDENTIFICATION) & 0xffff;
    }

    /** The don't-fragment flag. */
    public boolean dontFragment() {
        return (flagsAndOffset() & FLAG_DF) != 0;
    }

    /** The more-fragments flag. */
    public boolean moreFragments() {
        return (flagsAndOffset() & FLAG_MF) != 0;
    }

    /** The fragment offset in bytes (the field counts eight-byte blocks). */
    public int fragmentOffset() {
        return (flagsAndOffset() & OFFSET_MASK) * 8;
    }

    /** True for a fragment: more fragments follow, or it does not start at offset zero. */
    public boolean isFragment() {
        return (flagsAndOffset() & (FLAG_MF | OFFSET_MASK)) != 0;
    }

    /** The time to live. */
    public int ttl() {
        return buffer.get(offset + TTL) & 0xff;
    }

    /** The protocol of the payload. */
    public int protocol() {
        return buffer.get(offset + PROTOCOL) & 0xff;
    }

    /** The header checksum field. */
    public int checksum() {
        return buffer.getShort(offset + CHECKSUM) & 0xffff;
    }

    /** The source address as an int. */
    public int source() {
        return buffer.getInt(offset + SOURCE);
    }

    /** The destination address as an int. */
    public int destination() {
        return buffer.getInt(offset + DESTINATION);
    }

    /** Absolute offset of the datagram's first byte. */
    public int offset() {
        return offset;
    }

    /** Absolute offset of the payload: after the header and its options. */
    public int payloadOffset() {
        return offset + headerLength();
    }

    /** The payload length: the total length less the header. */
    public int payloadLength() {
        return totalLength() - headerLength();
    }

    /**
     * Writes a 20-byte header without options, its checksum included.
     *
     * @param fragmentOffset the offset in bytes, a multiple of eight
     */
    public void emit(int tos, int totalLength, int identification, boolean dontFragment, boolean moreFragments,
                     int fragmentOffset, int ttl, int protocol, int source, int destination) {
        buffer.put(offset + VERSION_IHL, (byte) 0x45);
        buffer.put(offset + TOS, (byte) tos);
        buffer.putShort(offset + TOTAL_LENGTH, (short) totalLength);
        buffer.putShort(offset + IDENTIFICATION, (short) identification);
        int flags = (dontFragment ? FLAG_DF : 0) | (moreFragments ? FLAG_MF : 0);
        buffer.putShort(offset + FLAGS_FRAGMENT, (short) (flags | (fragmentOffset >>> 3)));
        buffer.put(offset + TTL, (byte) ttl);
        buffer.put(offset + PROTOCOL, (byte) protocol);
        buffer.putInt(offset + SOURCE, source);
        buffer.putInt(offset + DESTINATION, destination);
        fillChecksum();
    }

    /** Sets the total length field (the checksum must be filled again after). */
    public void setTotalLength(int totalLength) {
        buffer.putShort(offset + TOTAL_LENGTH, (short) totalLength);
    }

    /** Clears the more-fragments flag and the fragment offset, keeping DF. */
    public void clearFragmentation() {
        buffer.putShort(offset + FLAGS_FRAGMENT, (short) (flagsAndOffset() & FLAG_DF));
    }

    /** Computes the header checksum over the header and its options and writes it. */
    public void fillChecksum() {
        buffer.putShort(offset + CHECKSUM, (short) 0);
        buffer.putShort(offset + CHECKSUM, (short) InternetChecksum.compute(buffer, offset, headerLength()));
    }

    private int flagsAndOffset() {
        return buffer.getShort(offset + FLAGS_FRAGMENT) & 0xffff;
    }
}
