package org.tcpip4j.ipv4.internal;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.tcpip4j.arp.Arp;
import org.tcpip4j.arp.ArpConfig;
import org.tcpip4j.ethernet.EtherType;
import org.tcpip4j.ethernet.Ethernet;
import org.tcpip4j.ethernet.EthernetError;
import org.tcpip4j.ip.AddressKind;
import org.tcpip4j.ip.IcmpError;
import org.tcpip4j.ip.IpError;
import org.tcpip4j.ip.IpHandler;
import org.tcpip4j.ip.IpProtocol;
import org.tcpip4j.ip.OtherProtocolHandler;
import org.tcpip4j.ip.support.AbstractDatagramWriter;
import org.tcpip4j.ip.support.AddressBits;
import org.tcpip4j.ip.support.PathMtuTable;
import org.tcpip4j.ip.support.RegionCopier;
import org.tcpip4j.ip.support.WriteChecks;
import org.tcpip4j.ipv4.Ipv4;
import org.tcpip4j.ipv4.Ipv4Config;
import org.tcpip4j.ipv4.UndeliverableHandler;
import org.tcpip4j.ipv4.internal.wire.Ipv4Packet;
import org.tcpip4j.ipv4.internal.wire.Ipv4Rejection;
import org.tcpip4j.netif.Counters;
import org.tcpip4j.netif.InternetChecksum;
import org.tcpip4j.netif.IpAddress;
import org.tcpip4j.netif.Ipv4Address;
import org.tcpip4j.netif.Ipv4Cidr;
import org.tcpip4j.netif.MacAddress;
import org.tcpip4j.netif.Netif;
import org.tcpip4j.netif.NetifOffloads;
import org.tcpip4j.netif.PacketWriter;
import org.tcpip4j.netif.Result;
import org.tcpip4j.netif.loop.EventLoop;
import org.tcpip4j.netif.loop.StackContext;

/**
 * The default IPv4 layer (RFC 791, RFC 1122 3.2 and 3.3): verifies and demultiplexes
 * received datagrams, reassembles fragments ({@link ReassemblyBuffer}), routes sent ones
 * on a static configuration ({@link Routing}), resolves the next hop through ARP (holding
 * datagrams meanwhile in a {@link ResolutionQueue}, as many per next hop as ARP's
 * configuration says) and fragments what does not fit the path ({@link Fragmenter}, with
 * path MTUs learned from ICMP in a {@link PathMtuTable}).
 *
 * <p>A datagram to one of our own addresses is sent to our own MAC without asking ARP:
 * the stack's link layer loops it back (RFC 1122 3.3.6 would have a host deliver
 * datagrams for itself locally). Datagrams it cannot deliver (no handler for their
 * protocol, no receiver on their port, fragments that never all came) go to the
 * {@link UndeliverableHandler}, the ICMP layer's error generator.
 *
 * <p>The steady state allocates nothing: a datagram to a resolved neighbour is written
 * straight into the device's frame by a reused {@link DatagramWriter}, and a received one
 * is passed up as the same buffer, with the last seen source address object reused.
 * Loop only, but for {@link #configuredIps()}, {@link #counters()} and {@link #disconnect()}.
 */
public final class DefaultIpv4 implements Ipv4 {

    /**
     * The smallest path MTU accepted from a message: RFC 791 lets every host take 576-byte
     * datagrams, and Linux's {@code min_pmtu} is 552, so that a forged message cannot make
     * us send a flood of tiny fragments. RFC 1191 3 sets the absolute floor at 68.
     */
    static final int MIN_PATH_MTU = 552;

    private final Ethernet ethernet;
    private final Arp arp;
    private final Ipv4Config config;
    private final EventLoop loop;
    private final Routing routing;
    private final List<IpAddress> configuredIps;
    private final ReassemblyBuffer reassembly;
    private final ResolutionQueue held;
    private final PathMtuTable pathMtus;
    private final Fragmenter fragmenter = new Fragmenter();
    private final DatagramWriter writer = new DatagramWriter();
    private final RegionCopier heldCopier = new RegionCopier();
    private final Ipv4Packet rxPacket = new Ipv4Packet();
    private ByteBuffer scratch;
    private final Identifications identifications;
    private int lastSourceBits;
    private Ipv4Address lastSource;
    private int lastDestinationBits;
    private Ipv4Address lastDestination;
    private UndeliverableHandler undeliverable;
    // The datagram being delivered to a handler now, so that the handler can report it
    // undeliverable (Ip.portUnreachable) and have its header quoted.
    private ByteBuffer delivering;
    private int deliveringStart;
    private int deliveringEnd;
    private volatile boolean disconnected;

