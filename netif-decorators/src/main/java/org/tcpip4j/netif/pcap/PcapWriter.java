package org.tcpip4j.netif.pcap;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;

/**
 * Writes Ethernet frames to a classic pcap file (magic 0xa1b2c3d4, microsecond timestamps,
 * version 2.4, snapshot length 65535, LINKTYPE_ETHERNET), the format tcpdump, Wireshark and
 * tshark read. Integers are written little-endian; readers tell the order by the magic.
 *
 * <p>Records are gathered in a buffer and reach the channel when it fills, on
 * {@link #flush()} and on {@link #close()}; writing a record allocates nothing. Not thread
 * safe: one thread (a stack's loop) writes.
 */
public final class PcapWriter implements Closeable {

    /** Room for the largest record, so that one always fits in an empty buffer. */
    private static final int BUFFER_SIZE = 512 * 1024;

    private final WritableByteChannel channel;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_SIZE).order(ByteOrder.LITTLE_ENDIAN);
    private final int snapLength = PcapHeader.DEFAULT_SNAP_LENGTH;
    private long records;
    private boolean closed;

    /**
     * Writes the file header to {@code channel} at once, so that even a capture that ends
     * early is a valid file, and gets ready for records.
     */
    public PcapWriter(WritableByteChannel channel) throws IOException {
        this.channel = Objects.requireNonNull(channel, "channel");
        buffer.putInt(PcapFormat.MAGIC_MICROS);
        buffer.putShort(PcapFormat.VERSION_MAJOR);
        buffer.putShort(PcapFormat.VERSION_MINOR);
        buffer.putInt(0); // thiszone: timestamps are UTC
        buffer.putInt(0); // sigfigs
        buffer.putInt(snapLength);
        buffer.putInt(PcapHeader.LINKTYPE_ETHERNET);
        drain();
    }

    /** Creates (or truncates) {@code file} and writes its header. */
    public static PcapWriter create(Path file) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        try {
            return new PcapWriter(channel);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /**
     * Records the frame between {@code frame}'s position and limit, captured at
     * {@code epochMicros}; the buffer's position and limit are left as they were.
     */
    public void write(long epochMicros, ByteBuffer frame) throws IOException {
        write(epochMicros, frame, frame.position(), frame.remaining());
    }

    /** Records the {@code length} bytes at {@code buffer[offset..]}, captured at {@code epochMicros}. */
    public void write(long epochMicros, ByteBuffer source, int offset, int length) throws IOException {
        if (closed) {
            throw new ClosedChannelException();
        }
        Objects.checkFromIndexSize(offset, length, source.limit());
        int captured = Math.min(length, snapLength);
        if (buffer.remaining() < PcapFormat.RECORD_HEADER_SIZE + captured) {
            drain();
        }
        buffer.putInt((int) Math.floorDiv(epochMicros, 1_000_000L));
        buffer.putInt((int) Math.floorMod(epochMicros, 1_000_000L));
        buffer.putInt(captured);
        buffer.putInt(length);
        buffer.put(buffer.position(), source, offset, captured);
        buffer.position(buffer.position() + captured);
        records++;
    }

    /** The number of records written so far. */
    public long records() {
        return records;
    }

    /** Hands everything buffered to the channel (and, for a file, to the operating system). */
    public void flush() throws IOException {
        if (closed) {
            return;
        }
        drain();
    }

    private void drain() throws IOException {
        buffer.flip();
        try {
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        } finally {
            buffer.compact();
        }
    }

    /** Flushes and closes the channel. Idempotent. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        try {
            drain();
        } finally {
            closed = true;
            channel.close();
        }
    }
}
