package org.tcpip4j.ip;

/**
 * Receives ICMP errors about datagrams this host sent, on the event loop: the ICMP layer
 * calls one, and a stack routes each error to the transport of the quoted datagram
 * ({@code Udp::icmpError}, {@code Tcp::icmpError}).
 */
@FunctionalInterface
public interface IcmpErrorHandler {

    /** Handles one verified error. */
    void icmpError(IcmpError error);
}
