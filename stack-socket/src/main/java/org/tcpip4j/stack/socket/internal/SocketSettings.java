package org.tcpip4j.stack.socket.internal;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.tcpip4j.netif.Ipv4Address;
import org.tcpip4j.netif.loop.EventLoop;
import org.tcpip4j.tcp.TcpConfig;

/**
 * What the builder decided for one socket stack.
 *
 * @param name a short name for logs and thread names
 * @param addresses the local addresses sockets are bound to, the first being the default
 *     source; {@code 0.0.0.0} alone means every address of the host
 * @param loop the loop callbacks run on and futures complete on
 * @param tcpConfig the TCP buffer sizes and listen backlog (the kernel's settings apply to
 *     the rest)
 * @param connectTimeout how long a connect may take, or {@code null} for the kernel's own
 *     limit (its SYN retries)
 * @param closeTimeout how long {@code close} waits for the peer to close before giving up
 */
public record SocketSettings(String name, List<Ipv4Address> addresses, EventLoop loop, TcpConfig tcpConfig,
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

    /** The address a socket is bound to when the user names none. */
    public Ipv4Address defaultAddress() {
        return addresses.getFirst();
    }

    /**
     * The bound address that sends from {@code src}: {@code src} itself when it is one of
     * the stack's, the wildcard when the stack is bound to every address.
     *
     * @throws IllegalArgumentException when {@code src} is not an address of this stack
     */
    public Ipv4Address sourceFor(org.tcpip4j.netif.IpAddress src) {
        if (src == null) {
            return defaultAddress();
        }
        for (Ipv4Address a : addresses) {
            if (a.equals(src)) {
                return a;
            }
        }
        if (addresses.contains(Ipv4Address.ANY)) {
            return Ipv4Address.ANY;
        }
        throw new IllegalArgumentException(src + " is not an address of this stack " + addresses);
    }
}
