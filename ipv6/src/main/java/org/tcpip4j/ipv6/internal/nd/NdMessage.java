package org.tcpip4j.ipv6.internal.nd;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.tcpip4j.netif.Ipv6Address;
import org.tcpip4j.netif.MacAddress;

/**
 * The ICMPv6 messages of Neighbor Discovery (RFC 4861 4) and MLD (RFC 3810 5), parsed and
 * validated as RFC 4861 6.1, 7.1 and 8.1 and RFC 3810 6.2 ask of every receiver, and written.
 *
 * <p>A link-layer address is the 48 bits of an Ethernet MAC in a long, {@link #NONE} when
 * the option is absent. Options of no use to a message are skipped, as are unknown ones
 * (RFC 4861 4.6); an option of length 0, or one that runs past the message, drops the whole
 * message. The checks that need the receiver's state (a redirect's router) are the
 * caller's. Parsing allocates; it runs for Neighbor Discovery's few messages, not per datagram.
 */
public sealed interface NdMessage extends NdParseResult {

    /** ICMPv6 types (RFC 4861 4, RFC 3810 5, RFC 2710 3). */
    int MLD_QUERY = 130;
    int MLD_V1_REPORT = 131;
    int MLD_V1_DONE = 132;
    int ROUTER_SOLICITATION = 133;
    int ROUTER_ADVERTISEMENT = 134;
    int NEIGHBOR_SOLICITATION = 135;
    int NEIGHBOR_ADVERTISEMENT = 136;
    int REDIRECT = 137;
    int MLD_V2_REPORT = 143;

    /** Option types (RFC 4861 4.6, RFC 7527 4). */
    int OPT_SOURCE_LLA = 1;
    int OPT_TARGET_LLA = 2;
    int OPT_PREFIX_INFORMATION = 3;
    int OPT_REDIRECTED_HEADER = 4;
    int OPT_MTU = 5;
    int OPT_NONCE = 14;

    /** No link-layer address option; no nonce. */
    long NONE = -1;

    /** The hop limit of every Neighbor Discovery message (RFC 4861 6.1, 7.1, 8.1). */
    int ND_HOP_LIMIT = 255;

    /** An infinite lifetime in a prefix information option (RFC 4861 4.6.2). */
    long INFINITE = 0xffff_ffffL;

    /** The bytes {@link #write} writes. */
    int length();

    /** Writes the message from its type on, the checksum left 0, at {@code offset}; returns {@link #length()}. */
    int write(ByteBuffer buffer, int offset);

    /** A router solicitation (RFC 4861 4.1). */
    record RouterSolicitation(long sourceMac) implements NdMessage {
        @Override
        public int length() {
            return 8 + (sourceMac == NONE ? 0 : 8);
        }

        @Override
        public int write(ByteBuffer b, int offset) {
            header(b, offset, ROUTER_SOLICITATION);
            b.putInt(offset + 4, 0);
            if (sourceMac != NONE) {
                linkLayerOption(b, offset + 8, OPT_SOURCE_LLA, sourceMac);
            }
            return length();
        }
    }

    /**
     * A router advertisement (RFC 4861 4.2).
     *
     * @param curHopLimit 0 for unspecified
     * @param routerLifetime seconds, 0 for not a default router
     * @param reachableTime milliseconds, 0 for unspecified
     * @param retransTimer milliseconds, 0 for unspecified
     * @param mtu the MTU option's value, 0 without one
     */
    record RouterAdvertisement(int curHopLimit, boolean managed, boolean other, int routerLifetime,
                               long reachableTime, long retransTimer, long sourceMac, long mtu,
                               List<PrefixInformation> prefixes) implements NdMessage {
        public RouterAdvertisement {
            prefixes = List.copyOf(prefixes);
        }

        @Override
        public int length() {
            return 16 + (sourceMac == NONE ? 0 : 8) + (mtu == 0 ? 0 : 8) + 32 * prefixes.size();
        }

        @Override
        public int write(ByteBuffer b, int offset) {
            header(b, offset, ROUTER_ADVERTISEMENT);
            b.put(offset + 4, (byte) curHopLimit);
            b.put(offset + 5, (byte) ((managed ? 0x80 : 0) | (other ? 0x40 : 0)));
            b.putShort(offset + 6, (short) routerLifetime);
            b.putInt(offset + 8, (int) reachableTime);
            b.putInt(offset + 12, (int) retransTimer);
            int o = offset + 16;
            if (sourceMac != NONE) {
                linkLayerOption(b, o, OPT_SOURCE_LLA, sourceMac);
                o += 8;
            }
            if (mtu != 0) {
                b.put(o, (byte) OPT_MTU);
                b.put(o + 1, (byte) 1);
                b.putShort(o + 2, (short) 0);
                b.putInt(o + 4, (int) mtu);
                o += 8;
            }
            for (PrefixInformation p : prefixes) {
                p.write(b, o);
                o += 32;
            }
            return o - offset;
        }
    }

