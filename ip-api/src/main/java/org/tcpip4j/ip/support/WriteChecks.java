package org.tcpip4j.ip.support;

import org.tcpip4j.ip.IpError;
import org.tcpip4j.netif.Counters;
import org.tcpip4j.netif.IpAddress;

/**
 * The checks an IP layer's {@link org.tcpip4j.ip.Ip#write} makes before it routes, the
 * same for both versions: addresses of its version, arguments in range, the layer still
 * connected, a payload that fits a datagram.
 */
public final class WriteChecks {

    private WriteChecks() {
    }

    /**
     * Checks a write; allocates nothing when it may go on.
     *
     * @param version the layer's IP version, 4 or 6
     * @param maxPayload the largest payload of one datagram of that version
     * @return {@code null} when the write may go on, else its error, counted on
     *     {@code noRoute} (an address of another version), {@code errors} (the layer is
     *     disconnected) or {@code tooLarge}
     * @throws IllegalArgumentException for a negative size, a protocol out of 0..255, or a
     *     TTL (hop limit) out of 1..255 other than -1 (RFC 1122 3.2.1.7: never 0)
     */
    public static IpError check(int version, IpAddress src, IpAddress dst, int protocol, int ttl, int size,
                                boolean disconnected, int maxPayload, Counters.Counter noRoute,
                                Counters.Counter errors, Counters.Counter tooLarge) {
        if (dst == null || dst.version() != version || (src != null && src.version() != version)) {
            noRoute.increment();
            return new IpError.NoRoute(dst);
        }
        if (size < 0 || protocol < 0 || protocol > 255 || ttl == 0 || ttl < -1 || ttl > 255) {
            throw new IllegalArgumentException("size " + size + ", protocol " + protocol + ", "
                + (version == 6 ? "hop limit " : "ttl ") + ttl);
        }
        if (disconnected) {
            errors.increment();
            return new IpError.Link("IPv" + version + " layer disconnected");
        }
        if (size > maxPayload) {
            tooLarge.increment();
            return new IpError.TooLarge(size, maxPayload);
        }
        return null;
    }
}
