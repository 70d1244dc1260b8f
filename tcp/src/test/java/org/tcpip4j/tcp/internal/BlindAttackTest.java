package org.tcpip4j.tcp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tcpip4j.tcp.internal.TcpHarness.*;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tcpip4j.netif.Ipv4Address;
import org.tcpip4j.netif.loop.Secrets;
import org.tcpip4j.netif.loop.VirtualTimeEventLoop;
import org.tcpip4j.tcp.TcpFlow;

/**
 * What a blind attacker who knows a connection's 4-tuple, or only our address, can no
 * longer do (RFC 5961 context): keep a dead connection alive with segments that are not
 * acceptable, draw an ACK per forged segment, or draw resets at line rate.
 */
class BlindAttackTest {

    /** Far outside the window of a connection whose RCV.NXT is 5001. */
    private static final int BLIND_SEQ = 5001 + 1_000_000;

    @Test
    void unacceptableSegmentsDoNotKeepKeepaliveAway() {
        TcpHarness h = new TcpHarness();
        KeepaliveTest.open(h);
        for (int i = 0; i < 4; i++) {
            h.advance(Duration.ofSeconds(2));
            h.inject(from(40000, 80, ACK, BLIND_SEQ, 1001)); // out of the window
            h.inject(from(40000, 80, ACK, 5001, 1001 + 70_000)); // in it, acknowledging what was never sent
        }
        h.sent(); // the ACKs they drew
        h.advance(Duration.ofSeconds(2));
        assertEquals(KeepaliveTest.PROBE, h.sentOne(), "probed 10 s after the last acceptable segment");
    }

    @Test
    void unacceptableSegmentsDoNotPushTheFinWait2TimeoutBack() {
        TcpHarness h = new TcpHarness(); // MSL 30 s
        TcpFlow flow = h.acceptFrom(80, 40000, 5000);
        flow.close();
        h.settle();
        h.sentOne();
        h.inject(from(40000, 80, ACK, 5001, 1002));
        assertEquals(TcpState.FIN_WAIT_2, h.connection(flow).state);
        for (int i = 0; i < 5; i++) {
            h.advance(Duration.ofSeconds(10));
            h.inject(from(40000, 80, ACK, BLIND_SEQ, 1002));
        }
        h.sent();
        h.advance(Duration.ofSeconds(10));
        assertEquals(CloseTest.ours(ACK, 1001, 5001), h.sentOne(), "probed after 2 MSL without an acceptable segment");
    }

    @Test
    void acksAnsweringUnacceptableSegmentsAreRateLimitedPerConnection() {
        TcpHarness h = new TcpHarness();
        h.acceptFrom(80, 40000, 5000);
        TestSegment ack = CloseTest.ours(ACK, 1001, 5001);
        for (int i = 0; i < 10; i++) {
            h.inject(from(40000, 80, ACK, BLIND_SEQ + i, 1001));
        }
        assertEquals(List.of(ack), h.sent(), "one ACK for ten forged segments");
        h.advance(Duration.ofMillis(499));
        h.inject(from(40000, 80, ACK, 5001, 1001 + 70_000)); // an ACK of data never sent
        h.sentNothing();
        h.advance(Duration.ofMillis(1));
        h.inject(from(40000, 80, ACK, BLIND_SEQ, 1001));
        assertEquals(ack, h.sentOne(), "500 ms later, the next one is answered");
        assertEquals(10, h.tcp.counters().get("tx.oow_acks_suppressed"));
        // Old data (our ACK was lost) is always answered: it lets the peer move on.
        h.inject(from(40000, 80, ACK, 4001, 1001).payload("again"));
        h.inject(from(40000, 80, ACK, 4001, 1001).payload("again"));
        assertEquals(2, h.sent().size());
        // Another connection has a budget of its own.
        h.acceptFrom(81, 40001, 5000);
        h.inject(from(40001, 81, ACK, BLIND_SEQ, 1001));
        assertEquals(1, h.sent().size());
    }

    @Test
    void resetsToSegmentsForNoConnectionAreRateLimitedPerDestination() {
        TcpHarness h = new TcpHarness();
        Ipv4Address other = Ipv4Address.parse("198.18.0.3");
        for (int i = 0; i < 200; i++) {
            h.inject(from(40000 + i, 81, SYN, 5000, 0));
        }
        assertEquals(ResetLimiter.PER_DESTINATION, h.sent().size(), "a burst, then nothing");
        assertEquals(200 - ResetLimiter.PER_DESTINATION, h.tcp.counters().get("conn.resets_rate_limited"));
        h.tcp.input(other, LOCAL, from(40000, 81, SYN, 5000, 0).encode(other, LOCAL));
        h.settle();
        assertEquals(RST | ACK, h.sentOne().flags, "another destination has a budget of its own");
        h.advance(Duration.ofMillis(100));
        for (int i = 0; i < 20; i++) {
            h.inject(from(40000 + i, 81, ACK, 5000, 7000));
        }
        assertEquals(ResetLimiter.PER_DESTINATION / 10, h.sent().size(), "refilled at its rate");
    }

    @Test
    void theLayersResetBudgetBoundsAFloodFromManySourcesAndTheTableCannotBeFlushed() {
        VirtualTimeEventLoop loop = new VirtualTimeEventLoop();
        ResetLimiter limiter = new ResetLimiter(loop, Secrets.deterministic(5));
        Ipv4Address victim = Ipv4Address.parse("198.18.0.2");
        int allowed = 0;
        for (int i = 0; i < ResetLimiter.PER_DESTINATION * 2; i++) {
            allowed += limiter.tryAcquire(victim) ? 1 : 0;
        }
        assertEquals(ResetLimiter.PER_DESTINATION, allowed);
        // 131,072 forged sources, each sent one reset: the layer's budget caps them all,
        // and none of them takes the victim's slot with a fresh bucket.
        int base = Ipv4Address.parse("198.18.0.0").bits();
        allowed = 0;
        for (int i = 0; i < 1 << 17; i++) {
            allowed += limiter.tryAcquire(new Ipv4Address(base + i)) ? 1 : 0;
        }
        assertEquals(ResetLimiter.TOTAL - ResetLimiter.PER_DESTINATION, allowed);
        loop.runFor(Duration.ofMillis(100));
        allowed = 0;
        for (int i = 0; i < ResetLimiter.PER_DESTINATION; i++) {
            allowed += limiter.tryAcquire(victim) ? 1 : 0;
        }
        assertEquals(ResetLimiter.PER_DESTINATION / 10, allowed, "the victim's bucket, refilled 100 ms' worth");
        assertTrue(ResetLimiter.SLOTS <= 1024);
    }
}
