package org.tcpip4j.ip.support;

import java.nio.ByteBuffer;
import org.tcpip4j.netif.PacketWriter;

/**
 * A payload writer that copies a region of a buffer: a fragment's share of a datagram
 * built in a scratch buffer, or a datagram held while its next hop resolved. Reused.
 */
public final class RegionCopier implements PacketWriter {

    private ByteBuffer source;
    private int from;
    private int length;

    /** Sets the region the next write copies. */
    public RegionCopier region(ByteBuffer source, int from, int length) {
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
