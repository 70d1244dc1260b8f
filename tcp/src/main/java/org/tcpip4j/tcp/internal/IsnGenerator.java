package org.tcpip4j.tcp.internal;

import org.tcpip4j.netif.IpAddress;
import org.tcpip4j.netif.Ipv4Address;
import org.tcpip4j.netif.SipHash;
import org.tcpip4j.netif.loop.EventLoop;
import org.tcpip4j.netif.loop.Secrets;

/**
 * Initial sequence numbers per RFC 6528 3: {@code ISN = M + F(localip, localport,
 * remoteip, remoteport, secretkey)}, where M is a timer ticking every 4 microseconds and F
 * is SipHash-2-4 keyed with 128 bits drawn once from the stack's {@link Secrets}, over
 * the whole 4-tuple: an IPv4 one's two addresses in one word and its ports in another, an
 * IPv6 one's addresses as 128 bits each ({@link FourTuple#hash}). Each
 * 4-tuple gets its own sequence space, unpredictable to an off-path attacker, and an
 * incarnation of the same 4-tuple later on starts higher than the one before (RFC 9293
 * 3.4.1).
 */
final class IsnGenerator implements IsnSource {

    private final EventLoop loop;
    private final long k0;
    private final long k1;

    /** A generator keyed from {@code secrets}, ticking with {@code loop}'s clock. */
    IsnGenerator(EventLoop loop, Secrets secrets) {
        this.loop = loop;
        this.k0 = secrets.nextLong();
        this.k1 = secrets.nextLong();
    }

    @Override
    public int isn(IpAddress localAddress, int localPort, IpAddress remoteAddress, int remotePort) {
        long m = loop.nanoTime() / 4_000; // RFC 6528 3: M, a 4-microsecond timer
        return (int) (m + f(localAddress, localPort, remoteAddress, remotePort, 0));
    }

    /**
     * The offset of the timestamp clock of a connection of this 4-tuple (RFC 7323 5.4,
     * 7.1): the same keyed hash with a bit of the port word set to keep it apart from the
     * ISN's, so the offset tells nothing of the ISN, and is the same for every incarnation
     * of the 4-tuple (RFC 6191 needs their timestamps to grow).
     */
    @Override
    public int timestampOffset(IpAddress localAddress, int localPort, IpAddress remoteAddress, int remotePort) {
        return (int) f(localAddress, localPort, remoteAddress, remotePort, 1L << 62);
    }

    private long f(IpAddress local, int localPort, IpAddress remote, int remotePort, long use) {
        if (local instanceof Ipv4Address l && remote instanceof Ipv4Address r) {
            // Both addresses in one word: every bit of an IPv4 4-tuple, hashed as it always was.
            return sipHash24(k0, k1, ((long) l.bits() << 32) | (r.bits() & 0xffff_ffffL),
                ((long) localPort << 16 | remotePort) | use);
        }
        return FourTuple.hash(k0, k1, FourTuple.high(local), FourTuple.low(local), FourTuple.high(remote),
            FourTuple.low(remote), (FourTuple.ports(localPort, remotePort) & 0xffff_ffffL) | use);
    }

    /** SipHash-2-4 (Aumasson and Bernstein) of two 64-bit words ({@link SipHash}). */
    static long sipHash24(long k0, long k1, long m0, long m1) {
        return SipHash.hash(k0, k1, m0, m1);
    }
}