    /**
     * A prefix information option (RFC 4861 4.6.2).
     *
     * @param validLifetime seconds, {@link #INFINITE} for ever
     * @param preferredLifetime seconds, {@link #INFINITE} for ever
     */
    record PrefixInformation(Ipv6Address prefix, int prefixLength, boolean onLink, boolean autonomous,
                             long validLifetime, long preferredLifetime) {
        public PrefixInformation {
            Objects.requireNonNull(prefix, "prefix");
        }

        void write(ByteBuffer b, int o) {
            b.put(o, (byte) OPT_PREFIX_INFORMATION);
            b.put(o + 1, (byte) 4);
            b.put(o + 2, (byte) prefixLength);
            b.put(o + 3, (byte) ((onLink ? 0x80 : 0) | (autonomous ? 0x40 : 0)));
            b.putInt(o + 4, (int) validLifetime);
            b.putInt(o + 8, (int) preferredLifetime);
            b.putInt(o + 12, 0);
            prefix.write(b, o + 16);
        }
    }

    /**
     * A neighbor solicitation (RFC 4861 4.3).
     *
     * @param nonce the 48 bits of a nonce option (RFC 7527), or {@link #NONE}
     */
    record NeighborSolicitation(Ipv6Address target, long sourceMac, long nonce) implements NdMessage {
        public NeighborSolicitation {
            Objects.requireNonNull(target, "target");
        }

        @Override
        public int length() {
            return 24 + (sourceMac == NONE ? 0 : 8) + (nonce == NONE ? 0 : 8);
        }

        @Override
        public int write(ByteBuffer b, int offset) {
            header(b, offset, NEIGHBOR_SOLICITATION);
            b.putInt(offset + 4, 0);
            target.write(b, offset + 8);
            int o = offset + 24;
            if (sourceMac != NONE) {
                linkLayerOption(b, o, OPT_SOURCE_LLA, sourceMac);
                o += 8;
            }
            if (nonce != NONE) {
                b.put(o, (byte) OPT_NONCE);
                b.put(o + 1, (byte) 1);
                MacAddress.writeBits(b, o + 2, nonce);
                o += 8;
            }
            return o - offset;
        }
    }

    /** A neighbor advertisement (RFC 4861 4.4). */
    record NeighborAdvertisement(boolean router, boolean solicited, boolean override, Ipv6Address target,
                                 long targetMac) implements NdMessage {
        public NeighborAdvertisement {
            Objects.requireNonNull(target, "target");
        }

        @Override
        public int length() {
            return 24 + (targetMac == NONE ? 0 : 8);
        }

        @Override
        public int write(ByteBuffer b, int offset) {
            header(b, offset, NEIGHBOR_ADVERTISEMENT);
            b.putInt(offset + 4, (router ? 0x8000_0000 : 0) | (solicited ? 0x4000_0000 : 0)
                | (override ? 0x2000_0000 : 0));
            target.write(b, offset + 8);
            if (targetMac != NONE) {
                linkLayerOption(b, offset + 24, OPT_TARGET_LLA, targetMac);
            }
            return length();
        }
    }

