package org.tcpip4j.arp.internal.wire;

import java.nio.ByteBuffer;

/**
 * A flyweight view of an ARP packet for IPv4 over Ethernet (RFC 826) at an absolute
 * offset of a buffer: one reusable object reads and writes the fields in place.
 *
 * <p>{@link #wrap} points the view at bytes; {@link #check} says whether they hold an
 * Ethernet/IPv4 request or reply, after which the getters are safe. {@link #emit} writes
 * a whole packet into a buffer the caller sized.
 *
 * <pre>
 *  0       2       4   5   6       8             14      18            24      28
 * +-------+-------+---+---+-------+-------------+-------+-------------+-------+
 * | htype | ptype |hln|pln| oper  | sender MAC  | s. IP | target MAC  | t. IP |
 * +-------+-------+---+---+-------+-------------+-------+-------------+-------+
 * </pre>
 */
public final class ArpPacket {

    /** Length of an Ethernet/IPv4 ARP packet. */
    public static final int LENGTH = 28;
    /** Operation code of a request (RFC 826 ar$op). */
    public static final int REQUEST = 1;
    /** Operation code of a reply. */
    public static final int REPLY = 2;
    /** Hardware type of Ethernet (ar$hrd). */
    public static final int HARDWARE_ETHERNET = 1;
    /** Protocol type of IPv4 (ar$pro), its ethertype. */
    public static final int PROTOCOL_IPV4 = 0x0800;

    private static final int HTYPE = 0;
    private static final int PTYPE = 2;
    private static final int HLEN = 4;
    private static final int PLEN = 5;
    private static final int OPER = 6;
    private static final int SHA = 8;
    private static final int SPA = 14;
    private static final int THA = 18;
    private static final int TPA = 24;

    private ByteBuffer buffer;
    private int offset;
    private int length;

    /** Points the view at {@code length} bytes of {@code buffer} from {@code offset}. */
    public ArpPacket wrap(ByteBuffer buffer, int offset, int length) {
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        return this;
    }

    /**
     * The first reason the viewed bytes are not an Ethernet/IPv4 request or reply, or
     * {@code null} when they are. Bytes after the 28th (Ethernet padding) are ignored.
     */
    public ArpRejection check() {
        if (length < LENGTH) {
            return ArpRejection.TOO_SHORT;
        }
        if (u16(HTYPE) != HARDWARE_ETHERNET || u8(HLEN) != 6) {
            return ArpRejection.UNSUPPORTED_HARDWARE;
        }
        if (u16(PTYPE) != PROTOCOL_IPV4 || u8(PLEN) != 4) {
            return ArpRejection.UNSUPPORTED_PROTOCOL;
        }
        int op = u16(OPER);
        if (op != REQUEST && op != REPLY) {
            return ArpRejection.UNKNOWN_OPERATION;
        }
        return null;
    }

    /** The hardware type. */
    public int hardwareType() {
        return u16(HTYPE);
    }

    /** The protocol type. */
    public int protocolType() {
        return u16(PTYPE);
    }

    /** The operation: {@link #REQUEST} or {@link #REPLY} once checked. */
    public int operation() {
        return u16(OPER);
    }

    /** The sender's MAC in the low 48 bits. */
    public long senderMac() {
        return mac(SHA);
    }

    /** The sender's IPv4 address. */
    public int senderIp() {
        return buffer.getInt(offset + SPA);
    }

    /** The target's MAC in the low 48 bits (zero in a request). */
    public long targetMac() {
        return mac(THA);
    }

    /** The target's IPv4 address. */
    public int targetIp() {
        return buffer.getInt(offset + TPA);
    }

    /** Writes a whole Ethernet/IPv4 packet with these fields at the view's offset. */
    public void emit(int operation, long senderMac, int senderIp, long targetMac, int targetIp) {
        buffer.putShort(offset + HTYPE, (short) HARDWARE_ETHERNET);
        buffer.putShort(offset + PTYPE, (short) PROTOCOL_IPV4);
        buffer.put(offset + HLEN, (byte) 6);
        buffer.put(offset + PLEN, (byte) 4);
        buffer.putShort(offset + OPER, (short) operation);
        putMac(SHA, senderMac);
        buffer.putInt(offset + SPA, senderIp);
        putMac(THA, targetMac);
        buffer.putInt(offset + TPA, targetIp);
    }

    private int u8(int field) {
        return buffer.get(offset + field) & 0xff;
    }

    private int u16(int field) {
        return buffer.getShort(offset + field) & 0xffff;
    }

    private long mac(int field) {
        int at = offset + field;
        return ((long) (buffer.getShort(at) & 0xffff) << 32) | (buffer.getInt(at + 2) & 0xffff_ffffL);
    }

    private void putMac(int field, long mac) {
        int at = offset + field;
        buffer.putShort(at, (short) (mac >>> 32));
        buffer.putInt(at + 2, (int) mac);
    }
}
