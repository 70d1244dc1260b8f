package org.tcpip4j.tcp;

/**
 * Per-connection choices for {@link Tcp#connectWith(org.tcpip4j.netif.IpAddress, int, FlowOptions)}
 * and {@link Tcp#listenWith(int, FlowOptions, TcpListener)}.
 *
 * @param keepalive TCP keepalive, or null for none
 * @param congestionControl the name of the congestion-control algorithm
 *     ({@code "cubic"}, {@code "newreno"}, or a provider's own), or null for the stack's
 *     ({@link TcpConfig#congestionControl()})
 * @param ipVersion for a listener, the IP version it accepts connections over: {@link #ANY_VERSION}
 *     (0, both, the default), 4 or 6, as a socket bound to an IPv4 address, or an IPv6
 *     socket with Linux's {@code IPV6_V6ONLY}, accepts one version only; a connection over
 *     the other version finds no listener and is refused with a reset. A connection's
 *     version is its destination's, so {@code connectWith} ignores it.
 */
public record FlowOptions(Keepalive keepalive, String congestionControl, int ipVersion) {

    /** {@link #ipVersion}: both IP versions. */
    public static final int ANY_VERSION = 0;

    /** No keepalive, the stack's congestion control, both IP versions. */
    public static final FlowOptions DEFAULT = new FlowOptions(null, null, ANY_VERSION);

    /** Checks the IP version. */
    public FlowOptions {
        checkIpVersion(ipVersion);
    }

    /** Keepalive and congestion control as given, both IP versions. */
    public FlowOptions(Keepalive keepalive, String congestionControl) {
        this(keepalive, congestionControl, ANY_VERSION);
    }

    /**
     * Checks an IP version choice: {@link #ANY_VERSION}, 4 or 6.
     *
     * @throws IllegalArgumentException for any other value
     */
    public static int checkIpVersion(int ipVersion) {
        if (ipVersion != ANY_VERSION && ipVersion != 4 && ipVersion != 6) {
            throw new IllegalArgumentException("IP version must be 4, 6 or 0 (both): " + ipVersion);
        }
        return ipVersion;
    }

    /** These options with keepalive {@code k} (null for none). */
    public FlowOptions withKeepalive(Keepalive k) {
        return new FlowOptions(k, congestionControl, ipVersion);
    }

    /** These options with the congestion-control algorithm named {@code name} (null for the stack's). */
    public FlowOptions withCongestionControl(String name) {
        return new FlowOptions(keepalive, name, ipVersion);
    }

    /** These options for a listener on IP version {@code version} only (4 or 6), or on both ({@link #ANY_VERSION}). */
    public FlowOptions withIpVersion(int version) {
        return new FlowOptions(keepalive, congestionControl, version);
    }

    /** True when a listener with these options accepts a connection over {@code version} (4 or 6). */
    public boolean acceptsVersion(int version) {
        return ipVersion == ANY_VERSION || ipVersion == version;
    }
}
