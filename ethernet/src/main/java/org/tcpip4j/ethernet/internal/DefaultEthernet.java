package org.tcpip4j.ethernet.internal;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import org.tcpip4j.ethernet.EtherType;
import org.tcpip4j.ethernet.Ethernet;
import org.tcpip4j.ethernet.EthernetError;
import org.tcpip4j.ethernet.PayloadHandler;
import org.tcpip4j.ethernet.internal.wire.EthernetFrame;
import org.tcpip4j.ethernet.internal.wire.EthernetRejection;
import org.tcpip4j.netif.Counters;
import org.tcpip4j.netif.MacAddress;
import org.tcpip4j.netif.Netif;
import org.tcpip4j.netif.NetifError;
import org.tcpip4j.netif.NetifOffloads;
import org.tcpip4j.netif.PacketWriter;
import org.tcpip4j.netif.Result;
import org.tcpip4j.netif.loop.StackContext;

/**
 * The default Ethernet II layer: accepts frames for our MAC, broadcast and multicast,
 * hands their payload to the handler of their ethertype, and writes frames with their
 * header straight into the device's buffer.
 *
 * <p>Receiving and sending allocate nothing: the frame view and the frame writer are
 * reused, the payload is passed up as the same buffer with its position moved past the
 * header. Runs on the device's event loop.
 */
public final class DefaultEthernet implements Ethernet {

    private final Netif netif;
    private final long mac;
    private final MacAddress macAddress;
    private final EthernetFrame rxFrame = new EthernetFrame();
    private final FrameWriter frameWriter = new FrameWriter();
    private final Counters counters = new Counters("ethernet");
    private final Counters.Counter rxFrames = counters.counter("rx.frames");
    private final Counters.Counter rxBytes = counters.counter("rx.bytes");
    private final Counters.Counter rxRunt = counters.counter(EthernetRejection.RUNT.counterName());
    private final Counters.Counter rxNotForUs = counters.counter("rx.not_for_us");
    private final Counters.Counter rxGroupNotJoined = counters.counter("rx.group_not_joined");
    private final Counters.Counter rxUnknownEthertype = counters.counter("rx.unknown_ethertype");
    private final Counters.Counter rxNoHandler = counters.counter("rx.no_handler");
    private final Counters.Counter rxDisconnected = counters.counter("rx.disconnected");
    private final Counters.Counter txFrames = counters.counter("tx.frames");
    private final Counters.Counter txBytes = counters.counter("tx.bytes");
    private final Counters.Counter txExceedsMtu = counters.counter("tx.exceeds_mtu");
    /**
     * The largest payload of a frame the device cuts into wire frames itself (TSO), 0
     * without: such frames may exceed the MTU, and the device refuses what it cannot cut.
     */
    private final int maxSegmentedPayload;
    private final Counters.Counter txErrors = counters.counter("tx.errors");
    private volatile boolean disconnected;
    // The multicast groups joined, with how many times each: a few at most, scanned.
    private long[] groups = new long[4];
    private int[] joins = new int[4];
    private int groupCount;

    /** An Ethernet layer over {@code netif}, sending from the device's MAC. */
    public DefaultEthernet(Netif netif, StackContext context) {
        int mtu = netif.mtu();
        if (mtu < MIN_MTU || mtu > MAX_MTU) {
            // RFC 791: every internet module must be able to forward 68 bytes whole; the
            // IPv4 total length field ends at 65535.
            throw new IllegalArgumentException("the device's MTU must be in " + MIN_MTU + ".." + MAX_MTU + ": " + mtu);
        }
        this.netif = netif;
        this.macAddress = netif.mac();
        this.mac = macAddress.bits();
        NetifOffloads offloads = netif.offloads();
        this.maxSegmentedPayload = offloads.tso4() || offloads.tso6()
            ? offloads.maxTsoFrame() - Netif.ETHERNET_HEADER_SIZE : 0;
    }

    @Override
    public MacAddress mac() {
        return macAddress;
    }

    @Override
    public int mtu() {
        return netif.mtu();
    }

    @Override
    public NetifOffloads offloads() {
        return netif.offloads();
    }

    @Override
    public boolean rxChecksumValid() {
        return netif.rxChecksumValid();
    }

