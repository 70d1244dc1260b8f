package org.tcpip4j.netif;

import java.nio.ByteBuffer;

/**
 * Fills a region of a buffer owned by the layer below (Mirage's {@code write ~size fill}).
 *
 * <p>The device owns the frame buffer: each layer writes its header at {@code offset} and
 * hands the rest of the region to the layer above, so a payload is copied once, into the
 * frame, and never between layers. Indexing is absolute; a writer must not rely on, or
 * leave changed, the buffer's position and limit.
 */
@FunctionalInterface
public interface PacketWriter {

    /**
     * Writes at most {@code maxLength} bytes at {@code buffer[offset..]}.
     *
     * @return the number of bytes written, between 0 and {@code maxLength}
     */
    int write(ByteBuffer buffer, int offset, int maxLength);
}