    /**
     * A redirect (RFC 4861 4.5).
     *
     * @param redirectedLength the bytes of the redirected header option's datagram, 0 without one
     */
    record Redirect(Ipv6Address target, Ipv6Address destination, long targetMac, int redirectedLength)
            implements NdMessage {
        public Redirect {
            Objects.requireNonNull(target, "target");
            Objects.requireNonNull(destination, "destination");
        }

        @Override
        public int length() {
            return 40 + (targetMac == NONE ? 0 : 8) + (redirectedLength == 0 ? 0 : 8 + (redirectedLength + 7) / 8 * 8);
        }

        @Override
        public int write(ByteBuffer b, int offset) {
            header(b, offset, REDIRECT);
            b.putInt(offset + 4, 0);
            target.write(b, offset + 8);
            destination.write(b, offset + 24);
            int o = offset + 40;
            if (targetMac != NONE) {
                linkLayerOption(b, o, OPT_TARGET_LLA, targetMac);
                o += 8;
            }
            if (redirectedLength != 0) {
                int padded = (redirectedLength + 7) / 8 * 8;
                b.put(o, (byte) OPT_REDIRECTED_HEADER);
                b.put(o + 1, (byte) (1 + padded / 8));
                for (int i = 2; i < 8 + padded; i++) {
                    b.put(o + i, (byte) 0);
                }
                o += 8 + padded;
            }
            return o - offset;
        }
    }

    /**
     * A multicast listener query (RFC 3810 5.1, RFC 2710 3.6).
     *
     * @param version 1 for MLDv1's 24 bytes, 2 for MLDv2
     * @param maxResponseMillis the longest a report may wait, in milliseconds
     * @param group the group asked about, {@link Ipv6Address#ANY} for a general query
     */
    record MldQuery(int version, long maxResponseMillis, Ipv6Address group) implements NdMessage {
        public MldQuery {
            Objects.requireNonNull(group, "group");
        }

        @Override
        public int length() {
            return version == 1 ? 24 : 28;
        }

        @Override
        public int write(ByteBuffer b, int offset) {
            header(b, offset, MLD_QUERY);
            b.putShort(offset + 4, (short) encodeMaxResponse(maxResponseMillis));
            b.putShort(offset + 6, (short) 0);
            group.write(b, offset + 8);
            if (version != 1) {
                b.putInt(offset + 24, 0);
            }
            return length();
        }

        private int encodeMaxResponse(long millis) {
            if (version == 1 || millis < 32768) {
                return (int) Math.min(millis, 0xffff);
            }
            for (int exp = 0; exp < 8; exp++) {
                long mant = (millis >> (exp + 3)) - 0x1000;
                if (mant >= 0 && mant <= 0xfff) {
                    return 0x8000 | (exp << 12) | (int) mant;
                }
            }
            return 0xffff;
        }
    }

    /** A report or done message of another listener (MLDv1 or MLDv2): a host ignores them. */
    record MldReport(int type) implements NdMessage {
        @Override
        public int length() {
            return 8;
        }

        @Override
        public int write(ByteBuffer b, int offset) {
            header(b, offset, type);
            b.putInt(offset + 4, 0);
            return 8;
        }
    }

    private static void header(ByteBuffer b, int offset, int type) {
        b.put(offset, (byte) type);
        b.put(offset + 1, (byte) 0);
        b.putShort(offset + 2, (short) 0);
    }

    private static void linkLayerOption(ByteBuffer b, int o, int type, long mac) {
        b.put(o, (byte) type);
        b.put(o + 1, (byte) 1);
        MacAddress.writeBits(b, o + 2, mac);
    }

    /** True for a solicited-node multicast address, ff02::1:ffXX:XXXX (RFC 4291 2.7.1). */
    static boolean isSolicitedNode(Ipv6Address a) {
        return a.high() == 0xff02L << 48 && (a.low() & 0xffff_ffff_ff00_0000L) == 0x0000_0001_ff00_0000L;
    }

