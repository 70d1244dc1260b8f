package org.tcpip4j.ipv6.internal;

import java.nio.ByteBuffer;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.tcpip4j.ethernet.EtherType;
import org.tcpip4j.ethernet.Ethernet;
import org.tcpip4j.ethernet.EthernetError;
import org.tcpip4j.ip.IpError;
import org.tcpip4j.ip.IpHandler;
import org.tcpip4j.ip.IpProtocol;
import org.tcpip4j.ip.OtherProtocolHandler;
import org.tcpip4j.ip.support.AbstractDatagramWriter;
import org.tcpip4j.ip.support.PathMtuTable;
import org.tcpip4j.ip.support.RegionCopier;
import org.tcpip4j.ip.support.WriteChecks;
import org.tcpip4j.ipv6.Ipv6;
import org.tcpip4j.ipv6.Ipv6AddressInfo;
import org.tcpip4j.ipv6.Ipv6Config;
import org.tcpip4j.ipv6.Ipv6Neighbor;
import org.tcpip4j.ipv6.Ipv6UndeliverableHandler;
import org.tcpip4j.ipv6.internal.wire.HeaderChain;
import org.tcpip4j.ipv6.internal.wire.Ipv6Packet;
import org.tcpip4j.ipv6.internal.wire.Ipv6Rejection;
import org.tcpip4j.netif.Counters;
import org.tcpip4j.netif.InternetChecksum;
import org.tcpip4j.netif.IpAddress;
import org.tcpip4j.netif.Ipv6Address;
import org.tcpip4j.netif.Ipv6Cidr;
import org.tcpip4j.netif.MacAddress;
import org.tcpip4j.netif.Netif;
import org.tcpip4j.netif.NetifOffloads;
import org.tcpip4j.netif.PacketWriter;
import org.tcpip4j.netif.Result;
import org.tcpip4j.netif.loop.EventLoop;
import org.tcpip4j.netif.loop.StackContext;

/**
 * The default IPv6 layer (RFC 8200): verifies received datagrams and walks their
 * extension-header chain ({@link HeaderChain}), reassembles fragments
 * ({@link ReassemblyBuffer}), hands Neighbor Discovery's and MLD's ICMPv6 messages to the
 * {@link NeighborDiscovery} and everything else for us to the transports; on output, asks
 * Neighbor Discovery for the source address, the next hop and its link-layer address,
 * holds datagrams there while it resolves, and fragments what does not fit the path MTU
 * (RFC 8201, {@link PathMtuTable}) with unpredictable identifications and flow labels
 * ({@link FlowHashes}).
 *
 * <p>Errors for the sender (unrecognized next header or option, routing headers with
 * segments left, fragments that break RFC 8200 4.5 or RFC 7112, reassembly time exceeded,
 * port unreachable, address unreachable) go to the {@link Ipv6UndeliverableHandler}, the
 * ICMPv6 layer's error generator, which applies RFC 4443 2.4's rules and its rate limit.
 *
 * <p>A datagram to one of our own unicast addresses is sent to our own MAC without asking
 * Neighbor Discovery: the stack's link layer loops it back.
 *
 * <p>The steady state allocates nothing: a datagram to a resolved neighbor is written
 * straight into the device's frame by a reused {@link DatagramWriter}, and a received one is
 * passed up as the same buffer, with the address objects of recent peers reused
 * ({@link AddressCache}). Loop only, but for {@link #configuredIps()}, {@link #cidrs()},
 * {@link #addressInfo()}, {@link #counters()} and {@link #disconnect()}.
 */
public final class DefaultIpv6 implements Ipv6 {

    /** The smallest upper-layer headers the first fragment must hold (RFC 7112 5, as Linux checks). */
    private static final int TCP_HEADER = 20;
    private static final int UDP_HEADER = 8;
    private static final int ICMPV6_HEADER = 4;
    /**
     * The smallest path MTU accepted: a Packet Too Big reporting less than the IPv6 minimum
     * link MTU raises it to 1280 (RFC 8201 4; RFC 8200 5 no longer has hosts add a fragment
     * header to every datagram then, per RFC 6946 and RFC 8021).
     */
    static final int MIN_PATH_MTU = Ipv6Config.MIN_MTU;

