package org.tcpip4j.ip.support;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tcpip4j.netif.Counters;
import org.tcpip4j.netif.loop.EventLoop;
import org.tcpip4j.netif.loop.Timer;

/**
 * The version-neutral core of fragment reassembly (RFC 791 3.2, RFC 1122 3.3.2, RFC 8200
 * 4.5): the fragments held per datagram, their overlap checks, the budgets that keep a flood
 * of fragments from exhausting memory, and the timeouts. Each IP layer parses its own
 * fragments, applies its own rules before them, and writes the completed datagram with its
 * own header ({@link Assembler}).
 *
 * <ul>
 *   <li>fragments belong together when the 128-bit source and destination
 *       ({@link AddressBits}), the protocol (zero where the version does not key on it) and
 *       the identification match;
 *   <li>a datagram may arrive in at most {@code maxFragments} fragments;
 *   <li>at most {@code maxDatagrams} datagrams are being reassembled at once, and at most
 *       {@code maxDatagramsPerSource} of one source address: the first fragment of
 *       another is dropped (a flood of fragments with ever new identifications fills
 *       neither the table nor one source's share of it);
 *   <li>at most {@code maxBytes} are held across all incomplete datagrams, and at most
 *       {@code maxBytesPerSource} for the datagrams of one source address, so that one
 *       host flooding fragments cannot take the whole budget from the others; a fragment
 *       that would exceed either discards its datagram. Bytes held are each fragment's
 *       payload plus {@link #FRAGMENT_OVERHEAD} (and, where the layer asks for it, the first
 *       fragment's headers), plus {@link #DATAGRAM_OVERHEAD} per incomplete datagram, the
 *       bookkeeping they cost: eight-byte fragments cannot hold more memory than the
 *       budget says;
 *   <li>an incomplete datagram is discarded {@code timeout} after its first fragment came;
 *       when the fragment at offset zero had come, the {@link TimeoutListener} is told, for
 *       an ICMP time exceeded;
 *   <li>a fragment that overlaps another (other than an exact duplicate, which is ignored),
 *       or disagrees about where the datagram ends, discards the whole datagram (RFC 5722:
 *       overlapping fragments are an evasion technique and never legitimate);
 *   <li>a fragment with no payload, or one but the last whose payload is not a multiple of
 *       eight, or one that would end past the layer's largest payload, is malformed and
 *       dropped.
 * </ul>
 *
 * <p>Counters, in the layer's {@link Counters}: {@code rx.fragments}, {@code rx.reassembled}
 * and {@code rx.reassembly.*} for each drop; gauges {@code rx.reassembly.held_bytes} (with
 * its high-water mark {@code rx.reassembly.held_bytes_peak}) and
 * {@code rx.reassembly.incomplete}. Looking a fragment's datagram up allocates nothing.
 * Loop only.
 */
public final class FragmentTable {

    /** Bytes charged per incomplete datagram: its key, timer, map entry, list and header. */
    public static final int DATAGRAM_OVERHEAD = 256;
    /** Bytes charged per fragment held, on top of its payload: its record and array header. */
    public static final int FRAGMENT_OVERHEAD = 48;

    /** Told of an incomplete datagram whose first fragment had come when it timed out. */
    @FunctionalInterface
    public interface TimeoutListener {
        /**
         * @param header the first fragment's headers, as the layer had them kept
         * @param firstPayload the first fragment's payload
         */
        void timedOut(byte[] header, byte[] firstPayload);
    }

    /** Writes a completed datagram, with the layer's own header, into a buffer of its own. */
    @FunctionalInterface
    public interface Assembler {
        /**
         * @return the whole datagram (position 0 to limit), valid until the next fragment;
         *     {@code null} when it cannot be written (counted as malformed)
         */
        ByteBuffer assemble(Datagram datagram);
    }

    /** The limits of a table. */
    public record Limits(long timeoutNanos, int maxFragments, int maxBytes, int maxBytesPerSource,
                         int maxDatagrams, int maxDatagramsPerSource) {
    }

    /** The fields that identify the fragments of one datagram; the table's probe is reused. */
    private static final class Key {
        long sourceHigh;
        long sourceLow;
        long destinationHigh;
        long destinationLow;
        int protocol;
        int identification;

        Key set(long sourceHigh, long sourceLow, long destinationHigh, long destinationLow, int protocol,
                int identification) {
            this.sourceHigh = sourceHigh;
            this.sourceLow = sourceLow;
            this.destinationHigh = destinationHigh;
            this.destinationLow = destinationLow;
            this.protocol = protocol;
            this.identification = identification;
            return this;
        }

