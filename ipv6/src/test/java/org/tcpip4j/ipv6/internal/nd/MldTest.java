package org.tcpip4j.ipv6.internal.nd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tcpip4j.ipv6.internal.nd.NdBench.HEX;
import static org.tcpip4j.ipv6.internal.nd.NdBench.OUR_IP;
import static org.tcpip4j.ipv6.internal.nd.NdBench.OUR_LL;
import static org.tcpip4j.ipv6.internal.nd.NdBench.ROUTER_LL;
import static org.tcpip4j.ipv6.internal.nd.NdBench.SECOND;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tcpip4j.netif.Ipv6Address;
import org.tcpip4j.netif.MacAddress;

/** MLDv2 reports (RFC 3810 6) of the groups joined, and answers to queries. */
class MldTest {

    private static final Ipv6Address MDNS = Ipv6Address.parse("ff02::fb");
    private static final Ipv6Address SOLICITED = OUR_IP.solicitedNode();

    private final NdBench bench = new NdBench(NdBench.staticConfig());

    /** One record of a report: its type and group. */
    private record Rec(int type, Ipv6Address group) {
    }

    private static List<Rec> records(NdBench.Sent report) {
        ByteBuffer b = ByteBuffer.wrap(report.bytes());
        assertEquals(NdMessage.MLD_V2_REPORT, b.get(0) & 0xff);
        int n = b.getShort(6);
        assertEquals(8 + 20 * n, report.bytes().length);
        List<Rec> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int o = 8 + 20 * i;
            assertEquals(0, b.get(o + 1), "no auxiliary data");
            assertEquals(0, b.getShort(o + 2), "no sources");
            out.add(new Rec(b.get(o) & 0xff, Ipv6Address.read(b, o + 4)));
        }
        return out;
    }

    private List<NdBench.Sent> reports() {
        return bench.sent(NdMessage.MLD_V2_REPORT);
    }

    @Test
    void startingJoinsAllNodesSilentlyAndReportsTheSolicitedNodeGroupTwice() {
        bench.ndp.start();
        bench.loop.runFor(2 * SECOND);
        assertEquals(1, bench.ethernet.groups.get(new MacAddress(0x3333_0000_0001L)));
        assertEquals(1, bench.ethernet.groups.get(new MacAddress(0x3333_ff00_0001L)));
        assertTrue(bench.ndp.isLocal(Ipv6Address.ALL_NODES));
        List<NdBench.Sent> reports = reports();
        assertEquals(2, reports.size(), reports.toString());
        for (NdBench.Sent r : reports) {
            assertEquals(Mld.ALL_MLDV2_ROUTERS, r.dst());
            assertEquals(0x3333_0000_0016L, r.dstMac());
            assertEquals(1, r.hopLimit());
            assertTrue(r.routerAlert());
            assertEquals(List.of(new Rec(Mld.CHANGE_TO_EXCLUDE, SOLICITED)), records(r));
        }
        assertTrue(reports.get(1).at() - reports.get(0).at() <= SECOND);
        assertTrue(reports.get(1).at() > reports.get(0).at());
    }

    @Test
    void joiningAndLeavingAGroupIsReportedAndCounted() {
        bench.started(2);
        bench.ndp.joinGroup(MDNS);
        bench.ndp.joinGroup(MDNS);
        bench.loop.runFor(2 * SECOND);
        assertEquals(1, bench.ethernet.groups.get(new MacAddress(0x3333_0000_00fbL)));
        assertTrue(bench.ndp.isLocal(MDNS));
        assertEquals(2, reports().size());
        for (NdBench.Sent r : reports()) {
            assertEquals(OUR_LL, r.src(), "from the link-local address once usable");
            assertEquals(List.of(new Rec(Mld.CHANGE_TO_EXCLUDE, MDNS)), records(r));
        }
        bench.output.sent.clear();
        bench.ndp.leaveGroup(MDNS);
        bench.loop.runFor(2 * SECOND);
        assertTrue(bench.ndp.isLocal(MDNS), "joined twice, left once");
        assertTrue(reports().isEmpty());
        bench.ndp.leaveGroup(MDNS);
        bench.loop.runFor(2 * SECOND);
        assertFalse(bench.ndp.isLocal(MDNS));
        assertNull(bench.ethernet.groups.get(new MacAddress(0x3333_0000_00fbL)));
        assertEquals(2, reports().size());
        for (NdBench.Sent r : reports()) {
            assertEquals(List.of(new Rec(Mld.CHANGE_TO_INCLUDE, MDNS)), records(r));
        }
    }

    @Test
    void onlyMulticastGroupsCanBeJoined() {
        bench.started(1);
        assertThrows(IllegalArgumentException.class, () -> bench.ndp.joinGroup(OUR_IP));
    }

    @Test
    void aGeneralQueryIsAnsweredWithEveryGroupButAllNodesWithinTheMaximumResponseDelay() {
        bench.started(2);
        bench.ndp.joinGroup(MDNS);
        bench.loop.runFor(2 * SECOND);
        bench.output.sent.clear();
        long asked = bench.loop.nanoTime();
        bench.input(ROUTER_LL, Ipv6Address.ALL_NODES, 1, new NdMessage.MldQuery(2, 500, Ipv6Address.ANY));
        bench.loop.runFor(SECOND);
        List<NdBench.Sent> reports = reports();
        assertEquals(1, reports.size());
        assertTrue(reports.getFirst().at() - asked < 500_000_000L);
        assertEquals(List.of(new Rec(Mld.MODE_IS_EXCLUDE, MDNS), new Rec(Mld.MODE_IS_EXCLUDE, SOLICITED)),
            records(reports.getFirst()));
        assertEquals(1, bench.count("rx.mld_query"));
    }

    @Test
    void anMldv1QueryIsAnsweredToo() {
        bench.started(2);
        bench.input(ROUTER_LL, Ipv6Address.ALL_NODES, 1,
            HEX.parseHex("82000000" + "03e8" + "0000" + "00000000000000000000000000000000"));
        bench.loop.runFor(SECOND);
        assertEquals(List.of(new Rec(Mld.MODE_IS_EXCLUDE, SOLICITED)), records(reports().getFirst()));
    }

    @Test
    void aGroupSpecificQueryIsAnsweredForThatGroupOnlyWhenJoined() {
        bench.started(2);
        bench.ndp.joinGroup(MDNS);
        bench.loop.runFor(2 * SECOND);
        bench.output.sent.clear();
        bench.input(ROUTER_LL, MDNS, 1, new NdMessage.MldQuery(2, 1000, MDNS));
        bench.input(ROUTER_LL, Ipv6Address.parse("ff02::abc"), 1,
            new NdMessage.MldQuery(2, 1000, Ipv6Address.parse("ff02::abc")));
        bench.loop.runFor(2 * SECOND);
        assertEquals(1, reports().size());
        assertEquals(List.of(new Rec(Mld.MODE_IS_EXCLUDE, MDNS)), records(reports().getFirst()));
    }

    @Test
    void aQueryWithAHopLimitOtherThan1IsDropped() {
        bench.started(2);
        bench.input(ROUTER_LL, Ipv6Address.ALL_NODES, 64, new NdMessage.MldQuery(2, 1000, Ipv6Address.ANY));
        bench.loop.runFor(2 * SECOND);
        assertTrue(reports().isEmpty());
        assertEquals(1, bench.count(NdRejection.MLD_HOP_LIMIT.counterName()));
    }

    @Test
    void stoppingSendsNothingMore() {
        bench.ndp.start();
        bench.ndp.stop();
        bench.output.sent.clear();
        bench.loop.runFor(5 * SECOND);
        assertTrue(bench.output.sent.isEmpty());
        assertEquals(0, bench.loop.pendingTimers());
    }
}
