package org.tcpip4j.ipv6.internal.nd;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.tcpip4j.ethernet.Ethernet;
import org.tcpip4j.netif.Counters;
import org.tcpip4j.netif.Ipv6Address;
import org.tcpip4j.netif.MacAddress;
import org.tcpip4j.netif.PacketWriter;
import org.tcpip4j.netif.loop.EventLoop;
import org.tcpip4j.netif.loop.Timer;

/**
 * The multicast listener side of MLDv2 (RFC 3810) for a host: the groups joined, each
 * counted, with the Ethernet group (33:33 and the group's low 32 bits, RFC 2464 7) joined
 * with it; unsolicited State Change Reports on joining (CHANGE_TO_EXCLUDE of no source)
 * and leaving (CHANGE_TO_INCLUDE of none), sent [Robustness Variable] times in all at
 * random intervals up to [Unsolicited Report Interval] (6.1); Current State Reports
 * (MODE_IS_EXCLUDE) answering general and group-specific queries after a random delay up
 * to the query's maximum response delay (6.2). All-nodes (ff02::1) and groups of a scope
 * below link-local are joined but never reported (RFC 3810 6). Loop only.
 */
final class Mld {

    /** RFC 3810 9: the protocol constants. */
    static final int ROBUSTNESS = 2;
    static final long UNSOLICITED_REPORT_INTERVAL = 1_000_000_000L;
    /** MLDv2 multicast address record types (RFC 3810 5.2.12). */
    static final int MODE_IS_EXCLUDE = 2;
    static final int CHANGE_TO_INCLUDE = 3;
    static final int CHANGE_TO_EXCLUDE = 4;
    /** Where MLDv2 reports go (RFC 3810 5.2.14). */
    static final Ipv6Address ALL_MLDV2_ROUTERS = Ipv6Address.parse("ff02::16");

    /** Sends one report (to {@link #ALL_MLDV2_ROUTERS}) of {@code size} bytes. */
    interface Output {
        void report(int size, PacketWriter message);
    }

    private final class Group {
        final Ipv6Address address;
        int refs;
        /** The record type of the state change being retransmitted. */
        int changeType;
        int changesLeft;
        final Timer changeTimer;
        final Timer queryTimer;

        Group(Ipv6Address address) {
            this.address = address;
            this.changeTimer = loop.newTimer(() -> sendChange(this));
            this.queryTimer = loop.newTimer(() -> answerGroupQuery(this));
        }
    }

    private final Ethernet ethernet;
    private final EventLoop loop;
    private final RandomGenerator random;
    private final Output output;
    private final Map<Ipv6Address, Group> groups = new HashMap<>();
    private final Timer generalQueryTimer;
    private int mtu;
    private final Counters.Counter txReports;
    private final Counters.Counter rxQueries;

    Mld(Ethernet ethernet, EventLoop loop, RandomGenerator random, Output output, int mtu, Counters counters) {
        this.ethernet = ethernet;
        this.loop = loop;
        this.random = random;
        this.output = output;
        this.mtu = mtu;
        this.generalQueryTimer = loop.newTimer(this::answerGeneralQuery);
        this.txReports = counters.counter("tx.mld_reports");
        this.rxQueries = counters.counter("rx.mld_queries");
    }

    /** The 33:33 Ethernet group of an IPv6 multicast address (RFC 2464 7). */
    static long macOf(Ipv6Address group) {
        return 0x3333_0000_0000L | (group.low() & 0xffff_ffffL);
    }

    /** True when MLD reports the group: not all-nodes, and of link-local scope or wider (RFC 3810 6). */
    static boolean reportable(Ipv6Address group) {
        int scope = (int) (group.high() >>> 48) & 0xf;
        return scope >= 2 && !group.equals(Ipv6Address.ALL_NODES);
    }

    /** Sets the link MTU the reports fit in. */
    void mtu(int mtu) {
        this.mtu = mtu;
    }

    /** True while {@code group} is joined. Allocates nothing. */
    boolean joined(Ipv6Address group) {
        Group g = groups.get(group);
        return g != null && g.refs > 0;
    }

    /** The groups joined now. */
    List<Ipv6Address> list() {
        List<Ipv6Address> out = new ArrayList<>();
        for (Group g : groups.values()) {
            if (g.refs > 0) {
                out.add(g.address);
            }
        }
        return out;
    }

