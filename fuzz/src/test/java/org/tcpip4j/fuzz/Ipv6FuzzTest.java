package org.tcpip4j.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.tcpip4j.ethernet.Ethernet;
import org.tcpip4j.ethernet.EthernetError;
import org.tcpip4j.ethernet.PayloadHandler;
import org.tcpip4j.ip.IpHandler;
import org.tcpip4j.ip.OtherProtocolHandler;
import org.tcpip4j.ipv6.Ipv6AddressInfo;
import org.tcpip4j.ipv6.Ipv6Config;
import org.tcpip4j.ipv6.Ipv6Neighbor;
import org.tcpip4j.ipv6.internal.DefaultIpv6;
import org.tcpip4j.ipv6.internal.NdOutput;
import org.tcpip4j.ipv6.internal.NeighborDiscovery;
import org.tcpip4j.netif.Counters;
import org.tcpip4j.netif.IpAddress;
import org.tcpip4j.netif.Ipv6Address;
import org.tcpip4j.netif.Ipv6Cidr;
import org.tcpip4j.netif.MacAddress;
import org.tcpip4j.netif.PacketWriter;
import org.tcpip4j.netif.Result;
import org.tcpip4j.netif.loop.StackContext;
import org.tcpip4j.netif.loop.VirtualTimeEventLoop;

/**
 * The IPv6 fixed header and extension-header chain (RFC 8200 3, 4): any bytes, handed to
 * the layer as a datagram, end in exactly the outcome an independent walk of the chain gives
 * (a rejection of the fixed header, a bad source, not ours, a truncated chain, bad options,
 * an unknown option's action, a routing header with segments left, a misplaced hop-by-hop
 * header, too many headers, no next header, a fragment, Neighbor Discovery with a good or bad
 * checksum, or delivery), counted by the layer and no other; every parameter problem's
 * pointer lies inside the quoted datagram; the bytes held for reassembly stay in the budget.
 * The input's first byte says what to repair first (version, payload length, addresses, the
 * ICMPv6 checksum), so that most inputs get past the fixed header.
 */
class Ipv6FuzzTest {

    static final Ipv6Address OURS = Ipv6Address.parse("2001:2::1");
    static final Ipv6Address PEER = Ipv6Address.parse("2001:2::2");
    private static final int MAX_HEADERS = 16;
    private static final int MAX_BYTES = 1 << 16;

    /** The outcomes of one datagram without a fragment header still to reassemble. */
    private static final List<String> OUTCOMES = List.of("rx.too_short", "rx.bad_version", "rx.bad_payload_length",
        "rx.bad_source", "rx.not_ours", "rx.malformed", "rx.bad_extension", "rx.unknown_option_discarded",
        "rx.unknown_option_reported", "rx.routing_header", "rx.hop_by_hop_misplaced",
        "rx.too_many_extension_headers", "rx.no_next_header", "rx.nd", "rx.nd_bad_checksum", "rx.nd_fragmented",
        "rx.delivered");
    /** The outcomes of a fragment. */
    private static final List<String> FRAGMENT = List.of("rx.fragments", "rx.fragment_bad_length",
        "rx.fragment_too_large", "rx.fragment_headers_incomplete");

    private final VirtualTimeEventLoop loop = new VirtualTimeEventLoop();
    private final List<String> problems = new ArrayList<>();
    private final DefaultIpv6 ip = new DefaultIpv6(new NullEthernet(),
        Ipv6Config.of(new Ipv6Cidr(OURS, 64)).withReassembly(java.time.Duration.ofSeconds(60), 16, MAX_BYTES,
            MAX_BYTES / 2), StackContext.seeded(loop, 1, "fuzz"), (e, c, ctx, out, counters) -> new FixedNd());
    private final IpHandler sink = (src, dst, payload) -> { };
    private final OtherProtocolHandler other = (protocol, src, dst, header, payload) -> { };