    /**
     * Parses and validates the ICMPv6 message at {@code message}'s position..limit (its
     * checksum already verified), received from {@code src} for {@code dst} with
     * {@code hopLimit}. The buffer's position and limit are left as they were.
     */
    static NdParseResult parse(ByteBuffer message, Ipv6Address src, Ipv6Address dst, int hopLimit) {
        ByteBuffer b = message;
        int off = b.position();
        int len = b.remaining();
        if (len < 4) {
            return NdRejection.TOO_SHORT;
        }
        int type = b.get(off) & 0xff;
        int code = b.get(off + 1) & 0xff;
        switch (type) {
            case MLD_QUERY, MLD_V1_REPORT, MLD_V1_DONE, MLD_V2_REPORT -> {
                return parseMld(b, off, len, type, src, hopLimit);
            }
            case ROUTER_SOLICITATION, ROUTER_ADVERTISEMENT, NEIGHBOR_SOLICITATION, NEIGHBOR_ADVERTISEMENT,
                 REDIRECT -> {
            }
            default -> {
                return NdRejection.UNKNOWN_TYPE;
            }
        }
        if ((type == ROUTER_ADVERTISEMENT || type == REDIRECT) && !src.isLinkLocal()) {
            return NdRejection.SOURCE_NOT_LINK_LOCAL;
        }
        if (hopLimit != ND_HOP_LIMIT) {
            return NdRejection.HOP_LIMIT;
        }
        if (code != 0) {
            return NdRejection.CODE;
        }
        int fixed = switch (type) {
            case ROUTER_SOLICITATION -> 8;
            case ROUTER_ADVERTISEMENT -> 16;
            case REDIRECT -> 40;
            default -> 24;
        };
        if (len < fixed) {
            return NdRejection.TOO_SHORT;
        }
        Options opts = new Options();
        NdRejection bad = opts.parse(b, off + fixed, off + len, type);
        if (bad != null) {
            return bad;
        }
        return switch (type) {
            case ROUTER_SOLICITATION -> {
                if (src.isUnspecified() && opts.sourceMac != NONE) {
                    yield NdRejection.UNSPECIFIED_WITH_LLAO;
                }
                yield new RouterSolicitation(opts.sourceMac);
            }
            case ROUTER_ADVERTISEMENT -> new RouterAdvertisement(b.get(off + 4) & 0xff, (b.get(off + 5) & 0x80) != 0,
                (b.get(off + 5) & 0x40) != 0, b.getShort(off + 6) & 0xffff, b.getInt(off + 8) & 0xffff_ffffL,
                b.getInt(off + 12) & 0xffff_ffffL, opts.sourceMac, opts.mtu, opts.prefixes);
            case NEIGHBOR_SOLICITATION -> {
                Ipv6Address target = Ipv6Address.read(b, off + 8);
                if (target.isMulticast()) {
                    yield NdRejection.MULTICAST_TARGET;
                }
                if (src.isUnspecified()) {
                    if (!isSolicitedNode(dst)) {
                        yield NdRejection.UNSPECIFIED_NOT_SOLICITED_NODE;
                    }
                    if (opts.sourceMac != NONE) {
                        yield NdRejection.UNSPECIFIED_WITH_LLAO;
                    }
                }
                yield new NeighborSolicitation(target, opts.sourceMac, opts.nonce);
            }
            case NEIGHBOR_ADVERTISEMENT -> {
                Ipv6Address target = Ipv6Address.read(b, off + 8);
                int flags = b.get(off + 4) & 0xff;
                if (target.isMulticast()) {
                    yield NdRejection.MULTICAST_TARGET;
                }
                boolean solicited = (flags & 0x40) != 0;
                if (solicited && dst.isMulticast()) {
                    yield NdRejection.SOLICITED_TO_MULTICAST;
                }
                yield new NeighborAdvertisement((flags & 0x80) != 0, solicited, (flags & 0x20) != 0, target,
                    opts.targetMac);
            }
            default -> {
                Ipv6Address target = Ipv6Address.read(b, off + 8);
                Ipv6Address destination = Ipv6Address.read(b, off + 24);
                if (destination.isMulticast()) {
                    yield NdRejection.MULTICAST_TARGET;
                }
                if (!target.isLinkLocal() && !target.equals(destination)) {
                    yield NdRejection.REDIRECT_TARGET;
                }
                yield new Redirect(target, destination, opts.targetMac, opts.redirectedLength);
            }
        };
    }

