package org.tcpip4j.netif;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AddressTest {

    @Test
    void ipv4RoundTripsThroughText() {
        assertEquals("198.18.0.1", Ipv4Address.parse("198.18.0.1").toString());
        assertEquals("255.255.255.255", Ipv4Address.BROADCAST.toString());
        assertEquals(Ipv4Address.of(198, 18, 0, 1), Ipv4Address.parse("198.18.0.1"));
    }

    @Test
    void malformedIpv4IsRejected() {
        // Too few and too many parts, an octet over 255, letters, an empty part, a negative octet.
        for (String bad : new String[] {"", "198.18.0", "198.18.0.1.5", "256.18.0.1", "a.b.c.d", "198..18.0",
                "198.18.-1.1"}) {
            assertThrows(IllegalArgumentException.class, () -> Ipv4Address.parse(bad), bad);
        }
    }

    @Test
    void cidrKnowsItsSubnet() {
        Ipv4Cidr c = Ipv4Cidr.parse("198.18.5.9/16");
        assertEquals("198.18.0.0", c.network().toString());
        assertEquals("198.18.255.255", c.broadcast().toString());
        assertTrue(c.contains(Ipv4Address.parse("198.18.200.1")));
        assertFalse(c.contains(Ipv4Address.parse("198.19.0.1")));
        assertTrue(Ipv4Cidr.parse("0.0.0.0/0").contains(Ipv4Address.parse("198.19.8.8")));
        assertThrows(IllegalArgumentException.class, () -> Ipv4Cidr.parse("198.18.0.1/33"));
    }

    @Test
    void macRoundTripsThroughTextAndBuffer() {
        MacAddress m = MacAddress.parse("02:00:5e:10:20:ff");
        assertEquals("02:00:5e:10:20:ff", m.toString());
        ByteBuffer b = ByteBuffer.allocate(10);
        m.write(b, 3);
        assertEquals(m, MacAddress.read(b, 3));
        assertThrows(IllegalArgumentException.class, () -> MacAddress.parse("02:00:5e:10:20"));
        assertThrows(IllegalArgumentException.class, () -> MacAddress.parse("02:00:5e:10:20:zz"));
    }

    @Test
    void randomLocalMacIsUnicastAndLocallyAdministered() {
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < 100; i++) {
            MacAddress m = MacAddress.randomLocal(r);
            assertFalse(m.isMulticast());
            assertTrue((m.toBytes()[0] & 0x02) != 0);
        }
    }

    @Test
    void endpointsPrintIpv6AddressesInBrackets() {
        assertEquals("198.18.0.2:80", new IpEndpoint(Ipv4Address.parse("198.18.0.2"), 80).toString());
        assertEquals("[2001:2::2]:80", new IpEndpoint(Ipv6Address.parse("2001:2::2"), 80).toString());
    }
}
