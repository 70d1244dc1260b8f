package org.tcpip4j.tcp.internal;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.EventType;
import jdk.jfr.FlightRecorder;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;
import org.tcpip4j.netif.IpAddress;
import org.tcpip4j.netif.Ipv6Address;

/**
 * The TCP layer's JDK Flight Recorder events ({@code org.tcpip4j.tcp.*}): connections
 * opened and closed, state changes, retransmissions, retransmission timeouts, entries into
 * recovery and SYN cookies sent. {@code jcmd PID JFR.start}, then
 * {@code jfr print --events org.tcpip4j.*} shows them, as JDK Mission Control does.
 *
 * <p>Each {@code emit} method checks first, with two field reads and nothing allocated,
 * that the recorder runs at all ({@link FlightRecorder#isInitialized}) and that the event
 * is enabled in some recording ({@link EventType#isEnabled}); only then does it build the
 * event. The {@link EventType}s are looked up when first needed once the recorder runs, so
 * a process that never records never initializes the recorder on our account. No event
 * takes a stack trace: they come from the event loop, whose stack says nothing.
 *
 * <p>Loop only, as the connections that emit them.
 */
final class TcpEvents {

    /** How a retransmission came about. */
    static final String RTO = "rto";
    /** Fast retransmission after three duplicate ACKs, or a partial ACK in recovery (no SACK). */
    static final String FAST = "fast";
    /** RACK marked the segment lost (with SACK, RFC 8985). */
    static final String RACK = "rack";
    /** A tail loss probe (RFC 8985 7). */
    static final String TLP = "tlp";
    /** The path MTU fell and the segment no longer fitted. */
    static final String PMTU = "pmtu";

    private TcpEvents() {
    }

    // The events by index into Types.ALL, so that checking names no type before the recorder runs.
    private static final int OPENED = 0;
    private static final int CLOSED = 1;
    private static final int STATE = 2;
    private static final int RETRANSMISSION = 3;
    private static final int TIMEOUT = 4;
    private static final int RECOVERY = 5;
    private static final int COOKIE = 6;

    /** The event types, looked up once the recorder runs (this class's initialization registers them). */
    private static final class Types {
        static final EventType[] ALL = {
            EventType.getEventType(ConnectionOpened.class),
            EventType.getEventType(ConnectionClosed.class),
            EventType.getEventType(StateChange.class),
            EventType.getEventType(Retransmission.class),
            EventType.getEventType(RetransmissionTimeout.class),
            EventType.getEventType(RecoveryEntered.class),
            EventType.getEventType(SynCookieSent.class),
        };
    }

    // ---- the check ----------------------------------------------------------------------------

    /**
     * True when the recorder runs and the event {@code kind} is enabled in some recording: two
     * field reads; the types are only looked up once the recorder runs.
     */
    private static boolean enabled(int kind) {
        return FlightRecorder.isInitialized() && Types.ALL[kind].isEnabled();
    }

    // ---- emitting ---------------------------------------------------------------------------

    static void opened(Connection c) {
        if (!enabled(OPENED)) {
            return;
        }
        ConnectionOpened e = new ConnectionOpened();
        if (e.shouldCommit()) {
            e.of(c);
            e.passive = c.passive;
            e.commit();
        }
    }

    static void closed(Connection c, String how) {
        if (!enabled(CLOSED)) {
            return;
        }
        ConnectionClosed e = new ConnectionClosed();
        if (e.shouldCommit()) {
            e.of(c);
            e.how = how;
            e.bytesSent = c.sender.bytesSent;
            e.bytesRetransmitted = c.sender.bytesRetransmitted;
            e.bytesReceived = c.receiver.bytesReceived;
            e.commit();
        }
    }

    static void stateChange(Connection c, TcpState from, TcpState to) {
        if (!enabled(STATE)) {
            return;
        }
        StateChange e = new StateChange();
        if (e.shouldCommit()) {
            e.of(c);
            e.from = from.name();
            e.to = to.name();
            e.commit();
        }
    }

    static void retransmission(Connection c, int seq, int length, String reason) {
        if (!enabled(RETRANSMISSION)) {
            return;
        }
        Retransmission e = new Retransmission();
        if (e.shouldCommit()) {
            e.of(c);
            e.seq = seq & 0xffffffffL;
            e.length = length;
            e.reason = reason;
            e.commit();
        }
    }

    static void rto(Connection c, long rtoNanos, int backoff, String state) {
        if (!enabled(TIMEOUT)) {
            return;
        }
        RetransmissionTimeout e = new RetransmissionTimeout();
        if (e.shouldCommit()) {
            e.of(c);
            e.rto = rtoNanos;
            e.backoff = backoff;
            e.state = state;
            e.commit();
        }
    }

    static void recovery(Connection c, String kind, int cwnd, int ssthresh, String algorithm) {
        if (!enabled(RECOVERY)) {
            return;
        }
        RecoveryEntered e = new RecoveryEntered();
        if (e.shouldCommit()) {
            e.of(c);
            e.kind = kind;
            e.cwnd = cwnd;
            e.ssthresh = ssthresh;
            e.algorithm = algorithm;
            e.commit();
        }
    }

    static void cookie(String stack, IpAddress local, int localPort, IpAddress remote, int remotePort, int mss) {
        if (!enabled(COOKIE)) {
            return;
        }
        SynCookieSent e = new SynCookieSent();
        if (e.shouldCommit()) {
            e.of(stack, endpoint(local, localPort), endpoint(remote, remotePort));
            e.mss = mss;
            e.commit();
        }
    }

