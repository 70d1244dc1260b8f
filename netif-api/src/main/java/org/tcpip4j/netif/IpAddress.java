package org.tcpip4j.netif;

/**
 * An IP address of any version (Mirage's {@code Ipaddr.t}). Layers above IP speak of
 * {@code IpAddress} only, so an IPv6 layer can slot in without changing them.
 */
public sealed interface IpAddress permits Ipv4Address, Ipv6Address {

    /** Parses a textual address of either version: IPv6 when it holds a colon. */
    static IpAddress parse(String text) {
        return text.indexOf(':') >= 0 ? Ipv6Address.parse(text) : Ipv4Address.parse(text);
    }

    /** The IP version: 4 or 6. */
    int version();

    /** The address in network byte order. */
    byte[] toBytes();

    /** True for the unspecified address (0.0.0.0, ::). */
    boolean isUnspecified();

    /** True for a multicast address. */
    boolean isMulticast();
}