    private final Counters counters = new Counters("ipv4");
    private final Counters.Counter rxPackets = counters.counter("rx.packets");
    private final Map<Ipv4Rejection, Counters.Counter> rxRejected = new EnumMap<>(Ipv4Rejection.class);
    private final Counters.Counter rxNotForUs = counters.counter("rx.not_for_us");
    private final Counters.Counter rxBadSource = counters.counter("rx.bad_source");
    private final Counters.Counter rxSourceRouted = counters.counter("rx.source_routed");
    private final Counters.Counter rxDelivered = counters.counter("rx.delivered");
    private final Counters.Counter rxNoHandler = counters.counter("rx.no_handler");
    private final Counters.Counter rxUndeliverable = counters.counter("rx.undeliverable_reported");
    private final Counters.Counter rxMisreported = counters.counter("rx.undeliverable_misreported");
    private final Counters.Counter txPackets = counters.counter("tx.packets");
    private final Counters.Counter txFragments = counters.counter("tx.fragments");
    private final Counters.Counter txNoRoute = counters.counter("tx.no_route");
    private final Counters.Counter txWouldFragment = counters.counter("tx.would_fragment");
    private final Counters.Counter txTooLarge = counters.counter("tx.too_large");
    private final Counters.Counter txLocal = counters.counter("tx.local");
    private final Counters.Counter pathMtuUpdates = counters.counter("pmtu.updates");
    private final Counters.Counter txHeld = counters.counter("tx.held");
    private final Counters.Counter txHeldOverflow = counters.counter("tx.held_overflow");
    private final Counters.Counter heldBytesGauge = counters.counter("tx.held_bytes");
    private final Counters.Counter txUnresolved = counters.counter("tx.unresolved");
    private final Counters.Counter txErrors = counters.counter("tx.errors");

    /** What the device does beyond carrying frames, read once. */
    private final NetifOffloads offloads;
    /** True while delivering a datagram whose transport checksum the device vouched for. */
    private boolean deliveringVouched;

    /** An IPv4 layer over {@code ethernet} and {@code arp} with a static configuration. */
    public DefaultIpv4(Ethernet ethernet, Arp arp, Ipv4Config config, StackContext context) {
        this.ethernet = ethernet;
        this.arp = arp;
        this.config = config;
        this.loop = context.loop();
        this.offloads = ethernet.offloads();
        this.routing = new Routing(config.cidrs(), config.gateway());
        this.configuredIps = config.cidrs().stream().map(c -> (IpAddress) c.address()).toList();
        this.reassembly = new ReassemblyBuffer(loop, config.reassemblyTimeout().toNanos(),
                config.maxFragmentsPerDatagram(), config.maxReassemblyBytes(), config.maxReassemblyBytesPerSource(),
                config.maxIncompleteDatagrams(), config.maxIncompleteDatagramsPerSource(), counters);
        this.reassembly.table().onTimeout(this::reassemblyTimedOut);
        this.held = new ResolutionQueue(arp.config().pendingPacketsPerAddress(), arp.config().maxPendingBytes(),
                ArpConfig.HELD_OVERHEAD);
        this.pathMtus = new PathMtuTable(config.pathMtuCacheSize(), config.pathMtuLifetime().toNanos(),
                MIN_PATH_MTU);
        this.identifications = new Identifications(context.secrets());
        for (Ipv4Rejection r : Ipv4Rejection.values()) {
            rxRejected.put(r, counters.counter(r.counterName()));
        }
    }

    // ---- receiving ----------------------------------------------------------------------

