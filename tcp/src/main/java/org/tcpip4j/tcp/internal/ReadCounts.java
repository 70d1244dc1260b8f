package org.tcpip4j.tcp.internal;

/**
 * The boxed byte counts a {@link java.nio.channels.CompletionHandler} of a read is
 * completed with, kept once made: {@code Integer.valueOf} caches only up to 127, and a
 * reader that streams through a reused buffer would otherwise allocate an {@code Integer}
 * per read. Counts up to {@value #MAX} are kept (the table grows to the largest count
 * seen, at most 256 KiB of references); larger ones are boxed each time.
 *
 * <p>Shared by every loop without locks: a count made twice by two threads at once is
 * harmless (integers are immutable and safely published through their final field), and
 * a table replaced while another thread fills the old one loses at most a few entries.
 */
final class ReadCounts {

    /** The largest count kept. */
    static final int MAX = 1 << 16;

    private static Integer[] table = new Integer[2048];

    private ReadCounts() {
    }

    /** {@code n}, boxed: the same object for the same count up to {@link #MAX}. */
    static Integer of(int n) {
        Integer[] t = table;
        if (n < 0 || n > MAX) {
            return n;
        }
        if (n >= t.length) {
            t = java.util.Arrays.copyOf(t, Math.min(MAX + 1, Integer.highestOneBit(n) << 1));
            table = t;
        }
        Integer boxed = t[n];
        if (boxed == null) {
            boxed = n;
            t[n] = boxed;
        }
        return boxed;
    }
}
