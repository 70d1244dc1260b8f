package org.tcpip4j.ipv4.internal;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tcpip4j.ipv4.internal.wire.Ipv4Packet;
import org.tcpip4j.netif.Counters;
import org.tcpip4j.netif.loop.EventLoop;
import org.tcpip4j.netif.loop.Timer;

/**
 * Reassembles fragmented datagrams (RFC 791 3.2, "reassembly procedure"; RFC 1122 3.3.2)
 * under limits that keep a flood of fragments from exhausting memory:
 *
 * <ul>
 *   <li>fragments belong together when source, destination, protocol and identification
 *       match (RFC 791 2.3);
 *   <li>a datagram may arrive in at most {@code maxFragments} fragments;
 *   <li>at most {@code maxBytes} payload bytes are held across all incomplete datagrams; a
 *       fragment that would exceed it discards its datagram;
 *   <li>an incomplete datagram is discarded {@code timeout} after its first fragment came
 *       (RFC 1122 3.3.2: the reassembly timeout);
 *   <li>a fragment that overlaps another (other than an exact duplicate, which is ignored)
 *       discards the whole datagram, as RFC 5722 requires for IPv6: overlapping fragments
 *       are an evasion technique and never legitimate;
 *   <li>a fragment with no payload, or one but the last whose payload is not a multiple of
 *       eight, or one that would end past 65535 bytes, is malformed and dropped.
 * </ul>
 *
 * <p>The datagram that completes is written into a reused buffer: the first fragment's
 * header (options included) with its total length and fragment fields fixed and its
 * checksum filled, then the payload. Loop only.
 */
final class ReassemblyBuffer {

    /** The fields that identify the fragments of one datagram (RFC 791 3.2). */
    private record Key(int source, int destination, int protocol, int identification) {
    }

    /** One fragment's payload and where it lies in the datagram. */
    private record Piece(int offset, byte[] data) {
        int end() {
            return offset + data.length;
        }
    }

    /** A datagram some of whose fragments have come. */
    private final class Partial {
        final Key key;
        final Timer timer;
        final List<Piece> pieces = new ArrayList<>(4);
        byte[] header;
        int payloadLength = -1;
        int received;

        Partial(Key key) {
            this.key = key;
            this.timer = loop.newTimer(() -> expire(this));
        }
    }

    private final EventLoop loop;
    private final long timeoutNanos;
    private final int maxFragments;
    private final int maxBytes;
    private final Map<Key, Partial> partials = new HashMap<>();
    private final Ipv4Packet assembled = new Ipv4Packet();
    private ByteBuffer output;
    private int heldBytes;

    private final Counters.Counter fragments;
    private final Counters.Counter reassembled;
    private final Counters.Counter duplicates;
    private final Counters.Counter overlaps;
    private final Counters.Counter malformed;
    private final Counters.Counter tooManyFragments;
    private final Counters.Counter byteLimit;
    private final Counters.Counter timeouts;

    /** A reassembly buffer with the given limits, counting into {@code counters}. */
    ReassemblyBuffer(EventLoop loop, long timeoutNanos, int maxFragments, int maxBytes, Counters counters) {
        this.loop = loop;
        this.timeoutNanos = timeoutNanos;
        this.maxFragments = maxFragments;
        this.maxBytes = maxBytes;
        this.fragments = counters.counter("rx.fragments");
        this.reassembled = counters.counter("rx.reassembled");
        this.duplicates = counters.counter("rx.reassembly.duplicates");
        this.overlaps = counters.counter("rx.reassembly.overlaps");
        this.malformed = counters.counter("rx.reassembly.malformed");
        this.tooManyFragments = counters.counter("rx.reassembly.too_many_fragments");
        this.byteLimit = counters.counter("rx.reassembly.byte_limit");
        this.timeouts = counters.counter("rx.reassembly.timeouts");
    }

