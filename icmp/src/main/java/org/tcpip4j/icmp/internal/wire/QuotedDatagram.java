package org.tcpip4j.icmp.internal.wire;

import java.nio.ByteBuffer;
import java.util.Objects;
import org.tcpip4j.netif.Ipv4Address;

/**
 * The datagram an ICMP error message quotes after its 8-byte header (RFC 792: "Internet
 * Header + 64 bits of Original Data Datagram"), as a plain value: the fields of the quoted
 * IPv4 header that say whose datagram it was, and the first eight bytes of its payload.
 * {@link #parse} is total; {@link #emit} writes a header and payload start back, for tests
 * and for messages built by hand.
 *
 * <p>The quoted header's checksum is not verified: routers quote the header as they held
 * it, and some rewrite fields (TTL) before quoting.
 *
 * @param headerLength the quoted header's length, options included
 * @param totalLength the quoted datagram's total length field
 * @param dontFragment the quoted DF flag
 * @param fragmentOffset the quoted fragment offset, in bytes
 * @param protocol the quoted datagram's protocol
 * @param source the quoted source address
 * @param destination the quoted destination address
 * @param payloadStart the first eight bytes of the quoted payload (the transport header's
 *     start: ports for UDP and TCP), most significant byte first
 */
public record QuotedDatagram(int headerLength, int totalLength, boolean dontFragment, int fragmentOffset,
                             int protocol, Ipv4Address source, Ipv4Address destination, long payloadStart)
        implements QuoteParseResult {

    /** The payload bytes a quote must hold after the header (RFC 792, RFC 1122 3.2.2). */
    public static final int PAYLOAD_BYTES = 8;
    /** The smallest quote: a header without options and eight bytes. */
    public static final int MIN_LENGTH = 20 + PAYLOAD_BYTES;

    /** Checks the fields. */
    public QuotedDatagram {
        if (headerLength < 20 || headerLength > 60 || (headerLength & 3) != 0) {
            throw new IllegalArgumentException("header length not a multiple of 4 in 20..60: " + headerLength);
        }
        if (totalLength < 0 || totalLength > 0xffff || protocol < 0 || protocol > 255 || fragmentOffset < 0
                || fragmentOffset > 0x1fff * 8 || (fragmentOffset & 7) != 0) {
            throw new IllegalArgumentException("total length " + totalLength + ", protocol " + protocol
                    + ", fragment offset " + fragmentOffset);
        }
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(destination, "destination");
    }

    /**
     * Parses the quote at {@code buffer}'s position..limit (the error message's data).
     * Never throws.
     */
    public static QuoteParseResult parse(ByteBuffer buffer) {
        int at = buffer.position();
        int length = buffer.remaining();
        if (length < 20) {
            return QuoteRejection.TOO_SHORT;
        }
        int versionIhl = buffer.get(at) & 0xff;
        if (versionIhl >>> 4 != 4) {
            return QuoteRejection.BAD_VERSION;
        }
        int headerLength = (versionIhl & 0x0f) * 4;
        if (headerLength < 20) {
            return QuoteRejection.BAD_HEADER_LENGTH;
        }
        if (length < headerLength + PAYLOAD_BYTES) {
            return QuoteRejection.TRUNCATED;
        }
        int flagsOffset = buffer.getShort(at + 6) & 0xffff;
        return new QuotedDatagram(headerLength, buffer.getShort(at + 2) & 0xffff, (flagsOffset & 0x4000) != 0,
                (flagsOffset & 0x1fff) * 8, buffer.get(at + 9) & 0xff, Ipv4Address.read(buffer, at + 12),
                Ipv4Address.read(buffer, at + 16), buffer.getLong(at + headerLength));
    }

    /** Bytes {@link #emit} writes: the header (options zeroed) and eight payload bytes. */
    public int bufferLength() {
        return headerLength + PAYLOAD_BYTES;
    }

    /**
     * Writes the quoted header (TTL 64, identification and checksum zero, options as zero
     * bytes) and the eight payload bytes at {@code buffer[offset..]}.
     */
    public void emit(ByteBuffer buffer, int offset) {
        for (int i = 0; i < headerLength; i++) {
            buffer.put(offset + i, (byte) 0);
        }
        buffer.put(offset, (byte) (0x40 | headerLength / 4));
        buffer.putShort(offset + 2, (short) totalLength);
        buffer.putShort(offset + 6, (short) ((dontFragment ? 0x4000 : 0) | fragmentOffset / 8));
        buffer.put(offset + 8, (byte) 64);
        buffer.put(offset + 9, (byte) protocol);
        source.write(buffer, offset + 12);
        destination.write(buffer, offset + 16);
        buffer.putLong(offset + headerLength, payloadStart);
    }
}
