package org.tcpip4j.tcp.internal.wire;

import java.nio.ByteBuffer;

/**
 * The TCP options of one segment (RFC 9293 3.2) as a plain, reusable value: {@link #parse}
 * fills it from received bytes, and the setters plus {@link #encodedLength()} and
 * {@link #write} build the options of a segment to send. Neither allocates.
 *
 * <p>Known options: End of Option List (0), No-Operation (1), Maximum Segment Size (2,
 * RFC 9293 3.7.1), Window Scale (3, RFC 7323 2), SACK-Permitted (4, RFC 2018 2), SACK (5,
 * RFC 2018 3) and Timestamps (8, RFC 7323 3). Every other option is skipped by its length,
 * as RFC 9293 3.2 requires ("MUST be prepared to handle ... any option"). An option of the
 * wrong length for its kind is ignored rather than trusted.
 *
 * <p>Written options are aligned on four bytes with NOPs, as RFC 7323 appendix A
 * suggests; SACK-Permitted shares its word with Timestamps when both go on a SYN, as
 * Linux lays them out: MSS (4), SACK-Permitted + Timestamps (12), Window Scale (4), SACK
 * (4 + 8n): 20 bytes on a SYN, at most 40 on any segment.
 */
public final class TcpOptions {

    /** Option kinds (IANA "TCP Option Kind Numbers"). */
    public static final int KIND_END = 0;
    /** No-Operation, used for padding. */
    public static final int KIND_NOP = 1;
    /** Maximum Segment Size. */
    public static final int KIND_MSS = 2;
    /** Window Scale. */
    public static final int KIND_WINDOW_SCALE = 3;
    /** SACK-Permitted. */
    public static final int KIND_SACK_PERMITTED = 4;
    /** SACK blocks. */
    public static final int KIND_SACK = 5;
    /** Timestamps. */
    public static final int KIND_TIMESTAMPS = 8;

    /** RFC 7323 2.3: a shift count over 14 is used as 14. */
    public static final int MAX_WINDOW_SCALE = 14;
    /** RFC 2018 3: the 40 bytes of option space hold at most 4 SACK blocks. */
    public static final int MAX_SACK_BLOCKS = 4;
    /** The bytes a Timestamps option takes on the wire, padding included. */
    public static final int TIMESTAMPS_LENGTH = 12;

    private int mss = -1;
    private int windowScale = -1;
    private boolean sackPermitted;
    private boolean timestamps;
    private int tsValue;
    private int tsEcho;
    private int sackBlocks;
    private final int[] sackStarts = new int[MAX_SACK_BLOCKS];
    private final int[] sackEnds = new int[MAX_SACK_BLOCKS];

    /** Forgets every option, as for a segment without options. */
    public TcpOptions clear() {
        mss = -1;
        windowScale = -1;
        sackPermitted = false;
        timestamps = false;
        tsValue = 0;
        tsEcho = 0;
        sackBlocks = 0;
        return this;
    }

    /**
     * Parses the {@code length} option bytes at {@code offset}, replacing what this holder
     * held. Total: any bytes give a result, never an exception.
     *
     * @return {@code null} when the options are well formed, else
     *     {@link TcpRejection#BAD_OPTIONS} (an option length under 2 or past the end)
     */
    public TcpRejection parse(ByteBuffer buffer, int offset, int length) {
        clear();
        int i = offset;
        int end = offset + length;
        while (i < end) {
            int kind = buffer.get(i) & 0xff;
            if (kind == KIND_END) {
                break;
            }
            if (kind == KIND_NOP) {
                i++;
                continue;
            }
            if (i + 1 >= end) {
                return TcpRejection.BAD_OPTIONS;
            }
            int optionLength = buffer.get(i + 1) & 0xff;
            if (optionLength < 2 || i + optionLength > end) {
                return TcpRejection.BAD_OPTIONS;
            }
            switch (kind) {
                case KIND_MSS -> {
                    if (optionLength == 4) {
                        mss = buffer.getShort(i + 2) & 0xffff;
                    }
                }
                case KIND_WINDOW_SCALE -> {
                    if (optionLength == 3) {
                        windowScale = Math.min(buffer.get(i + 2) & 0xff, MAX_WINDOW_SCALE);
                    }
                }
                case KIND_SACK_PERMITTED -> {
                    if (optionLength == 2) {
                        sackPermitted = true;
                    }
                }
                case KIND_SACK -> parseSack(buffer, i, optionLength);
                case KIND_TIMESTAMPS -> {
                    if (optionLength == 10) {
                        timestamps = true;
                        tsValue = buffer.getInt(i + 2);
                        tsEcho = buffer.getInt(i + 6);
                    }
                }
                default -> {
                    // Unknown: skipped by its length.
                }
            }
            i += optionLength;
        }
        return null;
    }

    /** RFC 2018 3: kind 5, length 2 + 8n, n blocks of left edge and right edge. */
    private void parseSack(ByteBuffer buffer, int at, int optionLength) {
        int n = (optionLength - 2) / 8;
        if (optionLength != 2 + 8 * n || n == 0 || n > MAX_SACK_BLOCKS) {
            return;
        }
        for (int b = 0; b < n; b++) {
            sackStarts[b] = buffer.getInt(at + 2 + 8 * b);
            sackEnds[b] = buffer.getInt(at + 6 + 8 * b);
        }
        sackBlocks = n;
    }

    // ---- what was parsed -----------------------------------------------------------------

    /** The peer's Maximum Segment Size, or -1 when absent. */
    public int mss() {
        return mss;
    }

    /** The peer's window shift count (clamped to 14), or -1 when absent. */
    public int windowScale() {
        return windowScale;
    }

