package org.tcpip4j.netif;

import java.util.Objects;

/**
 * An IP address and a transport port: one end of a UDP exchange or a TCP flow.
 *
 * @param address the address
 * @param port the port, 0 to 65535
 */
public record IpEndpoint(IpAddress address, int port) {

    public IpEndpoint {
        Objects.requireNonNull(address, "address");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of 0..65535: " + port);
        }
    }

    /** {@code 198.18.0.2:80}, or for IPv6 {@code [2001:2::2]:80} (RFC 5952 6). */
    @Override
    public String toString() {
        return address instanceof Ipv6Address ? "[" + address + "]:" + port : address + ":" + port;
    }
}
