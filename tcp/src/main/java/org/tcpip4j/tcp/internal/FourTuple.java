package org.tcpip4j.tcp.internal;

import org.tcpip4j.netif.IpAddress;
import org.tcpip4j.netif.Ipv4Address;
import org.tcpip4j.netif.Ipv6Address;
import org.tcpip4j.netif.SipHash;

/**
 * The pair of sockets that names a connection (RFC 9293 3.3.1), as the layer's
 * {@link ConnectionTable} finds it: what a {@link Connection} and a {@link TimeWait} record
 * share. Besides the addresses, for the segments to send, it holds them as 128 bits each,
 * an IPv4 address as its IPv4-mapped IPv6 address {@code ::ffff:a.b.c.d} (RFC 4291
 * 2.5.5.2), so that one code path, with no allocation, compares and hashes the 4-tuples of
 * both versions. An IPv6 datagram carrying an IPv4-mapped address is refused before it
 * gets here ({@link DefaultTcp#input}), so the two versions' keys never meet.
 */
abstract class FourTuple {

    /** The high 64 bits of every IPv4-mapped address: zero. */
    private static final long V4_MAPPED_LOW = 0x0000_ffff_0000_0000L;

    final IpAddress localAddress;
    final IpAddress remoteAddress;
    final int localPort;
    final int remotePort;
    final long localHigh;
    final long localLow;
    final long remoteHigh;
    final long remoteLow;

    FourTuple(IpAddress localAddress, int localPort, IpAddress remoteAddress, int remotePort) {
        this.localAddress = localAddress;
        this.remoteAddress = remoteAddress;
        this.localPort = localPort;
        this.remotePort = remotePort;
        this.localHigh = high(localAddress);
        this.localLow = low(localAddress);
        this.remoteHigh = high(remoteAddress);
        this.remoteLow = low(remoteAddress);
    }

    /** The same 4-tuple as {@code other}. */
    FourTuple(FourTuple other) {
        this.localAddress = other.localAddress;
        this.remoteAddress = other.remoteAddress;
        this.localPort = other.localPort;
        this.remotePort = other.remotePort;
        this.localHigh = other.localHigh;
        this.localLow = other.localLow;
        this.remoteHigh = other.remoteHigh;
        this.remoteLow = other.remoteLow;
    }

    /** The two ports as one word, local first. */
    final int ports() {
        return ports(localPort, remotePort);
    }

    /** True when this is the 4-tuple of these 128-bit addresses and {@link #ports(int, int) ports}. */
    final boolean is(long lh, long ll, long rh, long rl, int ports) {
        return localLow == ll && remoteLow == rl && ports() == ports && localHigh == lh && remoteHigh == rh;
    }

    /** The local and remote ports as one word. */
    static int ports(int localPort, int remotePort) {
        return localPort << 16 | remotePort;
    }

    /** The high 64 bits of {@code address} as an IPv6 address (0 for IPv4, mapped). */
    static long high(IpAddress address) {
        return address instanceof Ipv6Address a ? a.high() : 0;
    }

    /** The low 64 bits of {@code address} as an IPv6 address ({@code ::ffff:a.b.c.d} for IPv4). */
    static long low(IpAddress address) {
        return switch (address) {
            case Ipv4Address a -> V4_MAPPED_LOW | (a.bits() & 0xffff_ffffL);
            case Ipv6Address a -> a.low();
        };
    }

    /**
     * SipHash-2-4 (Aumasson and Bernstein) under the key {@code (k0, k1)} of a 4-tuple: the
     * 40-byte message of the four address words and {@code word}, where the caller puts the
     * ports and whatever else sets one use of the hash apart from another. The keyed hash
     * every per-4-tuple secret of the layer comes from (ISNs, timestamp offsets, ephemeral
     * ports, SYN cookies, the table's slots): a pseudorandom function of all 128 bits of
     * both addresses, so a peer can neither predict it nor aim collisions ({@link SipHash}).
     * Allocates nothing.
     */
    static long hash(long k0, long k1, long lh, long ll, long rh, long rl, long word) {
        return SipHash.hash(k0, k1, lh, ll, rh, rl, word);
    }
}