    Ipv6FuzzTest() {
        ip.onUndeliverable((type, code, pointer, datagram) -> {
            if (pointer < 0 || pointer >= Math.max(1, datagram.remaining())) {
                problems.add("type " + type + " code " + code + " pointer " + pointer + " outside "
                    + datagram.remaining() + " bytes");
            }
        });
    }

    @FuzzTest(maxDuration = "5s")
    void datagram(FuzzedDataProvider input) {
        int repair = input.consumeInt(0, 255);
        byte[] d = input.consumeRemainingAsBytes();
        if (d.length >= 40) {
            if ((repair & 1) != 0) {
                d[0] = (byte) (0x60 | (d[0] & 0x0f));
                Frames.putShort(d, 4, Math.max(0, d.length - 40 - ((repair >>> 5) & 3)));
            }
            if ((repair & 2) != 0) {
                System.arraycopy((repair & 16) != 0 ? Ipv6Address.ALL_NODES.toBytes() : OURS.toBytes(), 0, d, 24, 16);
            }
            if ((repair & 4) != 0) {
                System.arraycopy(PEER.toBytes(), 0, d, 8, 16);
            }
            if ((repair & 8) != 0) {
                repairIcmpv6(d);
            }
        }
        String expected = expected(d);
        long[] before = counts(OUTCOMES);
        long[] fragmentsBefore = counts(FRAGMENT);
        ip.input(ByteBuffer.wrap(d), sink, sink, other);
        long[] after = counts(OUTCOMES);
        long[] fragmentsAfter = counts(FRAGMENT);
        assertEquals(List.of(), problems);
        if (expected.equals("fragment")) {
            long n = 0;
            for (int i = 0; i < FRAGMENT.size(); i++) {
                n += fragmentsAfter[i] - fragmentsBefore[i];
            }
            assertEquals(1, n, "one fragment outcome");
        } else {
            for (int i = 0; i < OUTCOMES.size(); i++) {
                String name = OUTCOMES.get(i);
                assertEquals(before[i] + (name.equals(expected) ? 1 : 0), after[i], name + " (expected " + expected + ")");
            }
            for (int i = 0; i < FRAGMENT.size(); i++) {
                assertEquals(fragmentsBefore[i], fragmentsAfter[i], FRAGMENT.get(i));
            }
        }
        assertTrue(ip.counters().get("rx.reassembly.held_bytes") <= MAX_BYTES);
    }

    private long[] counts(List<String> names) {
        long[] n = new long[names.size()];
        for (int i = 0; i < n.length; i++) {
            n[i] = ip.counters().get(names.get(i));
        }
        return n;
    }

    // ---- an independent reading of RFC 8200 ----

    /** What the walk ended at: the outcome's counter, and for an upper layer its offset and protocol. */
    private record Walk(String outcome, int at, int protocol) {
    }

    private static boolean isMulticast(byte[] d, int at) {
        return (d[at] & 0xff) == 0xff;
    }

    private static boolean local(byte[] d) {
        byte[] dst = java.util.Arrays.copyOfRange(d, 24, 40);
        return java.util.Arrays.equals(dst, OURS.toBytes()) || java.util.Arrays.equals(dst, Ipv6Address.ALL_NODES.toBytes());
    }

