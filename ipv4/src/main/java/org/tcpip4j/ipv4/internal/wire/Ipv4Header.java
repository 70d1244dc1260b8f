package org.tcpip4j.ipv4.internal.wire;

import java.nio.ByteBuffer;
import java.util.Objects;
import org.tcpip4j.netif.Ipv4Address;

/**
 * An IPv4 header as a plain value (RFC 791 3.1), with a total {@link #parse} and an
 * {@link #emit} that writes it back. Options are skipped when parsing and never emitted:
 * the header length is then 20 and {@link #payloadLength} what follows the options.
 *
 * @param tos the type of service octet
 * @param identification the identification, 0 to 0xffff
 * @param dontFragment the DF flag
 * @param moreFragments the MF flag
 * @param fragmentOffset the fragment offset in bytes, a multiple of eight
 * @param ttl the time to live
 * @param protocol the payload's protocol
 * @param source the source address
 * @param destination the destination address
 * @param payloadLength the bytes after the header
 */
public record Ipv4Header(int tos, int identification, boolean dontFragment, boolean moreFragments,
                         int fragmentOffset, int ttl, int protocol, Ipv4Address source, Ipv4Address destination,
                         int payloadLength) implements Ipv4ParseResult {

    /** Checks that every field fits its bits. */
    public Ipv4Header {
        check("tos", tos, 0xff);
        check("identification", identification, 0xffff);
        check("fragmentOffset", fragmentOffset, 0x1fff * 8);
        if ((fragmentOffset & 7) != 0) {
            throw new IllegalArgumentException("fragment offset is a multiple of 8: " + fragmentOffset);
        }
        check("ttl", ttl, 0xff);
        check("protocol", protocol, 0xff);
        check("payloadLength", payloadLength, Ipv4Packet.MAX_PAYLOAD);
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(destination, "destination");
    }

    private static void check(String name, int value, int max) {
        if (value < 0 || value > max) {
            throw new IllegalArgumentException(name + " out of 0.." + max + ": " + value);
        }
    }

    /**
     * Parses the datagram at {@code buffer}'s position..limit: checks the version, header
     * length, total length and header checksum. Bytes after the total length are ignored.
     * Never throws.
     */
    public static Ipv4ParseResult parse(ByteBuffer buffer) {
        Ipv4Packet p = new Ipv4Packet().wrap(buffer, buffer.position(), buffer.remaining());
        Ipv4Rejection rejection = p.check();
        if (rejection != null) {
            return rejection;
        }
        if (!p.checksumValid()) {
            return Ipv4Rejection.BAD_CHECKSUM;
        }
        return new Ipv4Header(p.tos(), p.identification(), p.dontFragment(), p.moreFragments(),
                p.fragmentOffset(), p.ttl(), p.protocol(), new Ipv4Address(p.source()),
                new Ipv4Address(p.destination()), p.payloadLength());
    }

    /** Bytes {@link #emit} writes. */
    public int bufferLength() {
        return Ipv4Packet.HEADER_LENGTH;
    }

    /** Writes the 20-byte header, checksum included, at {@code buffer[offset..]}. */
    public void emit(ByteBuffer buffer, int offset) {
        new Ipv4Packet().wrap(buffer, offset, Ipv4Packet.HEADER_LENGTH).emit(tos, Ipv4Packet.HEADER_LENGTH
                + payloadLength, identification, dontFragment, moreFragments, fragmentOffset, ttl, protocol,
                source.bits(), destination.bits());
    }
}
