package org.tcpip4j.netif.tap.internal;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.tcpip4j.netif.TcpSegmentation;

/**
 * The {@code struct virtio_net_hdr} (linux/virtio_net.h) a TAP opened with
 * {@code IFF_VNET_HDR} puts in front of every frame, both ways: static helpers reading and
 * writing it at the start of a memory segment, and {@link #prepareTransmit} which fills it
 * in for a frame the stack wrote.
 *
 * <p>The layout is the legacy 10-byte one, the kernel's default header size:
 * <pre>
 *   0  u8  flags        NEEDS_CSUM (1), DATA_VALID (2)
 *   1  u8  gso_type     NONE (0), TCPV4 (1), UDP (3), TCPV6 (4), UDP_L4 (5), | ECN (0x80)
 *   2  u16 hdr_len      Ethernet, IP and TCP headers of a GSO frame
 *   4  u16 gso_size     payload bytes in each segment the frame is cut into
 *   6  u16 csum_start   where the checksummed bytes start, from the start of the frame
 *   8  u16 csum_offset  where the checksum goes, from csum_start
 * </pre>
 * Not the 12-byte {@code virtio_net_hdr_v1}: its extra {@code num_buffers} only means
 * something for mergeable receive buffers in a virtio ring, and with 10 bytes the IP header
 * of a frame starts 24 bytes into the buffer, 8-byte aligned. The 16-bit fields are
 * little-endian: legacy virtio uses the host's order, and this module's numbers are for
 * x86_64 and aarch64; the device also asks for little-endian explicitly
 * ({@code TUNSETVNETLE}) and keeps the header off on a big-endian host.
 */
public final class VirtioNetHeader {

    /** The header's size in bytes, as set with {@code TUNSETVNETHDRSZ}. */
    public static final int SIZE = 10;

    /** flags: the checksum at {@code csum_start + csum_offset} is to be completed (Linux's CHECKSUM_PARTIAL). */
    public static final int F_NEEDS_CSUM = 1;
    /** flags: the checksums were verified (Linux's CHECKSUM_UNNECESSARY). */
    public static final int F_DATA_VALID = 2;

    /** gso_type: a frame to deliver or send as it is. */
    public static final int GSO_NONE = 0;
    /** gso_type: TCP over IPv4, to be cut into segments of {@code gso_size}. */
    public static final int GSO_TCPV4 = 1;
    /** gso_type: UDP fragmentation offload (never asked for here). */
    public static final int GSO_UDP = 3;
    /** gso_type: TCP over IPv6, to be cut into segments of {@code gso_size}. */
    public static final int GSO_TCPV6 = 4;
    /** gso_type: UDP segmentation offload (never asked for here). */
    public static final int GSO_UDP_L4 = 5;
    /** gso_type bit: the TCP segment has CWR set (only the first wire segment keeps it). */
    public static final int GSO_ECN = 0x80;

    /** {@link #prepareTransmit}: no offload, the frame goes as it is. */
    public static final int PLAIN = 0;
    /** {@link #prepareTransmit}: the kernel completes the TCP checksum. */
    public static final int CHECKSUM = 1;
    /** {@link #prepareTransmit}: the kernel cuts the TCP segment and completes the checksums. */
    public static final int SEGMENTATION = 2;
    /** {@link #prepareTransmit}: the frame exceeds the MTU and is not a TCP segment the kernel can cut. */
    public static final int REFUSED = -1;

    private static final ValueLayout.OfShort LE16 =
            ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private static final int ETHERNET_HEADER = 14;
    private static final int TCP_CHECKSUM_OFFSET = 16;
    private static final int TCP_FLAG_CWR = 0x80;

    private VirtioNetHeader() {
    }

    /** {@code flags} of the header at the start of {@code h}. */
    public static int flags(MemorySegment h) {
        return h.get(ValueLayout.JAVA_BYTE, 0) & 0xff;
    }

    /** {@code gso_type}, ECN bit included. */
    public static int gsoType(MemorySegment h) {
        return h.get(ValueLayout.JAVA_BYTE, 1) & 0xff;
    }

    /** {@code hdr_len}. */
    public static int hdrLen(MemorySegment h) {
        return h.get(LE16, 2) & 0xffff;
    }