    private final Ethernet ethernet;
    private final Ipv6Config config;
    private final EventLoop loop;
    private final NeighborDiscovery nd;
    private final Output output = new Output();
    private final ReassemblyBuffer reassembly;
    private final PathMtuTable pathMtus;
    private final FlowHashes hashes;
    private final DatagramWriter writer;
    private final RegionCopier copier = new RegionCopier();
    private final Icmpv6Checksummer checksummer = new Icmpv6Checksummer();
    private final Ipv6Packet rxPacket = new Ipv6Packet();
    private final HeaderChain chain = new HeaderChain();
    private final AddressCache sources = new AddressCache(16);
    private final AddressCache destinations = new AddressCache(8);
    private ByteBuffer scratch;
    private long lastMacBits = -1;
    private MacAddress lastMac;
    private Ipv6UndeliverableHandler undeliverable;
    // The datagram being delivered to a handler now, so that the handler can report it
    // undeliverable (Ip.portUnreachable) and have it quoted.
    private ByteBuffer delivering;
    /** The frame's datagram being handled now, whose transport checksum the device may vouch for. */
    private ByteBuffer inputPacket;
    /** True while delivering a datagram whose transport checksum the device vouched for. */
    private boolean deliveringVouched;
    /** What the device does beyond carrying frames, read once. */
    private final NetifOffloads offloads;
    private int deliveringStart;
    private int deliveringEnd;
    private int deliveringNextHeaderField;
    private volatile boolean disconnected;

    private final Counters counters = new Counters("ipv6");
    private final Counters.Counter rxPackets = counters.counter("rx.packets");
    private final Map<Ipv6Rejection, Counters.Counter> rxRejected = new EnumMap<>(Ipv6Rejection.class);
    private final Counters.Counter rxBadSource = counters.counter("rx.bad_source");
    private final Counters.Counter rxNotOurs = counters.counter("rx.not_ours");
    private final Counters.Counter rxMalformed = counters.counter("rx.malformed");
    private final Counters.Counter rxBadExtension = counters.counter("rx.bad_extension");
    private final Counters.Counter rxOptionDiscarded = counters.counter("rx.unknown_option_discarded");
    private final Counters.Counter rxOptionReported = counters.counter("rx.unknown_option_reported");
    private final Counters.Counter rxRoutingHeader = counters.counter("rx.routing_header");
    private final Counters.Counter rxHopByHopMisplaced = counters.counter("rx.hop_by_hop_misplaced");
    private final Counters.Counter rxTooManyHeaders = counters.counter("rx.too_many_extension_headers");
    private final Counters.Counter rxNoNextHeader = counters.counter("rx.no_next_header");
    private final Counters.Counter rxAtomicFragments = counters.counter("rx.atomic_fragments");
    private final Counters.Counter rxFragmentBadLength = counters.counter("rx.fragment_bad_length");
    private final Counters.Counter rxFragmentTooLarge = counters.counter("rx.fragment_too_large");
    private final Counters.Counter rxFragmentIncomplete = counters.counter("rx.fragment_headers_incomplete");
    private final Counters.Counter rxNd = counters.counter("rx.nd");
    private final Counters.Counter rxNdBadChecksum = counters.counter("rx.nd_bad_checksum");
    private final Counters.Counter rxNdFragmented = counters.counter("rx.nd_fragmented");
    private final Counters.Counter rxDelivered = counters.counter("rx.delivered");
    private final Counters.Counter rxNoHandler = counters.counter("rx.no_handler");
    private final Counters.Counter rxUndeliverable = counters.counter("rx.undeliverable_reported");
    private final Counters.Counter rxMisreported = counters.counter("rx.undeliverable_misreported");
    private final Counters.Counter txPackets = counters.counter("tx.packets");
    private final Counters.Counter txFragments = counters.counter("tx.fragments");
    private final Counters.Counter txNoRoute = counters.counter("tx.no_route");
    private final Counters.Counter txNoSource = counters.counter("tx.no_source");
    private final Counters.Counter txWouldFragment = counters.counter("tx.would_fragment");
    private final Counters.Counter txTooLarge = counters.counter("tx.too_large");
    private final Counters.Counter txLocal = counters.counter("tx.local");
    private final Counters.Counter txNd = counters.counter("tx.nd");
    private final Counters.Counter txHeld = counters.counter("tx.held");
    private final Counters.Counter txHeldDropped = counters.counter("tx.held_dropped");
    private final Counters.Counter txHeldSent = counters.counter("tx.held_sent");
    private final Counters.Counter txUnresolved = counters.counter("tx.unresolved");
    private final Counters.Counter txErrors = counters.counter("tx.errors");
    private final Counters.Counter pathMtuUpdates = counters.counter("pmtu.updates");

    /**
     * An IPv6 layer over {@code ethernet}, whose Neighbor Discovery {@code discovery} makes;
     * Neighbor Discovery starts at once (on the loop).
     */
    public DefaultIpv6(Ethernet ethernet, Ipv6Config config, StackContext context,
                       NeighborDiscovery.Factory discovery) {
        this.ethernet = ethernet;
        this.config = config;
        this.loop = context.loop();
        this.hashes = new FlowHashes(context.secrets());
        this.writer = new DatagramWriter(hashes);
        this.offloads = ethernet.offloads();
        this.reassembly = new ReassemblyBuffer(loop, config.reassemblyTimeout().toNanos(),
            config.maxFragmentsPerDatagram(), config.maxReassemblyBytes(), config.maxReassemblyBytesPerSource(),
            config.maxIncompleteDatagrams(), config.maxIncompleteDatagramsPerSource(), counters);
        this.reassembly.table().onTimeout(this::reassemblyTimedOut);
        this.pathMtus = new PathMtuTable(config.pathMtuCacheSize(), config.pathMtuLifetime().toNanos(),
            MIN_PATH_MTU);
        for (Ipv6Rejection r : Ipv6Rejection.values()) {
            rxRejected.put(r, counters.counter(r.counterName()));
        }
        this.nd = discovery.create(ethernet, config, context, output, counters);
        loop.run(nd::start);
    }

