package org.tcpip4j.ipv6.internal.wire;

import java.nio.ByteBuffer;

/**
 * Walks the extension-header chain of an IPv6 datagram (RFC 8200 4) without allocating:
 * one reusable object holds the outcome of the last walk in its fields.
 *
 * <ul>
 *   <li>Hop-by-hop options (0) are accepted only right after the fixed header (RFC 8200
 *       4.1); elsewhere they are an unrecognized next header (parameter problem code 1
 *       pointing at the next header field that named them, as Linux answers).
 *   <li>Hop-by-hop and destination options (60) are parsed as TLVs (RFC 8200 4.2): Pad1 and
 *       PadN, whose padding must be zeros and at most seven bytes in a row (RFC 4942 2.1.9.5,
 *       as Linux checks), and Router Alert (RFC 2711, length 2, in a hop-by-hop header) are
 *       accepted; an unknown option is skipped or discarded as its two high-order bits say:
 *       00 skip, 01 discard, 10 discard and report (parameter problem code 2 pointing at the
 *       option), 11 the same but reported only when the destination is not multicast.
 *   <li>A routing header (43) with no segments left is ignored; one with segments left is a
 *       routing type we do not process (type 0 is deprecated, RFC 5095; a host routes none):
 *       parameter problem code 0 pointing at the routing type (RFC 8200 4.4).
 *   <li>A fragment header (44) ends the walk ({@link Verdict#FRAGMENT}); {@link #resume}
 *       walks on behind it, for an atomic fragment (RFC 6946) or the first fragment's check
 *       (RFC 7112).
 *   <li>No next header (59) ends it quietly; any other value is the upper-layer protocol.
 * </ul>
 *
 * <p>The walk is bounded: by the datagram's end (a header running past it is
 * {@link Verdict#TRUNCATED}) and by a count of extension headers.
 */
public final class HeaderChain {

    /** Hop-by-hop options header. */
    public static final int HOP_BY_HOP = 0;
    /** Routing header. */
    public static final int ROUTING = 43;
    /** Fragment header. */
    public static final int FRAGMENT = 44;
    /** ICMPv6. */
    public static final int ICMPV6 = 58;
    /** No next header. */
    public static final int NO_NEXT_HEADER = 59;
    /** Destination options header. */
    public static final int DESTINATION_OPTIONS = 60;
    /** Length of a fragment header. */
    public static final int FRAGMENT_HEADER_LENGTH = 8;

    /** Option Pad1. */
    public static final int OPTION_PAD1 = 0;
    /** Option PadN. */
    public static final int OPTION_PADN = 1;
    /** Option Router Alert (RFC 2711). */
    public static final int OPTION_ROUTER_ALERT = 5;
    /** The most padding bytes in a row accepted (RFC 4942 2.1.9.5). */
    public static final int MAX_PADDING = 7;

    /** How a walk ended. */
    public enum Verdict {
        /** An upper-layer header: {@link #protocol()} at {@link #upperOffset()}. */
        UPPER_LAYER,
        /** A fragment header at {@link #upperOffset()}. */
        FRAGMENT,
        /** Next header 59: nothing follows (RFC 8200 4.7). */
        NO_NEXT_HEADER,
        /** A header runs past the end of the datagram. */
        TRUNCATED,
        /** Options that do not parse, or padding that is not zeros or too long. */
        BAD_OPTIONS,
        /** An unknown option whose action bits say discard without a report. */
        DISCARD,
        /** A parameter problem to report: {@link #problemCode()} at {@link #problemPointer()}. */
        PARAMETER_PROBLEM,
        /** More extension headers than allowed; {@link #nextHeaderField()} names the one past the bound. */
        TOO_MANY_HEADERS
    }

    private ByteBuffer buffer;
    private int start;
    private int end;
    private int maxHeaders;
    private boolean multicastDestination;
    private Verdict verdict;
    private int protocol;
    private int upperOffset;
    private int nextHeaderField;
    private int problemCode;
    private int problemPointer;
    private int headers;
    private boolean routingProblem;

    /**
     * Walks the chain of the datagram at {@code buffer[start..end)}, whose fixed header is
     * valid, from its first next header.
     *
     * @param maxHeaders the most extension headers walked
     * @param multicastDestination whether the datagram's destination is multicast (for the
     *     action bits 11 of unknown options)
     */
    public Verdict walk(ByteBuffer buffer, int start, int end, int maxHeaders, boolean multicastDestination) {
        this.buffer = buffer;
        this.start = start;
        this.end = end;
        this.maxHeaders = maxHeaders;
        this.multicastDestination = multicastDestination;
        this.headers = 0;
        return walk(buffer.get(start + Ipv6Packet.NEXT_HEADER) & 0xff, start + Ipv6Packet.NEXT_HEADER,
            start + Ipv6Packet.HEADER_LENGTH);
    }

    /**
     * Walks on behind the fragment header the last walk stopped at, counting on from it,
     * within the same datagram.
     */
    public Verdict resume() {
        if (verdict != Verdict.FRAGMENT) {
            throw new IllegalStateException("no fragment header to resume after: " + verdict);
        }
        int at = upperOffset;
        return walk(buffer.get(at) & 0xff, at, at + FRAGMENT_HEADER_LENGTH);
    }

