package org.tcpip4j.tcp.internal;

import org.tcpip4j.netif.loop.EventLoop;
import org.tcpip4j.netif.loop.Secrets;

/**
 * SYN cookies (RFC 4987 3.6): when a listener's half-open queue is full, the SYN-ACK's
 * sequence number carries what the connection needs, and the layer keeps nothing; the
 * client's ACK brings it back, and a valid one opens the connection as if it had waited
 * in the queue. As Linux encodes it:
 *
 * <pre>
 * cookie = H1(4-tuple) + client's ISN + (t &lt;&lt; 24) + ((H2(4-tuple, t, mss index) mod 2^22) &lt;&lt; 2 | mss index)
 * </pre>
 *
 * where {@code t} counts {@value #TICK_SECONDS}-second ticks (8 bits kept), H1 and H2 are
 * SipHash-2-4 keyed with secrets drawn from the layer's source of secrets, and the index
 * names the client's MSS in {@link #MSS_TABLE} ({@link #MSS_TABLE_V6} over IPv6; rounded down). H2 covers the index too, so
 * that flipping any of the low 24 bits of a valid cookie never yields another valid one
 * (with Linux's layout, changing the low bits changes the MSS a valid cookie carries). A cookie is valid for
 * {@value #MAX_AGE_TICKS} ticks after the one it was made in. The keys rotate every
 * {@value #ROTATE_TICKS} ticks; a cookie is checked against the current key and the one
 * before, so one that was valid when sent stays valid for its whole age, and a key seen by
 * an attacker is useless a few minutes later.
 *
 * <p>With timestamps (the client's SYN offered them, and the layer does), the low
 * {@value #TS_OPTION_BITS} bits of our TSval carry the client's window scale (4 bits, 15
 * for none) and SACK-Permitted (1 bit), which its ACK echoes in TSecr; without timestamps
 * the connection goes without window scaling and SACK, as on Linux. Loop only.
 */
final class SynCookies {

    /** The MSS values a cookie can carry over IPv4 (Linux's msstab). */
    static final int[] MSS_TABLE = {536, 1300, 1440, 1460};
    /**
     * The MSS values a cookie can carry over IPv6 (Linux's msstab of syncookies.c for IPv6:
     * the IPv6 minimum MTU, a tunnel's, Ethernet's and a jumbo frame's, each less 60 bytes).
     */
    static final int[] MSS_TABLE_V6 = {1220, 1420, 1440, 8940};
    static final int TICK_SECONDS = 64;
    static final int MAX_AGE_TICKS = 2;
    static final int ROTATE_TICKS = 4;
    static final int TS_OPTION_BITS = 5;
    static final int TS_OPTION_MASK = (1 << TS_OPTION_BITS) - 1;
    private static final long TICK_NANOS = TICK_SECONDS * 1_000_000_000L;
    private static final int NO_WSCALE = 0xf;

    private final EventLoop loop;
    private final Secrets secrets;
    private final long[] current = new long[4];
    private final long[] previous = new long[4];
    private long epoch = Long.MIN_VALUE;
    private long lastSentAt = Long.MIN_VALUE;

    SynCookies(EventLoop loop, Secrets secrets) {
        this.loop = loop;
        this.secrets = secrets;
    }

    private long tick() {
        return Math.floorDiv(loop.nanoTime(), TICK_NANOS);
    }

    /** Brings the keys to the current epoch: the current key becomes the previous one. */
    private void rotate(long tick) {
        long e = Math.floorDiv(tick, ROTATE_TICKS);
        if (e == epoch) {
            return;
        }
        if (e == epoch + 1) {
            System.arraycopy(current, 0, previous, 0, 4);
        } else {
            for (int i = 0; i < 4; i++) {
                previous[i] = secrets.nextLong();
            }
        }
        for (int i = 0; i < 4; i++) {
            current[i] = secrets.nextLong();
        }
        epoch = e;
    }

    /** The MSS values of a cookie over IPv6 ({@code ipv6}) or IPv4. */
    static int[] mssTable(boolean ipv6) {
        return ipv6 ? MSS_TABLE_V6 : MSS_TABLE;
    }

    /** The index in {@link #MSS_TABLE} of the largest MSS not above the client's ({@code mss} &lt;= 0: none given). */
    static int mssIndex(int mss) {
        return mssIndex(mss, false);
    }