    // ---- receiving ----------------------------------------------------------------------

    @Override
    public void input(ByteBuffer packet, IpHandler tcp, IpHandler udp, OtherProtocolHandler other) {
        rxPackets.increment();
        if (disconnected) {
            return;
        }
        int start = packet.position();
        Ipv6Packet p = rxPacket.wrap(packet, start, packet.remaining());
        Ipv6Rejection rejection = p.check();
        if (rejection != null) {
            rxRejected.get(rejection).increment();
            return;
        }
        // Trailing bytes after the payload length (Ethernet padding) are cut off here.
        int end = p.end();
        long srcHigh = p.sourceHigh();
        long srcLow = p.sourceLow();
        if ((srcHigh >>> 56) == 0xff || (srcHigh == 0 && srcLow == 1)) {
            // RFC 4291 2.7: never a multicast source; 2.5.3: ::1 never leaves a node.
            rxBadSource.increment();
            return;
        }
        Ipv6Address dst = destinationAddress(p.destinationHigh(), p.destinationLow());
        boolean local = nd.isLocal(dst);
        Ipv6Address src = sources.get(srcHigh, srcLow);
        int hopLimit = p.hopLimit();
        HeaderChain.Verdict v = chain.walk(packet, start, end, config.maxExtensionHeaders(), dst.isMulticast());
        ByteBuffer outerPacket = inputPacket;
        inputPacket = packet;
        try {
            if (v == HeaderChain.Verdict.FRAGMENT && local) {
                fragment(packet, start, end, src, dst, hopLimit, tcp, udp, other);
                return;
            }
            handle(v, packet, start, end, local, false, src, dst, hopLimit, tcp, udp, other);
        } finally {
            inputPacket = outerPacket;
        }
    }

    /** A datagram with a fragment header: atomic, or to be reassembled (RFC 8200 4.5). */
    private void fragment(ByteBuffer packet, int start, int end, Ipv6Address src, Ipv6Address dst, int hopLimit,
                          IpHandler tcp, IpHandler udp, OtherProtocolHandler other) {
        int header = chain.upperOffset();
        int nextHeaderField = chain.nextHeaderField();
        int field = packet.getShort(header + 2) & 0xffff;
        int offset = field & 0xfff8;
        boolean more = (field & 1) != 0;
        int length = end - header - HeaderChain.FRAGMENT_HEADER_LENGTH;
        if (offset == 0 && !more) {
            // RFC 6946 4: an atomic fragment is processed in isolation, not reassembled.
            rxAtomicFragments.increment();
            handle(chain.resume(), packet, start, end, true, true, src, dst, hopLimit, tcp, udp, other);
            return;
        }
        if (more && (length & 7) != 0) {
            rxFragmentBadLength.increment();
            report(4, 0, Ipv6Packet.PAYLOAD_LENGTH, packet, start, end);
            return;
        }
        int unfragmentable = header - start - Ipv6Packet.HEADER_LENGTH;
        if (unfragmentable + offset + length > Ipv6Packet.MAX_PAYLOAD) {
            rxFragmentTooLarge.increment();
            report(4, 0, header + 2 - start, packet, start, end);
            return;
        }
        if (offset == 0 && !chainComplete(chain.resume(), end)) {
            // RFC 7112 5: the first fragment must hold the whole header chain.
            rxFragmentIncomplete.increment();
            report(4, 3, 0, packet, start, end);
            return;
        }
        ByteBuffer whole = reassembly.add(packet, start, header, nextHeaderField, end);
        if (whole == null) {
            return;
        }
        HeaderChain.Verdict v = chain.walk(whole, 0, whole.limit(), config.maxExtensionHeaders(), dst.isMulticast());
        handle(v, whole, 0, whole.limit(), true, true, src, dst, hopLimit, tcp, udp, other);
    }

    /** Whether the walk behind a first fragment's header reached the upper-layer header, whole. */
    private boolean chainComplete(HeaderChain.Verdict v, int end) {
        if (v == HeaderChain.Verdict.TRUNCATED) {
            return false;
        }
        if (v != HeaderChain.Verdict.UPPER_LAYER) {
            return true;
        }
        int need = switch (chain.protocol()) {
            case IpProtocol.TCP -> TCP_HEADER;
            case IpProtocol.UDP -> UDP_HEADER;
            case HeaderChain.ICMPV6 -> ICMPV6_HEADER;
            default -> 0;
        };
        return chain.upperOffset() + need <= end;
    }