    @Override
    public void input(ByteBuffer packet, IpHandler tcp, IpHandler udp, OtherProtocolHandler other) {
        rxPackets.increment();
        if (disconnected) {
            return;
        }
        Ipv4Packet p = rxPacket.wrap(packet, packet.position(), packet.remaining());
        Ipv4Rejection rejection = p.check();
        if (rejection == null && !p.checksumValid()) {
            rejection = Ipv4Rejection.BAD_CHECKSUM;
        }
        if (rejection != null) {
            rxRejected.get(rejection).increment();
            return;
        }
        if (!routing.accepts(p.destination())) {
            // A host does not forward (RFC 1122 3.3.1.3 "MUST NOT forward" unless configured).
            rxNotForUs.increment();
            return;
        }
        int source = p.source();
        if (routing.kind(source).isBroadcastOrMulticast()) {
            // RFC 1122 3.2.1.3: a broadcast or multicast source address is invalid.
            rxBadSource.increment();
            return;
        }
        if (p.hasSourceRoute()) {
            // RFC 7126 4.3: source-routed datagrams are dropped (Linux: accept_source_route=0).
            rxSourceRouted.increment();
            return;
        }
        ByteBuffer datagram = packet;
        boolean vouched = !p.isFragment() && ethernet.rxChecksumValid();
        if (p.isFragment()) {
            datagram = reassembly.add(p, packet);
            if (datagram == null) {
                return;
            }
            p = rxPacket.wrap(datagram, 0, datagram.limit());
        }
        deliver(p, datagram, vouched, tcp, udp, other);
    }

    private void deliver(Ipv4Packet p, ByteBuffer datagram, boolean vouched, IpHandler tcp, IpHandler udp,
                         OtherProtocolHandler other) {
        Ipv4Address src = sourceAddress(p.source());
        Ipv4Address dst = destinationAddress(p.destination());
        int headerStart = p.offset();
        int payloadStart = p.payloadOffset();
        // Trailing bytes after the total length (Ethernet padding) are cut off here.
        datagram.limit(payloadStart + p.payloadLength());
        datagram.position(payloadStart);
        int protocol = p.protocol();
        IpHandler transport = protocol == IpProtocol.TCP ? tcp : protocol == IpProtocol.UDP ? udp : null;
        boolean served = transport != null || (protocol != IpProtocol.TCP && protocol != IpProtocol.UDP && other != null);
        if (!served) {
            // RFC 1122 3.2.2.1: nothing here speaks the protocol: protocol unreachable.
            rxNoHandler.increment();
            report(IcmpError.Kind.PROTOCOL_UNREACHABLE, datagram, headerStart, payloadStart + p.payloadLength());
            return;
        }
        rxDelivered.increment();
        boolean outerVouched = deliveringVouched;
        delivering = datagram;
        deliveringStart = headerStart;
        deliveringEnd = payloadStart + p.payloadLength();
        deliveringVouched = vouched;
        try {
            if (transport != null) {
                transport.input(src, dst, datagram);
            } else {
                // Other protocols (ICMP among them) also get the header, which ICMP errors quote.
                ByteBuffer header = datagram.duplicate().limit(payloadStart).position(headerStart);
                other.input(protocol, src, dst, header, datagram);
            }
        } finally {
            delivering = null;
            deliveringVouched = outerVouched;
        }
    }

    @Override
    public boolean rxChecksumValid() {
        return deliveringVouched;
    }

    @Override
    public void portUnreachable(ByteBuffer payload) {
        reportDelivering(IcmpError.Kind.PORT_UNREACHABLE, payload);
    }

    @Override
    public void protocolUnreachable(ByteBuffer payload) {
        reportDelivering(IcmpError.Kind.PROTOCOL_UNREACHABLE, payload);
    }

    private void reportDelivering(IcmpError.Kind kind, ByteBuffer payload) {
        if (payload == null || payload != delivering) {
            // Not from within the delivery of this buffer: the header to quote is gone.
            rxMisreported.increment();
            return;
        }
        rxUndeliverable.increment();
        report(kind, payload, deliveringStart, deliveringEnd);
    }

    /**
     * Hands the datagram at {@code buffer[start..end)} to the undeliverable handler, leaving
     * the buffer's position and limit as they were.
     */
    private void report(IcmpError.Kind kind, ByteBuffer buffer, int start, int end) {
        UndeliverableHandler handler = undeliverable;
        if (handler == null) {
            return;
        }
        int position = buffer.position();
        int limit = buffer.limit();
        try {
            buffer.limit(end).position(start);
            handler.undeliverable(kind, buffer);
        } finally {
            buffer.limit(limit).position(position);
        }
    }

