package org.tcpip4j.tcp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.tcpip4j.tcp.internal.TcpHarness.*;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.tcpip4j.tcp.TcpFlow;

/**
 * A new SYN for a connection in TIME_WAIT (RFC 9293 3.6.1, RFC 6191): it reopens the
 * 4-tuple when its sequence number is above RCV.NXT or, with timestamps, when its TSval is
 * newer than TS.Recent; anything else is an old duplicate and TIME_WAIT goes on. We close
 * first; our ISN is 1000 and the peer's 5000, so our FIN is 1001 and the peer's 5001.
 */
class TimeWaitTest {

    static TestSegment ours(int flags, int seq, int ack) {
        return TestSegment.of(80, 40000, flags, seq, ack).window(8192);
    }

    /** Accept without timestamps, close, and let the peer close: TIME_WAIT with RCV.NXT 5002. */
    static Connection timeWait(TcpHarness h) {
        TcpFlow flow = h.acceptFrom(80, 40000, 5000);
        Connection c = h.connection(flow);
        flow.close();
        h.settle();
        assertEquals(ours(FIN | ACK, 1001, 5001), h.sentOne());
        h.inject(from(40000, 80, FIN | ACK, 5001, 1002));
        assertEquals(ours(ACK, 1002, 5002).window(8191), h.sentOne());
        assertEquals(TcpState.TIME_WAIT, h.stateOf(c));
        return c;
    }

    /** The same with timestamps: TS.Recent is the peer's FIN's TSval, 103. */
    static Connection timeWaitWithTimestamps(TcpHarness h) {
        h.listen(80);
        h.inject(from(40000, 80, SYN, 5000, 0).window(8192).ts(100, 0));
        h.sentOne();
        h.inject(from(40000, 80, ACK, 5001, 1001).window(8192).ts(101, 0));
        TcpFlow flow = h.accepted.removeFirst();
        Connection c = h.connection(flow);
        flow.close();
        h.settle();
        h.sentOne();
        h.inject(from(40000, 80, FIN | ACK, 5001, 1002).ts(103, 0));
        h.sentOne();
        assertEquals(TcpState.TIME_WAIT, h.stateOf(c));
        assertEquals(103, c.timestamps.recent());
        return c;
    }

    @Test
    void aSynAboveRcvNxtReopensTheConnectionWithAnIssBeyondTheOldOne() {
        TcpHarness h = new TcpHarness();
        Connection old = timeWait(h);
        h.inject(from(40000, 80, SYN, 9000, 0).window(8192));
        assertEquals(ours(SYN | ACK, 1002 + 65536, 9001).mss(1460), h.sentOne(),
            "RFC 9293 3.6.1 (1): the new ISS lies above every sequence number of the old incarnation");
        assertEquals(TcpState.CLOSED, old.state);
        assertNull(h.tcp.timeWait(LOCAL, 80, REMOTE, 40000), "the record went");
        Connection fresh = h.tcp.connection(LOCAL, 80, REMOTE, 40000);
        assertNotSame(old, fresh);
        assertEquals(TcpState.SYN_RECEIVED, fresh.state);
        assertEquals(1, h.tcp.counters().get("conn.time_wait_reopened"));
        h.inject(from(40000, 80, ACK, 9001, 1002 + 65537).window(8192));
        assertEquals(1, h.accepted.size());
        assertEquals(TcpState.ESTABLISHED, fresh.state);
    }

    @Test
    void aSynAtOrBelowRcvNxtIsAnOldDuplicateAndTimeWaitGoesOn() {
        TcpHarness h = new TcpHarness();
        Connection c = timeWait(h);
        h.inject(from(40000, 80, SYN, 5002, 0).window(8192));
        assertEquals(ours(ACK, 1002, 5002).window(8191), h.sentOne(), "an ACK (Linux's TIME_WAIT; RFC 5961 4.2)");
        h.inject(from(40000, 80, SYN, 4000, 0).window(8192));
        h.sentNothing(); // at most one ACK per half second (Linux's tcp_invalid_ratelimit)
        assertEquals(1, h.tcp.counters().get("tx.oow_acks_suppressed"));
        h.advance(Duration.ofMillis(500));
        h.inject(from(40000, 80, SYN, 4000, 0).window(8192));
        assertEquals(ours(ACK, 1002, 5002).window(8191), h.sentOne(), "out of the window: an ACK");
        assertEquals(TcpState.TIME_WAIT, h.stateOf(c));
        assertEquals(0, h.tcp.counters().get("conn.time_wait_reopened"));
    }

