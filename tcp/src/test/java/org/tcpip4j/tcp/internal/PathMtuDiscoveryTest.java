package org.tcpip4j.tcp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tcpip4j.tcp.internal.TcpHarness.*;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tcpip4j.ip.IcmpError;
import org.tcpip4j.netif.Ipv4Address;
import org.tcpip4j.tcp.TcpFlow;

/**
 * Path MTU discovery for TCP (RFC 1191, RFC 5927, RFC 4821) with exact segments: DF on
 * every segment, fragmentation needed checked against the connection before the MSS falls,
 * what no longer fits resent at once at the new size without a window reduction, and
 * black-hole detection after repeated timeouts. Our ISN is 1000, the peer's 5000, its MSS
 * 1460 and the path's MTU 1500.
 */
class PathMtuDiscoveryTest {

    private static final Ipv4Address ROUTER = Ipv4Address.parse("198.18.0.254");

    private final TcpHarness h = new TcpHarness();

    private TcpFlow open() {
        h.listen(80);
        h.inject(from(40000, 80, SYN, 5000, 0).mss(1460).window(8192));
        h.sentOne();
        h.inject(from(40000, 80, ACK, 5001, 1001).window(8192));
        return h.accepted.removeFirst();
    }

    /** Writes {@code n} bytes and returns the segments sent at once. */
    private List<TestSegment> write(TcpFlow flow, int n) {
        flow.write(ByteBuffer.allocate(n));
        h.settle();
        return h.sent();
    }

    /** A router's "fragmentation needed" quoting our segment from port 80 to {@code port} at {@code seq}. */
    private void fragmentationNeeded(int port, int seq, int mtu) {
        long quoted = (80L << 48) | ((long) port << 32) | (seq & 0xffff_ffffL);
        h.tcp.icmpError(new IcmpError(IcmpError.Kind.FRAGMENTATION_NEEDED, 3, 4, mtu, ROUTER, LOCAL, REMOTE, 6,
            quoted));
        h.settle();
    }

    private long count(String name) {
        return h.tcp.counters().get(name);
    }

    private static List<String> ranges(List<TestSegment> segments) {
        List<String> r = new ArrayList<>();
        for (TestSegment s : segments) {
            r.add(s.seq + "+" + s.payload.length);
        }
        return r;
    }

    @Test
    void everySegmentIsSentWithDontFragment() {
        TcpFlow flow = open();
        assertEquals(3, write(flow, 3 * 1460).size());
        assertEquals(0, h.ip.fragmentable, "no segment may be fragmented on the way");
    }

    @Test
    void aForgedFragmentationNeededIsIgnoredAndCounted() {
        TcpFlow flow = open();
        assertEquals(List.of("1001+1460", "2461+1460", "3921+1460"), ranges(write(flow, 3 * 1460)));
        Connection c = h.connection(flow);
        fragmentationNeeded(40000, 1001 + 100_000, 600); // beyond SND.NXT
        fragmentationNeeded(40000, 1000, 600); // our SYN's, below SND.UNA
        fragmentationNeeded(40000, 5381 + 1, 600); // just past SND.NXT
        fragmentationNeeded(40001, 1001, 600); // no such connection
        h.sentNothing();
        assertEquals(1460, c.sender.mss);
        assertEquals(3, count("rx.icmp_out_of_window"));
        assertEquals(1, count("rx.icmp_frag_needed_no_connection"));
        assertEquals(4, count("rx.icmp_frag_needed"));
        assertEquals(0, count("tx.pmtu_reductions"));
        assertTrue(h.ip.pathMtuUpdates.isEmpty(), "nothing reaches the IP layer's path MTU");
    }