    /** RFC 1122 3.3.2: a datagram whose first fragment came and that timed out gets a time exceeded. */
    private void reassemblyTimedOut(byte[] header, byte[] firstPayload) {
        if (undeliverable == null || disconnected) {
            return;
        }
        ByteBuffer first = ByteBuffer.allocate(header.length + firstPayload.length);
        first.put(0, header).put(header.length, firstPayload);
        report(IcmpError.Kind.REASSEMBLY_TIME_EXCEEDED, first, 0, first.limit());
    }

    private Ipv4Address sourceAddress(int bits) {
        if (lastSource == null || bits != lastSourceBits) {
            lastSource = new Ipv4Address(bits);
            lastSourceBits = bits;
        }
        return lastSource;
    }

    private Ipv4Address destinationAddress(int bits) {
        Ipv4Address ours = routing.ours(bits);
        if (ours != null) {
            return ours;
        }
        if (lastDestination == null || bits != lastDestinationBits) {
            lastDestination = bits == -1 ? Ipv4Address.BROADCAST : new Ipv4Address(bits);
            lastDestinationBits = bits;
        }
        return lastDestination;
    }

    // ---- sending --------------------------------------------------------------------------

    @Override
    public Result<IpError> write(IpAddress src, IpAddress dst, int protocol, int ttl, boolean fragment, int size,
                                 PacketWriter payload) {
        IpError refused = WriteChecks.check(4, src, dst, protocol, ttl, size, disconnected, Ipv4Packet.MAX_PAYLOAD,
                txNoRoute, txErrors, txTooLarge);
        if (refused != null) {
            return Result.err(refused);
        }
        Ipv4Address destination = (Ipv4Address) dst;
        int dstBits = destination.bits();
        int mtu = pathMtu(dstBits);
        // A fragment carries at least eight bytes (RFC 791 3.2); a link too small for that
        // (below 28 bytes, where RFC 791 requires 68) cannot carry what does not fit whole.
        if (Ipv4Packet.HEADER_LENGTH + size > mtu && !cutByDevice(protocol, dstBits, size, mtu)
                && (!fragment || Fragmenter.fragmentPayload(mtu) < 8)) {
            txWouldFragment.increment();
            return Result.err(new IpError.WouldFragment(Ipv4Packet.HEADER_LENGTH + size, mtu));
        }
        int source = src == null ? routing.source(destination.bits()).bits() : ((Ipv4Address) src).bits();
        int timeToLive = ttl < 0 ? config.defaultTtl() : ttl;
        MacAddress mac;
        AddressKind kind = routing.kind(dstBits);
        if (routing.ours(dstBits) != null) {
            // To ourselves: no ARP; the link layer under the stack loops our own MAC back.
            txLocal.increment();
            mac = ethernet.mac();
        } else if (kind == AddressKind.LIMITED_BROADCAST || kind == AddressKind.SUBNET_BROADCAST) {
            // RFC 1122 3.3.6: a broadcast goes to the link's broadcast address, no ARP.
            mac = MacAddress.BROADCAST;
        } else if (kind == AddressKind.MULTICAST) {
            mac = multicastMac(dstBits);
        } else {
            Ipv4Address hop = routing.nextHop(destination);
            if (hop == null) {
                txNoRoute.increment();
                return Result.err(new IpError.NoRoute(dst));
            }
            CompletableFuture<MacAddress> resolution = arp.query(hop);
            if (!resolution.isDone()) {
                return hold(hop, resolution, source, dstBits, protocol, timeToLive, !fragment, size, payload);
            }
            if (resolution.isCompletedExceptionally()) {
                // Only a stopped ARP layer fails a query at once; a timed-out one starts afresh.
                txUnresolved.increment();
                return Result.err(new IpError.Link("no link address for " + hop));
            }
            mac = resolution.getNow(null);
        }
        return transmit(mac, source, dstBits, protocol, timeToLive, !fragment, size, payload);
    }

    /** RFC 1112 6.4: 01:00:5e and the low 23 bits of the group address. */
    private static MacAddress multicastMac(int group) {
        return new MacAddress(0x0100_5e00_0000L | (group & 0x7f_ffff));
    }

