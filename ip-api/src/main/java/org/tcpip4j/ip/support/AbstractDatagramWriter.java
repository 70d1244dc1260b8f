package org.tcpip4j.ip.support;

import java.nio.ByteBuffer;
import org.tcpip4j.netif.PacketWriter;

/**
 * What the IP layers' datagram writers share: the payload writer of the datagram being
 * written, which fills its part behind the headers before the headers are written (with the
 * length it turned out to write), and whether the writer is in use, so that a payload writer
 * that sends another datagram from inside its fill gets a writer of its own. Reused.
 */
public abstract class AbstractDatagramWriter implements PacketWriter {

    private PacketWriter payload;
    private int payloadSize;
    private boolean busy;

    /** For subclasses. */
    protected AbstractDatagramWriter() {
    }

    /**
     * {@code n}, what a payload writer said it wrote into at most {@code max} bytes.
     *
     * @throws IllegalStateException when {@code n} is negative or above {@code max}
     */
    public static int checkedLength(int n, int max) {
        if (n < 0 || n > max) {
            throw new IllegalStateException("payload writer wrote " + n + " bytes of at most " + max);
        }
        return n;
    }

    /** True while a datagram is being written with this writer. */
    public final boolean busy() {
        return busy;
    }

    /** Marks the writer in use until {@link #release()}. */
    protected final void begin() {
        busy = true;
    }

    /** Sets the payload of the next datagram or fragment. */
    protected final void payload(PacketWriter payload, int payloadSize) {
        this.payload = payload;
        this.payloadSize = payloadSize;
    }

    /** Forgets the payload writer once the datagram is written. */
    public final void release() {
        payload = null;
        busy = false;
    }

    /**
     * Has the payload writer fill {@code buffer} from {@code at}, into at most
     * {@code maxLength} bytes and no more than the payload's size.
     *
     * @return the bytes it wrote
     */
    protected final int writePayload(ByteBuffer buffer, int at, int maxLength) {
        int room = Math.min(payloadSize, maxLength);
        return checkedLength(payload.write(buffer, at, room), room);
    }
}
