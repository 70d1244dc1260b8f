package org.tcpip4j.tcp;

/**
 * Per-connection choices for {@link Tcp#connectWith(org.tcpip4j.netif.IpAddress, int, FlowOptions)}
 * and {@link Tcp#listenWith(int, FlowOptions, TcpListener)}.
 *
 * @param keepalive TCP keepalive, or null for none
 * @param congestionControl the name of the congestion-control algorithm
 *     ({@code "cubic"}, {@code "newreno"}, or a provider's own), or null for the stack's
 *     ({@link TcpConfig#congestionControl()})
 */
public record FlowOptions(Keepalive keepalive, String congestionControl) {

    /** No keepalive, the stack's congestion control. */
    public static final FlowOptions DEFAULT = new FlowOptions(null, null);

    /** These options with keepalive {@code k} (null for none). */
    public FlowOptions withKeepalive(Keepalive k) {
        return new FlowOptions(k, congestionControl);
    }

    /** These options with the congestion-control algorithm named {@code name} (null for the stack's). */
    public FlowOptions withCongestionControl(String name) {
        return new FlowOptions(keepalive, name);
    }
}
