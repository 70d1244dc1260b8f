package org.tcpip4j.tcp.internal;

/**
 * Sequence number arithmetic modulo 2^32 (RFC 9293 3.4; RFC 1982 serial numbers) on plain
 * ints: two numbers compare by the sign of their 32-bit difference, so comparisons stay
 * right across the wrap from 0xFFFFFFFF to 0, as long as the numbers are less than 2^31
 * apart (windows are at most 2^30, RFC 7323 2.3).
 */
final class SeqNum {

    private SeqNum() {
    }

    /** a < b. */
    static boolean lt(int a, int b) {
        return a - b < 0;
    }

    /** a <= b. */
    static boolean le(int a, int b) {
        return a - b <= 0;
    }

    /** a > b. */
    static boolean gt(int a, int b) {
        return a - b > 0;
    }

    /** a >= b. */
    static boolean ge(int a, int b) {
        return a - b >= 0;
    }

    /** The later of a and b. */
    static int max(int a, int b) {
        return a - b >= 0 ? a : b;
    }

    /** The earlier of a and b. */
    static int min(int a, int b) {
        return a - b <= 0 ? a : b;
    }

    /** start <= x < end, modulo 2^32. */
    static boolean inWindow(int x, int start, int end) {
        return le(start, x) && lt(x, end);
    }

    /** The distance from a to b (b - a), for numbers less than 2^31 apart. */
    static int distance(int a, int b) {
        return b - a;
    }

    /** The number as an unsigned decimal, for logs. */
    static String toString(int seq) {
        return Integer.toUnsignedString(seq);
    }
}
