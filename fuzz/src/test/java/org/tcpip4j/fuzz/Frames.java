package org.tcpip4j.fuzz;

import java.util.Arrays;

/**
 * Builds Ethernet/IPv4 frames around fuzzed bytes and repairs the checksums of mutated
 * frames, so that a mutation is judged by the layer it aims at rather than stopped at the
 * first checksum: the IPv4 header checksum (RFC 791 3.1), and the ICMP (RFC 792), UDP
 * (RFC 768) and TCP (RFC 9293 3.1) checksums, the latter two over the pseudo-header.
 *
 * <p>The ones' complement sum here is written out on its own, byte pair by byte pair,
 * rather than taken from the stack, so that a fault in the stack's checksum code shows as
 * a disagreement instead of cancelling out.
 */
final class Frames {

    static final int ETHERNET_HEADER = 14;
    static final int ETHERTYPE_IPV4 = 0x0800;
    static final int ETHERTYPE_ARP = 0x0806;
    static final int ICMP = 1;
    static final int TCP = 6;
    static final int UDP = 17;

    private Frames() {
    }

    /** An Ethernet header to {@code dst} from {@code src}, of {@code etherType}, before {@code payload}. */
    static byte[] ethernet(long dst, long src, int etherType, byte[] payload) {
        byte[] f = new byte[ETHERNET_HEADER + payload.length];
        putMac(f, 0, dst);
        putMac(f, 6, src);
        putShort(f, 12, etherType);
        System.arraycopy(payload, 0, f, ETHERNET_HEADER, payload.length);
        return f;
    }

    /**
     * A 20-byte IPv4 header without options (TTL 64, DF off, not a fragment) before
     * {@code payload}, its checksum filled.
     */
    static byte[] ipv4(int src, int dst, int protocol, int identification, byte[] payload) {
        return ipv4Fragment(src, dst, protocol, identification, 0, false, payload);
    }

    /** As {@link #ipv4}, a fragment at {@code offset} bytes (a multiple of 8) with MF as given. */
    static byte[] ipv4Fragment(int src, int dst, int protocol, int identification, int offset, boolean more,
                               byte[] payload) {
        byte[] d = new byte[20 + payload.length];
        d[0] = 0x45;
        putShort(d, 2, Math.min(0xffff, d.length));
        putShort(d, 4, identification);
        putShort(d, 6, (more ? 0x2000 : 0) | ((offset >>> 3) & 0x1fff));
        d[8] = 64;
        d[9] = (byte) protocol;
        putInt(d, 12, src);
        putInt(d, 16, dst);
        System.arraycopy(payload, 0, d, 20, payload.length);
        putShort(d, 10, checksum(d, 0, 20, 0));
        return d;
    }

    /**
     * Repairs, in place, the checksums of the IPv4 datagram in an Ethernet frame: the
     * header's, and for a datagram that is not a fragment its ICMP, UDP or TCP checksum.
     * Fields that bound the sums (IHL, total length, UDP length) are taken as they are and
     * only clamped to the bytes present, so a mutated length still reaches the parser.
     * Other frames are left alone.
     */
    static void fixChecksums(byte[] frame) {
        if (frame.length < ETHERNET_HEADER + 20 || getShort(frame, 12) != ETHERTYPE_IPV4) {
            return;
        }
        fixIpv4(frame, ETHERNET_HEADER, frame.length - ETHERNET_HEADER);
    }

    /** {@link #fixChecksums} for a datagram of {@code length} bytes at {@code at}. */
    static void fixIpv4(byte[] b, int at, int length) {
        if (length < 20) {
            return;
        }
        int ihl = (b[at] & 0x0f) * 4;
        if (ihl < 20 || ihl > length) {
            return;
        }
        putShort(b, at + 10, 0);
        putShort(b, at + 10, checksum(b, at, ihl, 0));
        int total = Math.min(getShort(b, at + 2), length);
        int flagsOffset = getShort(b, at + 6);
        if ((flagsOffset & 0x3fff) != 0 || total <= ihl) {
            return; // a fragment: its transport checksum spans the whole datagram
        }
        int t = at + ihl;
        int tLength = total - ihl;
        int protocol = b[at + 9] & 0xff;
        switch (protocol) {
            case ICMP -> {
                if (tLength >= 4) {
                    putShort(b, t + 2, 0);
                    putShort(b, t + 2, checksum(b, t, tLength, 0));
                }
            }
            case UDP -> {
                if (tLength >= 8) {
                    int udpLength = getShort(b, t + 4);
                    int covered = Math.min(Math.max(udpLength, 8), tLength);
                    putShort(b, t + 6, 0);
                    int c = checksum(b, t, covered, pseudoHeader(b, at, UDP, udpLength));
                    putShort(b, t + 6, c == 0 ? 0xffff : c);
                }
            }
            case TCP -> {
                if (tLength >= 18) {
                    putShort(b, t + 16, 0);
                    putShort(b, t + 16, checksum(b, t, tLength, pseudoHeader(b, at, TCP, tLength)));
                }
            }
            default -> {
            }
        }
    }

    /** The sum of the pseudo-header (source, destination, zero, protocol, length), unfolded. */
    static long pseudoHeader(byte[] ip, int at, int protocol, int length) {
        long sum = 0;
        for (int i = 12; i < 20; i += 2) {
            sum += getShort(ip, at + i);
        }
        return sum + protocol + length;
    }

    /** The Internet checksum (RFC 1071) of {@code length} bytes at {@code at}, plus {@code initial}. */
    static int checksum(byte[] b, int at, int length, long initial) {
        long sum = initial;
        for (int i = 0; i < length; i++) {
            int v = b[at + i] & 0xff;
            sum += (i & 1) == 0 ? v << 8 : v;
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) (~sum & 0xffff);
    }

    /** True when the bytes sum to all ones with {@code initial}: a checksum that verifies. */
    static boolean verifies(byte[] b, int at, int length, long initial) {
        return checksum(b, at, length, initial) == 0;
    }

    static int getShort(byte[] b, int at) {
        return ((b[at] & 0xff) << 8) | (b[at + 1] & 0xff);
    }

    static void putShort(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 8);
        b[at + 1] = (byte) v;
    }

    static void putInt(byte[] b, int at, int v) {
        putShort(b, at, v >>> 16);
        putShort(b, at + 2, v);
    }

    static int getInt(byte[] b, int at) {
        return (getShort(b, at) << 16) | getShort(b, at + 2);
    }

    static void putMac(byte[] b, int at, long mac) {
        putShort(b, at, (int) (mac >>> 32));
        putInt(b, at + 2, (int) mac);
    }

    /** {@code b} cut or zero-extended to {@code length}. */
    static byte[] resize(byte[] b, int length) {
        return Arrays.copyOf(b, length);
    }
}
