package org.tcpip4j.netif;

import java.nio.ByteBuffer;

/**
 * An IPv4 address held in an int, most significant octet first.
 *
 * @param bits the address as a 32-bit integer in network order (a.b.c.d is a<<24|...|d)
 */
public record Ipv4Address(int bits) implements IpAddress, Comparable<Ipv4Address> {

    /** 0.0.0.0. */
    public static final Ipv4Address ANY = new Ipv4Address(0);
    /** 255.255.255.255. */
    public static final Ipv4Address BROADCAST = new Ipv4Address(-1);
    /** 127.0.0.1. */
    public static final Ipv4Address LOCALHOST = new Ipv4Address(0x7f00_0001);

    /** Parses dotted-quad notation. */
    public static Ipv4Address parse(String text) {
        String[] parts = text.trim().split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("not an IPv4 address: " + text);
        }
        int bits = 0;
        for (String p : parts) {
            int v;
            try {
                if (p.isEmpty() || p.length() > 3) {
                    throw new NumberFormatException(p);
                }
                v = Integer.parseInt(p);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not an IPv4 address: " + text, e);
            }
            if (v < 0 || v > 255) {
                throw new IllegalArgumentException("not an IPv4 address: " + text);
            }
            bits = (bits << 8) | v;
        }
        return new Ipv4Address(bits);
    }

    /** The address of four octets. */
    public static Ipv4Address of(int a, int b, int c, int d) {
        return new Ipv4Address(((a & 0xff) << 24) | ((b & 0xff) << 16) | ((c & 0xff) << 8) | (d & 0xff));
    }

    /** Reads four octets at {@code offset}. */
    public static Ipv4Address read(ByteBuffer buffer, int offset) {
        return new Ipv4Address(buffer.getInt(offset));
    }

    /** Writes the four octets at {@code offset}. */
    public void write(ByteBuffer buffer, int offset) {
        buffer.putInt(offset, bits);
    }

    @Override
    public int version() {
        return 4;
    }

    @Override
    public byte[] toBytes() {
        return new byte[] {(byte) (bits >>> 24), (byte) (bits >>> 16), (byte) (bits >>> 8), (byte) bits};
    }

    @Override
    public boolean isUnspecified() {
        return bits == 0;
    }

    @Override
    public boolean isMulticast() {
        return (bits >>> 28) == 0xe;
    }

    /** True for 255.255.255.255. */
    public boolean isBroadcast() {
        return bits == -1;
    }

    /** The address as an unsigned value. */
    public long toUnsigned() {
        return bits & 0xffff_ffffL;
    }

    @Override
    public int compareTo(Ipv4Address o) {
        return Integer.compareUnsigned(bits, o.bits);
    }

    @Override
    public String toString() {
        return (bits >>> 24) + "." + ((bits >>> 16) & 0xff) + "." + ((bits >>> 8) & 0xff) + "." + (bits & 0xff);
    }
}
