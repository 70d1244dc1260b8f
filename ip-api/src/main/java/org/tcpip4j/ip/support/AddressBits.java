package org.tcpip4j.ip.support;

/**
 * The 128-bit keys the shared tables use for addresses of either version: an IPv6 address
 * as its two longs, an IPv4 address as the IPv4-mapped IPv6 address {@code ::ffff:a.b.c.d}
 * (RFC 4291 2.5.5.2), whose high long is zero. Nothing allocates.
 */
public final class AddressBits {

    private static final long MAPPED_PREFIX = 0x0000_ffff_0000_0000L;

    private AddressBits() {
    }

    /** The high long of an IPv4 address's key: zero. */
    public static long ipv4High() {
        return 0;
    }

    /** The low long of the key of the IPv4 address {@code bits}. */
    public static long ipv4Low(int bits) {
        return MAPPED_PREFIX | (bits & 0xffff_ffffL);
    }

    /** Whether the key {@code high:low} is an IPv4 address's. */
    public static boolean isIpv4(long high, long low) {
        return high == 0 && (low & 0xffff_ffff_0000_0000L) == MAPPED_PREFIX;
    }
}
