package org.tcpip4j.netif;

import java.nio.ByteBuffer;

/**
 * An IPv6 address (RFC 4291): 128 bits held as two longs, most significant first, with the
 * zone (scope) of a link-local address (RFC 4007 11: {@code fe80::1%2}, a numeric zone, 0 for
 * none). Parsed in every text form of RFC 4291 2.2 (groups, one {@code ::}, a trailing
 * dotted IPv4 address) and printed in the one form RFC 5952 recommends: lower case, no
 * leading zeros, the longest run of two or more zero groups (the first of equal runs) as
 * {@code ::}, and IPv4-mapped addresses with their dotted quad (RFC 5952 5).
 *
 * @param high the first 64 bits
 * @param low the last 64 bits
 * @param zone the zone index of a link-local address; 0 otherwise
 */
public record Ipv6Address(long high, long low, int zone) implements IpAddress, Comparable<Ipv6Address> {

    /** The unspecified address, {@code ::}. */
    public static final Ipv6Address ANY = new Ipv6Address(0, 0);
    /** The loopback address, {@code ::1}. */
    public static final Ipv6Address LOOPBACK = new Ipv6Address(0, 1);
    /** All nodes on the link, {@code ff02::1}. */
    public static final Ipv6Address ALL_NODES = new Ipv6Address(0xff02L << 48, 1);
    /** All routers on the link, {@code ff02::2}. */
    public static final Ipv6Address ALL_ROUTERS = new Ipv6Address(0xff02L << 48, 2);

    /** Checks that only a link-local or link-scoped multicast address has a zone. */
    public Ipv6Address {
        if (zone < 0) {
            throw new IllegalArgumentException("an IPv6 zone is a non-negative index: " + zone);
        }
        if (zone != 0 && !isLinkScoped(high)) {
            throw new IllegalArgumentException("only a link-local address has a zone: "
                + new Ipv6Address(high, low, 0) + "%" + zone);
        }
    }

    /** The address of these 128 bits, without a zone. */
    public Ipv6Address(long high, long low) {
        this(high, low, 0);
    }

    private static boolean isLinkScoped(long high) {
        return (high >>> 54) == (0xfe80L >>> 6) || (high >>> 48) == 0xff02L;
    }

    /** Parses any text form of RFC 4291 2.2, with an optional numeric zone ({@code %N}). */
    public static Ipv6Address parse(String text) {
        String s = text.trim();
        int zone = 0;
        int percent = s.indexOf('%');
        if (percent >= 0) {
            String z = s.substring(percent + 1);
            if (z.isEmpty() || z.length() > 9 || !z.chars().allMatch(Character::isDigit)) {
                throw new IllegalArgumentException("not an IPv6 address (the zone after % must be a number): " + text);
            }
            zone = Integer.parseInt(z);
            s = s.substring(0, percent);
        }
        int[] groups = new int[8];
        int count = 0;
        int gap = -1;
        int i = 0;
        int n = s.length();
        if (n == 0) {
            throw new IllegalArgumentException("not an IPv6 address: " + text);
        }
        if (s.startsWith("::")) {
            gap = 0;
            i = 2;
        } else if (s.startsWith(":")) {
            throw new IllegalArgumentException("not an IPv6 address (a single leading colon): " + text);
        }
        while (i < n) {
            int end = i;
            while (end < n && s.charAt(end) != ':') {
                end++;
            }
            String part = s.substring(i, end);
            if (part.indexOf('.') >= 0) {
                if (end != n || count > 6) {
                    throw new IllegalArgumentException("not an IPv6 address (IPv4 only at the end): " + text);
                }
                int v4;
                try {
                    v4 = Ipv4Address.parse(part).bits();
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("not an IPv6 address: " + text, e);
                }
                groups[count++] = v4 >>> 16;
                groups[count++] = v4 & 0xffff;
                i = end;
                break;
            }
            if (part.isEmpty() || part.length() > 4 || count == 8) {
                throw new IllegalArgumentException("not an IPv6 address: " + text);
            }
            int v = 0;
            for (int k = 0; k < part.length(); k++) {
                int d = Character.digit(part.charAt(k), 16);
                if (d < 0) {
                    throw new IllegalArgumentException("not an IPv6 address (not hexadecimal: " + part + "): " + text);
                }
                v = v * 16 + d;
            }
            groups[count++] = v;
            if (end == n) {
                i = end;
                break;
            }
            // end is at a colon
            if (end + 1 < n && s.charAt(end + 1) == ':') {
                if (gap >= 0) {
                    throw new IllegalArgumentException("not an IPv6 address (more than one ::): " + text);
                }
                gap = count;
                i = end + 2;
            } else if (end + 1 == n) {
                throw new IllegalArgumentException("not an IPv6 address (a trailing colon): " + text);
            } else {
                i = end + 1;
            }
        }
        if (gap < 0 && count != 8) {
            throw new IllegalArgumentException("not an IPv6 address (" + count + " groups, and no ::): " + text);
        }
        if (gap >= 0 && count > 7) {
            throw new IllegalArgumentException("not an IPv6 address (:: stands for no group): " + text);
        }
        int[] full = new int[8];
        if (gap < 0) {
            full = groups;
        } else {
            System.arraycopy(groups, 0, full, 0, gap);
            int tail = count - gap;
            System.arraycopy(groups, gap, full, 8 - tail, tail);
        }
        long high = 0;
        long low = 0;
        for (int k = 0; k < 4; k++) {
            high = (high << 16) | full[k];
            low = (low << 16) | full[k + 4];
        }
        return new Ipv6Address(high, low, zone);
    }