    private void handle(HeaderChain.Verdict v, ByteBuffer buffer, int start, int end, boolean local,
                        boolean fragmented, Ipv6Address src, Ipv6Address dst, int hopLimit, IpHandler tcp,
                        IpHandler udp, OtherProtocolHandler other) {
        if (v == HeaderChain.Verdict.UPPER_LAYER && chain.protocol() == HeaderChain.ICMPV6
                && isNeighborDiscovery(buffer, chain.upperOffset(), end)) {
            neighborDiscovery(buffer, start, chain.upperOffset(), end, fragmented, src, dst, hopLimit);
            return;
        }
        if (!local) {
            // A host does not forward (RFC 8200 does not make it a router).
            rxNotOurs.increment();
            return;
        }
        switch (v) {
            case UPPER_LAYER -> deliver(buffer, start, end, src, dst, tcp, udp, other);
            case FRAGMENT -> rxMalformed.increment(); // a fragment header behind another
            case NO_NEXT_HEADER -> rxNoNextHeader.increment();
            case TRUNCATED -> rxMalformed.increment();
            case BAD_OPTIONS -> rxBadExtension.increment();
            case DISCARD -> rxOptionDiscarded.increment();
            case TOO_MANY_HEADERS -> {
                rxTooManyHeaders.increment();
                report(4, 0, chain.nextHeaderField() - start, buffer, start, end);
            }
            case PARAMETER_PROBLEM -> {
                if (chain.problemCode() == 2) {
                    rxOptionReported.increment();
                } else if (chain.isRoutingProblem()) {
                    rxRoutingHeader.increment();
                } else {
                    rxHopByHopMisplaced.increment();
                }
                report(4, chain.problemCode(), chain.problemPointer(), buffer, start, end);
            }
        }
    }

    /** ICMPv6 types of Neighbor Discovery (133..137, RFC 4861) and MLD (130..132, 143). */
    private static boolean isNeighborDiscovery(ByteBuffer buffer, int at, int end) {
        if (at >= end) {
            return false;
        }
        int type = buffer.get(at) & 0xff;
        return (type >= 130 && type <= 137) || type == 143;
    }

    private void neighborDiscovery(ByteBuffer buffer, int start, int at, int end, boolean fragmented,
                                   Ipv6Address src, Ipv6Address dst, int hopLimit) {
        int type = buffer.get(at) & 0xff;
        if (fragmented && type >= 133) {
            // RFC 6980 5: Neighbor Discovery messages in fragments are silently ignored.
            rxNdFragmented.increment();
            return;
        }
        if (end - at < ICMPV6_HEADER || !icmpv6ChecksumValid(buffer, start, at, end)) {
            rxNdBadChecksum.increment();
            return;
        }
        rxNd.increment();
        int position = buffer.position();
        int limit = buffer.limit();
        try {
            buffer.limit(end).position(at);
            nd.input(src, dst, hopLimit, buffer);
        } finally {
            buffer.limit(limit).position(position);
        }
    }

    /** RFC 4443 2.3: the checksum over the pseudo-header (RFC 8200 8.1) and the message. */
    private static boolean icmpv6ChecksumValid(ByteBuffer buffer, int start, int at, int end) {
        long sum = InternetChecksum.sum(buffer, start + Ipv6Packet.SOURCE, 32, 0);
        sum = InternetChecksum.add32(sum, end - at);
        sum = InternetChecksum.add16(sum, HeaderChain.ICMPV6);
        return InternetChecksum.finish(InternetChecksum.sum(buffer, at, end - at, sum)) == 0;
    }