    /** The outcome the layer must count for {@code d}. */
    static String expected(byte[] d) {
        if (d.length < 40) {
            return "rx.too_short";
        }
        if ((d[0] & 0xf0) != 0x60) {
            return "rx.bad_version";
        }
        int end = 40 + Frames.getShort(d, 4);
        if (end > d.length) {
            return "rx.bad_payload_length";
        }
        boolean loopbackSource = true;
        for (int i = 8; i < 24; i++) {
            loopbackSource &= d[i] == (i == 23 ? 1 : 0);
        }
        if (isMulticast(d, 8) || loopbackSource) {
            return "rx.bad_source";
        }
        boolean local = local(d);
        Walk w = walk(d, d[6] & 0xff, 40, end, 0, false);
        if (w.outcome.equals("fragment")) {
            if (!local) {
                return "rx.not_ours";
            }
            int field = Frames.getShort(d, w.at + 2);
            if ((field & 0xfff9) != 0) {
                return "fragment";
            }
            // An atomic fragment: walked on behind its header, in isolation.
            w = walk(d, d[w.at] & 0xff, w.at + 8, end, w.protocol, true);
            if (w.outcome.equals("fragment")) {
                return "rx.malformed";
            }
        }
        boolean fragmented = w.outcome.startsWith("atomic:");
        String outcome = fragmented ? w.outcome.substring(7) : w.outcome;
        if (outcome.equals("upper") && w.protocol == 58 && w.at < end) {
            int type = d[w.at] & 0xff;
            if ((type >= 130 && type <= 137) || type == 143) {
                if (fragmented && type >= 133) {
                    return "rx.nd_fragmented";
                }
                return end - w.at >= 4 && icmpv6Verifies(d, w.at, end) ? "rx.nd" : "rx.nd_bad_checksum";
            }
        }
        if (!local) {
            return "rx.not_ours";
        }
        if (outcome.equals("upper")) {
            boolean unspecified = true;
            for (int i = 8; i < 24; i++) {
                unspecified &= d[i] == 0;
            }
            return unspecified && w.protocol != 58 ? "rx.bad_source" : "rx.delivered";
        }
        return outcome;
    }

    /**
     * Walks from next header {@code nh} at {@code at}, {@code count} extension headers seen;
     * the protocol of a fragment outcome carries the count on.
     */
    private static Walk walk(byte[] d, int nh, int at, int end, int count, boolean fragmented) {
        String prefix = fragmented ? "atomic:" : "";
        while (true) {
            boolean extension = nh == 0 || nh == 43 || nh == 44 || nh == 60;
            if (!extension) {
                return new Walk(prefix + (nh == 59 ? "rx.no_next_header" : "upper"), at, nh);
            }
            if (++count > MAX_HEADERS) {
                return new Walk(prefix + "rx.too_many_extension_headers", at, nh);
            }
            if (nh == 44) {
                return at + 8 > end ? new Walk(prefix + "rx.malformed", at, nh) : new Walk("fragment", at, count);
            }
            if (nh == 0 && at != 40) {
                return new Walk(prefix + "rx.hop_by_hop_misplaced", at, nh);
            }
            if (at + 2 > end || at + (d[at + 1] & 0xff) * 8 + 8 > end) {
                return new Walk(prefix + "rx.malformed", at, nh);
            }
            int length = (d[at + 1] & 0xff) * 8 + 8;
            if (nh == 43) {
                if (d[at + 3] != 0) {
                    return new Walk(prefix + "rx.routing_header", at, nh);
                }
            } else {
                String o = options(d, at + 2, at + length, nh == 0);
                if (o != null) {
                    return new Walk(prefix + o, at, nh);
                }
            }
            nh = d[at] & 0xff;
            at += length;
        }
    }

    /** The outcome of the options in {@code [from, to)}, or null when they are all accepted. */
    private static String options(byte[] d, int from, int to, boolean hopByHop) {
        int padding = 0;
        int i = from;
        while (i < to) {
            int type = d[i] & 0xff;
            if (type == 0) {
                padding++;
                i++;
            } else {
                if (i + 1 >= to || i + 2 + (d[i + 1] & 0xff) > to) {
                    return "rx.bad_extension";
                }
                int length = d[i + 1] & 0xff;
                if (type == 1) {
                    padding += length + 2;
                    for (int k = 0; k < length; k++) {
                        if (d[i + 2 + k] != 0) {
                            return "rx.bad_extension";
                        }
                    }
                } else {
                    padding = 0;
                    if (type == 5 && hopByHop) {
                        if (length != 2) {
                            return "rx.bad_extension";
                        }
                    } else if (type >= 0x40) {
                        boolean quiet = type < 0x80 || (type >= 0xc0 && isMulticast(d, 24));
                        return quiet ? "rx.unknown_option_discarded" : "rx.unknown_option_reported";
                    }
                }
                i += 2 + length;
            }
            if (padding > 7) {
                return "rx.bad_extension";
            }
        }
        return null;
    }

