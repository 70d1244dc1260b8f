package org.tcpip4j.stack.socket.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.tcpip4j.netif.Ipv4Address;
import org.tcpip4j.netif.Ipv6Address;

class SocketAddressesTest {

    @Test
    void aLinkLocalZoneIsTheScopeIdBothWays() throws Exception {
        Ipv6Address zoned = Ipv6Address.parse("fe80::1%3");

        Inet6Address inet = assertInstanceOf(Inet6Address.class, SocketAddresses.toInet(zoned));

        assertEquals(3, inet.getScopeId());
        assertEquals(zoned, SocketAddresses.fromInet(inet));
        assertEquals(Ipv6Address.parse("fe80::1"),
                SocketAddresses.fromInet(InetAddress.getByAddress(zoned.toBytes())), "no scope id, no zone");
    }

    @Test
    void aGlobalAddressHasNoZoneEvenWhenJavaGivesAScopeId() throws Exception {
        Ipv6Address global = Ipv6Address.parse("2001:2::1");

        assertEquals(global, SocketAddresses.fromInet(Inet6Address.getByAddress(null, global.toBytes(), 2)));
        assertEquals(global, SocketAddresses.fromInet(SocketAddresses.toInet(global)));
    }

    @Test
    void anIpv4MappedAddressIsThePlainIpv4Address() throws Exception {
        Ipv4Address v4 = Ipv4Address.parse("198.18.0.1");
        Ipv6Address mapped = Ipv6Address.parse("::ffff:198.18.0.1");

        assertEquals(v4, SocketAddresses.fromInet(Inet6Address.getByAddress(null, mapped.toBytes(), -1)));
        assertInstanceOf(Inet4Address.class, SocketAddresses.toInet(mapped));
        assertEquals(v4, SocketAddresses.fromInet(SocketAddresses.toInet(v4)));
    }
}
