package org.tcpip4j.stack.socket.internal;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.tcpip4j.netif.IpAddress;
import org.tcpip4j.netif.Ipv4Address;
import org.tcpip4j.netif.Ipv6Address;
import org.tcpip4j.netif.loop.EventLoop;
import org.tcpip4j.tcp.TcpConfig;

/**
 * What the builder decided for one socket stack.
 *
 * @param name a short name for logs and thread names
 * @param addresses the local addresses sockets are bound to, of either version, the first
 *     of each version being that version's default source; {@code 0.0.0.0} alone means
 *     every IPv4 address of the host, {@code ::} alone every address of both versions (one
 *     dual-stack socket per port)
 * @param loop the loop callbacks run on and futures complete on
 * @param tcpConfig the TCP buffer sizes and listen backlog (the kernel's settings apply to
 *     the rest)
 * @param connectTimeout how long a connect may take, or {@code null} for the kernel's own
 *     limit (its SYN retries)
 * @param closeTimeout how long {@code close} waits for the peer to close before giving up
 */
public record SocketSettings(String name, List<IpAddress> addresses, EventLoop loop, TcpConfig tcpConfig,
                             Duration connectTimeout, Duration closeTimeout) {

    public SocketSettings {
        Objects.requireNonNull(name, "name");
        addresses = List.copyOf(addresses);
        Objects.requireNonNull(loop, "loop");
        Objects.requireNonNull(tcpConfig, "tcpConfig");
        Objects.requireNonNull(closeTimeout, "closeTimeout");
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("a socket stack needs at least one address");
        }
    }

    /**
     * The bound address that sends to {@code dst} from {@code src}: with no {@code src}, the
     * first of the stack's addresses of {@code dst}'s version; otherwise {@code src} itself
     * when it is one of the stack's. Where the stack is bound to a wildcard that covers the
     * version ({@code 0.0.0.0} for IPv4, {@code ::} for both), that wildcard.
     *
     * @return the address, or {@code null} when the stack has none of {@code dst}'s version
     *     and no {@code src} was named
     * @throws IllegalArgumentException when {@code src} is not an address of this stack, or
     *     not of {@code dst}'s version
     */
    public IpAddress sourceFor(IpAddress src, IpAddress dst) {
        int version = dst.version();
        if (src != null && src.version() != version) {
            throw new IllegalArgumentException("source " + src + " and destination " + dst
                    + " are of different IP versions");
        }
        for (IpAddress a : addresses) {
            if (src == null ? a.version() == version : a.equals(src)) {
                return a;
            }
        }
        if (version == 4 && addresses.contains(Ipv4Address.ANY)) {
            return Ipv4Address.ANY;
        }
        if (addresses.contains(Ipv6Address.ANY)) {
            return Ipv6Address.ANY;
        }
        if (src != null) {
            throw new IllegalArgumentException(src + " is not an address of this stack " + addresses);
        }
        return null;
    }

    /**
     * The address a datagram that arrived from {@code src} on a socket bound to
     * {@code local} was sent to, as far as Java tells (it gives no {@code IP_PKTINFO}):
     * {@code local}, or {@code 0.0.0.0} for an IPv4 datagram on the dual-stack {@code ::},
     * so the two addresses are of one version.
     */
    static IpAddress receivedAt(IpAddress local, IpAddress src) {
        return src.version() == 4 && local.version() == 6 ? Ipv4Address.ANY : local;
    }
}
