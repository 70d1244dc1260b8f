package org.tcpip4j.udp.internal;

import java.nio.ByteBuffer;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.tcpip4j.ip.IcmpError;
import org.tcpip4j.ip.Ip;
import org.tcpip4j.ip.IpError;
import org.tcpip4j.ip.IpProtocol;
import org.tcpip4j.netif.Counters;
import org.tcpip4j.netif.IpAddress;
import org.tcpip4j.netif.Ipv6Address;
import org.tcpip4j.netif.Result;
import org.tcpip4j.netif.loop.EventLoop;
import org.tcpip4j.netif.loop.Secrets;
import org.tcpip4j.netif.loop.StackContext;
import org.tcpip4j.udp.Udp;
import org.tcpip4j.udp.UdpCallback;
import org.tcpip4j.udp.UdpErrorCallback;
import org.tcpip4j.udp.UdpConfig;
import org.tcpip4j.udp.UdpException;
import org.tcpip4j.udp.internal.wire.UdpPacket;
import org.tcpip4j.udp.internal.wire.UdpRejection;

/**
 * The default UDP layer (RFC 768, RFC 1122 4.1) over any {@link Ip}: listeners per port
 * in a {@link PortTable}, datagrams written straight into the IP layer's frame by a reused
 * {@link DatagramWriter}, checksums always sent and verified when present (over IPv6 a
 * datagram without one is dropped, RFC 8200 8.1); listeners on either IP version or both,
 * over the one {@link Ip} of both versions. A datagram for a
 * port nobody listens on is reported to the IP layer for an ICMP port unreachable (RFC 1122
 * 4.1.3.1); ICMP errors about datagrams we sent go to the error callback of their source
 * port (RFC 1122 4.1.3.3).
 *
 * <p>On the event loop, sending and receiving allocate nothing: a successful write
 * returns one shared completed future that no caller can change ({@link CompletedWrite}). Calls
 * from other threads are handed to the loop.
 */
public final class DefaultUdp implements Udp {

    private final Ip ip;
    private final EventLoop loop;
    private final Secrets secrets;
    private final boolean fragment;
    /** RFC 6056 2.1: the range ephemeral ports are drawn from (the configuration's). */
    private final int ephemeralFirst;
    private final int ephemeralCount;
    /** The listeners of IPv4 datagrams, by port. */
    private final PortTable<UdpCallback> listeners4 = new PortTable<>();
    /** The listeners of IPv6 datagrams, by port (the same callback as in {@link #listeners4} for both versions). */
    private final PortTable<UdpCallback> listeners6 = new PortTable<>();
    private final PortTable<UdpErrorCallback> errorCallbacks = new PortTable<>();
    private final UdpPacket rxPacket = new UdpPacket();
    private final DatagramWriter writer = new DatagramWriter();
    private volatile boolean disconnected;

    private final Counters counters = new Counters("udp");
    private final Counters.Counter rxDatagrams = counters.counter("rx.datagrams");
    private final Map<UdpRejection, Counters.Counter> rxRejected = new EnumMap<>(UdpRejection.class);
    private final Counters.Counter rxNoListener = counters.counter("rx.no_listener");
    private final Counters.Counter rxDelivered = counters.counter("rx.delivered");
    private final Counters.Counter rxIcmpErrors = counters.counter("rx.icmp_errors");
    private final Counters.Counter rxIcmpErrorsUnclaimed = counters.counter("rx.icmp_errors_unclaimed");
    private final Counters.Counter txDatagrams = counters.counter("tx.datagrams");
    private final Counters.Counter txBytes = counters.counter("tx.bytes");
    private final Counters.Counter txErrors = counters.counter("tx.errors");

    /** A UDP layer over {@code ip} with {@link UdpConfig#DEFAULT}. */
    public DefaultUdp(Ip ip, StackContext context) {
        this(ip, UdpConfig.DEFAULT, context);
    }

