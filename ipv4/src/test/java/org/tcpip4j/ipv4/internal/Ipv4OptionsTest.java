package org.tcpip4j.ipv4.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tcpip4j.ipv4.Ipv4Config;
import org.tcpip4j.ipv4.internal.wire.Ipv4Header;
import org.tcpip4j.ipv4.internal.wire.Ipv4Packet;
import org.tcpip4j.ipv4.internal.wire.Ipv4Rejection;
import org.tcpip4j.netif.Ipv4Address;
import org.tcpip4j.netif.Ipv4Cidr;
import org.tcpip4j.netif.MacAddress;
import org.tcpip4j.netif.loop.StackContext;
import org.tcpip4j.netif.loop.VirtualTimeEventLoop;

/** IPv4 options (RFC 791 3.1): walked safely, malformed ones rejected, source routes refused. */
class Ipv4OptionsTest {

    private static final HexFormat HEX = HexFormat.of();
    /** 198.18.0.2 to 198.18.0.1, UDP, with room for {@code options} and a 4-byte payload. */
    private static byte[] withOptions(String options) {
        int optionBytes = options.length() / 2;
        int headerLength = 20 + optionBytes;
        byte[] b = new byte[headerLength + 4];
        ByteBuffer buf = ByteBuffer.wrap(b);
        buf.put(0, (byte) (0x40 | headerLength / 4)).putShort(2, (short) b.length).put(8, (byte) 64)
                .put(9, (byte) 17).putInt(12, 0xc612_0002).putInt(16, 0xc612_0001);
        buf.put(20, HEX.parseHex(options));
        new Ipv4Packet().wrap(buf, 0, b.length).fillChecksum();
        return b;
    }

    private static Object parse(byte[] b) {
        return Ipv4Header.parse(ByteBuffer.wrap(b));
    }

    @Test
    void wellFormedOptionsParse() {
        // Record route (7) with room for one address, then NOP and end of list.
        assertInstanceOf(Ipv4Header.class, parse(withOptions("070704" + "00000000" + "0100")));
        // Router alert (RFC 2113), four bytes.
        assertInstanceOf(Ipv4Header.class, parse(withOptions("94040000")));
        // Anything after end of list is padding and not read.
        assertInstanceOf(Ipv4Header.class, parse(withOptions("00ff0000")));
    }

    @Test
    void anOptionShorterThanTwoBytesIsMalformed() {
        assertEquals(Ipv4Rejection.BAD_OPTIONS, parse(withOptions("07000000")));
        assertEquals(Ipv4Rejection.BAD_OPTIONS, parse(withOptions("07010000")));
    }

    @Test
    void anOptionRunningPastTheHeaderIsMalformed() {
        assertEquals(Ipv4Rejection.BAD_OPTIONS, parse(withOptions("07080400")));
        assertEquals(Ipv4Rejection.BAD_OPTIONS, parse(withOptions("01010107")), "a length byte that is not there");
    }

    @Test
    void sourceRoutesAreFoundAfterOtherOptions() {
        ByteBuffer lsrr = ByteBuffer.wrap(withOptions("01" + "830704c6120003" + "00"));
        assertTrue(new Ipv4Packet().wrap(lsrr, 0, lsrr.limit()).hasSourceRoute());
        ByteBuffer ssrr = ByteBuffer.wrap(withOptions("890704c6120003" + "00"));
        assertTrue(new Ipv4Packet().wrap(ssrr, 0, ssrr.limit()).hasSourceRoute());
        ByteBuffer recordRoute = ByteBuffer.wrap(withOptions("070704" + "00000000" + "00"));
        assertFalse(new Ipv4Packet().wrap(recordRoute, 0, recordRoute.limit()).hasSourceRoute());
    }

    @Test
    void theLayerDropsMalformedOptionsAndSourceRoutedDatagramsWithCounters() {
        VirtualTimeEventLoop loop = new VirtualTimeEventLoop();
        DefaultIpv4 ip = new DefaultIpv4(new CapturingEthernet(MacAddress.parse("02:00:00:00:00:01"), 1500),
                new ScriptedArp(), Ipv4Config.of(new Ipv4Cidr(Ipv4Address.parse("198.18.0.1"), 24)),
                StackContext.seeded(loop, 1, "test"));
        List<String> delivered = new ArrayList<>();
        for (String options : List.of("07000000", "830704c6120003" + "00", "890704c6120003" + "00", "01010100")) {
            ip.input(ByteBuffer.wrap(withOptions(options)), null, (src, dst, p) -> delivered.add(options), null);
        }
        assertEquals(List.of("01010100"), delivered);
        assertEquals(1, ip.counters().get("rx.bad_options"));
        assertEquals(2, ip.counters().get("rx.source_routed"));
    }
}
