package org.tcpip4j.tcp.internal.wire;

import java.nio.ByteBuffer;

/**
 * The TCP options of one segment (RFC 9293 3.2), parsed into a reusable holder, and the
 * encoder of the options this stack sends.
 *
 * <p>Known options: End of Option List (0), No-Operation (1), Maximum Segment Size (2,
 * RFC 9293 3.7.1), Window Scale (3, RFC 7323 2), SACK-Permitted (4, RFC 2018), SACK (5,
 * skipped for now) and Timestamps (8, RFC 7323 3). Every other option is skipped by its
 * length, as RFC 9293 3.2 requires ("MUST be prepared to handle ... any option").
 * An option of the wrong length for its kind is ignored rather than trusted.
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

    private int mss = -1;
    private int windowScale = -1;
    private boolean sackPermitted;
    private boolean timestamps;
    private int tsValue;
    private int tsEcho;

    /** Forgets every option, as for a segment without options. */
    public void clear() {
        mss = -1;
        windowScale = -1;
        sackPermitted = false;
        timestamps = false;
        tsValue = 0;
        tsEcho = 0;
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
                case KIND_TIMESTAMPS -> {
                    if (optionLength == 10) {
                        timestamps = true;
                        tsValue = buffer.getInt(i + 2);
                        tsEcho = buffer.getInt(i + 6);
                    }
                }
                default -> {
                    // Unknown or not yet used (SACK blocks): skipped by its length.
                }
            }
            i += optionLength;
        }
        return null;
    }

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

    /** Sets the MSS, for building a segment in tests; -1 for none. */
    public TcpOptions mss(int value) {
        this.mss = value;
        return this;
    }

    /** Sets the window scale, for building a segment in tests; -1 for none. */
    public TcpOptions windowScale(int value) {
        this.windowScale = value;
        return this;
    }

    /** Sets SACK-Permitted, for building a segment in tests. */
    public TcpOptions sackPermitted(boolean value) {
        this.sackPermitted = value;
        return this;
    }

    /**
     * The bytes {@link #write} needs for these options, a multiple of four.
     *
     * @param mss the MSS to send, or -1 for none
     * @param windowScale the shift count to send, or -1 for none
     * @param sackPermitted whether to send SACK-Permitted
     */
    public static int encodedLength(int mss, int windowScale, boolean sackPermitted) {
        int n = 0;
        if (mss >= 0) {
            n += 4;
        }
        if (windowScale >= 0) {
            n += 4; // NOP + 3 bytes, keeps the next option aligned
        }
        if (sackPermitted) {
            n += 4; // NOP NOP + 2 bytes
        }
        return n;
    }

    /**
     * Writes the options at {@code offset}, each aligned on four bytes with NOPs as
     * RFC 7323 appendix A suggests.
     *
     * @return the bytes written, {@link #encodedLength}
     */
    public static int write(ByteBuffer buffer, int offset, int mss, int windowScale, boolean sackPermitted) {
        int i = offset;
        if (mss >= 0) {
            buffer.put(i, (byte) KIND_MSS);
            buffer.put(i + 1, (byte) 4);
            buffer.putShort(i + 2, (short) mss);
            i += 4;
        }
        if (windowScale >= 0) {
            buffer.put(i, (byte) KIND_NOP);
            buffer.put(i + 1, (byte) KIND_WINDOW_SCALE);
            buffer.put(i + 2, (byte) 3);
            buffer.put(i + 3, (byte) windowScale);
            i += 4;
        }
        if (sackPermitted) {
            buffer.put(i, (byte) KIND_NOP);
            buffer.put(i + 1, (byte) KIND_NOP);
            buffer.put(i + 2, (byte) KIND_SACK_PERMITTED);
            buffer.put(i + 3, (byte) 2);
            i += 4;
        }
        return i - offset;
    }

    @Override
    public String toString() {
        return "TcpOptions[mss=" + mss + ", wscale=" + windowScale + ", sackPermitted=" + sackPermitted
            + (timestamps ? ", ts=" + Integer.toUnsignedString(tsValue) + "/" + Integer.toUnsignedString(tsEcho) : "")
            + "]";
    }
}
