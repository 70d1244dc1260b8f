package org.tcpip4j.icmp.internal;

import java.nio.ByteBuffer;
import org.tcpip4j.icmp.internal.wire.IcmpHeader;
import org.tcpip4j.netif.Ipv6Address;

/** IPv6 datagrams and ICMPv6 messages built byte by byte for the tests. */
final class Ipv6Packets {

    private Ipv6Packets() {
    }

    /**
     * A datagram from {@code src} to {@code dst}: the fixed header, then {@code chain} (the
     * extension headers, each starting with its next header byte, which this fills in so
     * that the last one leads to {@code protocol}), then {@code payload}.
     */
    static byte[] datagram(Ipv6Address src, Ipv6Address dst, int protocol, byte[][] chain, byte[] payload) {
        int chainLength = 0;
        for (byte[] h : chain) {
            chainLength += h.length;
        }
        ByteBuffer b = ByteBuffer.allocate(40 + chainLength + payload.length);
        b.putInt(0, 0x6000_0000).putShort(4, (short) (chainLength + payload.length)).put(7, (byte) 64);
        src.write(b, 8);
        dst.write(b, 24);
        int at = 40;
        for (int i = 0; i < chain.length; i++) {
            b.put(at, chain[i]);
            b.put(at, (byte) (i + 1 < chain.length ? type(chain[i + 1]) : protocol));
            at += chain[i].length;
        }
        b.put(6, (byte) (chain.length > 0 ? type(chain[0]) : protocol));
        b.put(at, payload);
        return b.array();
    }

    /** A datagram without extension headers. */
    static byte[] datagram(Ipv6Address src, Ipv6Address dst, int protocol, byte[] payload) {
        return datagram(src, dst, protocol, new byte[0][], payload);
    }

    /**
     * The type of an extension header built by {@link #hopByHop}, {@link #destinationOptions}
     * or {@link #fragment}: kept in the first byte until {@link #datagram} writes the next
     * header there.
     */
    private static int type(byte[] header) {
        return header[0] & 0xff;
    }

    /** A hop-by-hop options header of 8 bytes (a PadN option). */
    static byte[] hopByHop() {
        return new byte[] {0, 0, 1, 4, 0, 0, 0, 0};
    }

    /** A destination options header of 8 bytes holding one option of {@code optionType} (at offset 2). */
    static byte[] destinationOptions(int optionType) {
        return new byte[] {60, 0, (byte) optionType, 4, 0, 0, 0, 0};
    }

    /** A fragment header at byte offset {@code offset} (a multiple of 8), more fragments set. */
    static byte[] fragment(int offset) {
        return new byte[] {44, 0, (byte) (offset >> 8), (byte) (offset | 1), 0, 0, 0x12, 0x34};
    }

    /** {@code message} as the IPv6 layer hands it over: behind the Ethernet and IPv6 headers. */
    static ByteBuffer received(byte[] message) {
        ByteBuffer b = ByteBuffer.allocate(54 + message.length);
        b.put(54, message).position(54);
        return b;
    }

    /** A UDP header and {@code data} from port 40000 to port 9. */
    static byte[] udp(int dataLength) {
        ByteBuffer u = ByteBuffer.allocate(8 + dataLength);
        u.putShort(0, (short) 40000).putShort(2, (short) 9).putShort(4, (short) (8 + dataLength));
        return u.array();
    }

    /** An ICMPv6 message of {@code type}/{@code code} with {@code data}, checksummed over the pseudo-header. */
    static byte[] icmp(Ipv6Address src, Ipv6Address dst, int type, int code, int rest, byte[] data) {
        byte[] m = new byte[8 + data.length];
        System.arraycopy(data, 0, m, 8, data.length);
        new IcmpHeader(type, code, rest, data.length).emit(ByteBuffer.wrap(m), 0);
        ByteBuffer b = ByteBuffer.wrap(m);
        b.putShort(2, (short) 0);
        long sum = CapturingIpv6.pseudoHeader(src, dst, 58, m.length);
        for (int i = 0; i + 1 < m.length; i += 2) {
            sum += b.getShort(i) & 0xffff;
        }
        if ((m.length & 1) != 0) {
            sum += (m[m.length - 1] & 0xff) << 8;
        }
        while (sum >>> 16 != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        b.putShort(2, (short) ~sum);
        return m;
    }
}