    private Verdict walk(int nh, int nhField, int at) {
        problemCode = 0;
        problemPointer = 0;
        routingProblem = false;
        while (true) {
            nextHeaderField = nhField;
            switch (nh) {
                case HOP_BY_HOP, DESTINATION_OPTIONS, ROUTING, FRAGMENT -> {
                    if (++headers > maxHeaders) {
                        return verdict = Verdict.TOO_MANY_HEADERS;
                    }
                }
                case NO_NEXT_HEADER -> {
                    upperOffset = at;
                    protocol = nh;
                    return verdict = Verdict.NO_NEXT_HEADER;
                }
                default -> {
                    upperOffset = at;
                    protocol = nh;
                    return verdict = Verdict.UPPER_LAYER;
                }
            }
            if (nh == FRAGMENT) {
                if (at + FRAGMENT_HEADER_LENGTH > end) {
                    return verdict = Verdict.TRUNCATED;
                }
                upperOffset = at;
                protocol = nh;
                return verdict = Verdict.FRAGMENT;
            }
            if (nh == HOP_BY_HOP && at != start + Ipv6Packet.HEADER_LENGTH) {
                // RFC 8200 4.1: only right after the IPv6 header.
                return problem(1, nhField);
            }
            if (at + 2 > end) {
                return verdict = Verdict.TRUNCATED;
            }
            int length = ((buffer.get(at + 1) & 0xff) + 1) * 8;
            if (at + length > end) {
                return verdict = Verdict.TRUNCATED;
            }
            if (nh == ROUTING) {
                int segmentsLeft = buffer.get(at + 3) & 0xff;
                if (segmentsLeft != 0) {
                    // RFC 8200 4.4 (an unrecognized type with segments left), RFC 5095 3 (type 0).
                    routingProblem = true;
                    return problem(0, at + 2);
                }
            } else {
                Verdict v = options(at + 2, at + length, nh == HOP_BY_HOP);
                if (v != null) {
                    return verdict = v;
                }
            }
            nhField = at;
            nh = buffer.get(at) & 0xff;
            at += length;
        }
    }

    /** Parses the TLVs of an options header in {@code [from, to)}: null when the walk goes on. */
    private Verdict options(int from, int to, boolean hopByHop) {
        int padding = 0;
        int o = from;
        while (o < to) {
            int type = buffer.get(o) & 0xff;
            if (type == OPTION_PAD1) {
                if (++padding > MAX_PADDING) {
                    return Verdict.BAD_OPTIONS;
                }
                o++;
                continue;
            }
            if (o + 2 > to) {
                return Verdict.BAD_OPTIONS;
            }
            int length = buffer.get(o + 1) & 0xff;
            if (o + 2 + length > to) {
                return Verdict.BAD_OPTIONS;
            }
            if (type == OPTION_PADN) {
                padding += 2 + length;
                if (padding > MAX_PADDING) {
                    return Verdict.BAD_OPTIONS;
                }
                for (int i = o + 2; i < o + 2 + length; i++) {
                    if (buffer.get(i) != 0) {
                        return Verdict.BAD_OPTIONS;
                    }
                }
            } else {
                padding = 0;
                if (type == OPTION_ROUTER_ALERT && hopByHop) {
                    if (length != 2) {
                        return Verdict.BAD_OPTIONS;
                    }
                } else {
                    switch (type >>> 6) {
                        case 0 -> { }
                        case 1 -> {
                            return Verdict.DISCARD;
                        }
                        case 2 -> {
                            problem(2, o);
                            return Verdict.PARAMETER_PROBLEM;
                        }
                        default -> {
                            if (multicastDestination) {
                                return Verdict.DISCARD;
                            }
                            problem(2, o);
                            return Verdict.PARAMETER_PROBLEM;
                        }
                    }
                }
            }
            o += 2 + length;
        }
        return null;
    }

    private Verdict problem(int code, int at) {
        problemCode = code;
        problemPointer = at - start;
        return verdict = Verdict.PARAMETER_PROBLEM;
    }

    /** How the last walk ended. */
    public Verdict verdict() {
        return verdict;
    }

    /** The upper-layer protocol ({@link Verdict#UPPER_LAYER}), 44 for a fragment, 59 for none. */
    public int protocol() {
        return protocol;
    }

    /** Absolute offset of the upper-layer header, or of the fragment header. */
    public int upperOffset() {
        return upperOffset;
    }

    /** Absolute offset of the next header field that named the header the walk ended at. */
    public int nextHeaderField() {
        return nextHeaderField;
    }

    /** The parameter problem code (RFC 4443 3.4) of {@link Verdict#PARAMETER_PROBLEM}. */
    public int problemCode() {
        return problemCode;
    }

    /** The parameter problem pointer, relative to the datagram's first byte. */
    public int problemPointer() {
        return problemPointer;
    }

    /** True when the parameter problem is a routing header with segments left. */
    public boolean isRoutingProblem() {
        return routingProblem;
    }

    /** Extension headers walked so far, the one past the bound included. */
    public int headers() {
        return headers;
    }
}
