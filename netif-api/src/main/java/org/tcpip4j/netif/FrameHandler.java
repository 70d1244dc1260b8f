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
 */
@FunctionalInterface
public interface FrameHandler {

    /** Handles one whole Ethernet frame (no preamble, no FCS). */
    void frame(ByteBuffer frame);
}
