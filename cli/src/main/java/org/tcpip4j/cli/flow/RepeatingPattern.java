package org.tcpip4j.cli.flow;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * An endless byte stream that repeats one period: byte {@code k} of the stream is
 * {@code period[k % period.length]}. The demo sends and checks one, chargen and the HTTP
 * server's {@code /bytes/N} send another, so any receiver can verify what it got.
 *
 * <p>{@link #slice} hands out views of one array that is never written after construction,
 * which is what lets a sender give them to {@code TcpFlow.write} without copying: the flow
 * owns a written buffer until its future completes, and nobody else changes these bytes.
 */
public final class RepeatingPattern {

    /** The longest slice {@link #slice} gives. */
    public static final int MAX_SLICE = 64 * 1024;

    private final int period;
    // One period followed by MAX_SLICE more bytes of the stream, so every slice is contiguous.
    private final byte[] bytes;

    private RepeatingPattern(byte[] onePeriod) {
        if (onePeriod.length == 0) {
            throw new IllegalArgumentException("empty period");
        }
        this.period = onePeriod.length;
        this.bytes = new byte[period + MAX_SLICE];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = onePeriod[i % period];
        }
    }

    /** The stream whose byte {@code k} is {@code k % 251}: a prime period, so shifted data never matches. */
    public static RepeatingPattern modulo251() {
        byte[] p = new byte[251];
        for (int i = 0; i < p.length; i++) {
            p[i] = (byte) i;
        }
        return new RepeatingPattern(p);
    }

    /**
     * The character generator stream of RFC 864: lines of 72 printable ASCII characters,
     * each starting one character further along the 95 printable ones, ended by CR LF.
     * Readable in a terminal, and its period (95 lines, 7,030 bytes) is not a power of two.
     */
    public static RepeatingPattern chargen() {
        StringBuilder s = new StringBuilder(95 * 74);
        for (int line = 0; line < 95; line++) {
            for (int column = 0; column < 72; column++) {
                s.append((char) (' ' + (line + column) % 95));
            }
            s.append("\r\n");
        }
        return new RepeatingPattern(s.toString().getBytes(StandardCharsets.US_ASCII));
    }

    /** The length of one period. */
    public int period() {
        return period;
    }

    /** Byte {@code offset} of the stream. */
    public byte at(long offset) {
        return bytes[(int) (offset % period)];
    }

    /**
     * Bytes {@code offset .. offset + length} of the stream, as a buffer the caller must not
     * write to.
     *
     * @throws IllegalArgumentException when {@code length} is outside 0..{@link #MAX_SLICE}
     */
    public ByteBuffer slice(long offset, int length) {
        if (length < 0 || length > MAX_SLICE || offset < 0) {
            throw new IllegalArgumentException("slice of " + length + " bytes at " + offset);
        }
        return ByteBuffer.wrap(bytes, (int) (offset % period), length);
    }

    /** The first {@code length} bytes of the stream as a new array. */
    public byte[] prefix(int length) {
        byte[] out = new byte[length];
        for (int i = 0; i < length; i++) {
            out[i] = at(i);
        }
        return out;
    }

    /**
     * The offset of the first byte of {@code data} (position..limit) that differs from the
     * stream starting at {@code streamOffset}, relative to the stream; -1 when all match.
     */
    public long firstMismatch(ByteBuffer data, long streamOffset) {
        // Compare slice by slice with ByteBuffer.mismatch, which the JDK vectorises: a
        // receiver checks every byte without slowing the transfer it checks.
        long at = streamOffset;
        int pos = data.position();
        int end = data.limit();
        while (pos < end) {
            int n = Math.min(MAX_SLICE, end - pos);
            int m = data.slice(pos, n).mismatch(ByteBuffer.wrap(bytes, (int) (at % period), n));
            if (m >= 0) {
                return at + m;
            }
            pos += n;
            at += n;
        }
        return -1;
    }
}
