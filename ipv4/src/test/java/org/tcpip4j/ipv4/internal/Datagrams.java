package org.tcpip4j.ipv4.internal;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import org.tcpip4j.ipv4.internal.wire.Ipv4Header;
import org.tcpip4j.netif.Ipv4Address;

/** Builds datagrams and fragments byte by byte for the tests, through the wire record. */
final class Datagrams {

    static final HexFormat HEX = HexFormat.of();

    private Datagrams() {
    }

    /** A datagram (or fragment) with a 20-byte header and {@code payload}. */
    static byte[] datagram(Ipv4Address src, Ipv4Address dst, int protocol, int id, int offset, boolean more,
                           byte[] payload) {
        byte[] b = new byte[20 + payload.length];
        new Ipv4Header(0, id, false, more, offset, 64, protocol, src, dst, payload.length).emit(ByteBuffer.wrap(b), 0);
        System.arraycopy(payload, 0, b, 20, payload.length);
        return b;
    }

    /** An unfragmented datagram. */
    static byte[] datagram(Ipv4Address src, Ipv4Address dst, int protocol, byte[] payload) {
        return datagram(src, dst, protocol, 7, 0, false, payload);
    }

    /** {@code n} bytes of a recognisable pattern. */
    static byte[] pattern(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + seed);
        }
        return b;
    }
}
