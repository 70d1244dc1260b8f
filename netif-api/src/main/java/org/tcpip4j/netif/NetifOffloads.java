package org.tcpip4j.netif;

/**
 * What a device does to frames beyond carrying them, Linux's netdev features: completing
 * TCP checksums, cutting large TCP segments into wire segments (TSO), vouching for the
 * checksums of what it delivers, and delivering coalesced segments (GRO).
 *
 * <p>The contract with the layers above, for a device that offers them:
 * <ul>
 *   <li>{@code txTcpChecksum}: every TCP segment written to the device, in an IPv4
 *       datagram that is not a fragment or an IPv6 packet whose next header is TCP, holds
 *       in its checksum field the sum of the pseudo-header (RFC 9293 3.1, not
 *       complemented), as Linux's {@code CHECKSUM_PARTIAL}; the device completes it over
 *       the header and payload. Other protocols are written whole.</li>
 *   <li>{@code tso4}/{@code tso6}: a TCP segment in a frame larger than {@code mtu + 14},
 *       up to {@code maxTsoFrame} bytes, is cut by the device into wire segments, each
 *       carrying the same IP and TCP headers (options included) and at most
 *       {@code mtu - IP header - TCP header} bytes of payload; sequence numbers, IPv4
 *       identifications, lengths, checksums, and FIN and PSH (on the last) follow. TCP
 *       builds such a segment only when its own segment size is exactly that. Implies
 *       {@code txTcpChecksum}.</li>
 *   <li>{@code rxChecksum}: a frame may arrive whose TCP and UDP checksums the device
 *       vouches for ({@link Netif#rxChecksumValid()} during its delivery).</li>
 *   <li>{@code rxCoalesced}: a frame may arrive larger than {@code mtu + 14}, up to
 *       {@code maxTsoFrame} bytes: TCP segments of one flow coalesced by the device, whose
 *       checksums it vouches for.</li>
 * </ul>
 *
 * @param txTcpChecksum the device completes TCP checksums
 * @param tso4 the device segments large TCP segments over IPv4
 * @param tso6 the device segments large TCP segments over IPv6
 * @param rxChecksum frames may arrive with vouched checksums
 * @param rxCoalesced frames may arrive coalesced, larger than the MTU
 * @param maxTsoFrame the largest frame, Ethernet header included, of a segment the device
 *     cuts or delivers coalesced; 0 when it does neither
 */
public record NetifOffloads(boolean txTcpChecksum, boolean tso4, boolean tso6, boolean rxChecksum,
                            boolean rxCoalesced, int maxTsoFrame) {

    /** The largest frame with a TCP segment a device cuts: an IPv4 datagram of 65,535 bytes and an Ethernet header. */
    public static final int MAX_TSO_FRAME = 65_535 + Netif.ETHERNET_HEADER_SIZE;

    /** A device that only carries frames. */
    public static final NetifOffloads NONE = new NetifOffloads(false, false, false, false, false, 0);

    /** Everything: a device that completes, cuts and vouches for everything, up to {@link #MAX_TSO_FRAME}. */
    public static final NetifOffloads ALL = new NetifOffloads(true, true, true, true, true, MAX_TSO_FRAME);

    public NetifOffloads {
        if ((tso4 || tso6) && !txTcpChecksum) {
            throw new IllegalArgumentException("TSO needs TCP checksum offload");
        }
        if (maxTsoFrame < 0 || maxTsoFrame > MAX_TSO_FRAME) {
            throw new IllegalArgumentException("maxTsoFrame must be in [0, " + MAX_TSO_FRAME + "]: " + maxTsoFrame);
        }
        if ((tso4 || tso6 || rxCoalesced) && maxTsoFrame == 0) {
            throw new IllegalArgumentException("TSO and coalesced receive need maxTsoFrame");
        }
    }

    /** True when the device cuts large TCP segments over IPv4 ({@code ipv6} false) or IPv6. */
    public boolean tso(boolean ipv6) {
        return ipv6 ? tso6 : tso4;
    }

    /** These offloads without TSO and coalescing: what a decorator that must see wire segments offers. */
    public NetifOffloads withoutSegmentation() {
        return new NetifOffloads(txTcpChecksum, false, false, rxChecksum, false, 0);
    }

    /** A short description for logs: "tx-csum tso4 tso6 rx-csum gro (65549)", or "none". */
    public String describe() {
        StringBuilder b = new StringBuilder();
        if (txTcpChecksum) b.append(" tx-csum");
        if (tso4) b.append(" tso4");
        if (tso6) b.append(" tso6");
        if (rxChecksum) b.append(" rx-csum");
        if (rxCoalesced) b.append(" gro");
        if (maxTsoFrame > 0) b.append(" (").append(maxTsoFrame).append(')');
        return b.isEmpty() ? "none" : b.substring(1);
    }
}
