package org.tcpip4j.ipv6.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tcpip4j.ipv6.internal.Packets.HEX;
import static org.tcpip4j.ipv6.internal.Packets.concat;
import static org.tcpip4j.ipv6.internal.Packets.datagram;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tcpip4j.ipv6.Ipv6Config;
import org.tcpip4j.netif.Ipv6Address;
import org.tcpip4j.netif.Ipv6Cidr;

class ReassemblyTest {

    private static final Ipv6Address OURS = Fixture.OURS;
    private static final Ipv6Address PEER = Fixture.PEER;
    private static final Ipv6Address FAR = Fixture.FAR;

    private Fixture f = new Fixture();

    /** A fragment of a UDP datagram from {@code src} with identification {@code id}. */
    private static byte[] fragment(Ipv6Address src, int id, int offset, boolean more, byte[] data) {
        return datagram(src, OURS, 44, concat(Packets.fragment(17, offset, more, id), data));
    }

    private static byte[] slice(byte[] b, int from, int to) {
        return Arrays.copyOfRange(b, from, to);
    }

    @Test
    void fragmentsInOrderAreReassembled() {
        byte[] payload = Packets.pattern(3000, 7);
        f.input(fragment(PEER, 0x12345678, 0, true, slice(payload, 0, 1448)));
        f.input(fragment(PEER, 0x12345678, 1448, true, slice(payload, 1448, 2896)));
        assertTrue(f.delivered.isEmpty());
        assertEquals(1, f.ip.incompleteDatagrams());
        f.input(fragment(PEER, 0x12345678, 2896, false, slice(payload, 2896, 3000)));
        assertEquals(List.of("udp 2001:2::2>2001:2::1 " + HEX.formatHex(payload)), f.delivered);
        assertEquals(3, f.count("rx.fragments"));
        assertEquals(1, f.count("rx.reassembled"));
        assertEquals(0, f.ip.incompleteDatagrams());
        assertEquals(0, f.ip.reassemblyHeldBytes());
    }

    @Test
    void fragmentsOutOfOrderAreReassembledAndTheUnfragmentablePartKept() {
        byte[] payload = Packets.pattern(2000, 3);
        byte[] dopt = Packets.options(44, "010400000000");
        byte[] first = datagram(PEER, OURS, 60, concat(dopt, Packets.fragment(17, 0, true, 9), slice(payload, 0,
            1000)));
        byte[] last = datagram(PEER, OURS, 60, concat(dopt, Packets.fragment(17, 1000, false, 9), slice(payload, 1000,
            2000)));
        java.util.List<String> headers = new java.util.ArrayList<>();
        f.ip.input(java.nio.ByteBuffer.wrap(last), null, null, null);
        f.ip.input(java.nio.ByteBuffer.wrap(first), null, (src, dst, p) -> {
            byte[] b = new byte[p.remaining()];
            p.get(p.position(), b);
            headers.add(HEX.formatHex(b));
        }, null);
        assertEquals(List.of(HEX.formatHex(payload)), headers);
    }

    @Test
    void theReassembledDatagramIsQuotedWithoutItsFragmentHeader() {
        byte[] payload = Packets.pattern(16, 1);
        java.util.List<byte[]> quoted = new java.util.ArrayList<>();
        f.ip.onUndeliverable((type, code, pointer, d) -> {
            byte[] b = new byte[d.remaining()];
            d.get(d.position(), b);
            quoted.add(b);
        });
        org.tcpip4j.ip.IpHandler refuse = (src, dst, p) -> f.ip.portUnreachable(p);
        f.ip.input(java.nio.ByteBuffer.wrap(fragment(PEER, 1, 0, true, slice(payload, 0, 8))), null, refuse, null);
        f.ip.input(java.nio.ByteBuffer.wrap(fragment(PEER, 1, 8, false, slice(payload, 8, 16))), null, refuse, null);
        assertArrayEquals(datagram(PEER, OURS, 17, payload), quoted.get(0));
    }

    @Test
    void anOverlapDropsTheWholeDatagram() {
        byte[] payload = Packets.pattern(48, 1);
        f.input(fragment(PEER, 1, 0, true, slice(payload, 0, 24)));
        f.input(fragment(PEER, 1, 16, true, slice(payload, 16, 32)));
        assertEquals(1, f.count("rx.reassembly.overlaps"));
        assertEquals(0, f.ip.incompleteDatagrams());
        f.input(fragment(PEER, 1, 24, false, slice(payload, 24, 48)));
        assertTrue(f.delivered.isEmpty(), "the fragments before the overlap are gone");
    }

    @Test
    void anExactDuplicateIsIgnored() {
        byte[] payload = Packets.pattern(32, 1);
        f.input(fragment(PEER, 1, 0, true, slice(payload, 0, 16)));
        f.input(fragment(PEER, 1, 0, true, slice(payload, 0, 16)));
        f.input(fragment(PEER, 1, 16, false, slice(payload, 16, 32)));
        assertEquals(1, f.count("rx.reassembly.duplicates"));
        assertEquals(List.of("udp 2001:2::2>2001:2::1 " + HEX.formatHex(payload)), f.delivered);
    }

    @Test
    void fragmentsOfDifferentSourcesOrIdentificationsDoNotMix() {
        byte[] payload = Packets.pattern(32, 1);
        f.input(fragment(PEER, 1, 0, true, slice(payload, 0, 16)));
        f.input(fragment(FAR, 1, 16, false, slice(payload, 16, 32)));
        f.input(fragment(PEER, 0x10001, 16, false, slice(payload, 16, 32)));
        assertTrue(f.delivered.isEmpty());
        assertEquals(3, f.ip.incompleteDatagrams());
    }