    private void deliver(ByteBuffer buffer, int start, int end, Ipv6Address src, Ipv6Address dst, IpHandler tcp,
                         IpHandler udp, OtherProtocolHandler other) {
        int protocol = chain.protocol();
        int upper = chain.upperOffset();
        int nextHeaderField = chain.nextHeaderField();
        if (src.isUnspecified() && protocol != HeaderChain.ICMPV6) {
            // Only Neighbor Discovery and MLD speak from no address (RFC 4862 5.4.2, RFC 3810 5.2.13).
            rxBadSource.increment();
            return;
        }
        IpHandler transport = protocol == IpProtocol.TCP ? tcp : protocol == IpProtocol.UDP ? udp : null;
        boolean served = transport != null
            || (protocol != IpProtocol.TCP && protocol != IpProtocol.UDP && other != null);
        if (!served) {
            // RFC 8200 4: an unrecognized next header: parameter problem, code 1.
            rxNoHandler.increment();
            report(4, 1, nextHeaderField - start, buffer, start, end);
            return;
        }
        rxDelivered.increment();
        ByteBuffer outer = delivering;
        int outerStart = deliveringStart;
        int outerEnd = deliveringEnd;
        int outerField = deliveringNextHeaderField;
        delivering = buffer;
        deliveringStart = start;
        deliveringEnd = end;
        deliveringNextHeaderField = nextHeaderField;
        boolean outerVouched = deliveringVouched;
        // A reassembled datagram is a buffer of this layer's: nothing vouches for it.
        deliveringVouched = buffer == inputPacket && ethernet.rxChecksumValid();
        buffer.limit(end).position(upper);
        try {
            if (transport != null) {
                transport.input(src, dst, buffer);
            } else {
                // Other protocols (ICMPv6 among them) also get the headers, which errors quote.
                ByteBuffer header = buffer.duplicate().limit(upper).position(start);
                other.input(protocol, src, dst, header, buffer);
            }
        } finally {
            delivering = outer;
            deliveringStart = outerStart;
            deliveringEnd = outerEnd;
            deliveringNextHeaderField = outerField;
            deliveringVouched = outerVouched;
        }
    }

    @Override
    public boolean rxChecksumValid() {
        return deliveringVouched;
    }

    @Override
    public void portUnreachable(ByteBuffer payload) {
        if (reportable(payload)) {
            report(1, 4, 0, payload, deliveringStart, deliveringEnd);
        }
    }

    @Override
    public void protocolUnreachable(ByteBuffer payload) {
        if (reportable(payload)) {
            report(4, 1, deliveringNextHeaderField - deliveringStart, payload, deliveringStart, deliveringEnd);
        }
    }

    private boolean reportable(ByteBuffer payload) {
        if (payload == null || payload != delivering) {
            // Not from within the delivery of this buffer: the headers to quote are gone.
            rxMisreported.increment();
            return false;
        }
        rxUndeliverable.increment();
        return true;
    }

    /**
     * Hands the datagram at {@code buffer[start..end)} to the undeliverable handler, leaving
     * the buffer's position and limit as they were.
     */
    private void report(int type, int code, int pointer, ByteBuffer buffer, int start, int end) {
        Ipv6UndeliverableHandler handler = undeliverable;
        if (handler == null) {
            return;
        }
        int position = buffer.position();
        int limit = buffer.limit();
        try {
            buffer.limit(end).position(start);
            handler.undeliverable(type, code, pointer, buffer);
        } finally {
            buffer.limit(limit).position(position);
        }
    }

    /** RFC 8200 4.5: a datagram whose first fragment came and that timed out gets a time exceeded, code 1. */
    private void reassemblyTimedOut(byte[] headers, byte[] firstPayload) {
        if (undeliverable == null || disconnected) {
            return;
        }
        ByteBuffer first = ByteBuffer.allocate(headers.length + firstPayload.length);
        first.put(0, headers).put(headers.length, firstPayload);
        report(3, 1, 0, first, 0, first.limit());
    }

    /** The address object of a destination: ours from Neighbor Discovery's list, or a cached one. */
    private Ipv6Address destinationAddress(long high, long low) {
        Ipv6Address a = destinations.find(high, low);
        if (a != null) {
            return a;
        }
        List<Ipv6Cidr> ours = nd.cidrs();
        for (int i = 0, n = ours.size(); i < n; i++) {
            Ipv6Address o = ours.get(i).address();
            if (o.high() == high && o.low() == low && o.zone() == 0) {
                a = o;
                break;
            }
        }
        if (a == null) {
            a = new Ipv6Address(high, low);
        }
        destinations.put(a);
        return a;
    }

    // ---- sending --------------------------------------------------------------------------

    @Override
    public Result<IpError> write(IpAddress src, IpAddress dst, int protocol, int ttl, boolean fragment, int size,
                                 PacketWriter payload) {
        IpError refused = WriteChecks.check(6, src, dst, protocol, ttl, size, disconnected, Ipv6Packet.MAX_PAYLOAD, txNoRoute,
            txErrors, txTooLarge);
        if (refused != null) {
            return Result.err(refused);
        }
        Ipv6Address destination = (Ipv6Address) dst;
        Ipv6Address source = src != null ? (Ipv6Address) src : nd.sourceFor(destination);
        if (source == null || source.isUnspecified()) {
            txNoSource.increment();
            return Result.err(new IpError.NoRoute(dst));
        }
        int hopLimit = ttl < 0 ? nd.hopLimit() : ttl;
        return send(source, destination, protocol, hopLimit, -1, false, fragment, size, payload, NdOutput.RESOLVE);
    }