    /**
     * Adds one fragment, checked and verified, viewed by {@code fragment} over
     * {@code buffer}.
     *
     * @return the whole datagram (position 0 to limit) when this fragment completed it,
     *     valid until the next call; {@code null} otherwise
     */
    ByteBuffer add(Ipv4Packet fragment, ByteBuffer buffer) {
        fragments.increment();
        int offset = fragment.fragmentOffset();
        int length = fragment.payloadLength();
        int end = offset + length;
        boolean last = !fragment.moreFragments();
        if (length == 0 || (!last && (length & 7) != 0) || end > Ipv4Packet.MAX_PAYLOAD) {
            malformed.increment();
            return null;
        }
        Key key = new Key(fragment.source(), fragment.destination(), fragment.protocol(), fragment.identification());
        Partial d = partials.get(key);
        if (d == null) {
            d = new Partial(key);
            partials.put(key, d);
            d.timer.schedule(timeoutNanos);
        }
        for (Piece p : d.pieces) {
            if (p.offset == offset && p.data.length == length) {
                duplicates.increment();
                return null;
            }
            if (offset < p.end() && p.offset < end) {
                overlaps.increment();
                discard(d);
                return null;
            }
        }
        // The last fragment fixes the datagram's length; fragments must agree with it.
        if (last) {
            if ((d.payloadLength >= 0 && d.payloadLength != end) || endOfPieces(d) > end) {
                overlaps.increment();
                discard(d);
                return null;
            }
        } else if (d.payloadLength >= 0 && end > d.payloadLength) {
            overlaps.increment();
            discard(d);
            return null;
        }
        if (d.pieces.size() >= maxFragments) {
            tooManyFragments.increment();
            discard(d);
            return null;
        }
        if (heldBytes + length > maxBytes) {
            byteLimit.increment();
            discard(d);
            return null;
        }
        byte[] data = new byte[length];
        buffer.get(fragment.payloadOffset(), data);
        d.pieces.add(new Piece(offset, data));
        d.received += length;
        heldBytes += length;
        if (last) {
            d.payloadLength = end;
        }
        if (offset == 0) {
            d.header = new byte[fragment.headerLength()];
            buffer.get(fragment.offset(), d.header);
        }
        if (d.payloadLength >= 0 && d.received == d.payloadLength) {
            // No overlap was let in, so the byte count alone says every hole is filled.
            return assemble(d);
        }
        return null;
    }

    private static int endOfPieces(Partial d) {
        int max = 0;
        for (Piece p : d.pieces) {
            max = Math.max(max, p.end());
        }
        return max;
    }

    private ByteBuffer assemble(Partial d) {
        discard(d);
        int headerLength = d.header.length;
        int total = headerLength + d.payloadLength;
        if (total > Ipv4Packet.MAX_LENGTH) {
            // Options in the first fragment pushed the whole past 65535 bytes.
            malformed.increment();
            return null;
        }
        if (output == null) {
            output = ByteBuffer.allocate(Ipv4Packet.MAX_LENGTH);
        }
        output.clear();
        output.put(0, d.header);
        for (Piece p : d.pieces) {
            output.put(headerLength + p.offset, p.data);
        }
        assembled.wrap(output, 0, total);
        assembled.setTotalLength(total);
        assembled.clearFragmentation();
        assembled.fillChecksum();
        output.limit(total);
        reassembled.increment();
        return output;
    }

    private void discard(Partial d) {
        d.timer.cancel();
        partials.remove(d.key);
        heldBytes -= d.received;
    }

    private void expire(Partial d) {
        if (partials.get(d.key) == d) {
            // RFC 792/1122 3.3.2 would have us send Time Exceeded (code 1) when the first
            // fragment came: a hook for the ICMP error generation to come.
            timeouts.increment();
            discard(d);
        }
    }

    /** Incomplete datagrams held now. */
    int incompleteDatagrams() {
        return partials.size();
    }

    /** Payload bytes held now across incomplete datagrams. */
    int heldBytes() {
        return heldBytes;
    }

    /** Drops every incomplete datagram and stops their timers. */
    void clear() {
        for (Partial d : List.copyOf(partials.values())) {
            discard(d);
        }
    }
}