    private static NdParseResult parseMld(ByteBuffer b, int off, int len, int type, Ipv6Address src, int hopLimit) {
        if (type != MLD_QUERY) {
            return new MldReport(type);
        }
        if (!src.isLinkLocal()) {
            return NdRejection.SOURCE_NOT_LINK_LOCAL;
        }
        if (hopLimit != 1) {
            return NdRejection.MLD_HOP_LIMIT;
        }
        if (len < 24) {
            return NdRejection.TOO_SHORT;
        }
        if (len > 24 && len < 28) {
            return NdRejection.MLD_QUERY_LENGTH;
        }
        int code = b.getShort(off + 4) & 0xffff;
        Ipv6Address group = Ipv6Address.read(b, off + 8);
        if (len == 24) {
            return new MldQuery(1, code, group);
        }
        // RFC 3810 5.1.3: the Maximum Response Code, exponential from 32768 on.
        long millis = code < 32768 ? code : (long) ((code & 0xfff) | 0x1000) << (((code >> 12) & 7) + 3);
        return new MldQuery(2, millis, group);
    }

    /** The options of one message as {@link #parse} collects them (the first of each kind counts). */
    final class Options {
        long sourceMac = NONE;
        long targetMac = NONE;
        long nonce = NONE;
        long mtu;
        int redirectedLength;
        final List<PrefixInformation> prefixes = new ArrayList<>(0);

        NdRejection parse(ByteBuffer b, int o, int end, int type) {
            boolean sawSource = false;
            boolean sawTarget = false;
            boolean sawMtu = false;
            boolean sawNonce = false;
            while (o < end) {
                if (end - o < 2) {
                    return NdRejection.OPTION_LENGTH;
                }
                int optType = b.get(o) & 0xff;
                int optLen = (b.get(o + 1) & 0xff) * 8;
                if (optLen == 0 || optLen > end - o) {
                    return NdRejection.OPTION_LENGTH;
                }
                switch (optType) {
                    case OPT_SOURCE_LLA -> {
                        if (type != NEIGHBOR_ADVERTISEMENT && type != REDIRECT && !sawSource) {
                            if (optLen != 8) {
                                return NdRejection.LINK_LAYER_OPTION;
                            }
                            sawSource = true;
                            sourceMac = MacAddress.readBits(b, o + 2);
                        }
                    }
                    case OPT_TARGET_LLA -> {
                        if ((type == NEIGHBOR_ADVERTISEMENT || type == REDIRECT) && !sawTarget) {
                            if (optLen != 8) {
                                return NdRejection.LINK_LAYER_OPTION;
                            }
                            sawTarget = true;
                            targetMac = MacAddress.readBits(b, o + 2);
                        }
                    }
                    case OPT_PREFIX_INFORMATION -> {
                        // Of a wrong length, the option alone is skipped (Linux's addrconf_prefix_rcv).
                        if (type == ROUTER_ADVERTISEMENT && optLen == 32) {
                            int flags = b.get(o + 3) & 0xff;
                            prefixes.add(new PrefixInformation(Ipv6Address.read(b, o + 16), b.get(o + 2) & 0xff,
                                (flags & 0x80) != 0, (flags & 0x40) != 0, b.getInt(o + 4) & 0xffff_ffffL,
                                b.getInt(o + 8) & 0xffff_ffffL));
                        }
                    }
                    case OPT_MTU -> {
                        if (type == ROUTER_ADVERTISEMENT && optLen == 8 && !sawMtu) {
                            sawMtu = true;
                            mtu = b.getInt(o + 4) & 0xffff_ffffL;
                        }
                    }
                    case OPT_REDIRECTED_HEADER -> {
                        if (type == REDIRECT && redirectedLength == 0) {
                            redirectedLength = optLen - 8;
                        }
                    }
                    case OPT_NONCE -> {
                        if (type == NEIGHBOR_SOLICITATION && !sawNonce && optLen == 8) {
                            sawNonce = true;
                            nonce = MacAddress.readBits(b, o + 2);
                        }
                    }
                    default -> {
                        // RFC 4861 4.6: unknown options are skipped.
                    }
                }
                o += optLen;
            }
            return null;
        }
    }
}