    /**
     * A UDP layer over {@code ip}, drawing ephemeral ports from {@code config}'s range with
     * the context's secrets, fragmenting large datagrams as {@code config} says.
     */
    public DefaultUdp(Ip ip, UdpConfig config, StackContext context) {
        this.ip = ip;
        this.loop = context.loop();
        this.secrets = context.secrets();
        this.fragment = config.fragment();
        this.ephemeralFirst = config.ephemeralFirst();
        this.ephemeralCount = config.ephemeralLast() - config.ephemeralFirst() + 1;
        for (UdpRejection r : UdpRejection.values()) {
            rxRejected.put(r, counters.counter(r.counterName()));
        }
    }

    private static void checkPort(String name, int port) {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException(name + " out of 0..65535: " + port);
        }
    }

    @Override
    public void listen(int port, UdpCallback callback) {
        listen(port, ANY_VERSION, callback);
    }

    @Override
    public void listen(int port, int ipVersion, UdpCallback callback) {
        checkPort("port", port);
        if (ipVersion != ANY_VERSION && ipVersion != 4 && ipVersion != 6) {
            throw new IllegalArgumentException("IP version must be 4, 6 or 0 (both): " + ipVersion);
        }
        Objects.requireNonNull(callback, "callback");
        loop.run(() -> {
            if (!disconnected) {
                if (ipVersion != 6) {
                    listeners4.put(port, callback);
                }
                if (ipVersion != 4) {
                    listeners6.put(port, callback);
                }
            }
        });
    }

    @Override
    public void unlisten(int port) {
        checkPort("port", port);
        loop.run(() -> {
            listeners4.remove(port);
            listeners6.remove(port);
        });
    }

    @Override
    public void onError(int port, UdpErrorCallback callback) {
        checkPort("port", port);
        loop.run(() -> {
            if (callback == null) {
                errorCallbacks.remove(port);
            } else if (!disconnected) {
                errorCallbacks.put(port, callback);
            }
        });
    }

    /**
     * Delivers an ICMP error to the callback of the quoted source port. Fragmentation needed
     * lowers the path MTU only when this layer sends with DF set (its configuration does not
     * fragment): UDP has nothing to check a message against (RFC 5927 5.1), and one about a
     * datagram we let be fragmented is forged or mistaken (RFC 1191 4). Over IPv6 routers
     * never fragment, so every datagram is sent as with DF and a Packet Too Big always
     * lowers the path MTU (RFC 8201 4; the IP layer keeps it at 1280 or above).
     */
    @Override
    public void icmpError(IcmpError error) {
        rxIcmpErrors.increment();
        if (error.kind() == IcmpError.Kind.FRAGMENTATION_NEEDED && error.protocol() == IpProtocol.UDP
                && (!fragment || error.destination() instanceof Ipv6Address)) {
            ip.updatePathMtu(error.destination(), error.nextHopMtu());
        }
        UdpErrorCallback callback = error.protocol() == IpProtocol.UDP ? errorCallbacks.get(error.sourcePort()) : null;
        if (callback == null) {
            rxIcmpErrorsUnclaimed.increment();
            return;
        }
        callback.error(error);
    }

    @Override
    public CompletableFuture<Void> write(IpAddress src, int srcPort, IpAddress dst, int dstPort, int ttl,
                                         ByteBuffer payload) {
        try {
            checkPort("source port", srcPort);
            checkPort("destination port", dstPort);
            Objects.requireNonNull(dst, "dst");
            Objects.requireNonNull(payload, "payload");
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (loop.inEventLoop()) {
            return writeOnLoop(src, srcPort, dst, dstPort, ttl, payload);
        }
        return loop.call(() -> writeOnLoop(src, srcPort, dst, dstPort, ttl, payload));
    }

    private CompletableFuture<Void> writeOnLoop(IpAddress src, int srcPort, IpAddress dst, int dstPort, int ttl,
                                                ByteBuffer payload) {
        if (disconnected) {
            return CompletableFuture.failedFuture(new UdpException.Disconnected());
        }
        int sourcePort = srcPort == 0 ? ephemeralPort() : srcPort;
        // The pseudo-header must name the source the IP layer will put in the header.
        IpAddress source = src != null ? src : ip.src(dst);
        long pseudo = ip.pseudoheaderChecksum(source, dst, IpProtocol.UDP, 0);
        writer.set(sourcePort, dstPort, payload, pseudo);
        Result<IpError> r;
        try {
            r = ip.write(source, dst, IpProtocol.UDP, ttl, fragment, UdpPacket.HEADER_LENGTH + payload.remaining(), writer);
        } finally {
            writer.release();
        }
        if (!r.isOk()) {
            txErrors.increment();
            return CompletableFuture.failedFuture(new UdpException.Ip(r.errorOrNull()));
        }
        txDatagrams.increment();
        txBytes.add(payload.remaining());
        return CompletedWrite.INSTANCE;
    }

    /**
     * RFC 6056 3.3.1, "Algorithm 1: simple port randomization": a random port of the
     * ephemeral range, skipping ports with a listener so replies are not taken by it. The
     * port is drawn from the secrets (RFC 6056 3.3.1 asks for a PRNG an attacker cannot
     * predict), so one port seen tells nothing of the next.
     */
    private int ephemeralPort() {
        int offset = secrets.nextInt(ephemeralCount);
        for (int tries = 0; tries < ephemeralCount && listening(ephemeralFirst + offset); tries++) {
            offset = offset + 1 == ephemeralCount ? 0 : offset + 1;
        }
        return ephemeralFirst + offset;
    }

    private boolean listening(int port) {
        return listeners4.get(port) != null || listeners6.get(port) != null;
    }

    /**
     * Checks and delivers a datagram of either IP version. Over IPv6 the checksum is
     * mandatory (RFC 8200 8.1): a datagram without one (zero) is dropped and counted; over
     * IPv4 zero means none was computed (RFC 768) and the datagram is taken.
     */
    @Override
    public void input(IpAddress src, IpAddress dst, ByteBuffer datagram) {
        rxDatagrams.increment();
        int start = datagram.position();
        UdpPacket p = rxPacket.wrap(datagram, start, datagram.remaining());
        UdpRejection rejection = p.check();
        boolean ipv6 = src instanceof Ipv6Address;
        if (rejection == null && ipv6 && p.checksum() == 0) {
            rejection = UdpRejection.ZERO_CHECKSUM;
        } else if (rejection == null && !ip.rxChecksumValid()
                && !p.checksumValid(ip.pseudoheaderChecksum(src, dst, IpProtocol.UDP, p.length()))) {
            // RFC 1122 4.1.3.4: a datagram whose checksum fails is silently discarded.
            rejection = UdpRejection.BAD_CHECKSUM;
        }
        if (rejection != null) {
            rxRejected.get(rejection).increment();
            return;
        }
        UdpCallback listener = (ipv6 ? listeners6 : listeners4).get(p.destinationPort());
        if (listener == null) {
            // RFC 1122 4.1.3.1: "UDP SHOULD send an ICMP Port Unreachable message"; the IP
            // layer quotes the datagram and ICMP decides whether one may go out.
            // None about a datagram to a broadcast or multicast address (RFC 1122 3.2.2).
            rxNoListener.increment();
            if (!ip.addressKind(dst).isBroadcastOrMulticast()) {
                ip.portUnreachable(datagram);
            }
            return;
        }
        int sourcePort = p.sourcePort();
        datagram.limit(start + p.length());
        datagram.position(p.dataOffset());
        rxDelivered.increment();
        listener.datagram(src, dst, sourcePort, datagram);
    }

    @Override
    public Counters counters() {
        return counters;
    }

    @Override
    public CompletableFuture<Void> disconnect() {
        return loop.call(() -> {
            disconnected = true;
            listeners4.clear();
            listeners6.clear();
            errorCallbacks.clear();
            return CompletableFuture.completedFuture(null);
        });
    }

    /** Ports listened on now, over either version (for tests and status). */
    int listenerCount() {
        int n = 0;
        for (int port = 0; port <= 65_535; port++) {
            n += listening(port) ? 1 : 0;
        }
        return n;
    }
}