    /** {@code gso_size}. */
    public static int gsoSize(MemorySegment h) {
        return h.get(LE16, 4) & 0xffff;
    }

    /** {@code csum_start}. */
    public static int csumStart(MemorySegment h) {
        return h.get(LE16, 6) & 0xffff;
    }

    /** {@code csum_offset}. */
    public static int csumOffset(MemorySegment h) {
        return h.get(LE16, 8) & 0xffff;
    }

    /** Writes a whole header at the start of {@code h}. */
    public static void write(MemorySegment h, int flags, int gsoType, int hdrLen, int gsoSize, int csumStart,
                             int csumOffset) {
        h.set(ValueLayout.JAVA_BYTE, 0, (byte) flags);
        h.set(ValueLayout.JAVA_BYTE, 1, (byte) gsoType);
        h.set(LE16, 2, (short) hdrLen);
        h.set(LE16, 4, (short) gsoSize);
        h.set(LE16, 6, (short) csumStart);
        h.set(LE16, 8, (short) csumOffset);
    }

    /** True when {@code flags} vouch for the frame's TCP and UDP checksums: NEEDS_CSUM or DATA_VALID. */
    public static boolean checksumVouched(int flags) {
        return (flags & (F_NEEDS_CSUM | F_DATA_VALID)) != 0;
    }

    /** True when {@code gsoType} (ECN bit aside) is TCP over IPv4 or IPv6. */
    public static boolean isTcpGso(int gsoType) {
        int type = gsoType & ~GSO_ECN;
        return type == GSO_TCPV4 || type == GSO_TCPV6;
    }

    /**
     * Fills in the header at the start of {@code header} for the frame of {@code length}
     * bytes at the start of {@code frame} (the bytes that follow the header), as the
     * stack's side of {@link org.tcpip4j.netif.NetifOffloads} has it: a TCP segment, in an
     * IPv4 datagram that is not a fragment or in an IPv6 packet whose next header is TCP
     * ({@link TcpSegmentation#parse}), gets NEEDS_CSUM from the TCP header on (its checksum
     * field holds the pseudo-header sum); one in a frame over {@code mtu + 14} bytes is also
     * to be cut into segments of {@code mtu} minus the IP and TCP headers. Everything else
     * goes as it is, with a zeroed header.
     *
     * @param tso4 the kernel may cut TCP over IPv4
     * @param tso6 the kernel may cut TCP over IPv6
     * @param tcp the parser to find the frame's headers with, reused from frame to frame
     * @return {@link #PLAIN}, {@link #CHECKSUM}, {@link #SEGMENTATION}, or {@link #REFUSED}
     *     for a frame over {@code mtu + 14} bytes that cannot be cut (the header is then zeroed)
     */
    public static int prepareTransmit(MemorySegment header, ByteBuffer frame, int length, int mtu, boolean tso4,
                                      boolean tso6, TcpSegmentation tcp) {
        boolean oversize = length > mtu + ETHERNET_HEADER;
        if (!tcp.parse(frame, 0, length)) {
            write(header, 0, GSO_NONE, 0, 0, 0, 0);
            return oversize ? REFUSED : PLAIN;
        }
        // Offsets in the header are from the start of the frame.
        int transport = tcp.tcpOffset();
        if (!oversize) {
            write(header, F_NEEDS_CSUM, GSO_NONE, 0, 0, transport, TCP_CHECKSUM_OFFSET);
            return CHECKSUM;
        }
        int tcpHeader = tcp.tcpHeaderLength();
        int segmentSize = mtu - tcp.ipHeaderLength() - tcpHeader;
        if (!(tcp.ipv6() ? tso6 : tso4) || segmentSize <= 0) {
            write(header, 0, GSO_NONE, 0, 0, 0, 0);
            return REFUSED;
        }
        int gsoType = tcp.ipv6() ? GSO_TCPV6 : GSO_TCPV4;
        if ((frame.get(transport + 13) & TCP_FLAG_CWR) != 0) {
            gsoType |= GSO_ECN;
        }
        write(header, F_NEEDS_CSUM, gsoType, transport + tcpHeader, segmentSize, transport, TCP_CHECKSUM_OFFSET);
        return SEGMENTATION;
    }
}
