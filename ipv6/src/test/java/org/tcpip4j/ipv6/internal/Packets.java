package org.tcpip4j.ipv6.internal;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import org.tcpip4j.netif.InternetChecksum;
import org.tcpip4j.netif.Ipv6Address;

/** Builds IPv6 datagrams, extension headers and ICMPv6 messages byte by byte for the tests. */
final class Packets {

    static final HexFormat HEX = HexFormat.of();

    private Packets() {
    }

    /** A datagram whose fixed header names {@code nextHeader}, followed by {@code rest}. */
    static byte[] datagram(Ipv6Address src, Ipv6Address dst, int nextHeader, int hopLimit, byte[] rest) {
        ByteBuffer b = ByteBuffer.allocate(40 + rest.length);
        b.putInt(0, 0x6000_0000);
        b.putShort(4, (short) rest.length);
        b.put(6, (byte) nextHeader);
        b.put(7, (byte) hopLimit);
        src.write(b, 8);
        dst.write(b, 24);
        b.put(40, rest);
        return b.array();
    }

    static byte[] datagram(Ipv6Address src, Ipv6Address dst, int nextHeader, byte[] rest) {
        return datagram(src, dst, nextHeader, 64, rest);
    }

    /** Concatenates byte strings. */
    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /**
     * A hop-by-hop or destination options header naming {@code next}, with the options
     * given in hex (their length plus two must be a multiple of eight).
     */
    static byte[] options(int next, String optionsHex) {
        byte[] o = HEX.parseHex(optionsHex);
        if ((o.length + 2) % 8 != 0) {
            throw new IllegalArgumentException("options of " + o.length + " bytes do not fill whole words");
        }
        byte[] h = new byte[2 + o.length];
        h[0] = (byte) next;
        h[1] = (byte) ((h.length / 8) - 1);
        System.arraycopy(o, 0, h, 2, o.length);
        return h;
    }

    /** A routing header of {@code type} with {@code segmentsLeft}, of 24 bytes (one address for type 0). */
    static byte[] routing(int next, int type, int segmentsLeft) {
        byte[] h = new byte[24];
        h[0] = (byte) next;
        h[1] = 2;
        h[2] = (byte) type;
        h[3] = (byte) segmentsLeft;
        return h;
    }

    /** A fragment header. */
    static byte[] fragment(int next, int offset, boolean more, int id) {
        ByteBuffer b = ByteBuffer.allocate(8);
        b.put(0, (byte) next);
        b.putShort(2, (short) (offset | (more ? 1 : 0)));
        b.putInt(4, id);
        return b.array();
    }

    /** An ICMPv6 message with its checksum over the pseudo-header filled. */
    static byte[] icmpv6(Ipv6Address src, Ipv6Address dst, byte[] message) {
        byte[] m = message.clone();
        m[2] = 0;
        m[3] = 0;
        ByteBuffer b = ByteBuffer.wrap(m);
        long sum = 0;
        byte[] s = src.toBytes();
        byte[] d = dst.toBytes();
        sum = InternetChecksum.sum(ByteBuffer.wrap(s), 0, 16, sum);
        sum = InternetChecksum.sum(ByteBuffer.wrap(d), 0, 16, sum);
        sum = InternetChecksum.add32(sum, m.length);
        sum = InternetChecksum.add16(sum, 58);
        b.putShort(2, (short) InternetChecksum.finish(InternetChecksum.sum(b, 0, m.length, sum)));
        return m;
    }

    /** {@code n} bytes of a recognisable pattern. */
    static byte[] pattern(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + seed);
        }
        return b;
    }

    static String hex(ByteBuffer b) {
        byte[] x = new byte[b.remaining()];
        b.get(b.position(), x);
        return HEX.formatHex(x);
    }
}
