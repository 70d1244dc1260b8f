package org.tcpip4j.icmp.internal.wire;

import java.nio.ByteBuffer;

/**
 * Walks the extension headers of an IPv6 datagram (RFC 8200 4) to its upper-layer header,
 * as an ICMPv6 layer needs to read datagrams quoted in errors and datagrams it answers with
 * one: hop-by-hop options (0), routing (43), fragment (44), authentication (51, RFC 4302:
 * its length in 4-byte units), destination options (60), and the headers of the uniform
 * format of RFC 6564 (mobility 135, HIP 139, shim6 140, experiments 253 and 254). Any other
 * next header value, ESP (50) and No Next Header (59) among them, ends the chain as the
 * upper layer. At most {@link #MAX_HEADERS} headers are walked. A fragment header with a
 * non-zero offset ends the walk too: the rest of the chain and the upper-layer header are
 * in the first fragment.
 *
 * <p>The result is packed in a long so that a walk allocates nothing: negative for a chain
 * that cannot be walked, else the upper-layer header's offset, its protocol and whether a
 * fragment header was seen, read with the static accessors. Never throws.
 */
public final class Ipv6Chain {

    /** Length of the fixed IPv6 header. */
    public static final int FIXED_HEADER = 40;
    /** The most extension headers walked. */
    public static final int MAX_HEADERS = 16;
    /** The chain does not end within the bytes given. */
    public static final long TRUNCATED = -1;
    /** The chain has more than {@link #MAX_HEADERS} headers. */
    public static final long TOO_LONG = -2;

    private static final long FRAGMENTED = 1L << 40;
    private static final long NOT_FIRST = 1L << 41;

    private Ipv6Chain() {
    }

    /**
     * Walks the chain of the datagram at {@code buffer[at..at+length)}, whose fixed header
     * (at least {@link #FIXED_HEADER} bytes) the caller has checked.
     *
     * @return {@link #TRUNCATED}, {@link #TOO_LONG}, or the packed result
     */
    public static long walk(ByteBuffer buffer, int at, int length) {
        int next = buffer.get(at + 6) & 0xff;
        int offset = FIXED_HEADER;
        long flags = 0;
        for (int headers = 0; ; headers++) {
            int headerLength;
            switch (next) {
                case 0, 43, 60, 135, 139, 140, 253, 254 -> headerLength = -1;
                case 44 -> headerLength = 8;
                case 51 -> headerLength = -4;
                default -> {
                    return flags | (long) next << 32 | offset;
                }
            }
            if (headers == MAX_HEADERS) {
                return TOO_LONG;
            }
            if (length - offset < 8) {
                return TRUNCATED;
            }
            int nextHeader = buffer.get(at + offset) & 0xff;
            int lengthField = buffer.get(at + offset + 1) & 0xff;
            if (headerLength == 8) {
                flags |= FRAGMENTED;
                if ((buffer.getShort(at + offset + 2) & 0xfff8) != 0) {
                    return flags | NOT_FIRST | (long) nextHeader << 32 | (offset + 8);
                }
            } else {
                headerLength = headerLength == -1 ? (lengthField + 1) * 8 : (lengthField + 2) * 4;
            }
            offset += headerLength;
            next = nextHeader;
        }
    }

    /** The offset of the upper-layer header from the datagram's start. */
    public static int offset(long walked) {
        return (int) walked;
    }

    /** The upper-layer protocol. */
    public static int protocol(long walked) {
        return (int) (walked >>> 32) & 0xff;
    }

    /** Whether the chain holds a fragment header. */
    public static boolean fragmented(long walked) {
        return (walked & FRAGMENTED) != 0;
    }

    /**
     * Whether the datagram is a fragment other than the first: the upper-layer header is not
     * in it, and {@link #offset} is where the fragment's data starts.
     */
    public static boolean notFirstFragment(long walked) {
        return (walked & NOT_FIRST) != 0;
    }
}