    private Result<IpError> transmit(MacAddress mac, int source, int destination, int protocol, int ttl,
                                     boolean dontFragment, int size, PacketWriter payload) {
        int identification = identifications.next(source, destination, protocol);
        int mtu = pathMtu(destination);
        // A payload writer that writes another datagram from inside its fill needs a writer
        // (and a scratch buffer) of its own; the common case reuses the layer's.
        boolean nested = writer.busy();
        DatagramWriter w = nested ? new DatagramWriter() : writer;
        try {
            w.datagram(source, destination, protocol, ttl, identification, dontFragment);
            if (Ipv4Packet.HEADER_LENGTH + size <= mtu || cutByDevice(protocol, destination, size, mtu)) {
                w.payload(payload, size, 0, false);
                Result<EthernetError> r = ethernet.write(null, mac, EtherType.IPV4, Ipv4Packet.HEADER_LENGTH + size, w);
                if (!r.isOk()) {
                    return linkError(r.errorOrNull());
                }
                txPackets.increment();
                return Result.ok();
            }
            // RFC 791 2.3: fragment. The payload is written once into a scratch buffer and
            // each fragment copies its share into its own frame.
            ByteBuffer whole = nested ? ByteBuffer.allocate(Ipv4Packet.MAX_PAYLOAD) : scratch();
            int n = AbstractDatagramWriter.checkedLength(payload.write(whole, 0, size), size);
            EthernetError e = fragmenter.send(ethernet, mac, w, whole, 0, n, mtu);
            txFragments.add(fragmenter.fragmentsSent());
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
     * device that cuts it into wire segments (TSO): the path's MTU is the link's, so the
     * device cuts it to the size TCP chose, and it is not to one of our own addresses.
     */
    private boolean cutByDevice(int protocol, int destination, int size, int mtu) {
        return offloads.tso4() && protocol == IpProtocol.TCP && mtu == ethernet.mtu()
            && Ipv4Packet.HEADER_LENGTH + size <= offloads.maxTsoFrame() - Netif.ETHERNET_HEADER_SIZE
            && routing.ours(destination) == null;
    }

    private ByteBuffer scratch() {
        if (scratch == null) {
            scratch = ByteBuffer.allocate(Ipv4Packet.MAX_PAYLOAD);
        }
        return scratch.clear();
    }

    private Result<IpError> linkError(EthernetError e) {
        txErrors.increment();
        return Result.err(new IpError.Link(e.toString()));
    }

    /**
     * Holds a datagram until {@code hop} resolves: the payload is copied now (the
     * caller's writer is only valid during this call), and the datagram is sent, with a
     * fresh identification, when the resolution completes, or dropped if it fails.
     */
    private Result<IpError> hold(Ipv4Address hop, CompletableFuture<MacAddress> resolution, int source,
                                 int destination, int protocol, int ttl, boolean dontFragment, int size,
                                 PacketWriter payload) {
        ByteBuffer copy = ByteBuffer.allocate(size);
        int n = AbstractDatagramWriter.checkedLength(payload.write(copy, 0, size), size);
        copy.limit(n);
        long droppedBefore = held.dropped();
        int hopBits = hop.bits();
        boolean first = held.hold(hopBits, new ResolutionQueue.Held(source, destination, protocol, ttl, dontFragment,
                copy));
        txHeld.increment();
        txHeldOverflow.add(held.dropped() - droppedBefore);
        heldBytesGauge.add(held.bytes() - heldBytesGauge.get());
        if (first) {
            resolution.whenComplete((mac, error) -> resolved(hopBits, mac));
        }
        return Result.ok();
    }

    private void resolved(int hop, MacAddress mac) {
        ArrayDeque<ResolutionQueue.Held> waiting = held.release(hop);
        heldBytesGauge.add(held.bytes() - heldBytesGauge.get());
        if (disconnected) {
            return;
        }
        if (mac == null) {
            txUnresolved.add(waiting.size());
            return;
        }
        for (ResolutionQueue.Held h : waiting) {
            ByteBuffer p = h.payload();
            transmit(mac, h.source(), h.destination(), h.protocol(), h.ttl(), h.dontFragment(), p.limit(),
                    heldCopier.region(p, 0, p.limit()));
        }
    }

    // ---- configuration --------------------------------------------------------------------

    @Override
    public long pseudoheaderChecksum(IpAddress src, IpAddress dst, int protocol, int length) {
        // RFC 768 / RFC 9293 3.1: source, destination, zero and protocol, length.
        long sum = InternetChecksum.add32(0, ((Ipv4Address) src).bits());
        sum = InternetChecksum.add32(sum, ((Ipv4Address) dst).bits());
        sum = InternetChecksum.add16(sum, protocol);
        return InternetChecksum.add16(sum, length);
    }

    @Override
    public IpAddress src(IpAddress dst) {
        return routing.source(dst instanceof Ipv4Address d ? d.bits() : 0);
    }

    @Override
    public NetifOffloads offloads(IpAddress dst) {
        if (!(dst instanceof Ipv4Address d) || routing.ours(d.bits()) != null) {
            return NetifOffloads.NONE;
        }
        return pathMtu(d.bits()) == ethernet.mtu() ? offloads : offloads.withoutSegmentation();
    }

    @Override
    public int mtu(IpAddress dst) {
        int path = dst instanceof Ipv4Address d ? pathMtu(d.bits()) : ethernet.mtu();
        return path - Ipv4Packet.HEADER_LENGTH;
    }

    /** The MTU towards {@code destination}: the link's, or the lower one ICMP reported. */
    private int pathMtu(int destination) {
        int link = ethernet.mtu();
        // An empty table, the usual case, needs no clock.
        return pathMtus.isEmpty() ? link
                : pathMtus.pathMtu(AddressBits.ipv4High(), AddressBits.ipv4Low(destination), link, loop.nanoTime());
    }

    @Override
    public void updatePathMtu(IpAddress dst, int mtu) {
        if (!(dst instanceof Ipv4Address destination)) {
            return;
        }
        if (pathMtus.update(AddressBits.ipv4High(), AddressBits.ipv4Low(destination.bits()), mtu, ethernet.mtu(),
                loop.nanoTime())) {
            pathMtuUpdates.increment();
        }
    }

    @Override
    public void onUndeliverable(UndeliverableHandler handler) {
        this.undeliverable = handler;
    }

    @Override
    public AddressKind addressKind(IpAddress address) {
        return address instanceof Ipv4Address a ? routing.kind(a.bits()) : AddressKind.of(address);
    }

    @Override
    public List<IpAddress> configuredIps() {
        return configuredIps;
    }

    @Override
    public List<Ipv4Cidr> cidrs() {
        return config.cidrs();
    }

    @Override
    public Optional<Ipv4Address> gateway() {
        return Optional.ofNullable(config.gateway());
    }

    @Override
    public Counters counters() {
        return counters;
    }

    @Override
    public CompletableFuture<Void> disconnect() {
        return loop.call(() -> {
            disconnected = true;
            reassembly.table().clear();
            held.clear();
            pathMtus.clear();
            return CompletableFuture.completedFuture(null);
        });
    }

    /** Incomplete datagrams being reassembled now (for tests and status). */
    int incompleteDatagrams() {
        return reassembly.table().incompleteDatagrams();
    }

    /** Datagrams waiting for address resolution now (for tests and status). */
    int heldDatagrams() {
        return held.size();
    }

    /** Bytes of datagrams waiting for address resolution now, overheads included (for tests and status). */
    int heldBytes() {
        return held.bytes();
    }

    /** Sources with incomplete datagrams now (for tests and status). */
    int reassemblySources() {
        return reassembly.table().sources();
    }

    /** The most incomplete datagrams one source has now (for tests). */
    int largestSourceDatagrams() {
        return reassembly.table().largestSourceDatagrams();
    }

    /** The most fragments one incomplete datagram holds now (for tests). */
    int largestDatagramFragments() {
        return reassembly.table().largestDatagramFragments();
    }

    /** Bytes held by incomplete datagrams now, overheads included (for tests and status). */
    int reassemblyHeldBytes() {
        return reassembly.table().heldBytes();
    }

    /** Destinations with a remembered path MTU now (for tests and status). */
    int pathMtuEntries() {
        return pathMtus.size();
    }
}
