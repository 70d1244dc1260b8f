package org.tcpip4j.netty;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.UnresolvedAddressException;
import java.nio.channels.UnsupportedAddressTypeException;

/**
 * The checks java.nio makes of a socket address Netty hands a channel; the conversions to
 * and from ours are {@link org.tcpip4j.netif.InetAddresses}'.
 */
final class Addresses {

    private Addresses() {
    }

    /** {@code address} as a resolved socket address, or the exception java.nio throws for it. */
    static InetSocketAddress inet(SocketAddress address) {
        if (!(address instanceof InetSocketAddress a)) {
            throw new UnsupportedAddressTypeException();
        }
        if (a.isUnresolved()) {
            throw new UnresolvedAddressException();
        }
        return a;
    }
}