    @Test
    void aGenuineFragmentationNeededResendsWhatNoLongerFitsAtOnceWithoutAWindowReduction() {
        TcpFlow flow = open();
        assertEquals(List.of("1001+1460", "2461+1460", "3921+1460"), ranges(write(flow, 3 * 1460)));
        Connection c = h.connection(flow);
        int cwnd = c.sender.cwnd();
        fragmentationNeeded(40000, 2461, 1280);
        assertEquals(1240, c.sender.mss, "1280 less the IP and TCP headers");
        assertEquals(List.of("1001+1240", "2241+220", "2461+1240", "3701+220", "3921+1240", "5161+220"),
            ranges(h.sent()), "every segment in flight cut to the new MSS and resent");
        assertEquals(cwnd, c.sender.cwnd(), "the unit changed, not the congestion");
        assertEquals(List.of(REMOTE + " 1280"), h.ip.pathMtuUpdates);
        assertEquals(1, count("tx.pmtu_reductions"));
        assertEquals(3, count("tx.pmtu_lost"));
        assertEquals(3, count("tx.resegmented"));

        // The same report again, or a higher MTU, changes nothing.
        fragmentationNeeded(40000, 2461, 1280);
        fragmentationNeeded(40000, 2461, 1400);
        h.sentNothing();
        assertEquals(2, count("rx.icmp_frag_needed_ignored"));

        h.inject(from(40000, 80, ACK, 5001, 5381).window(8192));
        h.sent();
        List<TestSegment> next = write(flow, 3000);
        assertEquals(List.of("5381+1240", "6621+1240", "7861+520"), ranges(next),
            "new data at the new MSS, and the tail: no small segment of new data is in flight (Minshall)");
        assertEquals(0, h.ip.fragmentable);
    }

    @Test
    void anMtuBelowTheFloorIsRaisedTo552() {
        TcpFlow flow = open();
        write(flow, 1460);
        fragmentationNeeded(40000, 1001, 200);
        assertEquals(512, h.connection(flow).sender.mss);
        assertEquals(List.of("1001+512", "1513+512", "2025+436"), ranges(h.sent()));
    }

    @Test
    void repeatedTimeoutsOfFullSizedSegmentsLowerTheMssAsABlackHoleWould() {
        TcpFlow flow = open();
        assertEquals(List.of("1001+1460", "2461+1460", "3921+1460"), ranges(write(flow, 3 * 1460)));
        List<String> retransmissions = new ArrayList<>();
        for (int i = 0; i < 300 && count("tx.rto_expiries") < 3; i++) {
            h.advance(Duration.ofMillis(100));
            retransmissions.addAll(ranges(h.sent()));
        }
        assertEquals(List.of("3921+1460", "1001+1460", "1001+1460", "1001+1024", "2025+436"), retransmissions,
            "a tail loss probe, two timeouts, then the third in a row resends at the base MSS");
        assertEquals(1, count("tx.pmtu_black_holes"));
        assertEquals(1024, h.connection(flow).sender.mss);
        // The smaller segment gets through: what follows goes at the new MSS.
        h.inject(from(40000, 80, ACK, 5001, 2025).window(8192));
        List<TestSegment> after = h.sent();
        assertTrue(!after.isEmpty());
        assertTrue(after.stream().allMatch(s -> s.payload.length <= 1024), "sent: " + after);
    }

    @Test
    void aPathThatCarriedFullSizedSegmentsIsNotTakenForABlackHole() {
        TcpFlow flow = open();
        write(flow, 3 * 1460);
        h.inject(from(40000, 80, ACK, 5001, 5381).window(8192));
        h.sent();
        assertEquals(3, write(flow, 3 * 1460).size());
        for (int i = 0; i < 600 && count("tx.rto_expiries") < 4; i++) {
            h.advance(Duration.ofMillis(100));
            assertTrue(h.sent().stream().allMatch(s -> s.payload.length == 1460), "resent whole");
        }
        assertEquals(4, count("tx.rto_expiries"));
        assertEquals(0, count("tx.pmtu_black_holes"), "loss on a path that carried them is no evidence");
        assertEquals(1460, h.connection(flow).sender.mss);
    }
}
