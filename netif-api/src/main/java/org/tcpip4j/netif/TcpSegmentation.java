package org.tcpip4j.netif;

import java.nio.ByteBuffer;

/**
 * What a device that offers {@link NetifOffloads} does in software when the other side of
 * it cannot: complete a TCP checksum the stack left partial, and cut a TCP segment larger
 * than the MTU into wire segments (Linux's GSO, {@code tcp_gso_segment}). A device uses it
 * where its peer lacks the offload: the in-memory switch between a port that offloads and
 * one that does not, a TAP whose kernel refused the virtio header.
 *
 * <p>{@link #parse} finds the headers of a frame: Ethernet II, then an IPv4 datagram that
 * is not a fragment or an IPv6 packet whose next header is TCP, then the TCP header. One
 * instance is reused for every frame; nothing is allocated. Loop only.
 */
public final class TcpSegmentation {

    /** Receives each wire segment {@link #segment} cuts, valid only during the call. */
    @FunctionalInterface
    public interface SegmentSink {

        /** One whole frame at {@code buffer[0..length)}. */
        void segment(ByteBuffer buffer, int length);
    }

    private static final int ETHERTYPE_IPV4 = 0x0800;
    private static final int ETHERTYPE_IPV6 = 0x86dd;
    private static final int TCP = 6;
    private static final int FIN = 0x01;
    private static final int PSH = 0x08;
    private static final int CWR = 0x80;

    private boolean ipv6;
    private int l3;
    private int l4;
    private int tcpHeaderLength;
    private int end;

    /**
     * Finds the headers of the frame at {@code frame[offset..offset+length)}.
     *
     * @return true when it carries a TCP segment as {@link NetifOffloads} describes (a whole
     *     IPv4 datagram or an IPv6 packet without extension headers, well formed); false for
     *     anything else, which the offloads leave alone
     */
    public boolean parse(ByteBuffer frame, int offset, int length) {
        int ethertype = length >= Netif.ETHERNET_HEADER_SIZE ? frame.getShort(offset + 12) & 0xffff : -1;
        l3 = offset + Netif.ETHERNET_HEADER_SIZE;
        int ipEnd;
        if (ethertype == ETHERTYPE_IPV4 && length >= Netif.ETHERNET_HEADER_SIZE + 20) {
            ipv6 = false;
            int versionIhl = frame.get(l3) & 0xff;
            int ihl = (versionIhl & 0x0f) * 4;
            int totalLength = frame.getShort(l3 + 2) & 0xffff;
            int fragment = frame.getShort(l3 + 6) & 0x3fff; // MF and the offset
            if ((versionIhl >>> 4) != 4 || ihl < 20 || fragment != 0 || (frame.get(l3 + 9) & 0xff) != TCP
                    || totalLength < ihl || Netif.ETHERNET_HEADER_SIZE + totalLength > length) {
                return false;
            }
            l4 = l3 + ihl;
            ipEnd = l3 + totalLength;
        } else if (ethertype == ETHERTYPE_IPV6 && length >= Netif.ETHERNET_HEADER_SIZE + 40) {
            ipv6 = true;
            int payloadLength = frame.getShort(l3 + 4) & 0xffff;
            if (((frame.get(l3) & 0xff) >>> 4) != 6 || (frame.get(l3 + 6) & 0xff) != TCP
                    || Netif.ETHERNET_HEADER_SIZE + 40 + payloadLength > length) {
                return false;
            }
            l4 = l3 + 40;
            ipEnd = l4 + payloadLength;
        } else {
            return false;
        }
        if (ipEnd - l4 < 20) {
            return false;
        }
        tcpHeaderLength = ((frame.get(l4 + 12) & 0xff) >>> 4) * 4;
        if (tcpHeaderLength < 20 || l4 + tcpHeaderLength > ipEnd) {
            return false;
        }
        end = ipEnd;
        return true;
    }

    /** True when the frame {@link #parse}d carries IPv6. */
    public boolean ipv6() {
        return ipv6;
    }

    /** Where the TCP header starts, from the buffer's start. */
    public int tcpOffset() {
        return l4;
    }