    /**
     * Sends a datagram: to {@code knownMac}, or routed and resolved through Neighbor
     * Discovery when it is {@link NdOutput#RESOLVE}; whole when it fits the path MTU, else in
     * fragments when {@code fragment} allows.
     *
     * @param flowLabel the flow label, or -1 for the one hashed from the flow
     */
    private Result<IpError> send(Ipv6Address source, Ipv6Address destination, int protocol, int hopLimit,
                                 int flowLabel, boolean routerAlert, boolean fragment, int size, PacketWriter payload,
                                 long knownMac) {
        long mac = knownMac;
        Ipv6Address nextHop = null;
        if (mac == NdOutput.RESOLVE) {
            if (!destination.isMulticast() && nd.isLocal(destination)) {
                // To ourselves: no resolution; the link layer under the stack loops our own MAC back.
                txLocal.increment();
                mac = ethernet.mac().bits();
            } else {
                nextHop = nd.nextHop(destination);
                if (nextHop == null) {
                    txNoRoute.increment();
                    return Result.err(new IpError.NoRoute(destination));
                }
                mac = nd.linkAddress(nextHop);
            }
        }
        int mtu = pathMtu(destination);
        int headers = Ipv6Packet.HEADER_LENGTH + (routerAlert ? DatagramWriter.ROUTER_ALERT_HEADER_LENGTH : 0);
        int chunk = (mtu - headers - HeaderChain.FRAGMENT_HEADER_LENGTH) & ~7;
        boolean cut = headers + size > mtu && cutByDevice(protocol, routerAlert, knownMac, destination, size, mtu);
        if (headers + size > mtu && !cut && (!fragment || chunk < 8)) {
            txWouldFragment.increment();
            return Result.err(new IpError.WouldFragment(headers + size, mtu));
        }
        // A payload writer that writes another datagram from inside its fill needs a writer
        // (and a scratch buffer) of its own; the common case reuses the layer's.
        boolean nested = writer.busy();
        DatagramWriter w = nested ? new DatagramWriter(hashes) : writer;
        try {
            w.datagram(source.high(), source.low(), destination.high(), destination.low(), protocol, hopLimit,
                flowLabel, routerAlert);
            if (headers + size <= mtu || cut) {
                EthernetError e = emit(w.whole(payload, size), mac, nextHop, headers + size);
                if (e != null) {
                    return linkError(e);
                }
                txPackets.increment();
                return Result.ok();
            }
            // RFC 8200 4.5: the payload is written once into a scratch buffer, and each
            // fragment copies its share into a frame of its own.
            ByteBuffer all = nested ? ByteBuffer.allocate(Ipv6Packet.MAX_PAYLOAD) : scratch();
            int n = AbstractDatagramWriter.checkedLength(payload.write(all, 0, size), size);
            EthernetError e;
            if (headers + n <= mtu) {
                e = emit(w.whole(copier.region(all, 0, n), n), mac, nextHop, headers + n);
            } else {
                e = fragments(w, all, n, chunk, flowLabel, source, destination, mac, nextHop);
            }
            if (e != null) {
                return linkError(e);
            }
            txPackets.increment();
            return Result.ok();
        } finally {
            w.release();
        }
    }

    /**
     * True when a TCP segment of {@code size} bytes, larger than the MTU, goes whole to a
     * device that cuts it into wire segments (TSO): the path's MTU is the link's, the
     * datagram has no extension header, and it is routed, not to one of our own addresses.
     */
    private boolean cutByDevice(int protocol, boolean routerAlert, long knownMac, Ipv6Address destination, int size,
                                int mtu) {
        return offloads.tso6() && protocol == IpProtocol.TCP && !routerAlert && knownMac == NdOutput.RESOLVE
            && mtu == nd.linkMtu() && mtu == ethernet.mtu()
            && Ipv6Packet.HEADER_LENGTH + size <= offloads.maxTsoFrame() - Netif.ETHERNET_HEADER_SIZE
            && !destination.isMulticast() && !nd.isLocal(destination);
    }

    /** Sends {@code all[0..n)} in fragments of {@code chunk} bytes (the last shorter), one identification. */
    private EthernetError fragments(DatagramWriter w, ByteBuffer all, int n, int chunk, int flowLabel,
                                    Ipv6Address source, Ipv6Address destination, long mac, Ipv6Address nextHop) {
        if (flowLabel < 0) {
            // One label for every fragment, from the transport header in the first.
            w.flowLabel(w.hashedLabel(all, 0, n));
        }
        int id = hashes.identification(source.high(), source.low(), destination.high(), destination.low());
        for (int at = 0; at < n; at += chunk) {
            int k = Math.min(chunk, n - at);
            w.fragment(copier.region(all, at, k), k, id, at, at + k < n);
            EthernetError e = emit(w, mac, nextHop, w.headerLength() + k);
            if (e != null) {
                return e;
            }
            txFragments.increment();
        }
        return null;
    }

