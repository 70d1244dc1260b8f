package org.tcpip4j.tcp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tcpip4j.tcp.internal.TcpHarness.*;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The layer's budget of challenge ACKs (RFC 5961 7). */
class ChallengeAckLimitTest {

    static TestSegment ours(int port, int flags, int seq, int ack) {
        return TestSegment.of(80, port, flags, seq, ack).window(8192);
    }

    @Test
    void aFloodOfInWindowResetsDrawsAtMostTheBudgetOfChallengeAcks() {
        TcpHarness h = new TcpHarness(TcpHarness.SMALL.withChallengeAcksPerSecond(10));
        h.acceptFrom(80, 40000, 5000);
        for (int i = 0; i < 100; i++) {
            h.inject(from(40000, 80, RST, 5100 + i, 0));
        }
        int sent = h.sent().size();
        assertTrue(sent >= 5 && sent < 15, "a budget drawn in [5, 15): " + sent);
        assertEquals(sent, h.tcp.counters().get("tx.challenge_acks"));
        assertEquals(100 - sent, h.tcp.counters().get("tx.challenge_acks_suppressed"));
        h.advance(Duration.ofSeconds(1));
        h.inject(from(40000, 80, RST, 5100, 0));
        assertEquals(ours(40000, ACK, 1001, 5001), h.sentOne(), "a new second, a new budget");
    }

    @Test
    void theBudgetIsSharedByEveryConnectionOfTheLayer() {
        TcpHarness h = new TcpHarness(TcpHarness.SMALL.withChallengeAcksPerSecond(1));
        h.acceptFrom(80, 40000, 5000);
        h.acceptFrom(80, 40001, 7000);
        h.inject(from(40000, 80, SYN, 5100, 0));
        assertEquals(ours(40000, ACK, 1001, 5001), h.sentOne(), "RFC 5961 4.2: a challenge ACK for the SYN");
        h.inject(from(40001, 80, SYN, 7100, 0));
        h.inject(from(40001, 80, RST, 7050, 0));
        h.sentNothing();
        assertEquals(2, h.tcp.counters().get("tx.challenge_acks_suppressed"));
        h.advance(Duration.ofMillis(1000));
        h.inject(from(40001, 80, RST, 7100, 0));
        assertEquals(ours(40001, ACK, 1001, 7001), h.sentOne());
    }
}