    /** The TCP header's length, options included. */
    public int tcpHeaderLength() {
        return tcpHeaderLength;
    }

    /** The IP header's length. */
    public int ipHeaderLength() {
        return l4 - l3;
    }

    /** Where the IP datagram ends, from the buffer's start: bytes after it are link padding. */
    public int end() {
        return end;
    }

    /** Bytes of TCP payload in the frame {@link #parse}d. */
    public int payloadLength() {
        return end - l4 - tcpHeaderLength;
    }

    /**
     * Completes the checksum of the segment {@link #parse}d whose checksum field holds the
     * pseudo-header sum (the {@code CHECKSUM_PARTIAL} form of {@link NetifOffloads}), in place.
     */
    public void completeChecksum(ByteBuffer frame) {
        frame.putShort(l4 + 16, (short) InternetChecksum.finish(InternetChecksum.sum(frame, l4, end - l4, 0)));
    }

    /**
     * Cuts the segment {@link #parse}d, from {@code frame}, into wire segments of at most
     * {@code mss} bytes of payload, each with the same headers and a complete checksum
     * (whether the original's was partial or complete): IPv4 total length, identification
     * (one more per segment) and header checksum, or IPv6 payload length; TCP sequence
     * number, and FIN and PSH on the last segment only, CWR on the first only. Each is
     * written into {@code scratch} (at least {@code headers + mss} bytes) and handed to
     * {@code sink}.
     *
     * @return the number of segments
     */
    public int segment(ByteBuffer frame, int mss, ByteBuffer scratch, SegmentSink sink) {
        if (mss <= 0) {
            throw new IllegalArgumentException("mss must be positive: " + mss);
        }
        int start = l3 - Netif.ETHERNET_HEADER_SIZE;
        int headers = l4 + tcpHeaderLength - start;
        int payload = payloadLength();
        int seq = frame.getInt(l4 + 4);
        int flags = frame.get(l4 + 13) & 0xff;
        int identification = ipv6 ? 0 : frame.getShort(l3 + 4) & 0xffff;
        int count = 0;
        int at = 0;
        do {
            int n = Math.min(mss, payload - at);
            boolean last = at + n >= payload;
            scratch.clear();
            copy(frame, start, scratch, 0, headers);
            copy(frame, l4 + tcpHeaderLength + at, scratch, headers, n);
            int sl3 = l3 - start;
            int sl4 = l4 - start;
            int segmentFlags = flags & ~((last ? 0 : FIN | PSH) | (count == 0 ? 0 : CWR));
            if (ipv6) {
                scratch.putShort(sl3 + 4, (short) (tcpHeaderLength + n));
            } else {
                scratch.putShort(sl3 + 2, (short) (sl4 - sl3 + tcpHeaderLength + n));
                scratch.putShort(sl3 + 4, (short) (identification + count));
                scratch.putShort(sl3 + 10, (short) 0);
                scratch.putShort(sl3 + 10, (short) InternetChecksum.compute(scratch, sl3, sl4 - sl3));
            }
            scratch.putInt(sl4 + 4, seq + at);
            scratch.put(sl4 + 13, (byte) segmentFlags);
            int tcpLength = tcpHeaderLength + n;
            long sum = ipv6
                ? InternetChecksum.sum(scratch, sl3 + 8, 32, 0)
                : InternetChecksum.sum(scratch, sl3 + 12, 8, 0);
            sum = InternetChecksum.add16(sum, TCP);
            sum = InternetChecksum.add16(sum, tcpLength);
            scratch.putShort(sl4 + 16, (short) 0);
            scratch.putShort(sl4 + 16, (short) InternetChecksum.finish(InternetChecksum.sum(scratch, sl4, tcpLength, sum)));
            scratch.limit(headers + n).position(0);
            sink.segment(scratch, headers + n);
            count++;
            at += n;
        } while (at < payload);
        return count;
    }

    private static void copy(ByteBuffer from, int fromOffset, ByteBuffer to, int toOffset, int length) {
        to.put(toOffset, from, fromOffset, length);
    }
}
