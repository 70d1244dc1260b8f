package org.tcpip4j.stack.socket.internal;

import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import org.tcpip4j.netif.IpAddress;

/**
 * What sockets need of an address beyond {@link org.tcpip4j.netif.InetAddresses}'s
 * conversions: the protocol family to open them with.
 */
public final class SocketAddresses {

    private SocketAddresses() {
    }

    /** The family of a socket for {@code address}: INET for IPv4, INET6 for IPv6. */
    public static ProtocolFamily family(IpAddress address) {
        return address.version() == 4 ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6;
    }
}
