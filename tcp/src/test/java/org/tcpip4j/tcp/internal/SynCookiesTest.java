package org.tcpip4j.tcp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tcpip4j.tcp.internal.TcpHarness.*;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.tcpip4j.netif.loop.Secrets;
import org.tcpip4j.netif.loop.VirtualTimeEventLoop;
import org.tcpip4j.tcp.TcpFlow;

/**
 * SYN cookies (RFC 4987 3.6): once a listener's half-open queue is full, a SYN is answered
 * with a cookie and nothing is kept; the ACK that returns a valid cookie opens the
 * connection with the MSS, window scale and SACK the cookie and the echoed timestamp carry;
 * an ACK with a wrong or stale cookie is refused.
 */
class SynCookiesTest {

    /** Fills the backlog of 4 with half-open connections from ports 41000..41003. */
    private static void fillQueue(TcpHarness h) {
        for (int i = 0; i < 4; i++) {
            h.inject(from(41000 + i, 80, SYN, 7000, 0));
        }
        assertEquals(4, h.sent().size());
        assertEquals(4, h.tcp.connectionCount());
    }

    @Test
    void aFullQueueAnswersWithACookieAndItsAckOpensTheConnection() throws Exception {
        TcpHarness h = new TcpHarness();
        h.listen(80);
        fillQueue(h);
        h.inject(from(40000, 80, SYN, 5000, 0).window(8192).mss(1400));
        TestSegment synAck = h.sentOne();
        assertEquals(SYN | ACK, synAck.flags);
        assertEquals(5001, synAck.ack);
        assertEquals(-1, synAck.windowScale, "without timestamps a cookie carries no window scale");
        assertEquals(4, h.tcp.connectionCount(), "nothing kept for the cookie");
        assertEquals(1, h.tcp.counters().get("syncookies.sent"));
        h.inject(from(40000, 80, ACK, 5001, synAck.seq + 1).window(8192).payload("hello"));
        assertEquals(1, h.tcp.counters().get("syncookies.accepted"));
        assertEquals(1, h.accepted.size(), "the ACK completed the handshake");
        TcpFlow flow = h.accepted.removeFirst();
        Connection c = h.connection(flow);
        assertEquals(TcpState.ESTABLISHED, c.state);
        assertEquals(1300, c.sender.mss, "1400 rounds down to the table's 1300");
        h.settle();
        var read = flow.read();
        h.settle();
        assertEquals("hello", new String(CloseTest.data(read.get())), "data on the ACK is kept");
    }

    @Test
    void withTimestampsTheCookieCarriesWindowScaleAndSack() throws Exception {
        TcpHarness h = new TcpHarness(TcpHarness.SMALL.withSelectiveAcks(true).withTimestamps(true));
        h.listen(80);
        fillQueue(h);
        h.inject(from(40000, 80, SYN, 5000, 0).window(8192).mss(1460).windowScale(5).sackPermitted().ts(900, 0));
        TestSegment synAck = h.sentOne();
        assertTrue(synAck.timestamps);
        assertEquals(900, synAck.tsEcr);
        assertEquals(5, synAck.tsVal & 0xf, "the client's window scale in TSval's low bits");
        h.advance(Duration.ofMillis(30));
        h.inject(from(40000, 80, ACK, 5001, synAck.seq + 1).window(100).ts(930, synAck.tsVal));
        TcpFlow flow = h.accepted.removeFirst();
        Connection c = h.connection(flow);
        assertEquals(TcpState.ESTABLISHED, c.state);
        assertTrue(c.sackAgreed);
        assertEquals(100 << 5, c.sender.sndWnd, "the ACK's window scaled by the shift the cookie kept");
        assertEquals(1460 - 12, c.sender.mss);
        assertEquals(930, c.timestamps.recent());
    }

    @Test
    void aWrongOrStaleCookieIsRefused() {
        TcpHarness h = new TcpHarness();
        h.listen(80);
        fillQueue(h);
        h.inject(from(40000, 80, SYN, 5000, 0).window(8192));
        TestSegment synAck = h.sentOne();
        h.inject(from(40000, 80, ACK, 5001, synAck.seq + 2).window(8192));
        assertEquals(RST, h.sentOne().flags, "not our cookie: an ACK for no connection");
        h.inject(from(40001, 80, ACK, 5001, synAck.seq + 1).window(8192));
        assertEquals(RST, h.sentOne().flags, "another 4-tuple");
        h.inject(from(40000, 80, ACK, 5002, synAck.seq + 1).window(8192));
        assertEquals(RST, h.sentOne().flags, "another client ISN");
        assertEquals(3, h.tcp.counters().get("syncookies.rejected"));
        h.advance(Duration.ofSeconds(4 * SynCookies.TICK_SECONDS));
        h.sent();
        h.inject(from(40000, 80, ACK, 5001, synAck.seq + 1).window(8192));
        assertEquals(RST, h.sentOne().flags, "too old");
        assertEquals(0, h.accepted.size());
    }

    @Test
    void cookiesRoundTripAcrossTicksAndKeyRotationsAndRejectForgeries() {
        VirtualTimeEventLoop loop = new VirtualTimeEventLoop();
        SynCookies cookies = new SynCookies(loop, Secrets.deterministic(1));
        SplittableRandom random = new SplittableRandom(2);
        int forged = 0;
        for (int i = 0; i < 2000; i++) {
            long lh = random.nextLong();
            long ll = random.nextLong();
            long rh = random.nextLong();
            long rl = random.nextLong();
            int p = random.nextInt();
            int isn = random.nextInt();
            int index = random.nextInt(SynCookies.MSS_TABLE.length);
            int cookie = cookies.make(lh, ll, rh, rl, p, isn, index);
            loop.runFor(Duration.ofSeconds(random.nextInt(2 * SynCookies.TICK_SECONDS)));
            assertEquals(index, cookies.check(lh, ll, rh, rl, p, isn, cookie), "valid within two ticks, keys rotating");
            if (cookies.check(lh, ll, rh, rl, p, isn, cookie ^ (1 << random.nextInt(32))) >= 0) {
                forged++;
            }
            loop.runFor(Duration.ofSeconds(SynCookies.TICK_SECONDS));
        }
        assertEquals(0, forged, "a flipped bit is never a valid cookie");
        assertNotNull(cookies);
    }
}