    /** True when SACK-Permitted was present. */
    public boolean sackPermitted() {
        return sackPermitted;
    }

    /** True when a Timestamps option was present. */
    public boolean hasTimestamps() {
        return timestamps;
    }

    /** TSval of the Timestamps option. */
    public int timestampValue() {
        return tsValue;
    }

    /** TSecr of the Timestamps option. */
    public int timestampEcho() {
        return tsEcho;
    }

    /** The number of SACK blocks present, 0 to 4. */
    public int sackBlockCount() {
        return sackBlocks;
    }

    /** The left edge of SACK block {@code i}: its first sequence number. */
    public int sackStart(int i) {
        return sackStarts[i];
    }

    /** The right edge of SACK block {@code i}: the sequence number after its last byte. */
    public int sackEnd(int i) {
        return sackEnds[i];
    }

    // ---- building ------------------------------------------------------------------------

    /** Sets the MSS to send; -1 for none. */
    public TcpOptions mss(int value) {
        this.mss = value;
        return this;
    }

    /** Sets the window shift count to send; -1 for none. */
    public TcpOptions windowScale(int value) {
        this.windowScale = value;
        return this;
    }

    /** Sets whether SACK-Permitted is sent. */
    public TcpOptions sackPermitted(boolean value) {
        this.sackPermitted = value;
        return this;
    }

    /** Adds a Timestamps option with TSval {@code value} and TSecr {@code echo}. */
    public TcpOptions timestamps(int value, int echo) {
        this.timestamps = true;
        this.tsValue = value;
        this.tsEcho = echo;
        return this;
    }

    /** Appends a SACK block [start, end); ignored once four are held. */
    public TcpOptions addSackBlock(int start, int end) {
        if (sackBlocks < MAX_SACK_BLOCKS) {
            sackStarts[sackBlocks] = start;
            sackEnds[sackBlocks] = end;
            sackBlocks++;
        }
        return this;
    }

    /** Keeps only the first {@code n} SACK blocks. */
    public TcpOptions limitSackBlocks(int n) {
        sackBlocks = Math.max(0, Math.min(sackBlocks, n));
        return this;
    }

    /** The bytes SACK blocks take on the wire, padding included: 0, or 4 + 8n. */
    public static int sackLength(int blocks) {
        return blocks == 0 ? 0 : 4 + 8 * blocks;
    }

    /** The bytes {@link #write} needs for these options, a multiple of four, at most 40. */
    public int encodedLength() {
        int n = 0;
        if (mss >= 0) {
            n += 4;
        }
        if (timestamps) {
            n += TIMESTAMPS_LENGTH; // with SACK-Permitted in its padding when both are sent
        } else if (sackPermitted) {
            n += 4;
        }
        if (windowScale >= 0) {
            n += 4;
        }
        return n + sackLength(sackBlocks);
    }

    /**
     * Writes the options at absolute index {@code offset} of {@code buffer}.
     *
     * @return the bytes written, {@link #encodedLength()}
     */
    public int write(ByteBuffer buffer, int offset) {
        int i = offset;
        if (mss >= 0) {
            buffer.put(i, (byte) KIND_MSS);
            buffer.put(i + 1, (byte) 4);
            buffer.putShort(i + 2, (short) mss);
            i += 4;
        }
        if (timestamps) {
            if (sackPermitted) {
                buffer.put(i, (byte) KIND_SACK_PERMITTED);
                buffer.put(i + 1, (byte) 2);
            } else {
                buffer.put(i, (byte) KIND_NOP);
                buffer.put(i + 1, (byte) KIND_NOP);
            }
            buffer.put(i + 2, (byte) KIND_TIMESTAMPS);
            buffer.put(i + 3, (byte) 10);
            buffer.putInt(i + 4, tsValue);
            buffer.putInt(i + 8, tsEcho);
            i += TIMESTAMPS_LENGTH;
        } else if (sackPermitted) {
            buffer.put(i, (byte) KIND_NOP);
            buffer.put(i + 1, (byte) KIND_NOP);
            buffer.put(i + 2, (byte) KIND_SACK_PERMITTED);
            buffer.put(i + 3, (byte) 2);
            i += 4;
        }
        if (windowScale >= 0) {
            buffer.put(i, (byte) KIND_NOP);
            buffer.put(i + 1, (byte) KIND_WINDOW_SCALE);
            buffer.put(i + 2, (byte) 3);
            buffer.put(i + 3, (byte) windowScale);
            i += 4;
        }
        if (sackBlocks > 0) {
            buffer.put(i, (byte) KIND_NOP);
            buffer.put(i + 1, (byte) KIND_NOP);
            buffer.put(i + 2, (byte) KIND_SACK);
            buffer.put(i + 3, (byte) (2 + 8 * sackBlocks));
            i += 4;
            for (int b = 0; b < sackBlocks; b++) {
                buffer.putInt(i, sackStarts[b]);
                buffer.putInt(i + 4, sackEnds[b]);
                i += 8;
            }
        }
        return i - offset;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("TcpOptions[mss=").append(mss).append(", wscale=").append(windowScale)
            .append(", sackPermitted=").append(sackPermitted);
        if (timestamps) {
            sb.append(", ts=").append(Integer.toUnsignedString(tsValue)).append('/')
                .append(Integer.toUnsignedString(tsEcho));
        }
        for (int b = 0; b < sackBlocks; b++) {
            sb.append(b == 0 ? ", sack=" : " ").append(Integer.toUnsignedString(sackStarts[b])).append('-')
                .append(Integer.toUnsignedString(sackEnds[b]));
        }
        return sb.append(']').toString();
    }
}