    @Test
    void anAtomicFragmentIsDeliveredInIsolation() {
        byte[] payload = Packets.pattern(16, 1);
        f.input(fragment(PEER, 1, 0, true, slice(payload, 0, 8)));
        // The same identification, offset 0 and no more fragments: processed on its own (RFC 6946).
        f.input(fragment(PEER, 1, 0, false, HEX.parseHex("aabb")));
        assertEquals(List.of("udp 2001:2::2>2001:2::1 aabb"), f.delivered);
        assertEquals(1, f.count("rx.atomic_fragments"));
        assertEquals(1, f.ip.incompleteDatagrams(), "the datagram being reassembled is untouched");
        assertEquals(1, f.count("rx.fragments"));
    }

    @Test
    void aFirstFragmentWithoutTheUpperLayerHeaderIsAParameterProblemCode3() {
        // The chain behind the fragment header runs past the fragment (RFC 7112).
        byte[] opts = Packets.options(17, "010400000000" + "1e0e" + "00".repeat(14));
        f.input(datagram(PEER, OURS, 44, concat(Packets.fragment(60, 0, true, 3), Arrays.copyOf(opts, 8))));
        // A UDP first fragment of 8 bytes holds the UDP header; a TCP one of 8 does not.
        f.input(datagram(PEER, OURS, 44, concat(Packets.fragment(6, 0, true, 4), new byte[8])));
        f.input(datagram(PEER, OURS, 44, concat(Packets.fragment(17, 0, true, 5), new byte[8])));
        assertEquals(List.of("4/3@0", "4/3@0"), f.reports);
        assertEquals(2, f.count("rx.fragment_headers_incomplete"));
        assertEquals(1, f.ip.incompleteDatagrams());
    }

    @Test
    void aFragmentNotAMultipleOfEightWithMoreToComeIsAParameterProblemAtThePayloadLength() {
        f.input(fragment(PEER, 1, 0, true, new byte[12]));
        assertEquals(List.of("4/0@4"), f.reports);
        assertEquals(0, f.ip.incompleteDatagrams());
    }

    @Test
    void aFragmentEndingPast65535IsAParameterProblemAtItsOffset() {
        f.input(fragment(PEER, 1, 65528, false, new byte[16]));
        assertEquals(List.of("4/0@42"), f.reports);
        assertEquals(1, f.count("rx.fragment_too_large"));
        assertEquals(0, f.ip.incompleteDatagrams());
    }

    @Test
    void aTimedOutDatagramWhoseFirstFragmentCameGetsATimeExceededWithThatFragment() {
        byte[] first = fragment(PEER, 1, 0, true, Packets.pattern(16, 1));
        f.input(first);
        f.input(fragment(FAR, 2, 16, false, Packets.pattern(8, 2)));
        f.loop.runFor(Duration.ofSeconds(59));
        assertEquals(2, f.ip.incompleteDatagrams());
        f.loop.runFor(Duration.ofSeconds(2));
        assertEquals(0, f.ip.incompleteDatagrams());
        assertEquals(0, f.ip.reassemblyHeldBytes());
        assertEquals(2, f.count("rx.reassembly.timeouts"));
        assertEquals(List.of("3/1@0"), f.reports, "only the datagram whose first fragment came");
        assertArrayEquals(first, f.reported.get(0));
    }

    @Test
    void theTotalAndPerSourceByteLimitsHold() {
        f = new Fixture(Ipv6Config.of(new Ipv6Cidr(OURS, 64)).withReassembly(Duration.ofSeconds(60), 64, 8192, 4096));
        for (int id = 0; id < 10; id++) {
            f.input(fragment(PEER, id, 0, true, new byte[1024]));
        }
        assertTrue(f.ip.reassemblyHeldBytes() <= 4096, "one source holds at most its share");
        long sourceDrops = f.count("rx.reassembly.source_limit");
        assertTrue(sourceDrops > 0);
        for (int host = 3; host < 10; host++) {
            Ipv6Address src = Ipv6Address.parse("2001:2::" + host);
            for (int id = 0; id < 3; id++) {
                f.input(fragment(src, id, 0, true, new byte[1024]));
            }
        }
        assertTrue(f.ip.reassemblyHeldBytes() <= 8192, "all sources hold at most the total");
        assertTrue(f.count("rx.reassembly.byte_limit") > 0);
        assertEquals(f.ip.reassemblyHeldBytes(), f.count("rx.reassembly.held_bytes"));
    }

    @Test
    void theDatagramCountLimitsHold() {
        f = new Fixture(Ipv6Config.of(new Ipv6Cidr(OURS, 64)).withIncompleteDatagrams(4, 2));
        for (int id = 0; id < 3; id++) {
            f.input(fragment(PEER, id, 0, true, new byte[8]));
        }
        assertEquals(2, f.ip.incompleteDatagrams());
        assertEquals(1, f.count("rx.reassembly.source_datagram_limit"));
        for (int id = 0; id < 3; id++) {
            f.input(fragment(FAR, id, 0, true, new byte[8]));
            f.input(fragment(Ipv6Address.parse("2001:2::7"), id, 0, true, new byte[8]));
        }
        assertEquals(4, f.ip.incompleteDatagrams());
        assertTrue(f.count("rx.reassembly.datagram_limit") > 0);
    }

    @Test
    void fragmentsToAnotherHostAreNotReassembled() {
        f.input(datagram(PEER, Ipv6Address.parse("2001:2::99"), 44, concat(Packets.fragment(17, 0, true, 1),
            new byte[8])));
        assertEquals(0, f.ip.incompleteDatagrams());
        assertEquals(1, f.count("rx.not_ours"));
    }
}
