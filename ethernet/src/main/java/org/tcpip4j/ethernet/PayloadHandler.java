package org.tcpip4j.ethernet;

import java.nio.ByteBuffer;

/**
 * Receives the payload of a frame (its position..limit), on the event loop. The buffer is
 * the device's and valid only during the call.
 */
@FunctionalInterface
public interface PayloadHandler {

    /** Handles one payload. */
    void payload(ByteBuffer payload);
}
