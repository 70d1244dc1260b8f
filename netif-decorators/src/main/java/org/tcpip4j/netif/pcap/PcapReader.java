package org.tcpip4j.netif.pcap;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Reads a classic pcap file back into {@link PcapRecord}s: either byte order, microsecond
 * or nanosecond timestamps. A file that is not pcap, or that ends inside a record, is an
 * {@link IOException} saying so; it never reads past a record's declared length.
 */
public final class PcapReader implements Closeable {

    /** A record longer than this is taken for a corrupt file rather than allocated. */
    private static final int MAX_RECORD = 256 * 1024 * 1024;

    private final ReadableByteChannel channel;
    private final PcapHeader header;
    private final ByteBuffer recordHeader = ByteBuffer.allocate(PcapFormat.RECORD_HEADER_SIZE);

    /** Reads and checks the file header from {@code channel}. */
    public PcapReader(ReadableByteChannel channel) throws IOException {
        this.channel = Objects.requireNonNull(channel, "channel");
        ByteBuffer h = ByteBuffer.allocate(PcapFormat.GLOBAL_HEADER_SIZE);
        if (!readFully(h)) {
            throw new EOFException("not a pcap file: shorter than its 24-byte header");
        }
        h.flip();
        int magic = h.order(ByteOrder.LITTLE_ENDIAN).getInt(0);
        ByteOrder order = ByteOrder.LITTLE_ENDIAN;
        if (magic != PcapFormat.MAGIC_MICROS && magic != PcapFormat.MAGIC_NANOS) {
            order = ByteOrder.BIG_ENDIAN;
            magic = h.order(order).getInt(0);
        }
        if (magic != PcapFormat.MAGIC_MICROS && magic != PcapFormat.MAGIC_NANOS) {
            throw new IOException("not a pcap file: magic " + Integer.toHexString(magic));
        }
        h.order(order);
        header = new PcapHeader(order, magic == PcapFormat.MAGIC_NANOS, h.getShort(4) & 0xffff,
                h.getShort(6) & 0xffff, h.getInt(8), h.getInt(12), h.getInt(16), h.getInt(20));
        recordHeader.order(order);
    }

    /** Opens {@code file} and reads its header. */
    public static PcapReader open(Path file) throws IOException {
        FileChannel ch = FileChannel.open(file);
        try {
            return new PcapReader(ch);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** Every record of {@code file}, in order. */
    public static List<PcapRecord> readAll(Path file) throws IOException {
        try (PcapReader reader = open(file)) {
            List<PcapRecord> records = new ArrayList<>();
            PcapRecord r;
            while ((r = reader.next()) != null) {
                records.add(r);
            }
            return records;
        }
    }

    /** The file's global header. */
    public PcapHeader header() {
        return header;
    }

    /**
     * The next record, or null at the end of the file.
     *
     * @throws EOFException when the file ends inside a record
     * @throws IOException when a record's lengths cannot be right
     */
    public PcapRecord next() throws IOException {
        recordHeader.clear();
        int n = readSome(recordHeader);
        if (n == 0) {
            return null;
        }
        if (recordHeader.hasRemaining()) {
            throw new EOFException("pcap file ends inside a record header");
        }
        long seconds = recordHeader.getInt(0) & 0xffff_ffffL;
        long fraction = recordHeader.getInt(4) & 0xffff_ffffL;
        int captured = recordHeader.getInt(8);
        int original = recordHeader.getInt(12);
        if (captured < 0 || captured > MAX_RECORD || original < 0) {
            throw new IOException("corrupt pcap record: captured length " + captured + ", original " + original);
        }
        byte[] data = new byte[captured];
        if (!readFully(ByteBuffer.wrap(data))) {
            throw new EOFException("pcap file ends inside a record of " + captured + " bytes");
        }
        long micros = seconds * 1_000_000L + (header.nanosecondTimestamps() ? fraction / 1_000 : fraction);
        return new PcapRecord(micros, original, data);
    }

    private boolean readFully(ByteBuffer b) throws IOException {
        readSome(b);
        return !b.hasRemaining();
    }

    /** Reads until {@code b} is full or the channel ends; returns the number of bytes read. */
    private int readSome(ByteBuffer b) throws IOException {
        int total = 0;
        while (b.hasRemaining()) {
            int n = channel.read(b);
            if (n < 0) {
                break;
            }
            total += n;
        }
        return total;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
