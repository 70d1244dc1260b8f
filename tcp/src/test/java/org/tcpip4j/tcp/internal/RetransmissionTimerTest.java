package org.tcpip4j.tcp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.tcpip4j.netif.loop.VirtualTimeEventLoop;

class RetransmissionTimerTest {

    static final long MS = 1_000_000L;

    @Test
    void followsRfc6298() {
        VirtualTimeEventLoop loop = new VirtualTimeEventLoop();
        RetransmissionTimer t = new RetransmissionTimer(loop, () -> { });
        assertEquals(1000 * MS, t.rto(), "2.1: initial RTO 1 s");
        t.sample(100 * MS);
        assertEquals(100 * MS, t.srtt(), "2.2: SRTT = R");
        assertEquals(300 * MS, t.rto(), "2.2: RTO = SRTT + 4 * R/2");
        t.sample(200 * MS);
        // 2.3: RTTVAR = 3/4 * 50 + 1/4 * 100 = 62.5; SRTT = 7/8 * 100 + 1/8 * 200 = 112.5
        assertEquals(112_500_000L, t.srtt());
        assertEquals(112_500_000L + 4 * 62_500_000L, t.rto());
        t.sample(1 * MS);
        t.sample(1 * MS);
        for (int i = 0; i < 20; i++) {
            t.sample(1 * MS);
        }
        assertEquals(RetransmissionTimer.MIN_RTO, t.rto(), "floor of 200 ms");
    }

    @Test
    void backsOffByDoublingUpToSixtySeconds() {
        VirtualTimeEventLoop loop = new VirtualTimeEventLoop();
        RetransmissionTimer t = new RetransmissionTimer(loop, () -> { });
        t.backOff();
        assertEquals(2000 * MS, t.rto());
        t.backOff();
        assertEquals(4000 * MS, t.rto());
        for (int i = 0; i < 40; i++) {
            t.backOff();
        }
        assertEquals(RetransmissionTimer.MAX_RTO, t.rto());
        t.clearBackoff();
        assertEquals(1000 * MS, t.rto());
    }

    @Test
    void startsOnlyWhenStoppedAndRestartsOnDemand() {
        VirtualTimeEventLoop loop = new VirtualTimeEventLoop();
        int[] fired = {0};
        RetransmissionTimer t = new RetransmissionTimer(loop, () -> fired[0]++);
        t.startIfStopped();
        loop.runFor(500 * MS);
        t.startIfStopped();
        loop.runFor(500 * MS);
        assertEquals(1, fired[0], "5.1: a running timer is not re-armed");
        t.restart();
        assertTrue(t.running());
        t.stop();
        assertFalse(t.running());
    }

    @Test
    void aRestartMovesTheExpiryToOneRtoAfterIt() {
        VirtualTimeEventLoop loop = new VirtualTimeEventLoop();
        int[] fired = {0};
        RetransmissionTimer t = new RetransmissionTimer(loop, () -> fired[0]++);
        t.startIfStopped();
        loop.runFor(600 * MS);
        t.restart(); // 5.3: an ACK of new data
        loop.runFor(999 * MS);
        assertEquals(0, fired[0], "the first deadline passed without firing");
        assertTrue(t.running());
        loop.runFor(1 * MS);
        assertEquals(1, fired[0], "exactly one RTO after the restart");
        assertFalse(t.running());
        assertEquals(0, loop.pendingTimers());
    }

    @Test
    void aRestartWithAShorterRtoFiresEarlier() {
        VirtualTimeEventLoop loop = new VirtualTimeEventLoop();
        int[] fired = {0};
        RetransmissionTimer t = new RetransmissionTimer(loop, () -> fired[0]++);
        t.startIfStopped(); // 1 s
        t.sample(10 * MS); // RTO 200 ms
        t.restart();
        loop.runFor(200 * MS);
        assertEquals(1, fired[0]);
        loop.runFor(2000 * MS);
        assertEquals(1, fired[0], "and only once");
    }

    @Test
    void synRetransmissionRaisesTheRtoToThreeSeconds() {
        VirtualTimeEventLoop loop = new VirtualTimeEventLoop();
        RetransmissionTimer t = new RetransmissionTimer(loop, () -> { });
        t.afterSynRetransmitted();
        assertEquals(3000 * MS, t.rto(), "5.7");
    }
}
