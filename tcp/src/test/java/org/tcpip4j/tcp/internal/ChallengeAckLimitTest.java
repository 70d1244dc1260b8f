package org.tcpip4j.tcp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tcpip4j.tcp.internal.TcpHarness.*;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The limits on challenge ACKs: the layer's budget (RFC 5961 7) and each connection's. */
class ChallengeAckLimitTest {

    static TestSegment ours(int port, int flags, int seq, int ack) {
        return TestSegment.of(80, port, flags, seq, ack).window(8192);
    }

    @Test
    void aFloodOfInWindowResetsDrawsAtMostTheBudgetOfChallengeAcks() {
        TcpHarness h = new TcpHarness(TcpHarness.SMALL.withChallengeAcksPerSecond(10));
        for (int i = 0; i < 30; i++) {
            h.acceptFrom(80, 40000 + i, 5000);
        }
        // One reset per connection, so that only the layer's budget limits them.
        for (int i = 0; i < 30; i++) {
            h.inject(from(40000 + i, 80, RST, 5100, 0));
        }
        int sent = h.sent().size();
        assertTrue(sent >= 5 && sent < 15, "a budget drawn in [5, 15): " + sent);
        assertEquals(sent, h.tcp.counters().get("tx.challenge_acks"));
        assertEquals(30 - sent, h.tcp.counters().get("tx.challenge_acks_suppressed"));
        h.advance(Duration.ofSeconds(1));
        h.inject(from(40000, 80, RST, 5100, 0));
        assertEquals(ours(40000, ACK, 1001, 5001), h.sentOne(), "a new second, a new budget");
    }

    /**
     * Linux's tcp_send_challenge_ack checks the connection's limit of one ACK to an
     * unacceptable segment per 500 ms before the layer's budget: one connection's forged
     * resets and SYNs draw no more than that, and spend no more of the budget.
     */
    @Test
    void challengeAcksAreAlsoLimitedPerConnection() {
        TcpHarness h = new TcpHarness(TcpHarness.SMALL.withChallengeAcksPerSecond(1000));
        h.acceptFrom(80, 40000, 5000);
        TestSegment challenge = ours(40000, ACK, 1001, 5001);
        for (int i = 0; i < 10; i++) {
            h.inject(from(40000, 80, RST, 5100 + i, 0));
        }
        assertEquals(challenge, h.sentOne(), "one challenge ACK for ten in-window resets");
        assertEquals(1, h.tcp.counters().get("tx.challenge_acks"));
        assertEquals(9, h.tcp.counters().get("tx.challenge_acks_suppressed"));
        h.advance(Duration.ofMillis(499));
        h.inject(from(40000, 80, SYN, 9000, 0));
        h.sentNothing();
        h.advance(Duration.ofMillis(1));
        h.inject(from(40000, 80, SYN, 9000, 0));
        assertEquals(challenge, h.sentOne(), "500 ms later, the next one is answered");
        // ACKs to out-of-window segments and challenge ACKs share the connection's limit.
        h.advance(Duration.ofMillis(500));
        h.inject(from(40000, 80, ACK, 5001 + 1_000_000, 1001));
        assertEquals(challenge, h.sentOne());
        h.inject(from(40000, 80, RST, 5100, 0));
        h.sentNothing();
        // Another connection has a limit of its own.
        h.acceptFrom(80, 40001, 7000);
        h.inject(from(40001, 80, RST, 7100, 0));
        assertEquals(ours(40001, ACK, 1001, 7001), h.sentOne());
        assertEquals(3, h.tcp.counters().get("tx.challenge_acks"));
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
