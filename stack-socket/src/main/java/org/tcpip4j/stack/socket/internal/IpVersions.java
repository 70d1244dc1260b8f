package org.tcpip4j.stack.socket.internal;

import org.tcpip4j.netif.IpAddress;

/**
 * Which IP versions a listener on a port serves. A port's sockets are bound the same way
 * whatever this says (on the wildcard {@code ::} one dual-stack socket, since Java offers
 * no {@code IPV6_V6ONLY}); the port hands each connection or datagram to the listener
 * registered for its peer's version, so one listener per version can share a port.
 */
enum IpVersions {

    /** IPv4 and IPv6 peers: what listening means unless the caller asks for one version. */
    BOTH,
    /** IPv4 peers only (on the wildcard {@code ::}, IPv4-mapped peers). */
    IPV4_ONLY,
    /** IPv6 peers only. */
    IPV6_ONLY;

    /** The value of an IP version as the tcp and udp APIs name it: 0 both, 4 or 6. */
    static IpVersions of(int version) {
        return switch (version) {
            case 0 -> BOTH;
            case 4 -> IPV4_ONLY;
            case 6 -> IPV6_ONLY;
            default -> throw new IllegalArgumentException("an IP version is 0 (both), 4 or 6: " + version);
        };
    }

    /** True when a peer at {@code address} is served. */
    boolean admits(IpAddress address) {
        return switch (this) {
            case BOTH -> true;
            case IPV4_ONLY -> address.version() == 4;
            case IPV6_ONLY -> address.version() == 6;
        };
    }
}