        Key copy() {
            return new Key().set(sourceHigh, sourceLow, destinationHigh, destinationLow, protocol, identification);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.sourceHigh == sourceHigh && k.sourceLow == sourceLow
                    && k.destinationHigh == destinationHigh && k.destinationLow == destinationLow
                    && k.protocol == protocol && k.identification == identification;
        }

        @Override
        public int hashCode() {
            long h = sourceHigh * 31 + sourceLow;
            h = h * 31 + destinationHigh;
            h = h * 31 + destinationLow;
            h = h * 31 + protocol;
            h = h * 31 + identification;
            return Long.hashCode(h);
        }
    }

    /** A source address, for the per-source shares; the table's probe is reused. */
    private static final class Source {
        long high;
        long low;

        Source set(long high, long low) {
            this.high = high;
            this.low = low;
            return this;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Source s && s.high == high && s.low == low;
        }

        @Override
        public int hashCode() {
            return Long.hashCode(high * 31 + low);
        }
    }

    /** One fragment's payload and where it lies in the datagram. */
    private record Piece(int offset, byte[] data) {
        int end() {
            return offset + data.length;
        }
    }

    /** The bytes and the number of incomplete datagrams of one source. */
    private static final class SourceShare {
        final Source source;
        int bytes;
        int datagrams;

        SourceShare(Source source) {
            this.source = source;
        }
    }

    /** A datagram some of whose fragments have come; given to the {@link Assembler} once all have. */
    public static final class Datagram {
        private final Key key;
        private final Timer timer;
        private final SourceShare share;
        private final List<Piece> pieces = new ArrayList<>(4);
        private byte[] header;
        private int headerTag;
        private int payloadLength = -1;
        private int received;
        private int charged;

        private Datagram(FragmentTable table, Key key, SourceShare share) {
            this.key = key;
            this.share = share;
            this.timer = table.loop.newTimer(() -> table.expire(this));
        }

        /** The headers kept from the fragment at offset zero. */
        public byte[] header() {
            return header;
        }

        /** The number the layer gave with the fragment at offset zero (IPv6: where its next header field is). */
        public int headerTag() {
            return headerTag;
        }

        /** The length of the reassembled payload. */
        public int payloadLength() {
            return payloadLength;
        }

        /** Writes the payload into {@code out} at {@code at}, each fragment at its offset. */
        public void copyPayload(ByteBuffer out, int at) {
            for (Piece p : pieces) {
                out.put(at + p.offset, p.data);
            }
        }
    }

    private final EventLoop loop;
    private final Limits limits;
    private final int maxEnd;
    private final boolean chargeHeaders;
    private final Assembler assembler;
    private final Map<Key, Datagram> partials = new HashMap<>();
    private final Map<Source, SourceShare> sources = new HashMap<>();
    private final Key probe = new Key();
    private final Source sourceProbe = new Source();
    private TimeoutListener timeoutListener;
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

    /**
     * A table with the given limits, counting into {@code counters}.
     *
     * @param maxEnd the largest payload a datagram may have: a fragment ending past it is malformed
     * @param chargeHeaders whether the first fragment's headers count against the budgets
     * @param resettableGauges whether the gauges are plain counters, zeroed by
     *     {@link Counters#reset()} (and set right again at the next change), rather than
     *     {@link Counters#gauge gauges}
     * @param assembler writes each completed datagram
     */
    public FragmentTable(EventLoop loop, Limits limits, int maxEnd, boolean chargeHeaders, Counters counters,
                         boolean resettableGauges, Assembler assembler) {
        this.loop = loop;
        this.limits = limits;
        this.maxEnd = maxEnd;
        this.chargeHeaders = chargeHeaders;
        this.assembler = assembler;
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
        this.heldGauge = gauge(counters, "rx.reassembly.held_bytes", resettableGauges);
        this.heldPeakGauge = gauge(counters, "rx.reassembly.held_bytes_peak", resettableGauges);
        this.incompleteGauge = gauge(counters, "rx.reassembly.incomplete", resettableGauges);
    }

    private static Counters.Counter gauge(Counters counters, String name, boolean resettable) {
        return resettable ? counters.counter(name) : counters.gauge(name);
    }

    /** Sets who is told of timed-out datagrams whose first fragment came. */
    public void onTimeout(TimeoutListener listener) {
        this.timeoutListener = listener;
    }