    @Override
    public void input(ByteBuffer frame, PayloadHandler arpv4, PayloadHandler ipv4, PayloadHandler ipv6) {
        rxFrames.increment();
        rxBytes.add(frame.remaining());
        if (disconnected) {
            rxDisconnected.increment();
            return;
        }
        EthernetFrame view = rxFrame.wrap(frame, frame.position(), frame.remaining());
        if (view.check() != null) {
            rxRunt.increment();
            return;
        }
        long destination = view.destination();
        // IEEE 802.3 4.2.4.1.2: a station takes frames for its own address, for broadcast,
        // and for the group addresses it recognises: the ones joined.
        if (destination != mac && destination != BROADCAST) {
            if (!isGroup(destination)) {
                rxNotForUs.increment();
                return;
            }
            if (indexOfGroup(destination) < 0) {
                rxGroupNotJoined.increment();
                return;
            }
        }
        PayloadHandler handler;
        switch (view.etherType()) {
            case EtherType.ARP -> handler = arpv4;
            case EtherType.IPV4 -> handler = ipv4;
            case EtherType.IPV6 -> handler = ipv6;
            default -> {
                // Also 802.3 length frames (type < 0x0600, LLC/SNAP) and VLAN tags: unsupported.
                rxUnknownEthertype.increment();
                return;
            }
        }
        if (handler == null) {
            rxNoHandler.increment();
            return;
        }
        // The payload keeps any padding to 60 bytes and any trailer: the layer above knows
        // its own length (IPv4 trims by its total length, ARP reads 28 bytes).
        frame.position(view.payloadOffset());
        handler.payload(frame);
    }

    private static final long BROADCAST = 0xffff_ffff_ffffL;
    /** The smallest MTU accepted of a device (RFC 791's 68 bytes). */
    static final int MIN_MTU = 68;
    /** The largest MTU accepted of a device (the largest IPv4 datagram). */
    static final int MAX_MTU = 65_535;

    private static boolean isGroup(long mac) {
        return (mac & (0x01L << 40)) != 0;
    }

    private int indexOfGroup(long group) {
        for (int i = 0; i < groupCount; i++) {
            if (groups[i] == group) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public void joinGroup(MacAddress group) {
        long g = group.bits();
        if (!isGroup(g) || g == BROADCAST) {
            throw new IllegalArgumentException("not a multicast group address: " + group);
        }
        int i = indexOfGroup(g);
        if (i >= 0) {
            joins[i]++;
            return;
        }
        if (groupCount == groups.length) {
            groups = java.util.Arrays.copyOf(groups, groupCount * 2);
            joins = java.util.Arrays.copyOf(joins, groupCount * 2);
        }
        groups[groupCount] = g;
        joins[groupCount] = 1;
        groupCount++;
    }

    @Override
    public void leaveGroup(MacAddress group) {
        int i = indexOfGroup(group.bits());
        if (i < 0 || --joins[i] > 0) {
            return;
        }
        groupCount--;
        groups[i] = groups[groupCount];
        joins[i] = joins[groupCount];
    }

    @Override
    public Result<EthernetError> write(MacAddress src, MacAddress dst, int ethertype, int size,
                                       PacketWriter payload) {
        if ((size > netif.mtu() && size > maxSegmentedPayload) || size < 0) {
            txExceedsMtu.increment();
            return Result.err(new EthernetError.ExceedsMtu(size, netif.mtu()));
        }
        if (disconnected) {
            txErrors.increment();
            return Result.err(new EthernetError.Netif(NetifError.DISCONNECTED));
        }
        // A writer that writes another frame from inside its own fill (a synchronous
        // loopback, say) needs a writer of its own; the common case reuses one.
        FrameWriter writer = frameWriter.busy() ? new FrameWriter() : frameWriter;
        writer.set(src == null ? mac : src.bits(), dst.bits(), ethertype, size, payload);
        Result<NetifError> result;
        try {
            result = netif.write(EthernetFrame.HEADER_LENGTH + size, writer);
        } finally {
            writer.release();
        }
        if (!result.isOk()) {
            txErrors.increment();
            return Result.err(new EthernetError.Netif(result.errorOrNull()));
        }
        txFrames.increment();
        txBytes.add(writer.written());
        return Result.ok();
    }

    @Override
    public Counters counters() {
        return counters;
    }

    @Override
    public CompletableFuture<Void> disconnect() {
        disconnected = true;
        return CompletableFuture.completedFuture(null);
    }
}