    /**
     * Puts one datagram of {@code size} bytes, written by {@code w}, on the link to
     * {@code mac}, or, when that is {@link NdOutput#RESOLVE}, builds it in a buffer of its
     * own and has Neighbor Discovery hold it until {@code nextHop} resolves.
     */
    private EthernetError emit(DatagramWriter w, long mac, Ipv6Address nextHop, int size) {
        if (mac == NdOutput.RESOLVE) {
            ByteBuffer copy = ByteBuffer.allocate(size);
            copy.limit(w.write(copy, 0, size));
            txHeld.increment();
            if (!nd.hold(nextHop, copy)) {
                txHeldDropped.increment();
            }
            return null;
        }
        Result<EthernetError> r = ethernet.write(null, macAddress(mac), EtherType.IPV6, size, w);
        return r.isOk() ? null : r.errorOrNull();
    }

    private MacAddress macAddress(long bits) {
        if (bits != lastMacBits) {
            lastMac = bits == ethernet.mac().bits() ? ethernet.mac() : new MacAddress(bits);
            lastMacBits = bits;
        }
        return lastMac;
    }

    private ByteBuffer scratch() {
        if (scratch == null) {
            scratch = ByteBuffer.allocate(Ipv6Packet.MAX_PAYLOAD);
        }
        return scratch.clear();
    }

    private Result<IpError> linkError(EthernetError e) {
        txErrors.increment();
        return Result.err(new IpError.Link(e.toString()));
    }

    /** The ICMPv6 message writer of {@link NdOutput#sendIcmpv6}: the message, then its checksum. */
    private static final class Icmpv6Checksummer implements PacketWriter {
        private Ipv6Address src;
        private Ipv6Address dst;
        private PacketWriter message;

        Icmpv6Checksummer set(Ipv6Address src, Ipv6Address dst, PacketWriter message) {
            this.src = src;
            this.dst = dst;
            this.message = message;
            return this;
        }

        @Override
        public int write(ByteBuffer buffer, int offset, int maxLength) {
            int n = message.write(buffer, offset, maxLength);
            if (n < 0 || n > maxLength) {
                throw new IllegalStateException("message writer wrote " + n + " bytes of at most " + maxLength);
            }
            if (n >= ICMPV6_HEADER) {
                buffer.putShort(offset + 2, (short) 0);
                long sum = pseudoheader(src, dst, HeaderChain.ICMPV6, n);
                buffer.putShort(offset + 2, (short) InternetChecksum.finish(InternetChecksum.sum(buffer, offset, n,
                    sum)));
            }
            return n;
        }
    }

    /** What Neighbor Discovery sends through. */
    private final class Output implements NdOutput {

        @Override
        public Result<IpError> sendIcmpv6(Ipv6Address src, Ipv6Address dst, long dstMac, int hopLimit,
                                          boolean routerAlert, int size, PacketWriter message) {
            if (disconnected) {
                txErrors.increment();
                return Result.err(new IpError.Link("IPv6 layer disconnected"));
            }
            txNd.increment();
            // Neighbor Discovery and MLD messages carry no flow label (RFC 6437 3: zero is allowed).
            Icmpv6Checksummer c = checksummer.message == null ? checksummer : new Icmpv6Checksummer();
            try {
                return send(src, dst, HeaderChain.ICMPV6, hopLimit, 0, routerAlert, false, size,
                    c.set(src, dst, message), dstMac);
            } finally {
                c.set(null, null, null);
            }
        }

        @Override
        public void transmit(long mac, ByteBuffer datagram) {
            if (disconnected) {
                return;
            }
            int n = datagram.remaining();
            Result<EthernetError> r = ethernet.write(null, macAddress(mac), EtherType.IPV6, n,
                copier.region(datagram, datagram.position(), n));
            if (r.isOk()) {
                txHeldSent.increment();
            } else {
                txErrors.increment();
            }
        }

        @Override
        public void unresolved(ByteBuffer datagram) {
            txUnresolved.increment();
            if (disconnected || datagram.remaining() < Ipv6Packet.HEADER_LENGTH) {
                return;
            }
            int at = datagram.position();
            Ipv6Address source = new Ipv6Address(datagram.getLong(at + Ipv6Packet.SOURCE),
                datagram.getLong(at + Ipv6Packet.SOURCE + 8));
            if (nd.isLocal(source) || isOurs(source)) {
                // Our own datagram: no ICMPv6 error to ourselves (RFC 4861 7.2.2).
                return;
            }
            report(1, 3, 0, datagram, at, datagram.limit());
        }
    }

    private boolean isOurs(Ipv6Address a) {
        for (Ipv6AddressInfo info : nd.addressInfo()) {
            if (info.cidr().address().equals(a)) {
                return true;
            }
        }
        return false;
    }

    // ---- configuration --------------------------------------------------------------------

    @Override
    public long pseudoheaderChecksum(IpAddress src, IpAddress dst, int protocol, int length) {
        return pseudoheader((Ipv6Address) src, (Ipv6Address) dst, protocol, length);
    }

