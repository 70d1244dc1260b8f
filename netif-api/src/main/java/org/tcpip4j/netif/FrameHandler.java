package org.tcpip4j.netif;

import java.nio.ByteBuffer;

/**
 * Receives frames from a {@link Netif}, on the stack's event loop.
 *
 * <p>The frame lies between the buffer's position and limit. The buffer belongs to the
 * device and is valid only during the call: a handler that keeps bytes copies them. A
 * handler may move the position and limit (layers pass views of the same frame upward),
 * but must not write into the buffer: a device may hand one buffer to several handlers
 * (a switch flooding a frame).
 *
 * <p>A device that can delivers its frames in {@linkplain ByteBuffer#isReadOnly() read-only}
 * buffers (made once per buffer of its pool, so nothing is allocated per frame). The layers
 * above may then lend the bytes themselves onward, read-only, for the length of the call:
 * TCP hands in-order payload to a waiting reception without copying it into its receive
 * buffer first. A writable frame is copied there.
 */
@FunctionalInterface
public interface FrameHandler {

    /** Handles one whole Ethernet frame (no preamble, no FCS). */
    void frame(ByteBuffer frame);
}