    /** Joins {@code group} once more; the first join joins the Ethernet group and reports. */
    void join(Ipv6Address group) {
        Group g = groups.computeIfAbsent(group.withoutZone(), Group::new);
        if (g.refs++ > 0) {
            return;
        }
        ethernet.joinGroup(new MacAddress(macOf(group)));
        if (reportable(group)) {
            startChange(g, CHANGE_TO_EXCLUDE);
        }
    }

    /** Undoes one {@link #join}; the last leaves the Ethernet group and reports. */
    void leave(Ipv6Address group) {
        Group g = groups.get(group);
        if (g == null || g.refs == 0) {
            return;
        }
        if (--g.refs > 0) {
            return;
        }
        ethernet.leaveGroup(new MacAddress(macOf(group)));
        g.queryTimer.cancel();
        if (reportable(group)) {
            startChange(g, CHANGE_TO_INCLUDE);
        } else {
            groups.remove(g.address);
        }
    }

    /** Stops every timer; nothing more is sent. */
    void stop() {
        for (Group g : groups.values()) {
            g.changeTimer.cancel();
            g.queryTimer.cancel();
        }
        generalQueryTimer.cancel();
    }

    /** RFC 3810 6.2: schedules the answer to a query (general when its group is ::). */
    void query(NdMessage.MldQuery q) {
        rxQueries.increment();
        long maxDelay = Math.max(1, q.maxResponseMillis()) * 1_000_000L;
        long delay = random.nextLong(maxDelay);
        if (q.group().isUnspecified()) {
            if (!generalQueryTimer.isScheduled() || generalQueryTimer.deadline() - loop.nanoTime() > delay) {
                generalQueryTimer.schedule(delay);
            }
            return;
        }
        Group g = groups.get(q.group());
        if (g == null || g.refs == 0 || !reportable(g.address)) {
            return;
        }
        if (!g.queryTimer.isScheduled() || g.queryTimer.deadline() - loop.nanoTime() > delay) {
            g.queryTimer.schedule(delay);
        }
    }

    private void startChange(Group g, int type) {
        g.changeType = type;
        g.changesLeft = ROBUSTNESS;
        sendChange(g);
    }

    private void sendChange(Group g) {
        if (g.changesLeft == 0) {
            return;
        }
        send(g.changeType, List.of(g.address));
        if (--g.changesLeft > 0) {
            g.changeTimer.schedule(1 + random.nextLong(UNSOLICITED_REPORT_INTERVAL));
        } else if (g.refs == 0) {
            groups.remove(g.address, g);
        }
    }

    private void answerGroupQuery(Group g) {
        if (g.refs > 0) {
            send(MODE_IS_EXCLUDE, List.of(g.address));
        }
    }

    private void answerGeneralQuery() {
        List<Ipv6Address> all = new ArrayList<>();
        for (Group g : groups.values()) {
            if (g.refs > 0 && reportable(g.address)) {
                all.add(g.address);
            }
        }
        all.sort(null);
        // As many records as the link carries in one datagram (IPv6 header, hop-by-hop header, report header).
        int perReport = Math.max(1, (mtu - 40 - 8 - 8) / 20);
        for (int i = 0; i < all.size(); i += perReport) {
            send(MODE_IS_EXCLUDE, all.subList(i, Math.min(all.size(), i + perReport)));
        }
    }

    /** Sends one MLDv2 report (RFC 3810 5.2) of {@code records} of one type, no sources each. */
    private void send(int recordType, List<Ipv6Address> records) {
        int size = 8 + 20 * records.size();
        output.report(size, (ByteBuffer b, int offset, int max) -> {
            b.put(offset, (byte) NdMessage.MLD_V2_REPORT);
            b.put(offset + 1, (byte) 0);
            b.putShort(offset + 2, (short) 0);
            b.putShort(offset + 4, (short) 0);
            b.putShort(offset + 6, (short) records.size());
            int o = offset + 8;
            for (Ipv6Address a : records) {
                b.put(o, (byte) recordType);
                b.put(o + 1, (byte) 0);
                b.putShort(o + 2, (short) 0);
                a.write(b, o + 4);
                o += 20;
            }
            return size;
        });
        txReports.increment();
    }
}