    /** {@code address:port}, the IPv6 address in brackets. */
    static String endpoint(IpAddress address, int port) {
        return address instanceof Ipv6Address ? "[" + address + "]:" + port : address + ":" + port;
    }

    // ---- the events ---------------------------------------------------------------------------

    /** What every event names: the stack and the connection's two endpoints. */
    abstract static class ConnectionEvent extends Event {
        @Label("Stack")
        String stack;
        @Label("Local Endpoint")
        String local;
        @Label("Remote Endpoint")
        String remote;

        final void of(Connection c) {
            of(c.tcp.name, c.localEndpoint(), c.remoteEndpoint());
        }

        final void of(String stack, String local, String remote) {
            this.stack = stack;
            this.local = local;
            this.remote = remote;
        }
    }

    @Name("org.tcpip4j.tcp.ConnectionOpened")
    @Label("TCP Connection Opened")
    @Category({"tcpip4j", "TCP"})
    @Description("A connection was opened: actively by connect (its SYN sent), or passively by a SYN to a listener")
    @StackTrace(false)
    static final class ConnectionOpened extends ConnectionEvent {
        @Label("Passive")
        @Description("Opened by a SYN to a listener rather than by connect")
        boolean passive;
    }

    @Name("org.tcpip4j.tcp.ConnectionClosed")
    @Label("TCP Connection Closed")
    @Category({"tcpip4j", "TCP"})
    @Description("A connection ended, with how and what it carried")
    @StackTrace(false)
    static final class ConnectionClosed extends ConnectionEvent {
        @Label("How")
        @Description("fin (both sides closed), reset received, reset sent, timeout, refused, no route, or failed")
        String how;
        @Label("Bytes Sent")
        @Description("Bytes of data sent, retransmissions included")
        @DataAmount
        long bytesSent;
        @Label("Bytes Retransmitted")
        @DataAmount
        long bytesRetransmitted;
        @Label("Bytes Received")
        @Description("Bytes of data received in order")
        @DataAmount
        long bytesReceived;
    }

    @Name("org.tcpip4j.tcp.StateChange")
    @Label("TCP State Change")
    @Category({"tcpip4j", "TCP"})
    @Description("A connection moved from one state of RFC 9293 3.3.2 to another")
    @StackTrace(false)
    static final class StateChange extends ConnectionEvent {
        @Label("From")
        String from;
        @Label("To")
        String to;
    }

    @Name("org.tcpip4j.tcp.Retransmission")
    @Label("TCP Retransmission")
    @Category({"tcpip4j", "TCP"})
    @Description("A segment was sent again")
    @StackTrace(false)
    static final class Retransmission extends ConnectionEvent {
        @Label("Sequence Number")
        @Description("The first sequence number of the segment")
        long seq;
        @Label("Length")
        @Description("Bytes of data in the segment (0 for a SYN, a SYN-ACK or a lone FIN)")
        @DataAmount
        int length;
        @Label("Reason")
        @Description("rto (the retransmission timer), fast (duplicate ACKs), rack (RACK with SACK), tlp (a tail loss"
            + " probe), pmtu (the path MTU fell)")
        String reason;
    }

    @Name("org.tcpip4j.tcp.RetransmissionTimeout")
    @Label("TCP Retransmission Timeout")
    @Category({"tcpip4j", "TCP"})
    @Description("The retransmission timer expired with data, a SYN or a SYN-ACK unacknowledged")
    @StackTrace(false)
    static final class RetransmissionTimeout extends ConnectionEvent {
        @Label("RTO")
        @Description("The timeout that expired, backoff included")
        @Timespan(Timespan.NANOSECONDS)
        long rto;
        @Label("Backoff")
        @Description("Times the timeout has doubled since data was last acknowledged, this expiry included")
        int backoff;
        @Label("State")
        String state;
    }

    @Name("org.tcpip4j.tcp.RecoveryEntered")
    @Label("TCP Recovery Entered")
    @Category({"tcpip4j", "TCP"})
    @Description("The sender detected a loss and reduced its window: fast recovery, or loss recovery after a timeout")
    @StackTrace(false)
    static final class RecoveryEntered extends ConnectionEvent {
        @Label("Kind")
        @Description("fast (duplicate ACKs), rack (RACK with SACK), or rto (after a retransmission timeout)")
        String kind;
        @Label("Congestion Window")
        @Description("The congestion window when the loss was found, before the reduction")
        @DataAmount
        int cwnd;
        @Label("Slow-Start Threshold")
        @Description("The slow-start threshold set on entry: what fast recovery brings the window down to, and"
            + " where slow start ends after a timeout")
        @DataAmount
        int ssthresh;
        @Label("Algorithm")
        @Description("The congestion control in use")
        String algorithm;
    }

    @Name("org.tcpip4j.tcp.SynCookieSent")
    @Label("TCP SYN Cookie Sent")
    @Category({"tcpip4j", "TCP"})
    @Description("A listener's half-open queue was full: a SYN was answered with a SYN cookie, and nothing kept")
    @StackTrace(false)
    static final class SynCookieSent extends ConnectionEvent {
        @Label("MSS")
        @Description("The MSS the SYN announced, -1 for none (the cookie keeps the nearest at or below it)")
        int mss;
    }
}
