package org.tcpip4j.ipv6.internal;

import org.tcpip4j.netif.SipHash;
import org.tcpip4j.netif.loop.Secrets;

/**
 * The values of sent datagrams that must be stable per flow yet unpredictable from outside,
 * keyed with secrets drawn once:
 *
 * <ul>
 *   <li>the flow label (RFC 6437 3): 20 bits of a keyed hash of source, destination,
 *       protocol and, for TCP and UDP, the ports, never zero (RFC 6437 2: zero means no
 *       label). One transport flow keeps one label; an observer cannot tell flows apart by
 *       it nor predict another's.
 *   <li>the fragment identification (RFC 8200 4.5, RFC 7739 5): as Linux does, a table of
 *       counters, each source and destination pair hashed to one of them and to an offset of
 *       its own, so that one destination's identifications tell nothing of another's.
 * </ul>
 *
 * <p>The last flow's hashes are kept, so a steady flow hashes once. Loop only; allocates
 * nothing.
 */
final class FlowHashes {

    /** Counters of identifications. */
    static final int BUCKETS = 2048;

    private final long k0;
    private final long k1;
    private final long k2;
    private final long k3;
    private final int[] counts = new int[BUCKETS];

    private long labelSrcHigh;
    private long labelSrcLow;
    private long labelDstHigh;
    private long labelDstLow;
    private long labelTail = -1;
    private int label;

    private long idSrcHigh;
    private long idSrcLow;
    private long idDstHigh;
    private long idDstLow;
    private boolean idKnown;
    private long idHash;

    /** Hashes keyed with 256 bits of {@code secrets}. */
    FlowHashes(Secrets secrets) {
        this.k0 = secrets.nextLong();
        this.k1 = secrets.nextLong();
        this.k2 = secrets.nextLong();
        this.k3 = secrets.nextLong();
    }

    /** SipHash over the two addresses under the key {@code (a, b)}, chained. */
    private static long pairHash(long a, long b, long srcHigh, long srcLow, long dstHigh, long dstLow) {
        long h = SipHash.hash(a, b, srcHigh, srcLow);
        return SipHash.hash(a ^ h, b, dstHigh, dstLow);
    }

    /**
     * The flow label of a datagram.
     *
     * @param ports the transport header's first four bytes (the ports of TCP and UDP), 0 for others
     */
    int flowLabel(long srcHigh, long srcLow, long dstHigh, long dstLow, int protocol, int ports) {
        long tail = ((long) protocol << 32) | (ports & 0xffff_ffffL);
        if (tail != labelTail || srcHigh != labelSrcHigh || srcLow != labelSrcLow || dstHigh != labelDstHigh
                || dstLow != labelDstLow) {
            long h = pairHash(k0, k1, srcHigh, srcLow, dstHigh, dstLow);
            h = SipHash.hash(k0, k1 ^ h, tail, 0);
            int l = (int) (h ^ (h >>> 20) ^ (h >>> 40)) & 0xf_ffff;
            label = l == 0 ? 1 : l;
            labelSrcHigh = srcHigh;
            labelSrcLow = srcLow;
            labelDstHigh = dstHigh;
            labelDstLow = dstLow;
            labelTail = tail;
        }
        return label;
    }

    /** The identification of the next fragmented datagram from the source to the destination. */
    int identification(long srcHigh, long srcLow, long dstHigh, long dstLow) {
        if (!idKnown || srcHigh != idSrcHigh || srcLow != idSrcLow || dstHigh != idDstHigh || dstLow != idDstLow) {
            idHash = pairHash(k2, k3, srcHigh, srcLow, dstHigh, dstLow);
            idSrcHigh = srcHigh;
            idSrcLow = srcLow;
            idDstHigh = dstHigh;
            idDstLow = dstLow;
            idKnown = true;
        }
        int bucket = (int) idHash & (BUCKETS - 1);
        return (int) (idHash >>> 32) + counts[bucket]++;
    }
}
