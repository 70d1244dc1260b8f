package org.tcpip4j.udp.internal.wire;

import java.nio.ByteBuffer;

/**
 * A UDP header as a plain value (RFC 768), with a total {@link #parse} and an
 * {@link #emit}. Both take the partial sum of the IP layer's pseudo-header, which the
 * checksum covers.
 *
 * @param sourcePort the source port
 * @param destinationPort the destination port
 * @param length the length field: header and data
 * @param checksum the checksum field (0 when the sender computed none)
 */
public record UdpHeader(int sourcePort, int destinationPort, int length, int checksum) implements UdpParseResult {

    /** Checks that every field fits its 16 bits and the length covers the header. */
    public UdpHeader {
        if (sourcePort < 0 || sourcePort > 0xffff || destinationPort < 0 || destinationPort > 0xffff
                || length < UdpPacket.HEADER_LENGTH || length > 0xffff || checksum < 0 || checksum > 0xffff) {
            throw new IllegalArgumentException("ports " + sourcePort + ", " + destinationPort + ", length " + length
                    + ", checksum " + checksum);
        }
    }

    /**
     * Parses the datagram at {@code buffer}'s position..limit and verifies its checksum
     * against {@code pseudoheaderSum}. Bytes past the length field are ignored. Never throws.
     */
    public static UdpParseResult parse(ByteBuffer buffer, long pseudoheaderSum) {
        UdpPacket p = new UdpPacket().wrap(buffer, buffer.position(), buffer.remaining());
        UdpRejection rejection = p.check();
        if (rejection != null) {
            return rejection;
        }
        if (!p.checksumValid(pseudoheaderSum)) {
            return UdpRejection.BAD_CHECKSUM;
        }
        return new UdpHeader(p.sourcePort(), p.destinationPort(), p.length(), p.checksum());
    }

    /** The data length: the length field less the header. */
    public int dataLength() {
        return length - UdpPacket.HEADER_LENGTH;
    }

    /**
     * Writes the header at {@code buffer[offset..]} in front of the data already there and
     * fills the checksum over both and the pseudo-header; the {@link #checksum} field of
     * this value is not used.
     */
    public void emit(ByteBuffer buffer, int offset, long pseudoheaderSum) {
        UdpPacket p = new UdpPacket().wrap(buffer, offset, length);
        p.emitHeader(sourcePort, destinationPort, length);
        p.fillChecksum(pseudoheaderSum);
    }
}
