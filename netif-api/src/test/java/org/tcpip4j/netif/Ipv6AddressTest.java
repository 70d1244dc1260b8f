package org.tcpip4j.netif;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** IPv6 addresses: every text form of RFC 4291 2.2 in, the one form of RFC 5952 out. */
class Ipv6AddressTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "2001:2:0:0:0:0:2:1, 2001:2::2:1",          // the longest run of zeros as :: (4.2.1)
        "2001:0002:0000:0000:0000:0000:0000:0001, 2001:2::1", // no leading zeros (4.1)
        "2001:2:0:1:0:0:0:1, 2001:2:0:1::1",        // the longest run, not the first (4.2.3)
        "2001:2:0:0:1:0:0:1, 2001:2::1:0:0:1",      // equal runs: the first (4.2.3)
        "2001:2:0:1:1:1:1:1, 2001:2:0:1:1:1:1:1",   // one zero group stays (4.2.2)
        "2001:2::ABCD:Ef, 2001:2::abcd:ef",          // lower case (4.3)
        "0:0:0:0:0:0:0:0, ::",
        "::1, ::1",
        "1::, 1::",
        "fe80::, fe80::",
        "::ffff:198.18.0.1, ::ffff:198.18.0.1",     // IPv4-mapped keeps its dotted quad (5)
        "::ffff:c612:1, ::ffff:198.18.0.1",
        "2001:2::198.18.0.1, 2001:2::c612:1",
        "fe80::1%2, fe80::1%2",                     // a link-local zone (RFC 4007 11)
        "ff02::1:ff28:9c5a, ff02::1:ff28:9c5a",
    })
    void parsesEveryFormAndPrintsTheCanonicalOne(String text, String canonical) {
        Ipv6Address a = Ipv6Address.parse(text);
        assertEquals(canonical, a.toString());
        assertEquals(a, Ipv6Address.parse(canonical));
        assertEquals(a, IpAddress.parse(text), "IpAddress.parse knows an IPv6 address by its colon");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ":", ":::", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7", "1::2::3", "12345::", "g::",
        "1:", ":1", "1:2:3:4:5:6:7::8", "::198.18.0.1:1", "::256.1.1.1", "fe80::1%", "fe80::1%x", "2001:2::1%1",
        "1:2:3:4:5:6:7:8::"})
    void refusesWhatIsNotAnAddressWithOneLine(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Ipv6Address.parse(text));
        assertTrue(e.getMessage().contains(text), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void randomAddressesRoundTripThroughTheirTextAndBytes() {
        SplittableRandom r = new SplittableRandom(6);
        for (int i = 0; i < 20_000; i++) {
            long high = r.nextLong();
            long low = r.nextLong();
            // zero groups often, so that compression is exercised
            for (int g = 0; g < 4; g++) {
                if (r.nextInt(3) == 0) {
                    high &= ~(0xffffL << (16 * g));
                }
                if (r.nextInt(3) == 0) {
                    low &= ~(0xffffL << (16 * g));
                }
            }
            Ipv6Address a = new Ipv6Address(high, low);
            String text = a.toString();
            assertEquals(a, Ipv6Address.parse(text), text);
            assertFalse(text.contains(":::"), text);
            assertTrue(text.equals(text.toLowerCase()), text);
            ByteBuffer b = ByteBuffer.allocate(20);
            a.write(b, 2);
            assertEquals(a, Ipv6Address.read(b, 2));
            byte[] bytes = a.toBytes();
            byte[] fromBuffer = new byte[16];
            b.get(2, fromBuffer);
            assertArrayEquals(bytes, fromBuffer);
        }
    }

    @Test
    void kindsAndDerivedAddresses() {
        assertTrue(Ipv6Address.ANY.isUnspecified());
        assertTrue(Ipv6Address.LOOPBACK.isLoopback());
        assertTrue(Ipv6Address.ALL_NODES.isMulticast());
        assertTrue(Ipv6Address.parse("fe80::1").isLinkLocal());
        assertTrue(Ipv6Address.parse("febf::1").isLinkLocal());
        assertFalse(Ipv6Address.parse("fec0::1").isLinkLocal());
        assertFalse(Ipv6Address.parse("2001:2::1").isLinkLocal());
        assertEquals(Ipv6Address.parse("ff02::1:ff28:9c5a"),
            Ipv6Address.parse("fe80::2aa:ff:fe28:9c5a").solicitedNode(), "RFC 4291 2.7.1");
        assertEquals(6, Ipv6Address.ANY.version());
        assertEquals(Ipv6Address.parse("fe80::1"), Ipv6Address.parse("fe80::1%3").withoutZone());
        assertEquals("fe80::1%3", Ipv6Address.parse("fe80::1").withZone(3).toString());
        assertThrows(IllegalArgumentException.class, () -> Ipv6Address.parse("2001:2::1").withZone(1));
        assertTrue(Ipv6Address.parse("2001:2::1").compareTo(Ipv6Address.parse("2001:2::2")) < 0);
        assertTrue(Ipv6Address.parse("ff02::1").compareTo(Ipv6Address.parse("2001:2::1")) > 0, "unsigned order");
    }

    @Test
    void prefixesContainTheirAddresses() {
        Ipv6Cidr p = Ipv6Cidr.parse("2001:2:0:7::5/64");
        assertEquals(Ipv6Address.parse("2001:2:0:7::"), p.network());
        assertTrue(p.contains(Ipv6Address.parse("2001:2:0:7:ffff::1")));
        assertFalse(p.contains(Ipv6Address.parse("2001:2:0:8::1")));
        assertEquals("2001:2:0:7::5/64", p.toString());
        Ipv6Cidr q = Ipv6Cidr.parse("2001:2::/48");
        assertTrue(q.contains(Ipv6Address.parse("2001:2:0:ffff::1")));
        assertFalse(q.contains(Ipv6Address.parse("2001:3::1")));
        assertTrue(Ipv6Cidr.parse("::/0").contains(Ipv6Address.parse("ff02::1")));
        Ipv6Cidr host = Ipv6Cidr.parse("2001:2::1/128");
        assertTrue(host.contains(Ipv6Address.parse("2001:2::1")));
        assertFalse(host.contains(Ipv6Address.parse("2001:2::2")));
        Ipv6Cidr odd = Ipv6Cidr.parse("2001:2:0:7:8000::/65");
        assertTrue(odd.contains(Ipv6Address.parse("2001:2:0:7:ffff::1")));
        assertFalse(odd.contains(Ipv6Address.parse("2001:2:0:7:7fff::1")));
        assertThrows(IllegalArgumentException.class, () -> Ipv6Cidr.parse("2001:2::/129"));
        assertThrows(IllegalArgumentException.class, () -> Ipv6Cidr.parse("2001:2::"));
        assertThrows(IllegalArgumentException.class, () -> Ipv6Cidr.parse("2001:2::/x"));
    }
}