    /**
     * Adds one fragment, whose payload is {@code buffer[dataStart..dataStart+length)}, at
     * {@code offset} in its datagram; from the fragment at offset zero the headers
     * {@code buffer[headerStart..headerStart+headerLength)} and {@code headerTag} are kept.
     *
     * @param last whether this is the last fragment (no more fragments flag clear)
     * @return what the {@link Assembler} made of the datagram when this fragment completed
     *     it; {@code null} otherwise
     */
    public ByteBuffer add(long sourceHigh, long sourceLow, long destinationHigh, long destinationLow, int protocol,
                          int identification, int offset, boolean last, ByteBuffer buffer, int dataStart,
                          int length, int headerStart, int headerLength, int headerTag) {
        fragments.increment();
        int end = offset + length;
        if (length <= 0 || (!last && (length & 7) != 0) || end > maxEnd) {
            malformed.increment();
            return null;
        }
        Datagram d = partials.get(probe.set(sourceHigh, sourceLow, destinationHigh, destinationLow, protocol,
                identification));
        if (d != null && !fits(d, offset, length, end, last)) {
            return null;
        }
        int headerCharge = chargeHeaders && offset == 0 ? headerLength : 0;
        int charge = length + headerCharge + FRAGMENT_OVERHEAD + (d == null ? DATAGRAM_OVERHEAD : 0);
        if (d != null && d.pieces.size() >= limits.maxFragments()) {
            tooManyFragments.increment();
            discard(d);
            return null;
        }
        if (heldBytes + charge > limits.maxBytes()) {
            byteLimit.increment();
            if (d != null) {
                discard(d);
            }
            return null;
        }
        SourceShare share = d != null ? d.share : sources.get(sourceProbe.set(sourceHigh, sourceLow));
        if ((share == null ? 0 : share.bytes) + charge > limits.maxBytesPerSource()) {
            sourceLimit.increment();
            if (d != null) {
                discard(d);
            }
            return null;
        }
        if (d == null) {
            if (partials.size() >= limits.maxDatagrams()) {
                datagramLimit.increment();
                return null;
            }
            if (share != null && share.datagrams >= limits.maxDatagramsPerSource()) {
                sourceDatagramLimit.increment();
                return null;
            }
            if (share == null) {
                share = new SourceShare(new Source().set(sourceHigh, sourceLow));
                sources.put(share.source, share);
            }
            share.datagrams++;
            d = new Datagram(this, probe.copy(), share);
            partials.put(d.key, d);
            d.timer.schedule(limits.timeoutNanos());
        }
        byte[] data = new byte[length];
        buffer.get(dataStart, data);
        d.pieces.add(new Piece(offset, data));
        d.received += length;
        charge(d, charge);
        if (last) {
            d.payloadLength = end;
        }
        if (offset == 0) {
            d.header = new byte[headerLength];
            buffer.get(headerStart, d.header);
            d.headerTag = headerTag;
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
    private boolean fits(Datagram d, int offset, int length, int end, boolean last) {
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

    private static int endOfPieces(Datagram d) {
        int max = 0;
        for (Piece p : d.pieces) {
            max = Math.max(max, p.end());
        }
        return max;
    }

    private ByteBuffer assemble(Datagram d) {
        discard(d);
        ByteBuffer whole = assembler.assemble(d);
        if (whole == null) {
            malformed.increment();
            return null;
        }
        reassembled.increment();
        return whole;
    }

    private void charge(Datagram d, int bytes) {
        d.charged += bytes;
        d.share.bytes += bytes;
        heldBytes += bytes;
        updateGauges();
    }

    private void discard(Datagram d) {
        d.timer.cancel();
        if (!partials.remove(d.key, d)) {
            return;
        }
        heldBytes -= d.charged;
        d.share.bytes -= d.charged;
        d.share.datagrams--;
        if (d.share.datagrams == 0) {
            sources.remove(d.share.source);
        }
        d.charged = 0;
        updateGauges();
    }

    /** Sets the gauges to the state now (a reset of resettable ones is corrected here). */
    private void updateGauges() {
        heldGauge.set(heldBytes);
        incompleteGauge.set(partials.size());
        if (heldBytes > heldPeakGauge.get()) {
            heldPeakGauge.set(heldBytes);
        }
    }

    private void expire(Datagram d) {
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
    public int incompleteDatagrams() {
        return partials.size();
    }

    /** Bytes held now across incomplete datagrams, overheads included. */
    public int heldBytes() {
        return heldBytes;
    }

    /** Sources with fragments held now. */
    public int sources() {
        return sources.size();
    }

    /** The most incomplete datagrams one source has now (scans; for tests). */
    public int largestSourceDatagrams() {
        int max = 0;
        for (SourceShare s : sources.values()) {
            max = Math.max(max, s.datagrams);
        }
        return max;
    }

    /** The most fragments one incomplete datagram holds now (scans; for tests). */
    public int largestDatagramFragments() {
        int max = 0;
        for (Datagram d : partials.values()) {
            max = Math.max(max, d.pieces.size());
        }
        return max;
    }

    /** Drops every incomplete datagram and stops their timers. */
    public void clear() {
        for (Datagram d : List.copyOf(partials.values())) {
            discard(d);
        }
    }
}
