package org.tcpip4j.ipv6.internal;

import java.nio.ByteBuffer;
import org.tcpip4j.ip.support.FragmentTable;
import org.tcpip4j.ipv6.internal.wire.HeaderChain;
import org.tcpip4j.ipv6.internal.wire.Ipv6Packet;
import org.tcpip4j.netif.Counters;
import org.tcpip4j.netif.loop.EventLoop;

/**
 * Reassembles fragmented datagrams (RFC 8200 4.5) in a {@link FragmentTable}, under the
 * limits the IPv4 layer keeps too, so that a flood of fragments cannot exhaust memory
 * (per-datagram fragment count, datagrams and bytes held in all and per source). IPv6's own
 * rules:
 *
 * <ul>
 *   <li>fragments belong together when source, destination and the 32-bit identification
 *       match (RFC 8200 4.5);
 *   <li>bytes held are each fragment's payload plus {@link #FRAGMENT_OVERHEAD}, the first
 *       fragment's headers, plus {@link #DATAGRAM_OVERHEAD} per incomplete datagram;
 *   <li>an incomplete datagram is discarded {@code timeout} after its first fragment came
 *       (RFC 8200 4.5: 60 seconds); when the fragment at offset zero had come, the table's
 *       listener is told, with that fragment's headers as received (through its fragment
 *       header) and its fragmentable part, for an ICMPv6 time exceeded, code 1;
 *   <li>a fragment that overlaps another (other than an exact duplicate, which is ignored,
 *       as RFC 8200 4.5 allows) discards the whole datagram (RFC 5722 3, RFC 8200 4.5);
 *   <li>a fragment with no payload, or one but the last whose payload is not a multiple of
 *       eight, is malformed and dropped; the layer answers the errors RFC 8200 4.5 asks for
 *       (lengths not a multiple of eight, a datagram past 65535 bytes), takes atomic
 *       fragments (RFC 6946) and first fragments without the whole header chain (RFC 7112)
 *       aside before it gets here.
 * </ul>
 *
 * <p>The datagram that completes is written into a reused buffer: the first fragment's
 * unfragmentable part (the fixed header and the extension headers before the fragment
 * header) with the next header field that named the fragment header set to the fragment
 * header's next header and the payload length fixed, then the fragments' data (RFC 8200
 * 4.5, "reassembly"). Loop only.
 */
final class ReassemblyBuffer {

    /** Bytes charged per incomplete datagram: its key, timer, map entry and list. */
    static final int DATAGRAM_OVERHEAD = FragmentTable.DATAGRAM_OVERHEAD;
    /** Bytes charged per fragment held, on top of its payload: its record and array header. */
    static final int FRAGMENT_OVERHEAD = FragmentTable.FRAGMENT_OVERHEAD;

    private final FragmentTable table;
    private final Ipv6Packet assembled = new Ipv6Packet();
    private ByteBuffer output;

    /** A reassembly buffer with the given limits, counting into {@code counters}. */
    ReassemblyBuffer(EventLoop loop, long timeoutNanos, int maxFragments, int maxBytes, int maxBytesPerSource,
                     int maxDatagrams, int maxDatagramsPerSource, Counters counters) {
        this.table = new FragmentTable(loop, new FragmentTable.Limits(timeoutNanos, maxFragments, maxBytes,
            maxBytesPerSource, maxDatagrams, maxDatagramsPerSource), Ipv6Packet.MAX_PAYLOAD, true, counters, false,
            this::assemble);
    }

    /**
     * Adds one fragment: the datagram {@code buffer[start..end)} whose fragment header is at
     * {@code fragmentHeader}, named by the next header field at {@code nextHeaderField}.
     *
     * @return the whole datagram (position 0 to limit) when this fragment completed it,
     *     valid until the next call; {@code null} otherwise
     */
    ByteBuffer add(ByteBuffer buffer, int start, int fragmentHeader, int nextHeaderField, int end) {
        int field = buffer.getShort(fragmentHeader + 2) & 0xffff;
        int offset = field & 0xfff8;
        boolean last = (field & 1) == 0;
        int dataStart = fragmentHeader + HeaderChain.FRAGMENT_HEADER_LENGTH;
        return table.add(buffer.getLong(start + Ipv6Packet.SOURCE), buffer.getLong(start + Ipv6Packet.SOURCE + 8),
            buffer.getLong(start + Ipv6Packet.DESTINATION), buffer.getLong(start + Ipv6Packet.DESTINATION + 8), 0,
            buffer.getInt(fragmentHeader + 4), offset, last, buffer, dataStart, end - dataStart, start,
            dataStart - start, nextHeaderField - start);
    }

    private ByteBuffer assemble(FragmentTable.Datagram d) {
        byte[] headers = d.header();
        int unfragmentable = headers.length - HeaderChain.FRAGMENT_HEADER_LENGTH;
        int total = unfragmentable + d.payloadLength();
        if (total - Ipv6Packet.HEADER_LENGTH > Ipv6Packet.MAX_PAYLOAD) {
            // The first fragment's extension headers pushed the whole past 65535 bytes.
            return null;
        }
        if (output == null) {
            output = ByteBuffer.allocate(Ipv6Packet.HEADER_LENGTH + Ipv6Packet.MAX_PAYLOAD);
        }
        output.clear();
        output.put(0, headers, 0, unfragmentable);
        // The fragment header's next header takes the place of the fragment header.
        output.put(d.headerTag(), headers[unfragmentable]);
        d.copyPayload(output, unfragmentable);
        assembled.wrap(output, 0, total).setPayloadLength(total - Ipv6Packet.HEADER_LENGTH);
        output.limit(total);
        return output;
    }

    /** The table the fragments are held in: its state, its timeout listener, its clearing. */
    FragmentTable table() {
        return table;
    }
}
