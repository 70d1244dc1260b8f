package org.tcpip4j.it;

import org.tcpip4j.netif.IpAddress;

/** The IP version a test runs over, with how socat in the peer names its sockets. */
enum IpVersion {
    V4("TCP4"),
    V6("TCP6");

    private final String socatTcp;

    IpVersion(String socatTcp) {
        this.socatTcp = socatTcp;
    }

    /** socat's address of a TCP listener on {@code port} of this version only. */
    String socatListen(int port) {
        return socatTcp + "-LISTEN:" + port;
    }

    /** socat's address of a TCP connection to {@code address}:{@code port} (IPv6 in brackets). */
    String socatConnect(IpAddress address, int port) {
        return socatTcp + ":" + (this == V6 ? "[" + address + "]" : address.toString()) + ":" + port;
    }
}