    @Test
    void aReopeningSynFindingTheQueueFullGetsACookie() {
        TcpHarness h = new TcpHarness();
        timeWait(h);
        for (int i = 0; i < 4; i++) { // fill the backlog of 4
            h.inject(from(41000 + i, 80, SYN, 7000, 0).window(8192));
        }
        h.sent();
        h.inject(from(40000, 80, SYN, 9000, 0).window(8192));
        TestSegment synAck = h.sentOne();
        assertEquals(SYN | ACK, synAck.flags, "the listener answers, with a cookie");
        assertEquals(9001, synAck.ack);
        assertNull(h.tcp.timeWait(LOCAL, 80, REMOTE, 40000), "the record went");
        assertEquals(1, h.tcp.counters().get("syncookies.sent"));
        h.inject(from(40000, 80, ACK, 9001, synAck.seq + 1).window(8192));
        assertEquals(1, h.accepted.size(), "the cookie's ACK opens the new incarnation");
    }

    @Test
    void withoutAListenerTheSynDoesNotReopen() {
        TcpHarness h = new TcpHarness();
        Connection c = timeWait(h);
        h.tcp.unlisten(80);
        h.settle();
        h.inject(from(40000, 80, SYN, 9000, 0).window(8192));
        assertEquals(ours(ACK, 1002, 5002).window(8191), h.sentOne());
        assertEquals(TcpState.TIME_WAIT, h.stateOf(c));
        h.advance(Duration.ofSeconds(60));
        assertEquals(0, h.tcp.connectionCount());
    }

    @Test
    void withTimestampsANewerTsvalReopensWhateverTheSequenceNumber() {
        TcpHarness h = new TcpHarness();
        Connection old = timeWaitWithTimestamps(h);
        h.inject(from(40000, 80, SYN, 4000, 0).window(8192).ts(200, 0));
        TestSegment synAck = h.sentOne();
        assertEquals(SYN | ACK, synAck.flags);
        assertEquals(4001, synAck.ack);
        assertEquals(200, synAck.tsEcr, "RFC 6191: the new incarnation echoes the SYN");
        assertEquals(TcpState.CLOSED, old.state);
    }

    @Test
    void withTimestampsAnOlderTsvalIsRejectedByPawsEvenAboveRcvNxt() {
        TcpHarness h = new TcpHarness();
        Connection c = timeWaitWithTimestamps(h);
        h.inject(from(40000, 80, SYN, 9000, 0).window(8192).ts(50, 0));
        assertEquals(ours(ACK, 1002, 5002).window(8191).ts(0, 103), h.sentOne());
        assertEquals(TcpState.TIME_WAIT, h.stateOf(c));
        assertEquals(1, h.tcp.counters().get("rx.paws_rejected"));
    }

    @Test
    void everyRetransmittedFinIsAcknowledgedEvenWithinHalfASecond() {
        TcpHarness h = new TcpHarness();
        Connection c = timeWait(h);
        // Our ACK of the FIN was lost, and the ACK to its first retransmission too: the peer
        // (a Linux RTO of 200 ms, doubling) sends it again 400 ms later.
        h.advance(Duration.ofMillis(200));
        h.inject(from(40000, 80, FIN | ACK, 5001, 1002).window(8192));
        assertEquals(ours(ACK, 1002, 5002).window(8191), h.sentOne());
        h.advance(Duration.ofMillis(400));
        h.inject(from(40000, 80, FIN | ACK, 5001, 1002).window(8192));
        assertEquals(ours(ACK, 1002, 5002).window(8191), h.sentOne(),
            "a FIN is not part of an ACK loop: answered every time (Linux's tcp_oow_rate_limited)");
        assertEquals(0, h.tcp.counters().get("tx.oow_acks_suppressed"));
        assertEquals(TcpState.TIME_WAIT, h.stateOf(c));
    }
}
