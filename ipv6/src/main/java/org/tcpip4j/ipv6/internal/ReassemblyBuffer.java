package org.tcpip4j.ipv6.internal;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tcpip4j.ipv6.internal.wire.HeaderChain;
import org.tcpip4j.ipv6.internal.wire.Ipv6Packet;
import org.tcpip4j.netif.Counters;
import org.tcpip4j.netif.loop.EventLoop;
import org.tcpip4j.netif.loop.Timer;

/**
 * Reassembles fragmented datagrams (RFC 8200 4.5) under the limits the IPv4 layer keeps,
 * so that a flood of fragments cannot exhaust memory:
 *
 * <ul>
 *   <li>fragments belong together when source, destination and the 32-bit identification
 *       match (RFC 8200 4.5);
 *   <li>a datagram may arrive in at most {@code maxFragments} fragments;
 *   <li>at most {@code maxDatagrams} datagrams are being reassembled at once, and at most
 *       {@code maxDatagramsPerSource} of one source address: the first fragment of another
 *       is dropped;
 *   <li>at most {@code maxBytes} are held across all incomplete datagrams, and at most
 *       {@code maxBytesPerSource} for one source address; a fragment that would exceed either
 *       discards its datagram. Bytes held are each fragment's payload plus
 *       {@link #FRAGMENT_OVERHEAD}, the first fragment's headers, plus
 *       {@link #DATAGRAM_OVERHEAD} per incomplete datagram;
 *   <li>an incomplete datagram is discarded {@code timeout} after its first fragment came
 *       (RFC 8200 4.5: 60 seconds); when the fragment at offset zero had come, the
 *       {@link TimeoutListener} is told, for an ICMPv6 time exceeded, code 1;
 *   <li>a fragment that overlaps another (other than an exact duplicate, which is ignored,
 *       as RFC 8200 4.5 allows) discards the whole datagram (RFC 5722 3, RFC 8200 4.5);
 *   <li>a fragment with no payload, or one but the last whose payload is not a multiple of
 *       eight, is malformed and dropped; the layer answers the errors RFC 8200 4.5 asks for
 *       (lengths not a multiple of eight, a datagram past 65535 bytes) before it gets here.
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
    static final int DATAGRAM_OVERHEAD = 256;
    /** Bytes charged per fragment held, on top of its payload: its record and array header. */
    static final int FRAGMENT_OVERHEAD = 48;

    /** Told of an incomplete datagram whose first fragment had come when it timed out. */
    @FunctionalInterface
    interface TimeoutListener {
        /**
         * @param headers the first fragment's headers as received, through its fragment header
         * @param firstPayload the first fragment's fragmentable part
         */
        void timedOut(byte[] headers, byte[] firstPayload);
    }

    /** The fields that identify the fragments of one datagram (RFC 8200 4.5). */
    private record Key(long sourceHigh, long sourceLow, long destinationHigh, long destinationLow,
                       int identification) {
    }

    /** A source address, for the per-source shares. */
    private record Source(long high, long low) {
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
        final Source source;
        final Timer timer;
        final SourceShare share;
        final List<Piece> pieces = new ArrayList<>(4);
        byte[] headers;
        int nextHeaderField;
        int payloadLength = -1;
        int received;
        int charged;

        Partial(Key key, Source source, SourceShare share) {
            this.key = key;
            this.source = source;
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
    private final Map<Source, SourceShare> sources = new HashMap<>();
    private final Ipv6Packet assembled = new Ipv6Packet();
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
        this.heldGauge = counters.gauge("rx.reassembly.held_bytes");
        this.heldPeakGauge = counters.gauge("rx.reassembly.held_bytes_peak");
        this.incompleteGauge = counters.gauge("rx.reassembly.incomplete");
    }

    /** Sets who is told of timed-out datagrams whose first fragment came. */
    void onTimeout(TimeoutListener listener) {
        this.timeoutListener = listener;
    }

    /**
     * Adds one fragment: the datagram {@code buffer[start..end)} whose fragment header is at
     * {@code fragmentHeader}, named by the next header field at {@code nextHeaderField}.
     *
     * @return the whole datagram (position 0 to limit) when this fragment completed it,
     *     valid until the next call; {@code null} otherwise
     */
    ByteBuffer add(ByteBuffer buffer, int start, int fragmentHeader, int nextHeaderField, int end) {
        fragments.increment();
        int field = buffer.getShort(fragmentHeader + 2) & 0xffff;
        int offset = field & 0xfff8;
        boolean last = (field & 1) == 0;
        int dataStart = fragmentHeader + HeaderChain.FRAGMENT_HEADER_LENGTH;
        int length = end - dataStart;
        int fragmentEnd = offset + length;
        if (length <= 0 || (!last && (length & 7) != 0) || fragmentEnd > Ipv6Packet.MAX_PAYLOAD) {
            malformed.increment();
            return null;
        }
        int headersLength = offset == 0 ? dataStart - start : 0;
        Key key = new Key(buffer.getLong(start + Ipv6Packet.SOURCE), buffer.getLong(start + Ipv6Packet.SOURCE + 8),
            buffer.getLong(start + Ipv6Packet.DESTINATION), buffer.getLong(start + Ipv6Packet.DESTINATION + 8),
            buffer.getInt(fragmentHeader + 4));
        Partial d = partials.get(key);
        if (d != null && !fits(d, offset, length, fragmentEnd, last)) {
            return null;
        }
        int charge = length + headersLength + FRAGMENT_OVERHEAD + (d == null ? DATAGRAM_OVERHEAD : 0);
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
        Source source = d != null ? d.source : new Source(key.sourceHigh, key.sourceLow);
        SourceShare share = d != null ? d.share : sources.get(source);
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
                sources.put(source, share);
            }
            share.datagrams++;
            d = new Partial(key, source, share);
            partials.put(key, d);
            d.timer.schedule(timeoutNanos);
        }
        byte[] data = new byte[length];
        buffer.get(dataStart, data);
        d.pieces.add(new Piece(offset, data));
        d.received += length;
        charge(d, charge);
        if (last) {
            d.payloadLength = fragmentEnd;
        }
        if (offset == 0) {
            d.headers = new byte[headersLength];
            buffer.get(start, d.headers);
            d.nextHeaderField = nextHeaderField - start;
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
        int unfragmentable = d.headers.length - HeaderChain.FRAGMENT_HEADER_LENGTH;
        int total = unfragmentable + d.payloadLength;
        if (total - Ipv6Packet.HEADER_LENGTH > Ipv6Packet.MAX_PAYLOAD) {
            // The first fragment's extension headers pushed the whole past 65535 bytes.
            malformed.increment();
            return null;
        }
        if (output == null) {
            output = ByteBuffer.allocate(Ipv6Packet.HEADER_LENGTH + Ipv6Packet.MAX_PAYLOAD);
        }
        output.clear();
        output.put(0, d.headers, 0, unfragmentable);
        // The fragment header's next header takes the place of the fragment header.
        output.put(d.nextHeaderField, d.headers[unfragmentable]);
        for (Piece p : d.pieces) {
            output.put(unfragmentable + p.offset, p.data);
        }
        assembled.wrap(output, 0, total).setPayloadLength(total - Ipv6Packet.HEADER_LENGTH);
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
            sources.remove(d.source);
        }
        d.charged = 0;
        updateGauges();
    }

    private void updateGauges() {
        heldGauge.set(heldBytes);
        incompleteGauge.set(partials.size());
        if (heldBytes > heldPeakGauge.get()) {
            heldPeakGauge.set(heldBytes);
        }
    }

    private void expire(Partial d) {
        if (partials.get(d.key) != d) {
            return;
        }
        timeouts.increment();
        discard(d);
        if (d.headers != null && timeoutListener != null) {
            for (Piece p : d.pieces) {
                if (p.offset == 0) {
                    timeoutListener.timedOut(d.headers, p.data);
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

    /** Drops every incomplete datagram and stops their timers. */
    void clear() {
        for (Partial d : List.copyOf(partials.values())) {
            discard(d);
        }
    }
}
