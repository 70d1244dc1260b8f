package org.tcpip4j.ethernet.internal;

import java.nio.ByteBuffer;
import org.tcpip4j.ethernet.internal.wire.EthernetFrame;
import org.tcpip4j.netif.PacketWriter;

/**
 * Writes one frame into the device's buffer: the Ethernet header, then the payload
 * writer's bytes right after it. One instance is reused for every frame (set, then handed
 * to the device), so writing allocates nothing.
 */
final class FrameWriter implements PacketWriter {

    private final EthernetFrame frame = new EthernetFrame();
    private long source;
    private long destination;
    private int etherType;
    private int payloadSize;
    private PacketWriter payload;
    private boolean busy;
    private int written;

    /** True while a frame is being written with this writer (a nested write needs another). */
    boolean busy() {
        return busy;
    }

    /** Sets what the next frame carries. */
    void set(long source, long destination, int etherType, int payloadSize, PacketWriter payload) {
        this.source = source;
        this.destination = destination;
        this.etherType = etherType;
        this.payloadSize = payloadSize;
        this.payload = payload;
        this.written = 0;
        this.busy = true;
    }

    /** Forgets the payload writer once the device is done, so it is not kept reachable. */
    void release() {
        payload = null;
        busy = false;
    }

    /** The length of the last frame written, header included; 0 when the device never asked. */
    int written() {
        return written;
    }

    @Override
    public int write(ByteBuffer buffer, int offset, int maxLength) {
        int room = Math.min(payloadSize, maxLength - EthernetFrame.HEADER_LENGTH);
        if (room < 0) {
            throw new IllegalStateException("device lent " + maxLength + " bytes, less than a header");
        }
        frame.wrap(buffer, offset, maxLength);
        frame.setDestination(destination);
        frame.setSource(source);
        frame.setEtherType(etherType);
        int n = payload.write(buffer, offset + EthernetFrame.HEADER_LENGTH, room);
        if (n < 0 || n > room) {
            throw new IllegalStateException("payload writer wrote " + n + " bytes of at most " + room);
        }
        written = EthernetFrame.HEADER_LENGTH + n;
        return written;
    }
}
