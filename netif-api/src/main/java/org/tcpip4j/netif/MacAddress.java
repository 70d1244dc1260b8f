package org.tcpip4j.netif;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.random.RandomGenerator;

/**
 * A 48-bit IEEE 802 MAC address, held in the low 48 bits of a long.
 *
 * @param bits the address, most significant octet first, in bits 47..0
 */
public record MacAddress(long bits) {

    /** ff:ff:ff:ff:ff:ff. */
    public static final MacAddress BROADCAST = new MacAddress(0xffff_ffff_ffffL);
    /** 00:00:00:00:00:00. */
    public static final MacAddress ZERO = new MacAddress(0);

    public MacAddress {
        if ((bits & ~0xffff_ffff_ffffL) != 0) {
            throw new IllegalArgumentException("a MAC address has 48 bits: " + Long.toHexString(bits));
        }
    }

    /** Parses {@code aa:bb:cc:dd:ee:ff} (or with dashes). */
    public static MacAddress parse(String text) {
        String[] parts = text.trim().split("[:-]");
        if (parts.length != 6) {
            throw new IllegalArgumentException("not a MAC address: " + text);
        }
        long bits = 0;
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 2) {
                throw new IllegalArgumentException("not a MAC address: " + text);
            }
            try {
                bits = (bits << 8) | Integer.parseInt(p, 16);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a MAC address: " + text, e);
            }
        }
        return new MacAddress(bits);
    }

    /** A random unicast, locally administered address (bit 1 of the first octet set). */
    public static MacAddress randomLocal(RandomGenerator random) {
        long bits = random.nextLong() & 0xffff_ffff_ffffL;
        bits &= ~(0x01L << 40); // unicast
        bits |= 0x02L << 40; // locally administered
        return new MacAddress(bits);
    }

    /** Reads six octets at {@code offset}. */
    public static MacAddress read(ByteBuffer buffer, int offset) {
        return new MacAddress(readBits(buffer, offset));
    }

    /** Reads six octets at {@code offset} as the low 48 bits of a long, allocating nothing. */
    public static long readBits(ByteBuffer buffer, int offset) {
        return ((long) (buffer.getShort(offset) & 0xffff) << 32) | (buffer.getInt(offset + 2) & 0xffff_ffffL);
    }

    /** Writes the six octets at {@code offset}. */
    public void write(ByteBuffer buffer, int offset) {
        writeBits(buffer, offset, bits);
    }

    /** Writes the low 48 bits of {@code bits} as six octets at {@code offset}. */
    public static void writeBits(ByteBuffer buffer, int offset, long bits) {
        buffer.putShort(offset, (short) (bits >>> 32));
        buffer.putInt(offset + 2, (int) bits);
    }

    /** True for ff:ff:ff:ff:ff:ff. */
    public boolean isBroadcast() {
        return bits == BROADCAST.bits;
    }

    /** True when the group bit (least significant bit of the first octet) is set. */
    public boolean isMulticast() {
        return (bits & (0x01L << 40)) != 0;
    }

    /** The six octets. */
    public byte[] toBytes() {
        byte[] b = new byte[6];
        for (int i = 0; i < 6; i++) {
            b[i] = (byte) (bits >>> (40 - 8 * i));
        }
        return b;
    }

    @Override
    public String toString() {
        return HexFormat.ofDelimiter(":").formatHex(toBytes());
    }
}
