package org.tcpip4j.tcp.internal;

/**
 * A connection's path MTU and the MSS that follows from it (Linux's {@code icsk_pmtu_cookie},
 * {@code tcp_sync_mss} and {@code icsk_mtup}):
 *
 * <ul>
 *   <li>Path MTU discovery (RFC 1191, with the checks of RFC 5927 5.2 done by the
 *       sender): a validated "fragmentation needed", or a lower path MTU the IP layer
 *       learned, lowers it. Never below {@value #MIN_PATH_MTU} bytes (Linux's
 *       {@code min_pmtu}; {@value #MIN_PATH_MTU_V6} over IPv6, RFC 8201 4): a message
 *       cannot make us send a flood of tiny segments. It
 *       only falls: RFC 1191's periodic increase is left to new connections, which start
 *       from the IP layer's path MTU once its entry expired.
 *   <li>Black-hole detection (RFC 4821, as Linux's {@code tcp_mtu_probing=1} searches
 *       down): when full-sized segments time out {@value #BLACK_HOLE_TIMEOUTS} times in a
 *       row (Linux's {@code tcp_retries1}) while no "fragmentation needed" comes back, a
 *       router may be dropping them silently; the MSS drops to {@value #BASE_MSS} (Linux's
 *       {@code tcp_base_mss}), then halves on each later timeout, down to
 *       {@value #PROBE_FLOOR_MSS} (Linux's {@code tcp_mtu_probe_floor}), but never below
 *       the longest segment the path delivered since the MSS last fell (the sender
 *       checks), so that random loss does not pass for a black hole. There is no search
 *       back up (Linux probes with one larger segment every so often): the MSS stays where
 *       a timeout was answered, for the life of the connection.
 * </ul>
 *
 * <p>MTUs here are in IP terms (the datagram, IPv4 header of {@value #IP_HEADER} bytes
 * or IPv6 header of {@value #IP_HEADER_V6} included); the MSS is the payload of a segment, options counted out, as the sender's
 * {@code mss}. Loop only.
 */
final class PathMtu {

    /** The smallest path MTU a message may set over IPv4 (Linux's {@code min_pmtu}; RFC 791's 576 less 24). */
    static final int MIN_PATH_MTU = 552;
    /** The smallest path MTU over IPv6: its minimum link MTU (RFC 8200 5, RFC 8201 4). */
    static final int MIN_PATH_MTU_V6 = 1280;
    /** The MSS black-hole detection tries first (Linux's {@code tcp_base_mss}). */
    static final int BASE_MSS = 1024;
    /** The lowest MSS black-hole detection goes to (Linux's {@code tcp_mtu_probe_floor}). */
    static final int PROBE_FLOOR_MSS = 48;
    /** Consecutive timeouts after which a black hole is suspected (Linux's {@code tcp_retries1}). */
    static final int BLACK_HOLE_TIMEOUTS = 3;
    /** The IPv4 header without options. */
    static final int IP_HEADER = 20;
    /** The IPv6 header, without extension headers. */
    static final int IP_HEADER_V6 = 40;
    /** The TCP header without options. */
    private static final int TCP_HEADER = 20;

    /** The path MTU the MSS follows. */
    private int mtu;
    /** The IP header every datagram of the connection carries: {@value #IP_HEADER} or {@value #IP_HEADER_V6}. */
    private int ipHeader = IP_HEADER;
    /** The peer's MSS (536 when it sent none): the MSS never exceeds it, options counted in. */
    private int mssClamp;
    /** The options every segment carries (the Timestamps option). */
    private int optionsLength;
    /** The MSS black-hole detection allows; {@code Integer.MAX_VALUE} until a black hole is suspected. */
    private int searchMss = Integer.MAX_VALUE;

    /** The IP header of the version: {@value #IP_HEADER} bytes for IPv4, {@value #IP_HEADER_V6} for IPv6. */
    static int ipHeader(boolean ipv6) {
        return ipv6 ? IP_HEADER_V6 : IP_HEADER;
    }

    /**
     * The handshake is over: the path MTU is {@code mtu}, the peer takes segments of
     * {@code peerMss}, and every segment carries {@code optionsLength} bytes of options.
     *
     * @return the MSS
     */
    int start(int mtu, int peerMss, int optionsLength) {
        return start(false, mtu, peerMss, optionsLength);
    }

    /** As {@link #start(int, int, int)}, for a connection over IPv6 when {@code ipv6}. */
    int start(boolean ipv6, int mtu, int peerMss, int optionsLength) {
        this.ipHeader = ipHeader(ipv6);
        this.mtu = mtu;
        this.mssClamp = peerMss;
        this.optionsLength = optionsLength;
        return mss();
    }

    /** The path MTU the MSS follows. */
    int mtu() {
        return mtu;
    }

    /** True once black-hole detection lowered the MSS. */
    boolean blackHoleSuspected() {
        return searchMss != Integer.MAX_VALUE;
    }

    /** The MSS: what one segment of the path MTU carries (Linux's tcp_mtu_to_mss), within the search. */
    int mss() {
        int mss = Math.min(mtu - ipHeader - TCP_HEADER, mssClamp) - optionsLength;
        return Math.max(PROBE_FLOOR_MSS, Math.min(mss, searchMss));
    }

    /** The IP header every datagram of the connection carries. */
    int ipHeader() {
        return ipHeader;
    }

    /**
     * Lowers the path MTU to {@code newMtu}, raised to {@value #MIN_PATH_MTU} over IPv4,
     * {@value #MIN_PATH_MTU_V6} over IPv6.
     *
     * @return true when that is below the path MTU in use; false changes nothing
     */
    boolean lower(int newMtu) {
        int wanted = Math.max(newMtu, ipHeader == IP_HEADER_V6 ? MIN_PATH_MTU_V6 : MIN_PATH_MTU);
        if (wanted >= mtu) {
            return false;
        }
        mtu = wanted;
        return true;
    }

    /**
     * The MSS black-hole detection would go to next from {@code mss}: {@value #BASE_MSS},
     * or half of it once there or below, never under {@value #PROBE_FLOOR_MSS}.
     */
    static int blackHoleMss(int mss) {
        return mss > BASE_MSS ? BASE_MSS : Math.max(PROBE_FLOOR_MSS, mss / 2);
    }

    /** A black hole is suspected: the MSS is at most {@code mss} from now on. */
    void limit(int mss) {
        searchMss = Math.max(PROBE_FLOOR_MSS, mss);
    }
}