    /** Reads sixteen octets at {@code offset}. */
    public static Ipv6Address read(ByteBuffer buffer, int offset) {
        return new Ipv6Address(buffer.getLong(offset), buffer.getLong(offset + 8));
    }

    /** Writes the sixteen octets at {@code offset}. */
    public void write(ByteBuffer buffer, int offset) {
        buffer.putLong(offset, high);
        buffer.putLong(offset + 8, low);
    }

    /** Group {@code i} (0..7) of sixteen bits. */
    public int group(int i) {
        long word = i < 4 ? high : low;
        return (int) (word >>> (16 * (3 - (i & 3)))) & 0xffff;
    }

    /** This address without its zone. */
    public Ipv6Address withoutZone() {
        return zone == 0 ? this : new Ipv6Address(high, low, 0);
    }

    /** This address with the zone {@code index} (link-local addresses only). */
    public Ipv6Address withZone(int index) {
        return new Ipv6Address(high, low, index);
    }

    @Override
    public int version() {
        return 6;
    }

    @Override
    public byte[] toBytes() {
        byte[] b = new byte[16];
        for (int k = 0; k < 8; k++) {
            b[k] = (byte) (high >>> (56 - 8 * k));
            b[k + 8] = (byte) (low >>> (56 - 8 * k));
        }
        return b;
    }

    @Override
    public boolean isUnspecified() {
        return high == 0 && low == 0;
    }

    @Override
    public boolean isMulticast() {
        return (high >>> 56) == 0xff;
    }

    /** True for {@code ::1}. */
    public boolean isLoopback() {
        return high == 0 && low == 1;
    }

    /** True for a link-local unicast address, fe80::/10. */
    public boolean isLinkLocal() {
        return (high >>> 54) == (0xfe80L >>> 6);
    }

    /** True for an IPv4-mapped address, ::ffff:0:0/96 (RFC 4291 2.5.5.2). */
    public boolean isIpv4Mapped() {
        return high == 0 && (low >>> 32) == 0xffffL;
    }

    /** The solicited-node multicast address of this one, ff02::1:ffXX:XXXX (RFC 4291 2.7.1). */
    public Ipv6Address solicitedNode() {
        return new Ipv6Address(0xff02L << 48, 0x0000_0001_ff00_0000L | (low & 0xff_ffffL));
    }

    @Override
    public int compareTo(Ipv6Address o) {
        int c = Long.compareUnsigned(high, o.high);
        if (c == 0) {
            c = Long.compareUnsigned(low, o.low);
        }
        return c != 0 ? c : Integer.compare(zone, o.zone);
    }

    /** RFC 5952 4 and 5: the canonical text form. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(46);
        if (isIpv4Mapped()) {
            int v4 = (int) low;
            sb.append("::ffff:").append(new Ipv4Address(v4));
        } else {
            int bestStart = -1;
            int bestLength = 1; // a single zero group is not compressed (RFC 5952 4.2.2)
            for (int k = 0; k < 8; ) {
                if (group(k) != 0) {
                    k++;
                    continue;
                }
                int start = k;
                while (k < 8 && group(k) == 0) {
                    k++;
                }
                if (k - start > bestLength) {
                    bestStart = start;
                    bestLength = k - start;
                }
            }
            for (int k = 0; k < 8; k++) {
                if (k == bestStart) {
                    sb.append("::");
                    k += bestLength - 1;
                    continue;
                }
                if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                    sb.append(':');
                }
                sb.append(Integer.toHexString(group(k)));
            }
        }
        if (zone != 0) {
            sb.append('%').append(zone);
        }
        return sb.toString();
    }
}
