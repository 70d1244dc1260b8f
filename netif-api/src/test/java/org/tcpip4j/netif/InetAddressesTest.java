package org.tcpip4j.netif;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class InetAddressesTest {

    @Test
    void aLinkLocalZoneIsTheScopeIdBothWays() throws Exception {
        Ipv6Address zoned = Ipv6Address.parse("fe80::1%3");

        Inet6Address inet = assertInstanceOf(Inet6Address.class, InetAddresses.toInet(zoned));

        assertEquals(3, inet.getScopeId());
        assertEquals(zoned, InetAddresses.fromInet(inet));
        assertEquals(Ipv6Address.parse("fe80::1"),
                InetAddresses.fromInet(InetAddress.getByAddress(zoned.toBytes())), "no scope id, no zone");
    }

    @Test
    void aGlobalAddressHasNoZoneEvenWhenJavaGivesAScopeId() throws Exception {
        Ipv6Address global = Ipv6Address.parse("2001:2::1");

        assertEquals(global, InetAddresses.fromInet(Inet6Address.getByAddress(null, global.toBytes(), 2)));
        assertEquals(global, InetAddresses.fromInet(InetAddresses.toInet(global)));
    }

    @Test
    void anIpv4MappedAddressIsThePlainIpv4Address() throws Exception {
        Ipv4Address v4 = Ipv4Address.parse("198.18.0.1");
        Ipv6Address mapped = Ipv6Address.parse("::ffff:198.18.0.1");

        assertEquals(v4, InetAddresses.fromInet(Inet6Address.getByAddress(null, mapped.toBytes(), -1)));
        assertInstanceOf(Inet4Address.class, InetAddresses.toInet(mapped));
        assertEquals(v4, InetAddresses.fromInet(InetAddresses.toInet(v4)));
    }
}