    /**
     * The index in {@link #mssTable(boolean)} of the largest MSS not above the client's
     * ({@code mss} &lt;= 0: none given, so the default of the version, RFC 9293 3.7.1: 536
     * for IPv4, 1220 for IPv6).
     */
    static int mssIndex(int mss, boolean ipv6) {
        int m = mss > 0 ? mss : Connection.defaultMss(ipv6);
        int[] table = mssTable(ipv6);
        int i = table.length - 1;
        while (i > 0 && table[i] > m) {
            i--;
        }
        return i;
    }

    /**
     * The cookie, our ISN, for a SYN of this 4-tuple (its addresses as 128 bits,
     * {@link FourTuple}; {@code ports} as {@link FourTuple#ports(int, int)}) with ISN
     * {@code clientIsn} and MSS index {@code mssIndex}.
     */
    int make(long lh, long ll, long rh, long rl, int ports, int clientIsn, int mssIndex) {
        long tick = tick();
        rotate(tick);
        lastSentAt = loop.nanoTime();
        int t = (int) (tick & 0xff);
        return h1(current, lh, ll, rh, rl, ports) + clientIsn + (t << 24)
            + ((h2(current, lh, ll, rh, rl, ports, t, mssIndex) & 0x3f_ffff) << 2 | mssIndex);
    }

    /** True when cookies went out in the last {@value #MAX_AGE_TICKS} + 1 ticks (Linux checks its recent overflow too). */
    boolean sentRecently() {
        return lastSentAt != Long.MIN_VALUE && loop.nanoTime() - lastSentAt <= (MAX_AGE_TICKS + 1) * TICK_NANOS;
    }

    /**
     * Checks the cookie an ACK of this 4-tuple returns ({@code ack - 1}) against the
     * client's ISN ({@code seq - 1}).
     *
     * @return the MSS index it carries, or -1 when it is not a valid cookie of ours
     */
    int check(long lh, long ll, long rh, long rl, int ports, int clientIsn, int cookie) {
        long tick = tick();
        rotate(tick);
        int index = check(current, epoch, tick, lh, ll, rh, rl, ports, clientIsn, cookie);
        return index >= 0 ? index : check(previous, epoch - 1, tick, lh, ll, rh, rl, ports, clientIsn, cookie);
    }

    private static int check(long[] key, long keyEpoch, long tick, long lh, long ll, long rh, long rl, int ports,
                             int clientIsn, int cookie) {
        int diff = cookie - h1(key, lh, ll, rh, rl, ports) - clientIsn;
        int t = diff >>> 24;
        long age = (tick - t) & 0xff;
        if (age > MAX_AGE_TICKS || Math.floorDiv(tick - age, ROTATE_TICKS) != keyEpoch) {
            return -1;
        }
        int index = diff & 3;
        return ((diff >>> 2) & 0x3f_ffff) == (h2(key, lh, ll, rh, rl, ports, t, index) & 0x3f_ffff) ? index : -1;
    }

    private static int h1(long[] key, long lh, long ll, long rh, long rl, int ports) {
        return (int) FourTuple.hash(key[0], key[1], lh, ll, rh, rl, ports & 0xffff_ffffL);
    }

    private static int h2(long[] key, long lh, long ll, long rh, long rl, int ports, int t, int index) {
        return (int) FourTuple.hash(key[2], key[3], lh, ll, rh, rl,
            (ports & 0xffff_ffffL) ^ ((long) t << 40) ^ ((long) index << 56));
    }

    /** The low TSval bits carrying the client's window scale ({@code -1}: none) and SACK-Permitted. */
    static int timestampOptions(int windowScale, boolean sack) {
        return (windowScale < 0 ? NO_WSCALE : Math.min(windowScale, 14)) | (sack ? 1 << 4 : 0);
    }

    /** Our TSval {@code now} with its low bits replaced by {@code options}, never ahead of now. */
    static int encodeTimestamp(int now, int options) {
        int ts = (now & ~TS_OPTION_MASK) | options;
        return ts - now > 0 ? ts - (1 << TS_OPTION_BITS) : ts;
    }

    /** The client's window scale a TSecr carries, or -1 for none. */
    static int windowScaleOf(int tsecr) {
        int ws = tsecr & 0xf;
        return ws == NO_WSCALE ? -1 : ws;
    }

    /** The client's SACK-Permitted a TSecr carries. */
    static boolean sackOf(int tsecr) {
        return (tsecr & (1 << 4)) != 0;
    }
}