    private static long pseudoHeader(byte[] d, int length) {
        long sum = 0;
        for (int i = 8; i < 40; i += 2) {
            sum += Frames.getShort(d, i);
        }
        return sum + (length >>> 16) + (length & 0xffff) + 58;
    }

    private static boolean icmpv6Verifies(byte[] d, int at, int end) {
        return Frames.verifies(d, at, end - at, pseudoHeader(d, end - at));
    }

    /** Fills the ICMPv6 checksum when the chain reaches an ICMPv6 message of at least four bytes. */
    private static void repairIcmpv6(byte[] d) {
        int end = 40 + Frames.getShort(d, 4);
        if ((d[0] & 0xf0) != 0x60 || end > d.length) {
            return;
        }
        Walk w = walk(d, d[6] & 0xff, 40, end, 0, false);
        if (w.outcome.equals("fragment") && (Frames.getShort(d, w.at + 2) & 0xfff9) == 0) {
            w = walk(d, d[w.at] & 0xff, w.at + 8, end, w.protocol, true);
        }
        if (w.outcome.endsWith("upper") && w.protocol == 58 && end - w.at >= 4) {
            Frames.putShort(d, w.at + 2, 0);
            Frames.putShort(d, w.at + 2, Frames.checksum(d, w.at, end - w.at, pseudoHeader(d, end - w.at)));
        }
    }

    // ---- what the layer runs over ----

    /** An Ethernet that drops what it is given. */
    private static final class NullEthernet implements Ethernet {
        private final Counters counters = new Counters("ethernet");

        @Override
        public MacAddress mac() {
            return MacAddress.parse("02:00:00:00:00:02");
        }

        @Override
        public int mtu() {
            return 1500;
        }

        @Override
        public void input(ByteBuffer frame, PayloadHandler arpv4, PayloadHandler ipv4, PayloadHandler ipv6) {
        }

        @Override
        public Result<EthernetError> write(MacAddress src, MacAddress dst, int ethertype, int size,
                                           PacketWriter payload) {
            return Result.ok();
        }

        @Override
        public Counters counters() {
            return counters;
        }

        @Override
        public CompletableFuture<Void> disconnect() {
            return CompletableFuture.completedFuture(null);
        }
    }

    /** Neighbor Discovery with one address and all-nodes, every neighbor unresolved. */
    private static final class FixedNd implements NeighborDiscovery {
        @Override public void start() { }
        @Override public void stop() { }
        @Override public Ipv6Address nextHop(Ipv6Address dst) { return dst; }
        @Override public long linkAddress(Ipv6Address nextHop) { return NdOutput.RESOLVE; }
        @Override public boolean hold(Ipv6Address nextHop, ByteBuffer datagram) { return false; }
        @Override public void confirmReachable(Ipv6Address neighbor) { }
        @Override public void input(Ipv6Address src, Ipv6Address dst, int hopLimit, ByteBuffer message) { }
        @Override public boolean isLocal(Ipv6Address dst) { return dst.equals(OURS) || dst.equals(Ipv6Address.ALL_NODES); }
        @Override public Ipv6Address sourceFor(Ipv6Address dst) { return OURS; }
        @Override public int linkMtu() { return 1500; }
        @Override public int hopLimit() { return 64; }
        @Override public void joinGroup(Ipv6Address group) { }
        @Override public void leaveGroup(Ipv6Address group) { }
        @Override public List<Ipv6Cidr> cidrs() { return List.of(new Ipv6Cidr(OURS, 64)); }
        @Override public List<Ipv6AddressInfo> addressInfo() { return List.of(); }
        @Override public List<IpAddress> configuredIps() { return List.of(OURS); }
        @Override public CompletableFuture<Void> addressesReady() { return CompletableFuture.completedFuture(null); }
        @Override public Optional<Ipv6Address> defaultRouter() { return Optional.empty(); }
        @Override public List<Ipv6Neighbor> neighbors() { return List.of(); }
    }
}