    /** RFC 8200 8.1: source, destination, a 32-bit length, three zeros and the next header. */
    private static long pseudoheader(Ipv6Address src, Ipv6Address dst, int protocol, int length) {
        long sum = add64(0, src.high());
        sum = add64(sum, src.low());
        sum = add64(sum, dst.high());
        sum = add64(sum, dst.low());
        sum = InternetChecksum.add32(sum, length);
        return InternetChecksum.add16(sum, protocol);
    }

    private static long add64(long sum, long v) {
        return InternetChecksum.add32(InternetChecksum.add32(sum, (int) (v >>> 32)), (int) v);
    }

    /** {@inheritDoc} {@code null} when no usable address exists. */
    @Override
    public IpAddress src(IpAddress dst) {
        // As IPv4's: the unspecified address when no usable address exists (tentative ones
        // are not usable), which UDP and TCP read as "no route".
        Ipv6Address source = dst instanceof Ipv6Address d ? nd.sourceFor(d) : null;
        return source != null ? source : Ipv6Address.ANY;
    }

    @Override
    public NetifOffloads offloads(IpAddress dst) {
        if (!(dst instanceof Ipv6Address d) || d.isMulticast() || nd.isLocal(d)) {
            return NetifOffloads.NONE;
        }
        return pathMtu(d) == nd.linkMtu() && nd.linkMtu() == ethernet.mtu()
            ? offloads : offloads.withoutSegmentation();
    }

    @Override
    public int mtu(IpAddress dst) {
        int path = dst instanceof Ipv6Address d ? pathMtu(d) : nd.linkMtu();
        return path - Ipv6Packet.HEADER_LENGTH;
    }

    /** The MTU towards {@code destination}: the link's, or the lower one a Packet Too Big reported. */
    private int pathMtu(Ipv6Address destination) {
        int link = nd.linkMtu();
        // An empty table, the usual case, needs no clock.
        return pathMtus.isEmpty() ? link
            : pathMtus.pathMtu(destination.high(), destination.low(), link, loop.nanoTime());
    }

    /** {@inheritDoc} The floor is 1280 bytes, IPv6's minimum MTU (RFC 8201 4). */
    @Override
    public void updatePathMtu(IpAddress dst, int mtu) {
        if (!(dst instanceof Ipv6Address destination)) {
            return;
        }
        if (pathMtus.update(destination.high(), destination.low(), mtu, nd.linkMtu(), loop.nanoTime())) {
            pathMtuUpdates.increment();
        }
    }

    @Override
    public void confirmReachable(IpAddress destination) {
        if (destination instanceof Ipv6Address d && !disconnected) {
            Ipv6Address hop = nd.nextHop(d);
            if (hop != null) {
                nd.confirmReachable(hop);
            }
        }
    }

    @Override
    public void onUndeliverable(Ipv6UndeliverableHandler handler) {
        this.undeliverable = handler;
    }

    @Override
    public void joinGroup(Ipv6Address group) {
        if (!group.isMulticast()) {
            throw new IllegalArgumentException("not a multicast address: " + group);
        }
        nd.joinGroup(group.withoutZone());
    }

    @Override
    public void leaveGroup(Ipv6Address group) {
        nd.leaveGroup(group.withoutZone());
    }

    @Override
    public List<Ipv6Cidr> cidrs() {
        return nd.cidrs();
    }

    @Override
    public List<Ipv6AddressInfo> addressInfo() {
        return nd.addressInfo();
    }

    @Override
    public CompletableFuture<Void> addressesReady() {
        return nd.addressesReady();
    }

    @Override
    public Optional<Ipv6Address> defaultRouter() {
        return nd.defaultRouter();
    }

    @Override
    public List<Ipv6Neighbor> neighbors() {
        return nd.neighbors();
    }

    @Override
    public List<IpAddress> configuredIps() {
        return nd.configuredIps();
    }

    @Override
    public Counters counters() {
        return counters;
    }

    @Override
    public CompletableFuture<Void> disconnect() {
        return loop.call(() -> {
            disconnected = true;
            nd.stop();
            reassembly.table().clear();
            pathMtus.clear();
            return CompletableFuture.completedFuture(null);
        });
    }

    /** Incomplete datagrams being reassembled now (for tests and status). */
    int incompleteDatagrams() {
        return reassembly.table().incompleteDatagrams();
    }

    /** Bytes held by incomplete datagrams now, overheads included (for tests and status). */
    int reassemblyHeldBytes() {
        return reassembly.table().heldBytes();
    }

    /** Destinations with a remembered path MTU now (for tests and status). */
    int pathMtuEntries() {
        return pathMtus.size();
    }

    /** The layer's Neighbor Discovery (for tests). */
    NeighborDiscovery neighborDiscovery() {
        return nd;
    }
}
