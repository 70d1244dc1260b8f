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
 *   <li>at most {@code maxDatagrams} datagrams are being reassembled at once, and at most
 *       {@code maxDatagramsPerSource} of one source address: the first fragment of
 *       another is dropped (a flood of fragments with ever new identifications fills
 *       neither the table nor one source's share of it);
 *   <li>at most {@code maxBytes} are held across all incomplete datagrams, and at most
 *       {@code maxBytesPerSource} for the datagrams of one source address, so that one
 *       host flooding fragments cannot take the whole budget from the others; a fragment
 *       that would exceed either discards its datagram. Bytes held are each fragment's
 *       payload plus {@link #FRAGMENT_OVERHEAD}, plus {@link #DATAGRAM_OVERHEAD} per
 *       incomplete datagram, the bookkeeping they cost: eight-byte fragments cannot hold
 *       more memory than the budget says;
 *   <li>an incomplete datagram is discarded {@code timeout} after its first fragment came
 *       (RFC 1122 3.3.2); when the fragment at offset zero had come, the
 *       {@link TimeoutListener} is told, for an ICMP time exceeded (RFC 792: "if fragment
 *       zero is not available then no time exceeded need be sent at all");
 *   <li>a fragment that overlaps another (other than an exact duplicate, which is ignored)
 *       discards the whole datagram, as RFC 5722 requires for IPv6: overlapping fragments
 *       are an evasion technique and never legitimate;
 *   <li>a fragment with no payload, or one but the last whose payload is not a multiple of
 *       eight, or one that would end past 65535 bytes, is malformed and dropped.
 * </ul>
 *
 * <p>Two gauges among the layer's counters show the state: {@code rx.reassembly.held_bytes}
 * (bytes held now, as counted above) with its high-water mark
 * {@code rx.reassembly.held_bytes_peak}, and {@code rx.reassembly.incomplete} (datagrams).
 *
 * <p>The datagram that completes is written into a reused buffer: the first fragment's
 * header (options included) with its total length and fragment fields fixed and its
 * checksum filled, then the payload. Loop only.
 */
final class ReassemblyBuffer {

    /** Bytes charged per incomplete datagram: its key, timer, map entry, list and header. */
    static final int DATAGRAM_OVERHEAD = 256;
    /** Bytes charged per fragment held, on top of its payload: its record and array header. */
    static final int FRAGMENT_OVERHEAD = 48;

    /** Told of an incomplete datagram whose first fragment had come when it timed out. */
    @FunctionalInterface
    interface TimeoutListener {
        /**
         * @param header the first fragment's IP header, options included
         * @param firstPayload the first fragment's payload
         */
        void timedOut(byte[] header, byte[] firstPayload);
    }

    /** The fields that identify the fragments of one datagram (RFC 791 3.2). */
    private record Key(int source, int destination, int protocol, int identification) {
    }

    /** One fragment's payload and where it lies in the datagram. */
    private record Piece(int offset, byte[] data) {
        int end() {
            return offset + data.length;
        }
    }

    /** The bytes and the number of incomplete datagrams of one source. */
    private static final class SourceShare {
        int bytes;
        int datagrams;
    }

    /** A datagram some of whose fragments have come. */
    private final class Partial {
        final Key key;
        final Timer timer;
        final SourceShare share;
        final List<Piece> pieces = new ArrayList<>(4);
        byte[] header;
        int payloadLength = -1;
        int received;
        int charged;

        Partial(Key key, SourceShare share) {
            this.key = key;
            this.share = share;
            this.timer = loop.newTimer(() -> expire(this));
        }
    }

    private final EventLoop loop;
    private final long timeoutNanos;
    private final int maxFragments;
    private final int maxBytes;
    private final int maxBytesPerSource;
    private final int maxDatagrams;
    private final int maxDatagramsPerSource;
    private final Map<Key, Partial> partials = new HashMap<>();
    private final Map<Integer, SourceShare> sources = new HashMap<>();
    private final Ipv4Packet assembled = new Ipv4Packet();
    private TimeoutListener timeoutListener;
    private ByteBuffer output;
    private int heldBytes;

    private final Counters.Counter fragments;
    private final Counters.Counter reassembled;
    private final Counters.Counter duplicates;
    private final Counters.Counter overlaps;
    private final Counters.Counter malformed;
    private final Counters.Counter tooManyFragments;
    private final Counters.Counter byteLimit;
    private final Counters.Counter sourceLimit;
    private final Counters.Counter datagramLimit;
    private final Counters.Counter sourceDatagramLimit;
    private final Counters.Counter timeouts;
    private final Counters.Counter heldGauge;
    private final Counters.Counter heldPeakGauge;
    private final Counters.Counter incompleteGauge;

    /** A reassembly buffer with the given limits, counting into {@code counters}. */
    ReassemblyBuffer(EventLoop loop, long timeoutNanos, int maxFragments, int maxBytes, int maxBytesPerSource,
                     int maxDatagrams, int maxDatagramsPerSource, Counters counters) {
        this.loop = loop;
        this.timeoutNanos = timeoutNanos;
        this.maxFragments = maxFragments;
        this.maxBytes = maxBytes;
        this.maxBytesPerSource = maxBytesPerSource;
        this.maxDatagrams = maxDatagrams;
        this.maxDatagramsPerSource = maxDatagramsPerSource;
        this.fragments = counters.counter("rx.fragments");
        this.reassembled = counters.counter("rx.reassembled");
        this.duplicates = counters.counter("rx.reassembly.duplicates");
        this.overlaps = counters.counter("rx.reassembly.overlaps");
        this.malformed = counters.counter("rx.reassembly.malformed");
        this.tooManyFragments = counters.counter("rx.reassembly.too_many_fragments");
        this.byteLimit = counters.counter("rx.reassembly.byte_limit");
        this.sourceLimit = counters.counter("rx.reassembly.source_limit");
        this.datagramLimit = counters.counter("rx.reassembly.datagram_limit");
        this.sourceDatagramLimit = counters.counter("rx.reassembly.source_datagram_limit");
        this.timeouts = counters.counter("rx.reassembly.timeouts");
        this.heldGauge = counters.counter("rx.reassembly.held_bytes");
        this.heldPeakGauge = counters.counter("rx.reassembly.held_bytes_peak");
        this.incompleteGauge = counters.counter("rx.reassembly.incomplete");
    }

    /** Sets who is told of timed-out datagrams whose first fragment came. */
    void onTimeout(TimeoutListener listener) {
        this.timeoutListener = listener;
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
        if (d != null && !fits(d, offset, length, end, last)) {
            return null;
        }
        int charge = length + FRAGMENT_OVERHEAD + (d == null ? DATAGRAM_OVERHEAD : 0);
        if (d != null && d.pieces.size() >= maxFragments) {
            tooManyFragments.increment();
            discard(d);
            return null;
        }
        if (heldBytes + charge > maxBytes) {
            byteLimit.increment();
            if (d != null) {
                discard(d);
            }
            return null;
        }
        SourceShare share = d != null ? d.share : sources.get(key.source);
        if ((share == null ? 0 : share.bytes) + charge > maxBytesPerSource) {
            sourceLimit.increment();
            if (d != null) {
                discard(d);
            }
            return null;
        }
        if (d == null) {
            if (partials.size() >= maxDatagrams) {
                datagramLimit.increment();
                return null;
            }
            if (share != null && share.datagrams >= maxDatagramsPerSource) {
                sourceDatagramLimit.increment();
                return null;
            }
            if (share == null) {
                share = new SourceShare();
                sources.put(key.source, share);
            }
            share.datagrams++;
            d = new Partial(key, share);
            partials.put(key, d);
            d.timer.schedule(timeoutNanos);
        }
        byte[] data = new byte[length];
        buffer.get(fragment.payloadOffset(), data);
        d.pieces.add(new Piece(offset, data));
        d.received += length;
        charge(d, charge);
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

    /**
     * False, having counted it and discarded {@code d} when it must be, when the fragment
     * does not fit with the pieces already held: an exact duplicate, an overlap, or a
     * disagreement about where the datagram ends.
     */
    private boolean fits(Partial d, int offset, int length, int end, boolean last) {
        for (Piece p : d.pieces) {
            if (p.offset == offset && p.data.length == length) {
                duplicates.increment();
                return false;
            }
            if (offset < p.end() && p.offset < end) {
                overlaps.increment();
                discard(d);
                return false;
            }
        }
        // The last fragment fixes the datagram's length; fragments must agree with it.
        boolean disagrees = last
                ? (d.payloadLength >= 0 && d.payloadLength != end) || endOfPieces(d) > end
                : d.payloadLength >= 0 && end > d.payloadLength;
        if (disagrees) {
            overlaps.increment();
            discard(d);
            return false;
        }
        return true;
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

    private void charge(Partial d, int bytes) {
        d.charged += bytes;
        d.share.bytes += bytes;
        heldBytes += bytes;
        updateGauges();
    }

    private void discard(Partial d) {
        d.timer.cancel();
        if (!partials.remove(d.key, d)) {
            return;
        }
        heldBytes -= d.charged;
        d.share.bytes -= d.charged;
        d.share.datagrams--;
        if (d.share.datagrams == 0) {
            sources.remove(d.key.source);
        }
        d.charged = 0;
        updateGauges();
    }

    /** Sets the gauges to the state now (a reset of the layer's counters is corrected here). */
    private void updateGauges() {
        heldGauge.add(heldBytes - heldGauge.get());
        incompleteGauge.add(partials.size() - incompleteGauge.get());
        if (heldBytes > heldPeakGauge.get()) {
            heldPeakGauge.add(heldBytes - heldPeakGauge.get());
        }
    }

    private void expire(Partial d) {
        if (partials.get(d.key) != d) {
            return;
        }
        timeouts.increment();
        discard(d);
        if (d.header != null && timeoutListener != null) {
            for (Piece p : d.pieces) {
                if (p.offset == 0) {
                    timeoutListener.timedOut(d.header, p.data);
                    break;
                }
            }
        }
    }

    /** Incomplete datagrams held now. */
    int incompleteDatagrams() {
        return partials.size();
    }

    /** Bytes held now across incomplete datagrams, overheads included. */
    int heldBytes() {
        return heldBytes;
    }

    /** Sources with fragments held now. */
    int sources() {
        return sources.size();
    }

    /** The most incomplete datagrams one source has now (scans; for tests). */
    int largestSourceDatagrams() {
        int max = 0;
        for (SourceShare s : sources.values()) {
            max = Math.max(max, s.datagrams);
        }
        return max;
    }

    /** The most fragments one incomplete datagram holds now (scans; for tests). */
    int largestDatagramFragments() {
        int max = 0;
        for (Partial d : partials.values()) {
            max = Math.max(max, d.pieces.size());
        }
        return max;
    }

    /** Drops every incomplete datagram and stops their timers. */
    void clear() {
        for (Partial d : List.copyOf(partials.values())) {
            discard(d);
        }
    }
}
