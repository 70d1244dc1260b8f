package org.tcpip4j.ipv4.internal;

import org.tcpip4j.netif.SipHash;
import org.tcpip4j.netif.loop.Secrets;

/**
 * The Identification of the datagrams we send. RFC 6864 4.1 needs it unique only per
 * source, destination and protocol while a datagram may live; RFC 7739 shows what a
 * single counter gives away (how much this host sends, to whom, and a way to aim forged
 * fragments), and 5.3 there describes what Linux does for IPv4 too ({@code ip_idents}):
 * a table of counters, each triple hashed with a secret key to one of them, and to an
 * offset of its own. An observer of one destination's identifications learns nothing of
 * another's beyond the ones sharing its counter.
 *
 * <p>The last triple's hash is kept, so a steady flow to one destination hashes once.
 * Loop only; allocates nothing.
 */
final class Identifications {

    /** Counters in the table (Linux's historical IP_IDENTS_SZ). */
    static final int BUCKETS = 2048;

    private final long k0;
    private final long k1;
    private final int[] counts = new int[BUCKETS];
    private long lastAddresses;
    private int lastProtocol = -1;
    private long lastHash;

    /** Identifications keyed with 128 bits of {@code secrets}. */
    Identifications(Secrets secrets) {
        this.k0 = secrets.nextLong();
        this.k1 = secrets.nextLong();
    }

    /** The identification of the next datagram from {@code source} to {@code destination} of {@code protocol}. */
    int next(int source, int destination, int protocol) {
        long addresses = ((long) source << 32) | (destination & 0xffff_ffffL);
        if (addresses != lastAddresses || protocol != lastProtocol) {
            lastHash = SipHash.hash(k0, k1, addresses, protocol);
            lastAddresses = addresses;
            lastProtocol = protocol;
        }
        int bucket = (int) lastHash & (BUCKETS - 1);
        return ((int) (lastHash >>> 32) + counts[bucket]++) & 0xffff;
    }
}
