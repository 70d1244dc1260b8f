package org.tcpip4j.netif.tap.internal;

import java.nio.ByteBuffer;

/**
 * Ethernet frames with TCP segments (RFC 791 IPv4, RFC 8200 IPv6, RFC 9293 TCP) and UDP
 * datagrams built by hand for the offload tests; checksums are left as the caller puts them.
 * Addresses are in 198.18.0.0/15 and 2001:2::/48.
 */
public final class OffloadFrames {

    /** TCP's CWR flag. */
    public static final int CWR = 0x80;
    /** TCP's ACK flag. */
    public static final int ACK = 0x10;

    private OffloadFrames() {
    }

    /**
     * An Ethernet frame with a TCP segment in IPv4: {@code ipOptions} bytes of IP options
     * (a multiple of 4), {@code tcpOptions} bytes of TCP options (a multiple of 4, NOPs),
     * {@code payload} bytes of a pattern, and {@code fragment} the flags and offset field.
     */
    public static byte[] tcp4(int ipOptions, int tcpOptions, int payload, int tcpFlags, int fragment) {
        int ipHeader = 20 + ipOptions;
        int tcpHeader = 20 + tcpOptions;
        ByteBuffer f = ByteBuffer.allocate(14 + ipHeader + tcpHeader + payload);
        ethernet(f, 0x0800);
        f.put(14, (byte) (0x40 | ipHeader / 4));
        f.putShort(16, (short) (ipHeader + tcpHeader + payload));
        f.putShort(18, (short) 0x1234);
        f.putShort(20, (short) fragment);
        f.put(22, (byte) 64);
        f.put(23, (byte) 6);
        f.put(26, new byte[] {(byte) 198, 18, 0, 2});
        f.put(30, new byte[] {(byte) 198, 18, 0, 1});
        for (int i = 0; i < ipOptions; i++) {
            f.put(34 + i, (byte) 1); // NOP
        }
        tcp(f, 14 + ipHeader, tcpOptions, payload, tcpFlags);
        return f.array();
    }

    /** An Ethernet frame with a TCP segment right after an IPv6 header ({@code nextHeader} 6 for TCP). */
    public static byte[] tcp6(int tcpOptions, int payload, int tcpFlags, int nextHeader) {
        int tcpHeader = 20 + tcpOptions;
        ByteBuffer f = ByteBuffer.allocate(14 + 40 + tcpHeader + payload);
        ethernet(f, 0x86DD);
        f.putInt(14, 0x60000000);
        f.putShort(18, (short) (tcpHeader + payload));
        f.put(20, (byte) nextHeader);
        f.put(21, (byte) 64);
        f.put(22, new byte[] {0x20, 0x01, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2});
        f.put(38, new byte[] {0x20, 0x01, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1});
        tcp(f, 54, tcpOptions, payload, tcpFlags);
        return f.array();
    }

    /** An Ethernet frame with a UDP datagram of {@code payload} bytes in IPv4. */
    public static byte[] udp4(int payload) {
        ByteBuffer f = ByteBuffer.allocate(14 + 20 + 8 + payload);
        ethernet(f, 0x0800);
        f.put(14, (byte) 0x45);
        f.putShort(16, (short) (28 + payload));
        f.put(22, (byte) 64);
        f.put(23, (byte) 17);
        f.put(26, new byte[] {(byte) 198, 18, 0, 2});
        f.put(30, new byte[] {(byte) 198, 18, 0, 1});
        f.putShort(34, (short) 5000);
        f.putShort(36, (short) 7);
        f.putShort(38, (short) (8 + payload));
        for (int i = 0; i < payload; i++) {
            f.put(42 + i, (byte) (i * 7));
        }
        return f.array();
    }

    /** An Ethernet frame with an ARP request. */
    public static byte[] arp() {
        ByteBuffer f = ByteBuffer.allocate(42);
        ethernet(f, 0x0806);
        f.putShort(14, (short) 1);
        f.putShort(16, (short) 0x0800);
        f.put(18, (byte) 6);
        f.put(19, (byte) 4);
        f.putShort(20, (short) 1);
        return f.array();
    }

    private static void ethernet(ByteBuffer f, int ethertype) {
        f.put(0, new byte[] {2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2});
        f.putShort(12, (short) ethertype);
    }

    private static void tcp(ByteBuffer f, int at, int options, int payload, int flags) {
        int header = 20 + options;
        f.putShort(at, (short) 40000);
        f.putShort(at + 2, (short) 9);
        f.putInt(at + 4, 1000);
        f.putInt(at + 8, 2000);
        f.put(at + 12, (byte) ((header / 4) << 4));
        f.put(at + 13, (byte) flags);
        f.putShort(at + 14, (short) 65535);
        f.putShort(at + 16, (short) 0xbeef);
        for (int i = 0; i < options; i++) {
            f.put(at + 20 + i, (byte) 1); // NOP
        }
        for (int i = 0; i < payload; i++) {
            f.put(at + header + i, (byte) (i * 31 + 7));
        }
    }
}
