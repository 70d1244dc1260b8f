package org.tcpip4j.ipv4.internal;

import java.nio.ByteBuffer;
import org.tcpip4j.ip.support.AddressBits;
import org.tcpip4j.ip.support.FragmentTable;
import org.tcpip4j.ipv4.internal.wire.Ipv4Packet;
import org.tcpip4j.netif.Counters;
import org.tcpip4j.netif.loop.EventLoop;

/**
 * Reassembles fragmented datagrams (RFC 791 3.2, "reassembly procedure"; RFC 1122 3.3.2)
 * in a {@link FragmentTable}, whose limits keep a flood of fragments from exhausting memory
 * (per-datagram fragment count, datagrams and bytes held in all and per source, with
 * {@link #FRAGMENT_OVERHEAD} and {@link #DATAGRAM_OVERHEAD} charged for the bookkeeping).
 * IPv4's own rules:
 *
 * <ul>
 *   <li>fragments belong together when source, destination, protocol and identification
 *       match (RFC 791 2.3);
 *   <li>an incomplete datagram is discarded {@code timeout} after its first fragment came
 *       (RFC 1122 3.3.2); when the fragment at offset zero had come, the table's listener is
 *       told, with that fragment's header (options included) and payload, for an ICMP time
 *       exceeded (RFC 792: "if fragment zero is not available then no time exceeded need be
 *       sent at all");
 *   <li>a fragment that overlaps another (other than an exact duplicate, which is ignored)
 *       discards the whole datagram, as RFC 5722 requires for IPv6: overlapping fragments
 *       are an evasion technique and never legitimate;
 *   <li>a fragment with no payload, or one but the last whose payload is not a multiple of
 *       eight, or one that would end past 65535 bytes, is malformed and dropped; so is a
 *       datagram whose first fragment's options push the whole past 65535 bytes;
 *   <li>the bytes held count the fragments' payloads, not the first fragment's header.
 * </ul>
 *
 * <p>Two gauges among the layer's counters show the state: {@code rx.reassembly.held_bytes}
 * (bytes held now) with its high-water mark {@code rx.reassembly.held_bytes_peak}, and
 * {@code rx.reassembly.incomplete} (datagrams); a reset of the layer's counters zeroes them
 * too, until the next change.
 *
 * <p>The datagram that completes is written into a reused buffer: the first fragment's
 * header (options included) with its total length and fragment fields fixed and its
 * checksum filled, then the payload. Loop only.
 */
final class ReassemblyBuffer {

    /** Bytes charged per incomplete datagram: its key, timer, map entry, list and header. */
    static final int DATAGRAM_OVERHEAD = FragmentTable.DATAGRAM_OVERHEAD;
    /** Bytes charged per fragment held, on top of its payload: its record and array header. */
    static final int FRAGMENT_OVERHEAD = FragmentTable.FRAGMENT_OVERHEAD;

    private final FragmentTable table;
    private final Ipv4Packet assembled = new Ipv4Packet();
    private ByteBuffer output;

    /** A reassembly buffer with the given limits, counting into {@code counters}. */
    ReassemblyBuffer(EventLoop loop, long timeoutNanos, int maxFragments, int maxBytes, int maxBytesPerSource,
                     int maxDatagrams, int maxDatagramsPerSource, Counters counters) {
        this.table = new FragmentTable(loop, new FragmentTable.Limits(timeoutNanos, maxFragments, maxBytes,
                maxBytesPerSource, maxDatagrams, maxDatagramsPerSource), Ipv4Packet.MAX_PAYLOAD, false, counters,
                true, this::assemble);
    }

    /**
     * Adds one fragment, checked and verified, viewed by {@code fragment} over
     * {@code buffer}.
     *
     * @return the whole datagram (position 0 to limit) when this fragment completed it,
     *     valid until the next call; {@code null} otherwise
     */
    ByteBuffer add(Ipv4Packet fragment, ByteBuffer buffer) {
        return table.add(AddressBits.ipv4High(), AddressBits.ipv4Low(fragment.source()), AddressBits.ipv4High(),
                AddressBits.ipv4Low(fragment.destination()), fragment.protocol(), fragment.identification(),
                fragment.fragmentOffset(), !fragment.moreFragments(), buffer, fragment.payloadOffset(),
                fragment.payloadLength(), fragment.offset(), fragment.headerLength(), 0);
    }

    private ByteBuffer assemble(FragmentTable.Datagram d) {
        byte[] header = d.header();
        int headerLength = header.length;
        int total = headerLength + d.payloadLength();
        if (total > Ipv4Packet.MAX_LENGTH) {
            // Options in the first fragment pushed the whole past 65535 bytes.
            return null;
        }
        if (output == null) {
            output = ByteBuffer.allocate(Ipv4Packet.MAX_LENGTH);
        }
        output.clear();
        output.put(0, header);
        d.copyPayload(output, headerLength);
        assembled.wrap(output, 0, total);
        assembled.setTotalLength(total);
        assembled.clearFragmentation();
        assembled.fillChecksum();
        output.limit(total);
        return output;
    }

    /** The table the fragments are held in: its state, its timeout listener, its clearing. */
    FragmentTable table() {
        return table;
    }
}
