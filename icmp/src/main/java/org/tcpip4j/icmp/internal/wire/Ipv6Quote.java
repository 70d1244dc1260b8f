package org.tcpip4j.icmp.internal.wire;

import java.nio.ByteBuffer;
import java.util.Objects;
import org.tcpip4j.netif.Ipv6Address;

/**
 * The datagram an ICMPv6 error message quotes after its 8-byte header (RFC 4443 3: "as much
 * of invoking packet as possible without the ICMPv6 packet exceeding the minimum IPv6
 * MTU"), as a plain value: the addresses of the quoted fixed header, the upper-layer
 * protocol its extension headers lead to ({@link Ipv6Chain}), and the first eight bytes of
 * that header (ports for UDP and TCP; type, code, identifier and sequence for an echo).
 * {@link #parse} is total; {@link #emit} writes a quote back, for tests and for messages
 * built by hand.
 *
 * <p>Only the first fragment of a datagram can be matched: a later one does not carry the
 * upper-layer header ({@link Ipv6QuoteRejection#NOT_FIRST_FRAGMENT}).
 *
 * @param payloadLength the quoted payload length field
 * @param fragmented whether the quoted chain holds a fragment header (of a first fragment)
 * @param protocol the upper-layer protocol (17 for UDP, 6 for TCP, 58 for ICMPv6, ...)
 * @param source the quoted source address
 * @param destination the quoted destination address
 * @param payloadStart the first eight bytes of the upper-layer header, most significant first
 */
public record Ipv6Quote(int payloadLength, boolean fragmented, int protocol, Ipv6Address source,
                        Ipv6Address destination, long payloadStart) implements Ipv6QuoteParseResult {

    /** The upper-layer bytes a quote must hold. */
    public static final int PAYLOAD_BYTES = 8;

    /** Checks the fields. */
    public Ipv6Quote {
        if (payloadLength < 0 || payloadLength > 0xffff || protocol < 0 || protocol > 255) {
            throw new IllegalArgumentException("payload length " + payloadLength + ", protocol " + protocol);
        }
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(destination, "destination");
    }

    /** Parses the quote at {@code buffer}'s position..limit (the error message's data). Never throws. */
    public static Ipv6QuoteParseResult parse(ByteBuffer buffer) {
        int at = buffer.position();
        int length = buffer.remaining();
        if (length < Ipv6Chain.FIXED_HEADER) {
            return Ipv6QuoteRejection.TOO_SHORT;
        }
        if ((buffer.get(at) & 0xf0) != 0x60) {
            return Ipv6QuoteRejection.BAD_VERSION;
        }
        long walked = Ipv6Chain.walk(buffer, at, length);
        if (walked == Ipv6Chain.TOO_LONG) {
            return Ipv6QuoteRejection.CHAIN_TOO_LONG;
        }
        if (walked < 0) {
            return Ipv6QuoteRejection.TRUNCATED;
        }
        if (Ipv6Chain.notFirstFragment(walked)) {
            return Ipv6QuoteRejection.NOT_FIRST_FRAGMENT;
        }
        int upper = Ipv6Chain.offset(walked);
        if (length - upper < PAYLOAD_BYTES) {
            return Ipv6QuoteRejection.TRUNCATED;
        }
        return new Ipv6Quote(buffer.getShort(at + 4) & 0xffff, Ipv6Chain.fragmented(walked),
                Ipv6Chain.protocol(walked), Ipv6Address.read(buffer, at + 8), Ipv6Address.read(buffer, at + 24),
                buffer.getLong(at + upper));
    }

    /** Bytes {@link #emit} writes: the fixed header, a fragment header when fragmented, eight bytes. */
    public int bufferLength() {
        return Ipv6Chain.FIXED_HEADER + (fragmented ? 8 : 0) + PAYLOAD_BYTES;
    }

    /**
     * Writes the quote at {@code buffer[offset..]}: the fixed header (traffic class and flow
     * label zero, hop limit 64), a fragment header of a first fragment (more fragments set,
     * identification zero) when {@link #fragmented}, and the eight upper-layer bytes.
     */
    public void emit(ByteBuffer buffer, int offset) {
        buffer.putInt(offset, 0x6000_0000);
        buffer.putShort(offset + 4, (short) payloadLength);
        buffer.put(offset + 6, (byte) (fragmented ? 44 : protocol));
        buffer.put(offset + 7, (byte) 64);
        source.write(buffer, offset + 8);
        destination.write(buffer, offset + 24);
        int upper = offset + Ipv6Chain.FIXED_HEADER;
        if (fragmented) {
            buffer.putLong(upper, (long) protocol << 56 | 1L << 32);
            upper += 8;
        }
        buffer.putLong(upper, payloadStart);
    }
}
