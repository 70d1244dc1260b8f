package org.tcpip4j.ipv6.internal;

import java.nio.ByteBuffer;
import org.tcpip4j.netif.PacketWriter;

/**
 * A payload writer that copies a region of a buffer: a fragment's share of a datagram
 * built in the scratch buffer, or a datagram held while its next hop resolved. Reused.
 */
final class RegionCopier implements PacketWriter {

    private ByteBuffer source;
    private int from;
    private int length;

    /** Sets the region the next write copies. */
    RegionCopier region(ByteBuffer source, int from, int length) {
        this.source = source;
        this.from = from;
        this.length = length;
        return this;
    }

    @Override
    public int write(ByteBuffer buffer, int offset, int maxLength) {
        int n = Math.min(length, maxLength);
        buffer.put(offset, source, from, n);
        return n;
    }
}
