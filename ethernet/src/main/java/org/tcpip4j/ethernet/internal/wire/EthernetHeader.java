package org.tcpip4j.ethernet.internal.wire;

import java.nio.ByteBuffer;
import java.util.Objects;
import org.tcpip4j.netif.MacAddress;

/**
 * An Ethernet II header as a plain value, with a total {@link #parse} and an
 * {@link #emit} that writes it back: the form tests and tools use; the receive path uses
 * the {@link EthernetFrame} view instead.
 *
 * @param destination the destination MAC
 * @param source the source MAC
 * @param etherType the ethertype, 0 to 0xffff
 */
public record EthernetHeader(MacAddress destination, MacAddress source, int etherType)
        implements EthernetParseResult {

    /** Checks the fields. */
    public EthernetHeader {
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(source, "source");
        if (etherType < 0 || etherType > 0xffff) {
            throw new IllegalArgumentException("ethertype out of 0..0xffff: " + etherType);
        }
    }

    /**
     * Parses the header at the start of {@code buffer}'s position..limit; bytes after the
     * header (payload, padding) are not looked at. Never throws.
     */
    public static EthernetParseResult parse(ByteBuffer buffer) {
        EthernetFrame frame = new EthernetFrame().wrap(buffer, buffer.position(), buffer.remaining());
        EthernetRejection rejection = frame.check();
        if (rejection != null) {
            return rejection;
        }
        return new EthernetHeader(new MacAddress(frame.destination()), new MacAddress(frame.source()),
                frame.etherType());
    }

    /** Bytes {@link #emit} writes. */
    public int bufferLength() {
        return EthernetFrame.HEADER_LENGTH;
    }

    /** Writes the header at {@code buffer[offset..offset+14]}. */
    public void emit(ByteBuffer buffer, int offset) {
        EthernetFrame frame = new EthernetFrame().wrap(buffer, offset, EthernetFrame.HEADER_LENGTH);
        frame.setDestination(destination.bits());
        frame.setSource(source.bits());
        frame.setEtherType(etherType);
    }
}
